"""What the KPI pages show, read with permission: `access_*` loads, or raises NotFound /
NotAllowed (accounts.policy), so a view, the API or a command asks the same way.

The dashboard's figures are kept in the cache for CACHE_SECONDS (per year and ward):
a few grouped queries each time would do (see bench/bench_insights.py, uncached), but
ward staff open it many times a day and the figures move slowly.
"""

from django.core.cache import cache
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from accounts import policy
from core.errors import NotFound
from core.models import Ward

from . import charts, figures

CACHE_SECONDS = 5 * 60


def access_ward(user, code: str) -> Ward:
    """The ward with this local government code, if `user` may read its KPIs."""
    return policy.access(user, "insights.view_ward_kpis", Ward.objects.all(), code=code)


def wards_for(user) -> list[Ward]:
    """The wards whose KPIs `user` may read, in code order."""
    return list(policy.scope(user, "insights.view_ward_kpis", Ward.objects.order_by("code")))


def choose_year(raw, now=None) -> int:
    """The fiscal year asked for (?year=2026), if there are figures for it; else the
    running one. Anything else is not an error: the page shows the running year."""
    years = figures.available_fiscal_years(now)
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return years[0]
    if year not in years:
        raise NotFound(_("There are no figures for that fiscal year."))
    return year


def dashboard_figures(year: int, ward: Ward | None = None, *, use_cache: bool = True):
    """The year's figures (up to now), cached for a few minutes."""
    key = f"insights:dashboard:{year}:{ward.pk if ward else 'all'}"
    found = cache.get(key) if use_cache else None
    if found is None:
        found = figures.compute(year, until=timezone.now(), ward=ward)
        if use_cache:
            cache.set(key, found, CACHE_SECONDS)
    return found


def month_charts(year_figures, *, wards: int) -> dict:
    """The monthly trends: matches per month (columns) and registered users at each
    month's end (a line, with the target)."""
    months = year_figures.months
    labels = [str(MONTHS_3[month["start"].month]).title() for month in months]
    return {
        "matches": charts.columns(list(zip(labels, [m["matches"] for m in months], strict=True))),
        "registered": charts.line(
            list(zip(labels, [m["registered_users"] for m in months], strict=True)),
            target=figures.REGISTERED_USERS_TARGET * wards,
        ),
    }


def ward_charts(year_figures) -> dict:
    """Every ward side by side: registered users and the year's matches, with targets."""
    names = [row.ward.name for row in year_figures.rows]
    return {
        "registered": charts.horizontal_bars(
            list(
                zip(
                    names,
                    [row.counts["registered_users"] for row in year_figures.rows],
                    strict=True,
                )
            ),
            target=figures.REGISTERED_USERS_TARGET,
        ),
        "matches": charts.horizontal_bars(
            list(zip(names, [row.counts["matches"] for row in year_figures.rows], strict=True)),
            target=figures.MATCHES_PER_YEAR_TARGET,
        ),
    }
