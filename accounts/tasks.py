from celery import shared_task

from . import data_export


@shared_task
def prepare_data_export(export_id: int) -> str:
    """Write one person's data into a file and e-mail them the link."""
    return data_export.prepare(export_id)


@shared_task
def delete_expired_data_exports() -> int:
    """Hourly: delete the files of data downloads past their expiry."""
    return data_export.delete_expired()


@shared_task
def purge_unverified_accounts() -> int:
    """Daily: remove sign-ups whose address was never confirmed."""
    from . import signup

    return signup.purge_unverified_accounts()
