"""Reports and blocks, for the data download and for closing an account: blocks go (both
ways: nobody needs to block someone who has left), reports stay with the moderators."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data
from accounts.models import DELETED_USER_NAME
from accounts.personal_data import Consequence, PersonalDataSection, iso

from .models import Block, Report


@personal_data.register
class ModerationData(PersonalDataSection):
    key = "moderation"
    label = gettext_lazy("Reports and blocks")
    order = 30

    def export(self, user):
        return {
            "reports_made": [
                {
                    "about": report.target_type.model,
                    "reason": report.reason,
                    "details": report.details,
                    "status": report.status,
                    "created_at": iso(report.created_at),
                }
                for report in Report.objects.filter(reporter=user)
                .select_related("target_type")
                .order_by("created_at", "id")
            ],
            # Whom they blocked, by the name the platform shows.
            "blocked": [
                {"display_name": block.blocked.display_name, "since": iso(block.created_at)}
                for block in Block.objects.filter(blocker=user)
                .select_related("blocked")
                .order_by("created_at", "id")
            ],
        }

    def consequences(self, user):
        said = []
        if Block.objects.filter(blocker=user).exists():
            said.append(Consequence(_("The list of people you blocked is deleted.")))
        if Report.objects.filter(reporter=user).exists():
            said.append(
                Consequence(
                    _("Reports you made stay with the moderators, under “%(name)s”.")
                    % {"name": DELETED_USER_NAME},
                    kept=True,
                )
            )
        return said

    def erase(self, user, answers):
        deleted, _details = Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
        return {"blocks": deleted}
