"""The Django admin for users. Every change to roles, groups and the activation and staff
flags goes through accounts.services, as everywhere else:

- groups are read-only: they follow the roles (services.sync_groups);
- role rows are added and deleted in the inline, which grant_role / revoke_role apply;
- is_active, is_staff and is_superuser are applied by set_active / set_staff_flags.

When a service refuses (not allowed, or deactivating yourself), the whole save is rolled
back and its message is shown on the change page: nothing is half saved.
"""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from . import policy, services
from .models import ConsentRecord, RoleAssignment, User

FLAGS = ("is_active", "is_staff", "is_superuser")


class _Refused(Exception):
    """A service said no while the admin was saving; carries what to tell the person."""

    def __init__(self, messages: list[str]):
        super().__init__(*messages)
        self.messages = messages


def _messages_of(error: Exception) -> list[str]:
    return list(getattr(error, "messages", None) or []) or [
        gettext("You are not allowed to do this.")
    ]


@contextmanager
def _refusals():
    try:
        yield
    except (ValidationError, DomainError) as error:
        raise _Refused(_messages_of(error)) from error


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "ward"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A role is granted or revoked, never edited: delete the row and add another.
            for name in ("role", "ward"):
                self.fields[name].disabled = True


class RoleAssignmentInline(admin.TabularInline):
    """Add a row to grant a role, delete one to revoke it. UserAdmin.save_formset hands
    both to accounts.services, which checks who may and keeps the groups in step."""

    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "user"
    extra = 0
    fields = ["role", "ward", "granted_by", "created_at"]
    readonly_fields = ["granted_by", "created_at"]


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = ["purpose", "version", "granted_at", "withdrawn_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        help_texts = {
            "groups": _(
                "Groups follow the roles: add or delete a role assignment below to change them."
            )
        }


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["email"]
    list_display = ["email", "display_name", "language", "is_active", "date_joined"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "display_name", "usable_password", "password1", "password2"]})
    ]
    readonly_fields = ["groups"]
    inlines = [RoleAssignmentInline, ConsentInline]
    actions = ["deactivate_users"]

    def has_manage_users_permission(self, request) -> bool:
        return policy.can(request.user, "accounts.manage_users")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_manage_users_permission(request):
            fields += FLAGS
        return fields

    def get_inlines(self, request, obj):
        # Roles are given to a user who exists: add the user first, then their roles.
        return self.inlines if obj is not None else []

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # Raised inside the admin's transaction, which is rolled back: nothing of this
            # save is kept. The change page shows the stored user and why.
            for message in refused.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = User.objects.get(pk=obj.pk)
        wanted = {name: getattr(obj, name) for name in FLAGS}
        # The form saves the other fields; the flags keep their stored values until the
        # services set them.
        for name in FLAGS:
            setattr(obj, name, getattr(stored, name))
        super().save_model(request, obj, form, change)
        with _refusals():
            if wanted["is_active"] != stored.is_active:
                services.set_active(request.user, obj, wanted["is_active"], reason="django admin")
            if (wanted["is_staff"], wanted["is_superuser"]) != (
                stored.is_staff,
                stored.is_superuser,
            ):
                services.set_staff_flags(
                    request.user,
                    obj,
                    is_staff=wanted["is_staff"],
                    is_superuser=wanted["is_superuser"],
                )

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        user = form.instance
        # Saves nothing: sorts the rows into new and deleted ones (which the change
        # message reads too). Existing rows cannot be edited (RoleAssignmentForm).
        formset.save(commit=False)
        with _refusals():
            for assignment in formset.deleted_objects:
                services.revoke_role(
                    user, assignment.role, ward=assignment.ward, revoked_by=request.user
                )
            for assignment in formset.new_objects:
                services.grant_role(
                    user, assignment.role, ward=assignment.ward, granted_by=request.user
                )

    @admin.action(description=_("Deactivate selected users"), permissions=["manage_users"])
    def deactivate_users(self, request, queryset):
        deactivated, refused = 0, {}
        for user in queryset.filter(is_active=True):
            try:
                services.set_active(request.user, user, False, reason="django admin action")
            except (ValidationError, DomainError) as error:
                for message in _messages_of(error):
                    refused.setdefault(message, []).append(str(user))
            else:
                deactivated += 1
        if deactivated:
            self.message_user(
                request,
                ngettext(
                    "%(count)d user was deactivated.",
                    "%(count)d users were deactivated.",
                    deactivated,
                )
                % {"count": deactivated},
                messages.SUCCESS,
            )
        for message, users in refused.items():
            self.message_user(request, f"{message} ({', '.join(users)})", messages.ERROR)
