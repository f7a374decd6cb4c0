from django.utils.functional import SimpleLazyObject

from .services import unread_count


def unread_notifications(request):
    """The header's count of unread notices, counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
