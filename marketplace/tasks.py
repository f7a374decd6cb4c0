from celery import shared_task

from . import services


@shared_task
def board_housekeeping() -> dict:
    """Hourly: remind whoever must answer, expire unanswered applications and past tasks."""
    return {
        "reminded": services.send_response_reminders(),
        "expired_applications": services.expire_applications(),
        "expired_tasks": services.expire_tasks(),
    }
