"""Every state change about contests goes through this package, one module per concern.
Each function checks permission (accounts.policy), validates, writes in one transaction
and logs the action (core.activity). Refusals are core.errors (NotAllowed, Conflict,
...), ValidationError for a form's fields, or contests.ckan.CatalogError when a catalog
cannot give us a dataset; no service speaks HTTP.
"""

from .datasets import SearchHit, SearchResults, import_dataset, search_catalog
from .submissions import (
    check_screenshot,
    closed_message,
    grant_extension,
    save_submission,
    team_deadline,
    version_at_deadline,
)
from .teams import (
    add_contributor,
    answer_invitation,
    check_eligibility,
    create_team,
    invite_user,
    join_by_link,
    leave_team,
    remove_contributor,
    remove_member,
    rename_team,
    reset_invite_link,
    send_announcement,
    team_for_code,
    withdraw_invitation,
)

__all__ = [
    "SearchHit",
    "SearchResults",
    "add_contributor",
    "answer_invitation",
    "check_eligibility",
    "check_screenshot",
    "closed_message",
    "create_team",
    "grant_extension",
    "import_dataset",
    "invite_user",
    "join_by_link",
    "leave_team",
    "remove_contributor",
    "remove_member",
    "rename_team",
    "reset_invite_link",
    "save_submission",
    "search_catalog",
    "send_announcement",
    "team_deadline",
    "team_for_code",
    "version_at_deadline",
    "withdraw_invitation",
]
