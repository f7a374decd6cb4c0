"""The organizations a person is a member of (accounts.affiliations)."""

from collections import defaultdict

from accounts import affiliations

from .models import Membership


@affiliations.register("marketplace.organization")
def organizations(user_ids):
    found = defaultdict(set)
    rows = Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organization_id", "organization__name"
    )
    for user_id, organization_id, name in rows:
        found[user_id].add((f"marketplace.organization:{organization_id}", name))
    return found
