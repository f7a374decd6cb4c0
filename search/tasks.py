from celery import shared_task

from .index import reindex_now


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=10, max_retries=5)
def reindex(keys: list) -> None:
    reindex_now([(kind, int(pk)) for kind, pk in keys])
