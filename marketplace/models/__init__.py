from .matches import HoursLog, Match, MatchStatus, Review
from .organizations import (
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    VerificationStatus,
)
from .profiles import ResidentProfile, ResidentSkill, SkillLevel, WorkStyle
from .skills import SkillCategory
from .tasks import Application, ApplicationKind, ApplicationStatus, Task, TaskStatus

__all__ = [
    "Application",
    "ApplicationKind",
    "ApplicationStatus",
    "HoursLog",
    "Match",
    "MatchStatus",
    "Membership",
    "MembershipRole",
    "Organization",
    "OrganizationKind",
    "ResidentProfile",
    "ResidentSkill",
    "Review",
    "SkillCategory",
    "SkillLevel",
    "Task",
    "TaskStatus",
    "VerificationStatus",
    "WorkStyle",
]
