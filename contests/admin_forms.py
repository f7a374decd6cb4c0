"""The contest pages in the Wagtail admin: who may write which contest, and the form.

Wagtail gives page permissions by subtree (GroupPagePermission): the "Contest
organizers" group may add, edit and publish under the contest index page
(contests.receivers grants it), which would be every ward's contests. The policy
narrows it to the ward: `ContestPagePermissionTester` answers no about another ward's
contest (so Wagtail offers no button, no bulk action and no view for it), the form only
offers, and only accepts, the person's own wards, and contests.wagtail_hooks hides the
other wards' contests from the explorer and answers 404 for their admin pages.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import PagePermissionTester

from accounts import policy
from accounts.models import Role
from core.models import Ward


def contest_wards(user):
    """The wards whose contests `user` may write: None for every ward."""
    if user.is_superuser:
        return None
    held = policy.role_wards(user)
    wards: set = set()
    for name in (Role.CONTEST_ORGANIZER, Role.EDITOR):
        if name not in held:
            continue
        if held[name] is None:
            return None
        wards |= held[name]
    return frozenset(wards)


class ContestPagePermissionTester(PagePermissionTester):
    """Wagtail's answers, except that another ward's contest allows nothing at all."""

    def __init__(self, user, page):
        super().__init__(user, page)
        # A contest being created has no ward yet: the form decides (ContestPageForm).
        self.allowed = (
            page.pk is None
            or page.ward_id is None
            or policy.can(user, "contests.edit_contest", page)
        )
        if not self.allowed and not user.is_superuser:
            self.permissions = set()

    def _denied(self) -> bool:
        return not self.allowed

    def can_edit(self):
        return not self._denied() and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return not self._denied() and super().can_delete(ignore_bulk)

    def can_publish(self):
        return not self._denied() and super().can_publish()

    def can_unpublish(self):
        return not self._denied() and super().can_unpublish()

    def can_lock(self):
        return not self._denied() and super().can_lock()

    def can_unlock(self):
        return not self._denied() and super().can_unlock()

    def can_submit_for_moderation(self):
        return not self._denied() and super().can_submit_for_moderation()

    def can_copy(self):
        return not self._denied() and super().can_copy()

    def can_view_revisions(self):
        return not self._denied() and super().can_view_revisions()


class ContestIndexPermissionTester(PagePermissionTester):
    """The contest index: organizers add contests under it, but the index page itself
    (its introduction, its address) is the editors' to change."""

    def __init__(self, user, page):
        super().__init__(user, page)
        held = policy.role_wards(user) if user.is_active else {}
        self.writes_index = user.is_superuser or Role.EDITOR in held

    def can_edit(self):
        return self.writes_index and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self.writes_index and super().can_delete(ignore_bulk)

    def can_unpublish(self):
        return self.writes_index and super().can_unpublish()

    def can_publish(self):
        return self.writes_index and super().can_publish()

    def can_lock(self):
        return self.writes_index and super().can_lock()

    def can_unlock(self):
        return self.writes_index and super().can_unlock()

    def can_copy(self):
        return self.writes_index and super().can_copy()

    def can_reorder_children(self):
        return self.writes_index and super().can_reorder_children()


class ContestPageForm(WagtailAdminPageForm):
    """A ward organizer chooses among their own wards (one ward: it is preset), and a
    forged POST naming another ward is refused. Editors and superusers: every ward."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("ward")
        user = self.for_user
        if field is None or user is None:
            return
        self.allowed_wards = contest_wards(user)
        if self.allowed_wards is not None:
            field.queryset = Ward.objects.filter(pk__in=self.allowed_wards)
            if len(self.allowed_wards) == 1 and not self.instance.ward_id:
                field.initial = next(iter(self.allowed_wards))

    def clean_ward(self):
        ward = self.cleaned_data.get("ward")
        allowed = getattr(self, "allowed_wards", None)
        if ward is not None and allowed is not None and ward.pk not in allowed:
            # The queryset already refuses it; this says why, should the choices change.
            raise forms.ValidationError(
                _("You can only write contests of the wards you organize."), code="ward"
            )
        return ward


# --- Importing open datasets (contests.admin_views) --------------------------------------


class DatasetImportForm(forms.Form):
    reference = forms.CharField(
        label=_("Address of the dataset's page, or its package id"),
        max_length=2000,
        help_text=_(
            "For example https://catalog.data.metro.tokyo.lg.jp/dataset/t131083d0000000001"
        ),
    )
    catalog_url = forms.CharField(
        label=_("Address of the catalog"),
        max_length=500,
        required=False,
        help_text=_(
            "Only needed with a package id, when the catalog is not the one of a page address."
        ),
    )


class CatalogSearchForm(forms.Form):
    catalog = forms.CharField(
        label=_("Address of the catalog"),
        max_length=500,
        help_text=_("For example https://catalog.data.metro.tokyo.lg.jp"),
    )
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    organization = forms.CharField(
        label=_("Organization on the catalog"),
        max_length=100,
        required=False,
        help_text=_("The CKAN name of the publisher, for example t131083 for 江東区."),
    )
