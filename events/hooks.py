"""The machinery of the declared hooks: a `Hook` is one named extension point and its receivers.

The hooks themselves are declared, documented and fired in events/extensions.py; this module holds
only what every hook shares: connecting (from an AppConfig.ready(), never twice, in a declared
order), the receivers in the order they run, and a test-only way to replace them.
"""

import inspect
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

HOOKS = {}


@dataclass(frozen=True)
class Receiver:
    func: object
    order: int
    key: str | None

    @property
    def name(self):
        return f"{self.func.__module__}.{self.func.__qualname__}"


class Hook:
    """One named extension point.

    `ordered`: receivers run by their `order` (ties refused); else in connection order.
    `single`: one receiver at most (per `key` when `keyed`).
    `fired_by`: dotted paths of the functions that fire it, through `via` (the function of
    this module that calls the receivers); tests/test_hooks.py checks both.
    """

    def __init__(self, name, doc, *, via, fired_by, ordered=False, single=False, keyed=False):
        self.name, self.doc, self.via, self.fired_by = name, inspect.cleandoc(doc), via, tuple(fired_by)
        self.ordered, self.single, self.keyed = ordered, single, keyed
        self._receivers = []
        HOOKS[name] = self

    def connect(self, func, *, order=None, key=None):
        if apps.ready:
            raise ImproperlyConfigured(f"{self.name}: connect {func.__qualname__} from an AppConfig.ready()")
        receiver = Receiver(func, order if order is not None else 50, key)
        for existing in self._receivers:
            if existing.name == receiver.name and existing.key == key:
                raise ImproperlyConfigured(f"{self.name}: {receiver.name} is connected twice")
            if self.single and existing.key == key:
                raise ImproperlyConfigured(
                    f"{self.name} takes one receiver{' per key' if self.keyed else ''}: "
                    f"{existing.name} is connected, {receiver.name} cannot be"
                )
            if self.ordered and existing.order == receiver.order:
                raise ImproperlyConfigured(
                    f"{self.name}: {receiver.name} and {existing.name} both take order "
                    f"{receiver.order}; give each its own place"
                )
        self._receivers.append(receiver)
        if self.ordered:
            self._receivers.sort(key=lambda item: item.order)
        return func

    def receivers(self, key=None):
        """The receivers' functions in the order they run (those of `key` for a keyed hook)."""
        return [item.func for item in self._receivers if not self.keyed or item.key == key]

    def connected(self):
        return list(self._receivers)

    @contextmanager
    def replaced(self, *funcs, key=None):
        """Tests only: run the hook with these receivers (none at all when empty) inside the block."""
        kept = self._receivers
        others = [item for item in kept if self.keyed and item.key != key]
        self._receivers = others + [Receiver(func, index, key) for index, func in enumerate(funcs)]
        try:
            yield
        finally:
            self._receivers = kept


def ordered_decorator(hook):
    """A decorator factory for an ordered hook: `@personal_panel(order=20)` connects the function."""

    def decorator(order=None):
        def register(func):
            return hook.connect(func, order=order)

        return register

    return decorator
