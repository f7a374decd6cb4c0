"""What the contests add to the e-mail digests (notifications.topics): new contests a
person may enter, their own wards' first, and deadlines coming up."""

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import localities
from core.japan_time import format_tokyo
from notifications import topics
from notifications.topics import DigestItem, DigestTopic

from .filters import live_contests
from .models import ContestState, TeamMembership
from .services.recommendations import open_to, ranked

# How far ahead a deadline is announced: a daily digest tells of the next three days
# (so each deadline is told a few times, not every day for a week), a weekly one of the
# week to come.
HORIZON = {"daily": timedelta(days=3), "weekly": timedelta(days=7)}


@topics.register
class NewContests(DigestTopic):
    key = "contests.new_contests"
    label = gettext_lazy("New civic tech challenges")
    help_text = gettext_lazy("Contests announced since the last digest that you may enter.")
    order = 20

    def collect(self, users, window):
        contests = list(
            live_contests()
            .filter(
                Q(first_published_at__gt=window.since, first_published_at__lte=window.until)
                | Q(entry_opens_at__gt=window.since, entry_opens_at__lte=window.until),
                entry_closes_at__gt=window.until,
            )
            .select_related("ward")
            .order_by("entry_closes_at", "pk")
        )
        if not contests:
            return {}
        wards_of = localities.wards_of(user.pk for user in users)
        return {
            user.pk: [
                DigestItem(r.contest.title, r.contest.get_url(), " / ".join(r.reasons))
                for r in ranked(contests, wards_of.get(user.pk, set()))
            ]
            for user in users
        }


@topics.register
class Deadlines(DigestTopic):
    key = "contests.deadlines"
    label = gettext_lazy("Deadlines coming up")
    help_text = gettext_lazy(
        "Your teams' submission deadlines, and the last days to enter contests you may enter."
    )
    order = 30

    def collect(self, users, window):
        until = window.until + HORIZON[window.frequency]
        contests = list(
            live_contests()
            .filter(
                Q(entry_closes_at__gt=window.until, entry_closes_at__lte=until)
                | Q(submission_deadline__gt=window.until, submission_deadline__lte=until)
            )
            .select_related("ward")
        )
        if not contests:
            return {}
        by_key = {c.translation_key: c for c in contests}
        teams: dict[int, set] = {}
        for user_id, key in TeamMembership.objects.filter(
            user__in=[u.pk for u in users], contest__translation_key__in=by_key
        ).values_list("user_id", "contest__translation_key"):
            teams.setdefault(user_id, set()).add(key)
        wards_of = localities.wards_of(user.pk for user in users)
        found = {}
        for user in users:
            items = []
            entered = teams.get(user.pk, set())
            for contest in sorted(contests, key=lambda c: c.pk):
                if contest.translation_key in entered:
                    if window.until < contest.submission_deadline <= until:
                        items.append(
                            (
                                contest.submission_deadline,
                                contest,
                                _("Your team's submission is due %(date)s"),
                            )
                        )
                elif (
                    window.until < contest.entry_closes_at <= until
                    and contest.state_at(window.until) == ContestState.ENTRY_OPEN
                    and open_to(contest, wards_of.get(user.pk, set()))
                ):
                    items.append((contest.entry_closes_at, contest, _("Entries close %(date)s")))
            items.sort(key=lambda item: item[0])
            found[user.pk] = [
                DigestItem(
                    title=contest.title,
                    url=contest.get_url(),
                    detail=text % {"date": format_tokyo(moment)},
                )
                for moment, contest, text in items
            ]
        return found
