"""Limit and offset paging with a total count, the same for every list."""

from django.utils.translation import gettext_noop as N_
from ninja import Field, Schema

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# Deep offsets are a scan of every row before them; past this, narrow the filters.
MAX_OFFSET = 10_000


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=N_("Rows per page (1 to 100, default 20)."),
    )
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description=N_("Rows to skip (0 to 10,000, default 0).")
    )


def page_of(queryset, params: PageParams) -> tuple[dict, list]:
    """(the page's count, limit and offset; its rows). The queryset must be ordered to
    the last column (an id), so the pages neither repeat nor skip a row."""
    count = queryset.count()
    rows = list(queryset[params.offset : params.offset + params.limit])
    return {"count": count, "limit": params.limit, "offset": params.offset}, rows
