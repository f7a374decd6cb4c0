"""The wards a resident gave on their profile (accounts.localities)."""

from accounts import localities

from .models import ResidentProfile


@localities.register("marketplace.profile")
def profile_wards(user_ids):
    found: dict[int, set[int]] = {}
    for user_id, home, work in ResidentProfile.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "home_ward_id", "work_ward_id"
    ):
        found[user_id] = {ward for ward in (home, work) if ward}
    return found
