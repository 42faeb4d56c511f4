"""One attribute of a library, replaced for the length of a block.

The renderers reach into WeasyPrint, pydyf and ctypes where they offer no option: a lookup
answered from a cache, a compression level, a line breaker that remembers, objects serialized
once. Each swap lasts one block and is undone however the block ends, so nothing outside it
(another document, a test, the next import) sees the replacement.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def swapped(owner: object, name: str, replacement: object) -> Iterator[object]:
    """`owner.name` is `replacement` within the block; the original is yielded and put back after."""
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield original
    finally:
        setattr(owner, name, original)
