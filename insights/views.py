"""The KPI pages: thin views over insights.services (dashboard) and insights.opendata.

The dashboard (unsuppressed) is for the ward's moderators, all-ward moderators and
superusers, with a second factor like every staff page; the open data (suppressed) and
its schema are public.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts import policy
from accounts.two_factor import two_factor_required

from . import figures, opendata, services


@login_required
@two_factor_required
@require_GET
def dashboard(request):
    """All 23 wards for all-ward holders; a ward administrator goes to their ward."""
    policy.check(request.user, "insights.open_dashboard")
    year = services.choose_year(request.GET.get("year"))
    if not policy.can(request.user, "insights.view_all_kpis"):
        wards = services.wards_for(request.user)
        if len(wards) == 1:
            url = reverse("insights:ward", args=[wards[0].code])
            return redirect(f"{url}?year={year}" if "year" in request.GET else url)
        return render(request, "insights/ward_choice.html", {"wards": wards})
    data = services.dashboard_figures(year)
    return render(
        request,
        "insights/dashboard.html",
        {
            "figures": data,
            "row": data.total,
            "year": year,
            "years": figures.available_fiscal_years(),
            "ward_charts": services.ward_charts(data),
            "month_charts": services.month_charts(data, wards=23),
            "registered_target": figures.REGISTERED_USERS_TARGET * 23,
            "matches_target": figures.MATCHES_PER_YEAR_TARGET * 23,
            "ward_target_registered": figures.REGISTERED_USERS_TARGET,
            "ward_target_matches": figures.MATCHES_PER_YEAR_TARGET,
        },
    )


@login_required
@two_factor_required
@require_GET
def ward(request, code):
    ward = services.access_ward(request.user, code)
    year = services.choose_year(request.GET.get("year"))
    data = services.dashboard_figures(year, ward)
    return render(
        request,
        "insights/ward.html",
        {
            "ward": ward,
            "figures": data,
            "row": data.row_for(ward),
            "year": year,
            "years": figures.available_fiscal_years(),
            "month_charts": services.month_charts(data, wards=1),
            "registered_target": figures.REGISTERED_USERS_TARGET,
            "matches_target": figures.MATCHES_PER_YEAR_TARGET,
            "all_wards": policy.can(request.user, "insights.view_all_kpis"),
        },
    )


@require_GET
def open_data(request):
    """What the dataset is, its licence, columns and suppression rule, and the files."""
    return render(
        request,
        "insights/open_data.html",
        {
            "schema": opendata.TABLE_SCHEMA,
            "dataset_schema": opendata.DATASET_SCHEMA,
            "largest_hidden": opendata.THRESHOLD - 1,
            "suppressed_mark": opendata.SUPPRESSED,
            "licence": opendata.LICENCE,
            "attribution_ja": opendata.ATTRIBUTION_JA,
            "attribution_en": opendata.ATTRIBUTION_EN,
            "published_until": opendata.published_until(),
        },
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def open_data_csv(request):
    return _download(
        opendata.to_csv(opendata.published_rows()), "text/csv; charset=utf-8", "kpi_wards.csv"
    )


@require_GET
def open_data_datasets_csv(request):
    return _download(
        opendata.to_csv(opendata.published_dataset_rows(), opendata.DATASET_SCHEMA),
        "text/csv; charset=utf-8",
        "kpi_submissions_per_dataset.csv",
    )


@require_GET
def open_data_json(request):
    schema_url = request.build_absolute_uri(reverse("insights:schema"))
    return _download(
        opendata.to_json(
            opendata.published_rows(), opendata.published_dataset_rows(), schema_url=schema_url
        ),
        "application/json",
        "kpi_wards.json",
    )


def _schema_response(schema: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(schema, ensure_ascii=False, indent=1), content_type="application/json"
    )
    return response


@require_GET
def schema(request):
    return _schema_response(opendata.TABLE_SCHEMA)


@require_GET
def dataset_schema(request):
    return _schema_response(opendata.DATASET_SCHEMA)
