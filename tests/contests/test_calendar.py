"""The iCalendar feeds: one contest's phases, and every live contest's."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from . import factories as f

pytestmark = pytest.mark.django_db


def feed(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_contest_feed_has_each_phase_in_utc(client):
    # given
    contest = f.contest(title="江東区 チャレンジ", deadline=f.tokyo(2027, 3, 1, 23, 59))

    # when
    calendar = feed(client, f"/contests/{contest.pk}/calendar.ics")

    # then: one event per phase of the timeline, each starting at its UTC moment
    phases = contest.phases()
    found = events(calendar)
    assert len(found) == len(phases) == 5
    for event, phase in zip(found, phases, strict=True):
        start = event.decoded("dtstart")
        assert start.tzinfo is not None and start.utcoffset().total_seconds() == 0
        assert start == phase["at"].astimezone(UTC).replace(microsecond=0)
        assert event.to_ical().decode().count("DTSTART:") == 1  # written as …Z, no TZID
        assert str(event["summary"]).startswith("江東区 チャレンジ: ")
        assert event["uid"] and event["dtstamp"]
    deadline = next(e for e in found if "-submission_deadline@" in str(e["uid"]))
    # 23:59:59 on 1 March in Tokyo is 14:59:59 UTC the same day
    assert deadline.decoded("dtstart") == datetime(2027, 3, 1, 14, 59, 59, tzinfo=UTC)
    assert b"DTSTART:20270301T145959Z" in deadline.to_ical()


def test_uids_are_unique_and_stable(client):
    contest = f.contest()
    url = f"/contests/{contest.pk}/calendar.ics"
    first = [str(e["uid"]) for e in events(feed(client, url))]
    again = [str(e["uid"]) for e in events(feed(client, url))]
    assert len(set(first)) == len(first)
    assert first == again


def test_unpublished_contest_has_no_feed(client):
    contest = f.contest()
    contest.unpublish()
    assert client.get(f"/contests/{contest.pk}/calendar.ics").status_code == 404


def test_all_contests_feed_has_every_live_contest(client):
    # given
    first = f.contest(title="一つ目のチャレンジ")
    second = f.contest(title="二つ目のチャレンジ", state="finished")
    hidden = f.contest(title="非公開のチャレンジ")
    hidden.unpublish()

    # when
    found = events(feed(client, "/contests/calendar.ics"))

    # then
    summaries = [str(e["summary"]) for e in found]
    assert len(found) == len(first.phases()) + len(second.phases())
    assert any(s.startswith("一つ目のチャレンジ: ") for s in summaries)
    assert any(s.startswith("二つ目のチャレンジ: ") for s in summaries)
    assert not any("非公開" in s for s in summaries)
    assert all(e.decoded("dtstart").utcoffset().total_seconds() == 0 for e in found)
    assert len({str(e["uid"]) for e in found}) == len(found)


def test_english_feed_names_the_phases_in_english(client):
    contest = f.contest()
    summaries = [
        str(e["summary"]) for e in events(feed(client, f"/en/contests/{contest.pk}/calendar.ics"))
    ]
    assert f"{contest.title}: Submission deadline" in summaries
