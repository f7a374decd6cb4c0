from django import template
from django.conf import settings
from django.db.models import Q
from django.template.defaulttags import querystring
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """A no-JavaScript form per language, posting to Django's set_language view."""
    request = context["request"]
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    path = request.get_full_path()
    return {
        "current": current,
        "languages": [
            {"code": code, "name": name, "next": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("includes/footer_nav.html", takes_context=True)
def footer_nav(context):
    """The home page's children marked "show in menus", in the active language."""
    from wagtail.models import Page, Site

    request = context["request"]
    site = Site.find_for_request(request)
    pages = []
    if site is not None:
        home = site.root_page.localized
        pages = Page.objects.child_of(home).live().in_menu().public()
    return {"pages": pages, "request": request}


@register.simple_tag
def absurl(viewname, *args):
    """An absolute URL for e-mails: SITE_URL + reverse(viewname, args=args).

    reverse() follows the active language, so inside notify()'s translation.override the
    link opens the recipient's language (English pages live under /en/).
    """
    from django.urls import reverse

    return settings.SITE_URL + reverse(viewname, args=args)


# The pages the header menu links to, by name.
MENU_PAGES = {"board": "cms.BoardPage", "contests": "contests.ContestIndexPage"}


def _menu_pages(request) -> dict:
    """{name: the live page in the active language (else any live one)}, for every
    page of MENU_PAGES, in one query per request."""
    cached = getattr(request, "_menu_pages", None) if request is not None else None
    if cached is not None:
        return cached
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    types = {
        ContentType.objects.get_for_model(apps.get_model(label)).pk: name
        for name, label in MENU_PAGES.items()
    }
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    found: dict = {}
    for page in (
        Page.objects.live()
        .filter(content_type__in=types)
        .annotate(is_active_language=Q(locale__language_code=language))
        .order_by("-is_active_language", "id")
    ):
        found.setdefault(types[page.content_type_id], page)
    if request is not None:
        request._menu_pages = found
    return found


@register.simple_tag(takes_context=True)
def menu_page(context, name: str):
    """{% menu_page "board" as board %}: the live page the menu links to, or None."""
    return _menu_pages(context.get("request")).get(name)


@register.simple_tag
def elided_pages(page_obj):
    """Page numbers around the current one, with … for the gaps (never all 5,000 pages)."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def querystring_param(context, name, value, **kwargs):
    """Django's {% querystring %} for a parameter whose name is a variable.

    {% querystring_param facet.name item.value page=None %}: the current query string with
    that parameter set to the value (taken out when the value is None); further keywords
    work as in {% querystring %}, here taking the page number out.
    """
    return querystring(context, **{name: value, **kwargs})


@register.filter
def has_filters(query_dict):
    """Whether a query string holds anything but the page number: request.GET|has_filters
    (a later page of the unfiltered list offers no "Clear filters")."""
    return any(key != "page" for key in query_dict)


@register.inclusion_tag("includes/two_factor_return.html", takes_context=True)
def two_factor_return(context):
    """On the account pages, the way back for a staff member sent to enrol (see
    accounts.two_factor): shown once a second factor is in place."""
    from accounts import two_factor

    request = context["request"]
    next_url = request.session.get(two_factor.NEXT_SESSION_KEY, "")
    enrolled = bool(next_url) and two_factor.is_enrolled(request.user)
    return {"next_url": next_url if enrolled else ""}


@register.filter
def tokyo_time(moment):
    """{{ contest.deadline|tokyo_time }}: 「2027年3月1日(月) 23:59 日本時間 (UTC+09:00)」."""
    from core.japan_time import format_tokyo

    return format_tokyo(moment) if moment else ""


@register.filter
def tokyo_date(moment):
    from core.japan_time import format_tokyo

    return format_tokyo(moment, with_time=False) if moment else ""


@register.filter
def yen(amount):
    """{{ prize.amount|yen }}: 「¥300,000」 (whole yen, thousands separated)."""
    if amount is None or amount == "":
        return ""
    return f"¥{int(amount):,}"


@register.filter
def dict_get(mapping, key):
    """{{ counts|dict_get:entry.pk }}: a dict's value for a key (0 when missing)."""
    return (mapping or {}).get(key, 0)


@register.filter
def result_badge(kind: str) -> str:
    """What a search result is ("Task", "Contest"), in words its document type gives."""
    from search.documents import DOCUMENT_TYPES

    document_type = DOCUMENT_TYPES.get(kind)
    return str(document_type.badge or document_type.label) if document_type else ""


@register.filter
def payout_state(value: str) -> str:
    """{{ entry.data.new|payout_state }}: a payout state as the recipient reads it."""
    from contests.models import PayoutStatus

    try:
        return str(PayoutStatus(value).label)
    except ValueError:
        return value or ""
