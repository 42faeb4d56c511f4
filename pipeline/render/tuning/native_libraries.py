"""Native libraries (Pango, HarfBuzz and fontconfig for WeasyPrint; cairo for the DOCX logo),
found without running a compiler.

WeasyPrint and cairocffi open each library under several names in turn, asking
`ctypes.util.find_library` for names the dynamic loader cannot open as they are; on Linux that
runs `ldconfig -p`, then `gcc` and `ld` for every name (WeasyPrint issue #1125): about 150 ms of
every process that renders a PDF, a third of importing WeasyPrint, paid again by every recycled
worker, and two compiler runs more for the DOCX logo.

While they load, that lookup is answered from the loader's cache, read once: the same
answer `ldconfig -p` gives, a library's soname, which the loader then opens as before. The
`gcc` and `ld` fallbacks, which look for libraries a program could link against, are skipped; a
library outside the cache but on LD_LIBRARY_PATH is still opened under the `.so.N` name WeasyPrint
tries too. Elsewhere than Linux nothing is changed.
"""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from contextlib import AbstractContextManager
from functools import lru_cache

from pipeline.render.tuning import LOADER_CACHE, taken
from pipeline.render.tuning.thread_scoped import ThreadScoped, function_dispatcher

LDCONFIG = "/sbin/ldconfig"
"""Where ctypes itself runs ldconfig from."""


@lru_cache(maxsize=1)
def _sonames() -> tuple[str, ...]:
    """Every soname in the loader's cache, in its order; none where it cannot be read."""
    try:
        listing = subprocess.run([LDCONFIG, "-p"], capture_output=True, text=True, timeout=10, check=False,
                                 env={"LC_ALL": "C", "LANG": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.split()[0] for line in listing.splitlines() if line[:1].isspace() and line.strip())


def cached_library(name: str) -> str | None:
    """The soname `ctypes.util.find_library(name)` finds through ldconfig: `pango-1.0` gives
    `libpango-1.0.so.0`; None when the cache has no such library."""
    prefix = f"lib{name}."
    return next((soname for soname in _sonames() if soname.startswith(prefix)), None)


FIND_LIBRARY = ThreadScoped(ctypes.util, "find_library", function_dispatcher)


def found_from_the_loader_cache() -> AbstractContextManager[None]:
    """Within the block, and in this thread only, `ctypes.util.find_library` answers from the
    loader's cache (Linux only)."""
    return taken(LOADER_CACHE, FIND_LIBRARY, cached_library, when=sys.platform.startswith("linux"))
