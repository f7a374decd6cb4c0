"""Times are shown in Asia/Tokyo with the offset spelled out, never a bare abbreviation."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.japan_time import format_tokyo

# 2027-03-01 23:59 in Tokyo is 14:59 UTC the same day.
DEADLINE = datetime(2027, 3, 1, 14, 59, tzinfo=UTC)


def test_japanese():
    with translation.override("ja"):
        assert format_tokyo(DEADLINE) == "2027年3月1日(月) 23:59 日本時間 (UTC+09:00)"


def test_english():
    with translation.override("en"):
        assert format_tokyo(DEADLINE) == "Mon 1 March 2027, 23:59 Japan time (UTC+09:00)"


def test_the_date_turns_in_tokyo_not_in_utc():
    # 15:30 UTC on 1 March is already 2 March in Tokyo
    with translation.override("ja"):
        assert format_tokyo(datetime(2027, 3, 1, 15, 30, tzinfo=UTC), with_time=False) == (
            "2027年3月2日(火)"
        )


def test_a_naive_time_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        format_tokyo(datetime(2027, 3, 1, 23, 59))


def test_template_filters():
    with translation.override("ja"):
        html = Template("{% load site_tags %}{{ t|tokyo_time }}|{{ t|tokyo_date }}").render(
            Context({"t": DEADLINE})
        )
    assert html == "2027年3月1日(月) 23:59 日本時間 (UTC+09:00)|2027年3月1日(月)"
