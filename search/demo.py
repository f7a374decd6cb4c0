"""After the other seeders: index everything, since bulk-seeded rows bypass the services."""

from .index import rebuild

ORDER = 90


def seed(ctx) -> None:
    ctx.figures["search documents"], ctx.figures["search words"] = rebuild()
