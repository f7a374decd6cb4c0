from django import template
from django.conf import settings
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
