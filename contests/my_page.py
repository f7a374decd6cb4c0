"""The contests' section of My page (core.my_page): contests that fit the person."""

from core import my_page

from .services.recommendations import contests_for

SHOWN = 3


@my_page.register("contests.for_you", template="contests/includes/my_page_contests.html", order=20)
def contests_for_you(request):
    recommendations = contests_for(request.user, limit=SHOWN)
    # Nothing open that they may enter: no empty section on their page.
    return {"recommendations": recommendations} if recommendations else None
