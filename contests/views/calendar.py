"""iCalendar feeds of the contests' timelines, to subscribe to from a calendar app.

Every time is written in UTC (…Z): a calendar app shows it in its own zone, and nothing
depends on the app knowing Asia/Tokyo. Each phase keeps one UID whatever changes, so a
moved deadline updates the event people already have instead of adding a second one.
"""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ..filters import live_contests
from ..models import ContestPage


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tokyo Special Wards Skills Board//Contests//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "UTC")
    return calendar


def _uid_domain() -> str:
    # The site's name, not the address this request came in on: a UID must not change.
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _add_phases(calendar: Calendar, page: ContestPage, request, stamp) -> None:
    # The translation key is shared by a contest's pages in every language: the same
    # events in the Japanese and the English feed.
    url = page.get_full_url(request) or ""
    for phase in page.phases():
        event = Event()
        event.add("uid", f"contest-{page.translation_key}-{phase['key']}@{_uid_domain()}")
        event.add("dtstamp", stamp)
        start = phase["at"].astimezone(UTC).replace(microsecond=0)
        event.add("dtstart", start)
        event.add("dtend", start)
        event.add("summary", f"{page.title}: {phase['label']}")
        event.add("description", f"{page.summary}\n\n{url}".strip())
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)


def _response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def contest_calendar(request, pk):
    """One contest's phases."""
    page = get_object_or_404(ContestPage.objects.live(), pk=pk).localized
    calendar = _calendar(page.title)
    _add_phases(calendar, page, request, timezone.now().astimezone(UTC))
    return _response(calendar, f"contest-{pk}.ics")


def all_contests_calendar(request):
    """Every live contest's phases, in the language being read."""
    calendar = _calendar(_("Civic tech challenges"))
    stamp = timezone.now().astimezone(UTC)
    contests = live_contests().order_by("submission_deadline", "pk")
    for page in contests:
        _add_phases(calendar, page, request, stamp)
    return _response(calendar, "contests.ics")
