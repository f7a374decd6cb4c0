from celery import shared_task

from . import services


@shared_task
def send_message_emails() -> int:
    """Every minute: e-mail people who are away about messages waiting for them."""
    return services.send_message_emails()
