"""The demo data framework behind `manage.py seed_demo`.

Each app that has demo data provides `<app>/demo.py` with `ORDER` (an int: lower runs
first) and `seed(ctx)`. Apps add their own data as they arrive (organizations and tasks,
contests, messages), reading what earlier seeders left in `ctx`.
"""

from dataclasses import dataclass, field
from random import Random

from .registry import autodiscover

DEMO_PASSWORD = "demo-pass-2026"


@dataclass
class DemoContext:
    scale: int = 1
    random: Random = field(default_factory=lambda: Random(2026))
    stdout: object = None
    # What the seeders created, for the ones that run after them.
    users: dict = field(default_factory=dict)
    residents: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)


def discover_seeders():
    seeders = [module for module in autodiscover("demo") if hasattr(module, "seed")]
    return sorted(seeders, key=lambda module: getattr(module, "ORDER", 100))
