"""Writing the activity log: one function so every service logs the same way."""

from django.contrib.contenttypes.models import ContentType

from .models import ActivityLog


def log_action(actor, action: str, target=None, **data) -> ActivityLog:
    """Record that `actor` did `action` to `target`. Call inside the service's transaction."""
    entry = ActivityLog(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=data,
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
    entry.save()
    return entry
