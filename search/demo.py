"""After the other seeders: index everything, since bulk-seeded rows bypass the services."""

from .backends.base import get_backend
from .documents import all_documents

ORDER = 90


def seed(ctx) -> None:
    ctx.figures["search documents"] = get_backend().rebuild(all_documents())
