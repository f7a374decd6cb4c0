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


@register.simple_tag(takes_context=True)
def board_page(context):
    """The live matching board page in the active language, for the header menu."""
    from cms.models import BoardPage

    request = context.get("request")
    cache = getattr(request, "_board_page", None) if request else None
    if cache is None:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        # One query: the board in the active language first, else any live board.
        board = (
            BoardPage.objects.live()
            .annotate(is_active_language=Q(locale__language_code=language))
            .order_by("-is_active_language", "id")
            .first()
        )
        cache = board or False
        if request is not None:
            request._board_page = cache
    return cache or None


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
