"""pydyf writes each object of a PDF once (serialize-once), at zlib's default level (zlib-level).

pydyf 0.13 offers no option for either: it deflates every stream at level 9, and, when the PDF has
an identifier (ours always has one: PDF/A requires it, and ours is reproducible), it turns every
object into bytes a second time to hash them for the /ID's second half, every stream deflated
again. Within `written_once()` (one `pdf.write`, in this thread) streams are deflated at level 6
and each object's bytes are kept from the first time.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pydyf

from pipeline.render.tuning import SERIALIZE_ONCE, ZLIB_LEVEL, active
from pipeline.render.tuning.thread_scoped import ThreadScoped, module_dispatcher, property_dispatcher

LEVEL = 6
"""Level 6 (zlib's default) deflates a hiring guide in 26 ms instead of 87 at pydyf's level 9 (the
whole render 6 % faster, a job description 8 %) for 3.0 % more bytes (0.85 % on a job
description); the output is as reproducible as at level 9."""


class _DefaultLevel:
    """zlib as pydyf sees it while we write a PDF: the same module, but `compressobj` uses
    LEVEL whatever level pydyf asks for."""

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = zlib.Z_DEFAULT_COMPRESSION, *args: object, **kwargs: object) -> object:
        return zlib.compressobj(LEVEL, *args, **kwargs)


PYDYF_ZLIB = ThreadScoped(pydyf, "zlib", module_dispatcher)
SERIALIZERS = tuple(ThreadScoped(kind, "data", property_dispatcher)
                    for kind in (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String))
"""The classes whose `data` property turns an object into bytes (the others are cheap)."""


def _keeping(serialize: property, kept: dict[int, tuple[object, bytes]]) -> property:
    def data(self: object) -> bytes:
        found = kept.get(id(self))
        if found is None or found[0] is not self:  # the object is kept too: its id stays its own
            found = kept[id(self)] = (self, serialize.fget(self))  # type: ignore[misc]
        return found[1]

    return property(data)


@contextmanager
def written_once() -> Iterator[None]:
    """Within the block, pydyf serializes each object once and deflates at LEVEL, each as its
    shortcut is active. Nothing changes an object once pydyf has started writing, so the kept
    bytes stay true."""
    kept: dict[int, tuple[object, bytes]] = {}
    with ExitStack() as stack:
        if active(ZLIB_LEVEL):
            stack.enter_context(PYDYF_ZLIB.block(_DefaultLevel()))
        if active(SERIALIZE_ONCE):
            for scoped in SERIALIZERS:
                stack.enter_context(scoped.block(_keeping(scoped.library(), kept)))
        yield


def write_each_object_once(document: Any, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher, run just before `pdf.write`: that one write runs `written_once`."""
    write = pdf.write

    def write_once(*args: object, **kwargs: object) -> None:
        with written_once():
            write(*args, **kwargs)

    pdf.write = write_once  # type: ignore[method-assign]
