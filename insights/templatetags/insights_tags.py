"""Formatting for the KPI pages: shares as percentages, years as 年度, days and hours."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value):
    """0.425 → "42.5%"; nothing to divide by → "—"."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, 1)}%"


@register.filter
def fiscal_year(year):
    return _("FY%(year)s") % {"year": year}


@register.filter
def fiscal_year_span(year):
    return _("April %(year)s to March %(next)s") % {"year": year, "next": int(year) + 1}


@register.filter
def days(value):
    if value is None:
        return "—"
    return _("%(days)s days") % {"days": number_format(value, 1 if value % 1 else 0)}


@register.filter
def hours(value):
    return _("%(hours)s h") % {"hours": number_format(value, 1, force_grouping=True)}


@register.filter
def count(value):
    return number_format(value, 0, force_grouping=True)
