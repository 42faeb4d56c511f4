"""Hyphenation patterns parsed once for this user and pyphen release, not once per process.

pyphen reads a language's patterns file (`hyph_*.dic`) and parses every pattern the first time a
process hyphenates in that language: about half a second for German (1.8 MB of patterns once
parsed) and 50 ms for English, paid by every build, every worker and every recycled worker. While a
render lays text out, pyphen's parser is answered from the patterns another process parsed, kept
pickled in this user's private temporary folder (25-30 ms to load German's), under the file's
path, size and modification time and pyphen's release. The first process to need a language
parses it as pyphen does and keeps it; a kept copy that does not load is parsed again. The patterns
are pyphen's own objects, so hyphenation, and every byte of the document, is as pyphen makes it.
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pyphen

from pipeline.render.private_folder import kept_pickle, own_folder
from pipeline.render.tuning import HYPHENATION, installed, taken
from pipeline.render.tuning.thread_scoped import ThreadScoped, function_dispatcher

HYPH_DICT = ThreadScoped(pyphen, "HyphDict", function_dispatcher)
STATE = ("patterns", "cache", "maxlen")
"""A parsed `HyphDict`'s attributes in pyphen 0.18.1: its patterns, the words it has hyphenated
(none yet when kept) and its longest pattern."""


def _kept_path(path: Path) -> Path:
    info = path.stat()
    key = f"{path.resolve()}\0{info.st_size}\0{info.st_mtime_ns}\0{installed('pyphen')}"
    return own_folder("hyphenation", "patterns") / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"


def kept_patterns(path: Any) -> Any:
    """pyphen's `HyphDict(path)`: the kept copy when there is one that loads, else parsed and kept."""
    parse = HYPH_DICT.library()
    try:
        kept = _kept_path(Path(path))
    except OSError:  # pyphen itself says what is wrong with the file
        return parse(path)
    # Its attributes are kept: while the block is open, `pyphen.HyphDict` names the dispatcher, which
    # pickle cannot find the class by.
    state = kept_pickle(kept, lambda: vars(parse(path)),
                        lambda found: isinstance(found, dict) and set(found) == set(STATE))
    patterns = parse.__new__(parse)
    patterns.__dict__.update(state)
    return patterns


def patterns_kept() -> AbstractContextManager[None]:
    """Within the block, and in this thread only, pyphen parses a language's patterns once for
    this user (then loads them)."""
    return taken(HYPHENATION, HYPH_DICT, kept_patterns)
