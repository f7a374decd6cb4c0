"""What the board adds to the e-mail digests (notifications.topics)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import topics
from notifications.topics import DigestItem, DigestTopic

from . import services


@topics.register
class NewTasksThatFit(DigestTopic):
    key = "marketplace.new_tasks"
    label = _("New tasks that fit your skills")
    help_text = _("Tasks posted since the last digest that ask for a skill on your profile.")
    order = 10

    def collect(self, users, window):
        found = services.new_tasks_for(
            [user.pk for user in users],
            window.since,
            window.until,
            limit=self.limit,
            memo=window.memo,
        )
        return {
            user_id: [
                DigestItem(
                    title=title,
                    url=reverse("marketplace:task_detail", args=[task_id]),
                    detail=" / ".join(recommendation.reasons),
                )
                for recommendation in recommendations
                for task_id, title in [recommendation.item]
            ]
            for user_id, recommendations in found.items()
        }
