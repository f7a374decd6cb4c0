"""Residents' skills profiles."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts import services as account_services
from accounts.models import ConsentPurpose, Role, User
from core.activity import log_action
from search.index import update_on_commit as reindex_on_commit

from ..models import ResidentProfile, ResidentSkill


@transaction.atomic
def save_resident_profile(
    user: User, *, skills: dict, discoverable: bool, tags=(), **fields
) -> ResidentProfile:
    """Create or update `user`'s profile. `skills` maps SkillCategory to a SkillLevel.

    Being discoverable is a consent (accounts.ConsentPurpose.PROFILE_DISCOVERABLE), so it
    shows, with its history, on the user's consent page too.
    """
    policy.check(user, "marketplace.save_profile")
    if not skills:
        raise ValidationError({"skills": _("Choose at least one skill.")})
    profile = ResidentProfile.objects.filter(user=user).first() or ResidentProfile(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    profile.skill_levels.exclude(category__in=list(skills)).delete()
    for category, level in skills.items():
        ResidentSkill.objects.update_or_create(
            profile=profile, category=category, defaults={"level": level}
        )
    profile.tags.set(list(tags))
    if discoverable:
        account_services.grant_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    else:
        account_services.withdraw_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    account_services.grant_role(user, Role.RESIDENT)
    log_action(user, "marketplace.profile_saved", profile)
    reindex_on_commit(profile)
    return profile


def is_discoverable(user: User) -> bool:
    return account_services.has_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
