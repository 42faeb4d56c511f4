"""A library attribute replaced for one thread's block only.

The shortcuts used to set a library's attribute for the length of a block; another thread calling
the library meanwhile got the replacement too (a plain WeasyPrint render beside rolepack's came
out at another zlib level). Here the attribute is replaced once per process by a dispatcher that
reads this thread's value: inside a `ThreadScoped.block` it answers with the shortcut, in every
other thread, and outside blocks, with the library's own attribute, called as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_installing = threading.Lock()


class ThreadScoped(Generic[T]):
    """`owner.name` replaced by `dispatcher(self)`, which answers with `self.current()` (the value
    this thread's innermost open block gave) when there is one, else with `self.original`."""

    def __init__(self, owner: Any, name: str, dispatcher: Callable[[ThreadScoped[T]], Any]) -> None:
        self.owner, self.name, self._dispatcher = owner, name, dispatcher
        self._local = threading.local()
        self.original: Any = None

    def current(self) -> T | None:
        return getattr(self._local, "value", None)

    def _install(self) -> None:
        with _installing:
            if self.original is None:
                found = self.owner.__dict__[self.name] if isinstance(self.owner, type) else getattr(self.owner, self.name)
                self.original = found
                setattr(self.owner, self.name, self._dispatcher(self))

    def library(self) -> Any:
        """The library's own attribute (the dispatcher is put in its place on first use)."""
        if self.original is None:
            self._install()
        return self.original

    @contextmanager
    def block(self, value: T) -> Iterator[None]:
        """Within the block, and in this thread only, the attribute answers with `value`."""
        self.library()
        outer = self.current()
        self._local.value = value
        try:
            yield
        finally:
            self._local.value = outer


def function_dispatcher(scoped: ThreadScoped[Callable[..., Any]]) -> Callable[..., Any]:
    """For a function: this thread's replacement when one is set, else the original."""

    def dispatch(*args: Any, **kwargs: Any) -> Any:
        return (scoped.current() or scoped.original)(*args, **kwargs)

    return dispatch


def property_dispatcher(scoped: ThreadScoped[property]) -> property:
    """For a class's property: this thread's replacement property when one is set, else the original."""

    def get(self: Any) -> Any:
        return (scoped.current() or scoped.original).fget(self)

    return property(get)


def module_dispatcher(scoped: ThreadScoped[Any]) -> Any:
    """For a module a library imported (pydyf's `zlib`): every name is looked up on this thread's
    replacement when one is set, else on the module."""

    class Dispatch:
        def __getattr__(self, name: str) -> Any:
            return getattr(scoped.current() or scoped.original, name)

    return Dispatch()
