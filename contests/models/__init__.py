from .contests import (
    PHASES,
    ContestDataset,
    ContestIndexPage,
    ContestPage,
    ContestState,
    EligibilityArea,
    Prize,
    Theme,
    end_of_minute,
)
from .datasets import Catalog, Dataset, Resource
from .submissions import DeadlineExtension, Licence, Screenshot, Submission, SubmissionVersion
from .teams import (
    Announcement,
    Connection,
    Contributor,
    InvitationStatus,
    Team,
    TeamInvitation,
    TeamMembership,
)

__all__ = [
    "PHASES",
    "Announcement",
    "Catalog",
    "Connection",
    "ContestDataset",
    "ContestIndexPage",
    "ContestPage",
    "ContestState",
    "Contributor",
    "Dataset",
    "DeadlineExtension",
    "EligibilityArea",
    "InvitationStatus",
    "Licence",
    "Prize",
    "Resource",
    "Screenshot",
    "Submission",
    "SubmissionVersion",
    "Team",
    "TeamInvitation",
    "TeamMembership",
    "Theme",
    "end_of_minute",
]
