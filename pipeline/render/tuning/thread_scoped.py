"""A library attribute replaced for one thread's block only.

The shortcuts used to set a library's attribute for the length of a block; another thread calling
the library meanwhile got the replacement too (a plain WeasyPrint render beside rolepack's came
out at another zlib level). Here, while any block is open, the attribute is a dispatcher that reads
the calling thread's value: in the thread that opened the block it answers with the shortcut; in
every other thread with the library's own attribute, called as before. When the last block closes
the library's own attribute is put back, so outside rolepack's renders the library is untouched.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_installing = threading.Lock()


class ThreadScoped(Generic[T]):
    """`owner.name`, replaced while blocks are open by `dispatcher(self)`, which answers with
    `self.current()` (the value this thread's innermost open block gave) when there is one, else
    with `self.original`, the library's own attribute."""

    def __init__(self, owner: Any, name: str, dispatcher: Callable[[ThreadScoped[T]], Any]) -> None:
        self.owner, self.name, self._dispatcher = owner, name, dispatcher
        self._local = threading.local()
        self._open = 0
        self.original: Any = None

    def current(self) -> T | None:
        return getattr(self._local, "value", None)

    def _own(self) -> Any:
        return self.owner.__dict__[self.name] if isinstance(self.owner, type) else getattr(self.owner, self.name)

    def library(self) -> Any:
        """The library's own attribute, whether or not a block is open."""
        with _installing:
            return self.original if self._open else self._own()

    @contextmanager
    def block(self, value: T) -> Iterator[None]:
        """Within the block, and in this thread only, the attribute answers with `value`."""
        with _installing:
            if not self._open:
                self.original = self._own()
                setattr(self.owner, self.name, self._dispatcher(self))
            self._open += 1
        outer = self.current()
        self._local.value = value
        try:
            yield
        finally:
            self._local.value = outer
            with _installing:
                self._open -= 1
                if not self._open:
                    setattr(self.owner, self.name, self.original)


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
