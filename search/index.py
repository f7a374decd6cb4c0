"""Keeping the index in step with the data: services call these inside their transaction.

The update is queued after commit (nothing rolled back is ever searchable) and runs
through Celery when a broker is configured, in-process otherwise.
"""

from django.db import transaction

from .documents import key_for


def update_on_commit(*objects) -> None:
    keys = [key for key in (key_for(obj) for obj in objects) if key is not None]
    if not keys:
        return
    from .tasks import reindex

    payload = [[kind, pk] for kind, pk in keys]
    transaction.on_commit(lambda: reindex.delay(payload))


def remove_on_commit(*objects) -> None:
    """Take `objects` out of the index as soon as the change commits, in this process
    rather than through the queue: for privacy (a withdrawn consent, a deactivated
    account) "at once" must not wait behind a worker's backlog."""
    keys = [f"{kind}:{pk}" for kind, pk in (key_for(obj) for obj in objects if obj) if kind]
    if not keys:
        return

    def remove() -> None:
        from .backends.base import get_backend

        get_backend().remove(keys)

    transaction.on_commit(remove)


def reindex_now(keys) -> None:
    """Build each document and store it, or remove it when it must not be searchable."""
    from .backends.base import get_backend
    from .documents import build_batch

    backend = get_backend()
    by_kind: dict[str, list[int]] = {}
    for kind, pk in keys:
        by_kind.setdefault(kind, []).append(pk)
    documents, removed = [], []
    for kind, pks in by_kind.items():
        built = build_batch(kind, pks)
        documents.extend(built.values())
        removed.extend(f"{kind}:{pk}" for pk in pks if pk not in built)
    if removed:
        backend.remove(removed)
    if documents:
        backend.index(documents)
        from .vocabulary import learn

        learn(documents)


def rebuild() -> tuple[int, int]:
    """Rebuild the whole index and the vocabulary of 「もしかして」 from the database:
    (documents, words). On Elasticsearch into a new index, then an alias swap."""
    from . import vocabulary
    from .backends.base import get_backend
    from .documents import all_documents

    words = vocabulary.Rebuild()
    count = get_backend().rebuild(words.watch(all_documents()))
    return count, words.save()
