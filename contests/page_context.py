"""What the contest page shows beyond its own fields (for the person looking at it).

The page's words (title, summary, prizes' names) come from the page in the language
being read; teams, entries, datasets and the clock belong to the contest itself (the
page in the default language, `ContestPage.canonical`), so a translation shows the same
teams and deadlines.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ContestState, EligibilityArea, Submission, TeamMembership
from .services import team_deadline

ENTRIES_PER_PAGE = 12


def remaining_parts(seconds: int) -> dict:
    """Whole days, hours and minutes in `seconds` (what the countdown shows)."""
    seconds = max(0, int(seconds))
    return {
        "days": seconds // 86400,
        "hours": seconds % 86400 // 3600,
        "minutes": seconds % 3600 // 60,
    }


def countdown_patterns() -> dict:
    """The countdown's wording in the active language; countdown.js gets the same
    patterns through data attributes, so the browser and the server say it alike."""
    return {
        "days": _("%(days)s d %(hours)s h %(minutes)s min left"),
        "hours": _("%(hours)s h %(minutes)s min left"),
        "minutes": _("%(minutes)s min left"),
        "seconds": _("Less than a minute left"),
        "ended": _("The deadline has passed."),
    }


def remaining_text(seconds: int, patterns: dict | None = None) -> str:
    """The countdown as the server reads it, so the page says it without JavaScript."""
    patterns = patterns or countdown_patterns()
    if seconds <= 0:
        return patterns["ended"]
    parts = remaining_parts(seconds)
    if parts["days"]:
        return patterns["days"] % parts
    if parts["hours"]:
        return patterns["hours"] % parts
    if parts["minutes"]:
        return patterns["minutes"] % parts
    return patterns["seconds"]


def _area_in_words(contest) -> str:
    if contest.eligibility_area == EligibilityArea.WARD:
        return _("People who live, work or study in %(ward)s") % {"ward": contest.ward.name}
    return contest.get_eligibility_area_display()


def contest_context(page, request) -> dict:
    contest = page.canonical
    now = timezone.now()
    state = contest.state_at(now)

    membership = None
    if request.user.is_authenticated:
        membership = (
            TeamMembership.objects.filter(
                contest=contest, user=request.user, team__withdrawn_at__isnull=True
            )
            .select_related("team")
            .first()
        )
    team = membership.team if membership else None
    submission = Submission.objects.filter(team=team).first() if team else None
    deadline_for_team = team_deadline(team) if team else None
    can_edit_submission = team is not None and now <= deadline_for_team

    deadline = contest.next_deadline(now)
    countdown = None
    if deadline is not None:
        label, at = deadline
        seconds = int((at - now).total_seconds())
        patterns = countdown_patterns()
        countdown = {
            "label": label,
            "at": at,
            "seconds": seconds,
            "text": remaining_text(seconds, patterns),
            "patterns": patterns,
        }

    enter_url = reverse("contests:enter", args=[contest.pk])
    login_url = f"{reverse('account_login')}?{urlencode({'next': enter_url})}"
    signup_url = f"{reverse('account_signup')}?{urlencode({'next': enter_url})}"

    prizes = list(page.prizes.all())
    dataset_links = list(
        contest.dataset_links.select_related("dataset__catalog").prefetch_related(
            "dataset__resources"
        )
    )
    # A popular contest has hundreds of public entries: a page of them at a time.
    public_submissions = Paginator(
        Submission.objects.public()
        .filter(contest=contest)
        .select_related("team")
        .order_by("-updated_at", "-pk"),
        ENTRIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    announcements = list(contest.announcements.all()) if team else []

    from accounts import policy

    from .judging_context import judging_context
    from .payouts.sponsors import accepts_sponsors

    return {
        "can_manage": policy.can(request.user, "contests.manage_contest", contest),
        "can_manage_payouts": policy.can(request.user, "contests.manage_payouts", contest),
        "accepts_sponsors": accepts_sponsors(contest),
        **judging_context(contest, request, now),
        "contest": contest,
        "now": now,
        "state": state,
        "state_label": ContestState(state).label,
        "entry_open": state == ContestState.ENTRY_OPEN,
        "entries_closed": now > contest.submission_deadline,
        "phases": contest.phases(now),
        "countdown": countdown,
        "membership": membership,
        "team": team,
        "submission": submission,
        "can_edit_submission": can_edit_submission,
        "team_deadline": deadline_for_team,
        "enter_url": enter_url,
        "login_url": login_url,
        "signup_url": signup_url,
        "prizes": prizes,
        "total_prize_money": sum(prize.amount * prize.winners for prize in prizes),
        "eligibility_area_text": _area_in_words(page),
        "themes": list(page.themes.all()),
        "dataset_links": dataset_links,
        "public_submissions": public_submissions,
        "announcements": announcements,
        "calendar_url": reverse("contests:contest_calendar", args=[contest.pk]),
        "all_calendar_url": reverse("contests:calendar"),
    }
