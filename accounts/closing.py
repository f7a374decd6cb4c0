"""Closing an account (退会).

The User row is anonymised in place, not deleted: matches, applications and reviews
point at it (and would go with it), and the wards' statistics count those. Every app's
personal-data section (accounts.personal_data) says what closing will do and erases its
own part; the account itself goes last. Everything happens in one transaction: if one
part refuses, nothing is erased.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import log_action
from core.errors import NotFound

from .models import User
from .personal_data import Consequence, PersonalDataSection, Question, sections
from .signals import user_active_changed


@dataclass
class Plan:
    """What closing `user`'s account would do, for the page that asks them to confirm."""

    parts: list[tuple[PersonalDataSection, list[Consequence]]]
    blockers: list[str]
    questions: list[Question]

    @property
    def erased(self) -> list[str]:
        return [str(c.text) for _section, items in self.parts for c in items if not c.kept]

    @property
    def kept(self) -> list[str]:
        return [str(c.text) for _section, items in self.parts for c in items if c.kept]


def plan(user: User) -> Plan:
    every = sections()
    return Plan(
        parts=[(section, section.consequences(user)) for section in every],
        blockers=[text for section in every for text in section.blockers(user)],
        questions=[question for section in every for question in section.questions(user)],
    )


@transaction.atomic
def close_account(user: User, answers: dict) -> dict:
    """Erase `user`'s personal data and close the account for good. `answers` holds a
    choice for each of the plan's questions. The caller logs the person out.

    Returns, per section, the counts its erase reported (also written to the log).
    """
    stored = User.objects.select_for_update().filter(pk=user.pk).first()
    if stored is None or stored.deleted_at is not None or not stored.is_active:
        raise NotFound
    current = plan(user)
    if current.blockers:
        raise ValidationError(current.blockers)
    for question in current.questions:
        if str(answers.get(question.name, "")) not in {str(v) for v, _label in question.choices}:
            raise ValidationError(
                _("Please answer: %(question)s") % {"question": question.label},
                code="unanswered",
            )
    # The name goes first: whatever the sections now tell others (an invitation
    # declined, a task cancelled) already says 「退会したユーザー」.
    user.deleted_at = timezone.now()
    user.display_name = ""
    user.save(update_fields=["deleted_at", "display_name"])
    counts = {section.key: section.erase(user, answers) or {} for section in sections()}
    # Counts only: the log keeps no personal data of someone who asked to be forgotten.
    log_action(user, "accounts.account_closed", user, **counts)
    user_active_changed.send(sender=User, user=user, active=False)
    return counts
