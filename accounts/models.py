import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class MessageEmails(models.TextChoices):
    WHEN_OFFLINE = (
        "offline",
        _("When I am not on the site (at most one e-mail per conversation every 15 minutes)"),
    )
    NEVER = "never", _("Never")


# What others see instead of the name of someone who closed their account (退会).
DELETED_USER_NAME = _("Deleted user")


class _DisplayNameDescriptor(DeferredAttribute):
    """A closed account reads as DELETED_USER_NAME, in the reader's language, wherever a
    page or e-mail shows `display_name`; the column itself stays empty."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        # __dict__, not the attribute: reading a deferred deleted_at would cost a query.
        if instance is not None and not value and instance.__dict__.get("deleted_at"):
            return str(DELETED_USER_NAME)
        return value

    def __set__(self, instance, value):
        # A data descriptor (as ForeignKeyDeferredAttribute is), so __get__ runs for
        # loaded values too, not only deferred ones.
        instance.__dict__[self.field.attname] = value


class DisplayNameField(models.CharField):
    descriptor_class = _DisplayNameDescriptor

    def pre_save(self, model_instance, add):
        if model_instance.__dict__.get("deleted_at"):
            return ""  # never store the stand-in name
        return super().pre_save(model_instance, add)


class User(AbstractUser):
    """A person who signs in with an e-mail address. No username: nobody has to invent one."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = DisplayNameField(
        _("display name"),
        max_length=50,
        help_text=_("Shown to others on the platform. A nickname is fine."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ja",
        help_text=_("Used for e-mails and notifications."),
    )
    message_emails = models.CharField(
        _("e-mails about new messages"),
        max_length=8,
        choices=MessageEmails.choices,
        default=MessageEmails.WHEN_OFFLINE,
    )
    # Set when the person closes their account: the row stays (matches, reviews and
    # messages point at it) with everything personal erased (accounts.closing).
    deleted_at = models.DateTimeField(_("account closed on"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email

    def has_role(self, role: str, ward=None) -> bool:
        """Whether the user holds `role`: anywhere when `ward` is None, else for that ward
        (or all wards). Permission checks ask accounts.policy, which this reads too."""
        from .policy import role_wards

        wards = role_wards(self).get(role, False) if self.is_authenticated else False
        if wards is False:
            return False
        return ward is None or wards is None or ward.pk in wards


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident (skills volunteer)")
    ORGANIZATION_MEMBER = "organization_member", _("Organization member")
    CONTEST_ORGANIZER = "contest_organizer", _("Contest organizer")
    JUDGE = "judge", _("Judge")
    MODERATOR = "moderator", _("Moderator / ward administrator")
    EDITOR = "editor", _("Editor")
    SUPPORT_VOLUNTEER = "support_volunteer", _("Digital support volunteer")


class RoleAssignment(models.Model):
    """A role a user holds, for every ward (ward empty) or for one ward.

    Ward-scoped roles let a 江東区 organizer run 江東区 contests and a 台東区 moderator
    verify 台東区 organizations without seeing the rest.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    ward = models.ForeignKey(
        "core.Ward",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ward"),
        help_text=_("Leave empty for every ward."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "ward"], name="unique_role_per_ward"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(ward__isnull=True),
                name="unique_platform_wide_role",
            ),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        scope = self.ward.name if self.ward_id else _("all wards")
        return f"{self.user} – {self.get_role_display()} ({scope})"


class ConsentPurpose(models.TextChoices):
    """What a person can agree to. Nothing but the terms is needed to use the platform."""

    TERMS = "terms", _("Terms of use and privacy policy")
    PROFILE_DISCOVERABLE = (
        "profile_discoverable",
        _("Let verified organizations find my skills profile and invite me"),
    )
    RECOMMENDATIONS = "recommendations", _("E-mail me new tasks and contests that fit my skills")
    ANALYTICS = (
        "analytics",
        _("Use my activity, anonymised and aggregated, in the wards' statistics"),
    )
    SUPPORT_PROXY = "support_proxy", _("Let a digital support volunteer help me with my account")


# The terms cannot be withdrawn on their own: doing so means closing the account.
WITHDRAWABLE_PURPOSES = [p for p in ConsentPurpose if p != ConsentPurpose.TERMS]

# Bump when the text of a purpose changes, so consents given to an older text show as such.
CONSENT_VERSION = "2026-11"


class ConsentRecord(models.Model):
    """One grant of consent and, once withdrawn, when. History is never overwritten."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    version = models.CharField(_("version"), max_length=16, default=CONSENT_VERSION)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


# --- Data exports (個人情報の開示) ---------------------------------------------------------

# How long a prepared copy of a person's data can be downloaded.
DATA_EXPORT_LIFETIME = timedelta(days=7)


def private_storage():
    # The private storage (never public MEDIA): files served only through a view that
    # checks who asks. Message attachments live there too.
    return storages["attachments"]


def data_export_path(instance: "DataExport", filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.json"


def new_export_token() -> str:
    return secrets.token_urlsafe(32)


class DataExport(models.Model):
    """A copy of everything the platform holds about a person, as JSON, prepared in the
    background (accounts.data_export) and downloadable by its owner until it expires."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready to download")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Could not be prepared")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    token = models.CharField(max_length=64, unique=True, default=new_export_token, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("first downloaded at"), null=True, blank=True)
    file = models.FileField(
        upload_to=data_export_path, storage=private_storage, max_length=200, blank=True
    )
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_due_to_expire(self) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )
