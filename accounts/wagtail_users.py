"""Wagtail's own user screens, without the switches that belong to the services.

Wagtail's user form edits `is_active`, `is_superuser` and `groups` directly. Here groups
follow role assignments and activation goes through accounts.services (which ends the
person's sessions and takes them out of search), so those fields are not on these
forms: roles, activation and superuser status are changed in the user admin
(/django-admin/accounts/user/), which calls the services.
"""

from wagtail.users import forms as wagtail_forms
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

SERVICE_FIELDS = ("is_active", "is_superuser", "groups")
# People here have one display name, not a first and a last name.
UNUSED_FIELDS = ("first_name", "last_name")


class _WithoutServiceFields:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SERVICE_FIELDS + UNUSED_FIELDS:
            self.fields.pop(name, None)


class UserCreationForm(_WithoutServiceFields, wagtail_forms.UserCreationForm):
    class Meta(wagtail_forms.UserCreationForm.Meta):
        fields = {"email", "display_name"}


class UserEditForm(_WithoutServiceFields, wagtail_forms.UserEditForm):
    class Meta(wagtail_forms.UserEditForm.Meta):
        fields = {"email", "display_name"}


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
