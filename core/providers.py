"""Providers: one interface, several implementations, chosen per object.

pretix's payment providers are the model: every provider subclasses a base class with an
identifier, a name, whether it can run here (its settings are present), and the calls it
implements. Apps register theirs in a `ProviderRegistry`; a contest stores the identifier
of the provider it pays with, so one ward can pay some winners by bank transfer and
others through Stripe. Nothing reads one global "the provider" setting.
"""

from .registry import Registry


class Provider:
    identifier: str = ""
    verbose_name: str = ""

    def is_available(self) -> bool:
        """Whether this provider can run with the settings this process has."""
        return True

    def __str__(self) -> str:
        return str(self.verbose_name or self.identifier)


class ProviderRegistry(Registry):
    """Provider classes by identifier. `get_provider(id)` returns an instance."""

    def __init__(self, what: str, *, base: type[Provider] = Provider, discover: str | None = None):
        super().__init__(what, discover=discover)
        self.base = base

    def register_provider(self, cls: type[Provider]) -> type[Provider]:
        """Class decorator: `@payouts.register_provider`."""
        if not issubclass(cls, self.base) or not cls.identifier:
            raise TypeError(f"{cls!r} must subclass {self.base.__name__} and set `identifier`")
        self.register(cls.identifier, cls)
        return cls

    def get_provider(self, identifier: str) -> Provider:
        return self[identifier]()

    def available(self) -> list[Provider]:
        return [cls() for cls in self.values() if cls().is_available()]

    def choices(self) -> list[tuple[str, str]]:
        """(identifier, name) of the providers that can run here, for a form field."""
        return [(p.identifier, str(p)) for p in self.available()]
