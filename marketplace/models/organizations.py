from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_corporate_number, validate_phone_number


class OrganizationKind(models.TextChoices):
    SME = "sme", _("Small or medium business")
    SHOTENGAI = "shotengai", _("Shopping street association (商店街)")
    NPO = "npo", _("NPO")
    OTHER = "other", _("Other")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Not verified")


class Organization(models.Model):
    """An SME, 商店街 or NPO that posts tasks. Verified by a moderator before its tasks go public."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=16, choices=OrganizationKind.choices)
    ward = models.ForeignKey(
        "core.Ward", on_delete=models.PROTECT, related_name="organizations", verbose_name=_("ward")
    )
    address = models.CharField(_("address"), max_length=200)
    is_corporation = models.BooleanField(_("registered corporation (法人)"), default=False)
    corporate_number = models.CharField(
        _("corporate number (法人番号)"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text=_(
            "13 digits. Required for corporations; look it up on the National Tax Agency's site."
        ),
    )
    description = models.TextField(_("about the organization"), max_length=3000)
    website = models.URLField(_("website"), blank=True)
    # Contact details: shown to a resident only once they are matched.
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone_number]
    )

    status = models.CharField(
        _("verification"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Shown to the organization when it is not verified.")
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Closed when its last owner left (accounts closing): its page and past matches stay
    # as history, but it is no longer found or shown as active.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~models.Q(corporate_number=""),
                name="unique_corporate_number",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=8, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"
