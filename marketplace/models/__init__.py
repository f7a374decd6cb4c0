from .matches import HoursLog, Match, MatchStatus, Review
from .moderation import Block, Report, ReportStatus
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
    "Block",
    "HoursLog",
    "Match",
    "MatchStatus",
    "Membership",
    "MembershipRole",
    "Organization",
    "OrganizationKind",
    "Report",
    "ReportStatus",
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
