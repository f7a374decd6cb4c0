"""Times as people in Tokyo read them, with the offset spelled out.

Stored in UTC, always shown in Asia/Tokyo with "日本時間 (UTC+09:00)": a bare "JST" is
misread by visitors abroad and by software, and a time without a zone is a guess.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

TOKYO = ZoneInfo("Asia/Tokyo")


def in_tokyo(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("a naive datetime has no zone to convert from; store aware UTC")
    return moment.astimezone(TOKYO)


def utc_offset(moment: datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def format_tokyo(moment: datetime, *, with_time: bool = True) -> str:
    """「2027年3月1日(月) 23:59 日本時間 (UTC+09:00)」 or, in English, "Mon 1 March 2027,
    23:59 Japan time (UTC+09:00)": the pattern is a translation, in the active language."""
    local = in_tokyo(moment)
    values = {
        "year": local.year,
        "month_name": MONTHS[local.month],
        "day": local.day,
        "weekday": WEEKDAYS_ABBR[local.weekday()],
    }
    date = _("%(weekday)s %(day)d %(month_name)s %(year)d") % values
    if not with_time:
        return date
    return _("%(date)s, %(time)s Japan time (%(offset)s)") % {
        "date": date,
        "time": f"{local:%H:%M}",
        "offset": utc_offset(local),
    }
