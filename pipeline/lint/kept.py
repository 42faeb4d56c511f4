"""Each role's lint hits kept between runs, so that a build which publishes lints only what changed.

A build with a publishing format holds back every role lint finds errors in, so it lints each role
it may publish; reading a role's text as a candidate would is the slowest check rolepack makes
(tens of milliseconds a role: syllables, phrase lists, laws), which made a one-role edit in a
catalogue of 5,000 roles cost minutes. What the rules find in a role is a pure function of its
files, the company file, the day and rolepack's code (the rules and their data are in the package),
so it is kept under that key, in the validation cache's folder for this content and installation
(check/role_cache, with its rules: ROLEPACK_CACHE=off keeps nothing, and a folder is used only when
it is this user's own). The key names each file as messages name it, so a kept hit is located
exactly as a fresh one would be.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from pipeline.check.role_cache import cache_folder, engine, read_kept, write_kept
from pipeline.lint.rule import Hit
from pipeline.source.yaml_reader import Located

RuleHits = tuple[tuple[str, Hit], ...]
"""What the rules found in one role: each hit with its rule's id, in the order the rules ran."""


class KeptHits:
    """The hits kept for one content folder; with no folder (the cache is off), none."""

    def __init__(self, folder: Path | None, rules: Iterable[str], company: Located, today: dt.date) -> None:
        self.folder = folder
        digest = hashlib.sha256(f"{today.isoformat()}\0{','.join(rules)}\0{company.file}\0{company.text}".encode())
        self._context = digest.hexdigest()

    @classmethod
    def for_content(cls, content: Path, rules: Iterable[str], company: Located, today: dt.date) -> KeptHits:
        return cls(cache_folder(content, engine()), rules, company, today)

    def _path(self, slug: str) -> Path:
        assert self.folder is not None
        return self.folder / (hashlib.sha256(f"lint\0{slug}".encode()).hexdigest()[:32] + ".lint")

    def _key(self, origin: str) -> str:
        return hashlib.sha256(f"{self._context}\0{origin}".encode()).hexdigest()

    def get(self, slug: str, origin: str) -> tuple[str, RuleHits] | None:
        """The role's own file as messages name it, and its hits, when kept for these files."""
        if self.folder is None:
            return None
        kept = read_kept(self._path(slug))
        if isinstance(kept, tuple) and len(kept) == 3 and kept[0] == self._key(origin):
            return kept[1], kept[2]
        return None

    def keep(self, slug: str, origin: str, own: str, hits: RuleHits) -> None:
        if self.folder is not None:
            write_kept(self._path(slug), (self._key(origin), own, hits))
