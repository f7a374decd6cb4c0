from django.utils.functional import SimpleLazyObject

from .services import total_unread


def unread_messages(request):
    """The header's unread count, counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": SimpleLazyObject(lambda: total_unread(user.pk))}
