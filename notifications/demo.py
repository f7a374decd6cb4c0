"""Demo: the demo resident reads the weekly digest of every topic (her notices come from
the demo's own applications and matches, as e-mails would have)."""

from . import services, topics
from .models import Frequency

ORDER = 95  # after the board and the contests, whose demo services leave the notices

DIGEST_READERS = {"aya.yamada@example.jp": Frequency.WEEKLY}


def seed(ctx):
    for email, frequency in DIGEST_READERS.items():
        user = ctx.users.get(email)
        if user is not None:
            services.choose_digest(user, frequency, topics.default_keys())
    ctx.figures["digest readers"] = len(DIGEST_READERS)
