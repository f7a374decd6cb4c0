"""Registries: apps declare what they add; nobody keeps a list of them.

An app plugs into another by putting a module of an agreed name in its package
(`demo.py`, `search_documents.py`, `conversation_subjects.py`, `rules.py`, ...).
`autodiscover(name)` imports that module from every installed app, once, and the module
registers what it declares when it is imported (as Wagtail does with `wagtail_hooks.py`).
"""

import importlib
from collections.abc import Callable, Iterator

from django.apps import apps


def autodiscover(module_name: str) -> list:
    """Import `<app>.<module_name>` from every installed app that has one; return them
    in INSTALLED_APPS order. A module that exists but fails to import raises."""
    modules = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.{module_name}"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


class Registry:
    """Items by key, filled by `register` from the apps' own modules.

    `discover` names the module each app declares its items in; the registry imports
    those the first time it is read, so readers never see a half-filled registry.
    """

    def __init__(self, what: str, *, discover: str | None = None):
        self.what = what
        self.discover_module = discover
        self._items: dict = {}
        self._discovered = discover is None

    def register(self, key, item=None):
        """`register(key, item)`, or `@register(key)` as a decorator."""
        if item is None:
            return lambda decorated: self.register(key, decorated) or decorated
        existing = self._items.get(key)
        if existing is not None and existing is not item:
            raise ValueError(f"{self.what} {key!r} is registered twice")
        self._items[key] = item
        return item

    def _ensure_discovered(self) -> None:
        if not self._discovered:
            self._discovered = True
            autodiscover(self.discover_module)

    def get(self, key, default=None):
        self._ensure_discovered()
        return self._items.get(key, default)

    def __getitem__(self, key):
        self._ensure_discovered()
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(f"no {self.what} {key!r}; known: {sorted(self._items)}") from None

    def __contains__(self, key) -> bool:
        self._ensure_discovered()
        return key in self._items

    def __iter__(self) -> Iterator:
        self._ensure_discovered()
        return iter(list(self._items))

    def items(self) -> list[tuple]:
        self._ensure_discovered()
        return list(self._items.items())

    def values(self) -> list:
        self._ensure_discovered()
        return list(self._items.values())

    def find(self, predicate: Callable) -> object | None:
        return next((item for item in self.values() if predicate(item)), None)
