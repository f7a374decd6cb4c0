"""What residents can report about contests: an entry its team made public, and a team's
name where it is shown to everyone (on such an entry). The contest's ward's moderators
handle the report. Anything not public cannot be reported (NotFound), so a report form
never shows what its reporter could not see."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import NotFound
from moderation import reportables
from moderation.reportables import Reportable

from .models import Submission, Team
from .search_documents import public_submissions


def _first_or_404(queryset):
    obj = queryset.first()
    if obj is None:
        raise NotFound
    return obj


def _submission_url(submission_id: int) -> str:
    return reverse("contests:submission_detail", args=[submission_id])


@reportables.register
class SubmissionReportable(Reportable):
    kind = "submission"
    model = Submission

    def get(self, user, pk):
        return _first_or_404(public_submissions().filter(pk=pk))

    def ward_id(self, submission):
        return submission.contest.ward_id

    def describe(self, submission):
        return _("Contest entry: %(title)s (%(team)s, %(contest)s)") % {
            "title": submission.title,
            "team": submission.team.name,
            "contest": submission.contest.title,
        }

    def quote(self, submission):
        return submission.summary

    def back_url(self, submission, user):
        return _submission_url(submission.pk)

    def moderator_link(self, submission):
        return _("Open the entry"), _submission_url(submission.pk)


@reportables.register
class TeamReportable(Reportable):
    """A team's name, where everyone sees it: on the team's public entry (the team's own
    page is for its members and the organizers only)."""

    kind = "team"
    model = Team

    def get(self, user, pk):
        return _first_or_404(
            Team.objects.select_related("contest__ward", "submission").filter(
                pk=pk, submission__pk__in=public_submissions().values("pk")
            )
        )

    def ward_id(self, team):
        return team.contest.ward_id

    def describe(self, team):
        return _("Team name: %(name)s (%(contest)s)") % {
            "name": team.name,
            "contest": team.contest.title,
        }

    def quote(self, team):
        return team.name

    def back_url(self, team, user):
        return _submission_url(team.submission.pk)

    def moderator_link(self, team):
        # Where the name is shown publicly; the team's page is not the moderator's.
        try:
            submission = team.submission
        except Submission.DoesNotExist:
            return None
        return _("Open the team's entry"), _submission_url(submission.pk)
