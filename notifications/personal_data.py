"""The notices a person received and their digest choices, for the data download;
closing an account erases them (they were written to that person alone)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data
from accounts.personal_data import Consequence, PersonalDataSection, iso

from .models import DigestDelivery, DigestSettings, Notification


@personal_data.register
class NotificationsData(PersonalDataSection):
    key = "notifications"
    label = gettext_lazy("Notifications")
    order = 30

    def export(self, user):
        settings = DigestSettings.objects.filter(user=user).first()
        return {
            "digest": {
                "frequency": settings.frequency if settings else "never",
                "topics": settings.topics if settings else [],
            },
            "digests_sent": [
                {"period": d.period, "items": d.items, "sent_at": iso(d.sent_at)}
                for d in DigestDelivery.objects.filter(user=user).order_by("sent_at")
            ],
            "notifications": [
                {
                    "title": n.title,
                    "link": n.url,
                    "received_at": iso(n.created_at),
                    "read_at": iso(n.read_at),
                }
                for n in Notification.objects.filter(recipient=user).order_by("created_at", "id")
            ],
        }

    def erase(self, user, answers):
        notices, _by_kind = Notification.objects.filter(recipient=user).delete()
        DigestSettings.objects.filter(user=user).delete()
        DigestDelivery.objects.filter(user=user).delete()
        return {"notifications": notices}

    def consequences(self, user):
        return [Consequence(_("Your notifications and e-mail digest settings are deleted."))]
