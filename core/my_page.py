"""My page sections: what each app has for the signed-in person, on one page.

My page belongs to the board (marketplace.views.dashboard), yet a contest that fits
the person belongs to the contests. An app adds a section in its own `<app>/my_page.py`
(autodiscovered), with the template that shows it:

    @my_page.register("contests.for_you", template="contests/includes/my_page.html", order=20)
    def contests_for_you(request):
        return {"recommendations": ...}  # or None: nothing to show this person

My page renders every section that returned a context, in `order`; its template
reads that context as `section`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .registry import Registry

SECTIONS = Registry("My page section", discover="my_page")


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    order: int
    context: Callable


@dataclass(frozen=True)
class Shown:
    template: str
    context: dict


def register(key: str, *, template: str, order: int = 100):
    def decorator(function):
        SECTIONS.register(key, Section(key, template, order, function))
        return function

    return decorator


def sections_for(request) -> list[Shown]:
    shown = []
    for section in sorted(SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            shown.append(Shown(section.template, context))
    return shown
