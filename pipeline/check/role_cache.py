"""Each role's check kept between runs, by the digests of the files it was made from.

Validating a catalogue is mostly reading YAML and validating models, and a nightly build or a
one-role edit changes few files. So what one role's files yield (the facts that link it, what is
wrong in its own text, its merged check and validated model) is kept under a folder of the user's
cache, one entry per role file, and reused while the bytes of the role and of every parent it
extends, rolepack's code and the layouts it is checked against are the same; a change to any of
them checks that role again. Every message is kept as it was made, so it is located exactly as a
fresh check would locate it. What depends on the day or on other roles is not kept (role_checks).

Where: $ROLEPACK_CACHE, else $XDG_CACHE_HOME/rolepack, else ~/.cache/rolepack; ROLEPACK_CACHE=off
keeps nothing. Entries are pickles, which run code when read, so a folder is used only when this
user owns it and nobody else may write to it; otherwise nothing is kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from pipeline.check.role_checks import RoleCheck
from pipeline.problems import Problem
from pipeline.schema import Role
from pipeline.source.content_folder import RoleFile
from pipeline.source.digests import library_version, recent, status, tree_digest

CACHE_ENV = "ROLEPACK_CACHE"
OFF = frozenset({"", "0", "off", "no", "false"})
ENGINES_KEPT = 3
"""Installations whose entries are kept side by side (a second virtualenv, an upgrade being tried)."""
MODEL_GRACE_SECONDS = 3600
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "markdown-it-py", "fonttools")
_PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def engine() -> str:
    """rolepack's code and the libraries that decide what a check finds: once a process (the code a
    process runs does not change under it; validation and lint's kept hits both ask)."""
    digest = hashlib.sha256(f"{sys.version_info[:2]} {' '.join(map(library_version, _LIBRARIES))}".encode())
    digest.update(tree_digest(_PACKAGE, suffixes=(".py", ".yaml", ".tsv", ".json")).encode())
    return digest.hexdigest()


def context(layouts: Path | None, content: Path) -> str:
    """What a check reads besides the role's files: the layouts (fonts, locales, brands) and the
    content's own brands, whose fonts decide what text can print."""
    if layouts is None:
        return "no layouts"
    return hashlib.sha256(f"{tree_digest(layouts)} {tree_digest(content / 'brands')}".encode()).hexdigest()


def chain_key(members: list[RoleFile], context_key: str) -> str:
    """The key of a merged check: the context and every file of the chain, root first."""
    digest = hashlib.sha256(context_key.encode())
    for member in members:
        digest.update(f"\0{member.file}\0{member.digest}".encode())
    return digest.hexdigest()


def _private(folder: Path) -> bool:
    """Whether `folder` exists (made if need be) as this user's own, writable by nobody else."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError:
        return False
    return not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o022)


def cache_folder(content: Path, engine_key: str) -> Path | None:
    """This content folder's entries for this installation, or None when nothing may be kept."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None and setting.strip().lower() in OFF:
        return None
    root = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rolepack"
    engines = root / "checks"
    here = engines / engine_key[:20] / hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:20]
    if not (_private(root) and _private(engines) and _private(here.parent) and _private(here)):
        return None
    _forget_old_engines(engines, here.parent)
    return here


def _forget_old_engines(engines: Path, current: Path) -> None:
    try:
        os.utime(current)
        others = sorted((p for p in engines.iterdir() if p != current and p.is_dir() and not p.is_symlink()),
                        key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in others[ENGINES_KEPT - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def read_kept(path: Path) -> object:
    """An entry kept in a cache folder, or None when it is not there or cannot be read."""
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except Exception:  # missing, cut short, or from another shape of the code: not kept
        return None


def write_kept(path: Path, value: object) -> bool:
    """Whole or not at all (a killed run leaves no half entry); a full disk only costs speed."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        return True
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False


@dataclass(frozen=True)
class Entry:
    """What is kept of one role file."""

    facts: RoleFile
    own_key: str = ""
    own: tuple[Problem, ...] = ()
    """What is wrong in the file's own text, checked in the context `own_key`."""
    chain_key: str = ""
    check: RoleCheck | None = None
    """The role's merged check, for the chain and context `chain_key`."""
    models: tuple[tuple[str, float], ...] = ()
    """The keys of its validated models on disk, newest first, with when each was written."""
    status: tuple[int, ...] | None = None
    """The file's status (times, size, inode) when its bytes were last found to have `facts.digest`."""


class RoleCache:
    """The entries of one content folder; with no folder, kept in memory for this run only."""

    def __init__(self, folder: Path | None, context_key: str) -> None:
        self.folder = folder
        self.context = context_key
        self._entries: dict[str, Entry | None] = {}
        self._models: dict[tuple[str, str], Role] = {}
        self._status: dict[str, tuple[int, ...] | None] = {}
        """The status each file had when this run read it."""
        """Models kept in memory, when there is no folder to keep them in."""

    def _path(self, file: str, suffix: str) -> Path:
        assert self.folder is not None
        return self.folder / (hashlib.sha256(file.encode()).hexdigest()[:32] + suffix)

    def _entry(self, file: str) -> Entry | None:
        if file not in self._entries:
            loaded = read_kept(self._path(file, ".entry")) if self.folder is not None else None
            self._entries[file] = loaded if isinstance(loaded, Entry) else None
        return self._entries[file]

    def unchanged(self, file: str, info: os.stat_result) -> RoleFile | None:
        entry = self._entry(file)
        return entry.facts if entry is not None and entry.status == status(info) else None

    def facts(self, file: str, digest: str) -> RoleFile | None:
        entry = self._entry(file)
        return entry.facts if entry is not None and entry.facts.digest == digest else None

    def seen(self, file: str, info: os.stat_result, facts: RoleFile) -> None:
        """Record the status the file had when its bytes were read, unless it is too recent to trust."""
        now = None if recent(info, time.time_ns()) else status(info)
        self._status[file] = now
        entry = self._entry(file)
        if entry is not None and entry.facts == facts and entry.status != now:
            self._store(file, entry)

    def own(self, facts: RoleFile) -> tuple[Problem, ...] | None:
        entry = self._entry(facts.file)
        if entry is not None and entry.facts == facts and entry.own_key == self.context:
            return entry.own
        return None

    def check(self, facts: RoleFile, key: str) -> RoleCheck | None:
        entry = self._entry(facts.file)
        if entry is not None and entry.facts == facts and entry.chain_key == key:
            return entry.check
        return None

    def keep_own(self, facts: RoleFile, own: tuple[Problem, ...]) -> None:
        entry = self._entry(facts.file)
        base = entry if entry is not None and entry.facts == facts else Entry(facts)
        self._store(facts.file, replace(base, own_key=self.context, own=own))

    def keep_check(self, facts: RoleFile, key: str, check: RoleCheck, model: Role | None) -> None:
        entry = self._entry(facts.file)
        base = entry if entry is not None and entry.facts == facts else Entry(facts)
        models = base.models
        if model is not None:
            if self.folder is not None and write_kept(self._model_path(facts.file, key), model):
                models = self._forget_old_models(facts.file, ((key, time.time()),) + models)
            else:  # no folder, or it would not take the model: this run keeps it
                self._models[facts.file, key] = model
        self._store(facts.file, replace(base, chain_key=key, check=check, models=models))

    def _model_path(self, file: str, key: str) -> Path:
        return self._path(file, f".{key[:24]}.model")

    def _forget_old_models(self, file: str, models: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
        """A model is kept an hour after a newer one replaced it: a catalogue another process loaded
        before the edit may still ask for it (the two newest are always kept)."""
        kept = {models[0][0]: models[0][1]}
        for older, replaced in zip(models[1:], models):
            if older[0] in kept:
                continue
            if len(kept) < 2 or time.time() - replaced[1] < MODEL_GRACE_SECONDS:
                kept[older[0]] = older[1]
            else:
                self._model_path(file, older[0]).unlink(missing_ok=True)
        return tuple(kept.items())

    def model(self, facts: RoleFile, key: str) -> Role:
        """The validated model of the role checked as `key`."""
        kept = self._models.get((facts.file, key))
        if kept is None and self.folder is not None:
            kept = read_kept(self._model_path(facts.file, key))
        if not isinstance(kept, Role):
            raise LookupError(f"the validated form of {facts.file} is gone from rolepack's cache "
                              f"({self.folder}); run the command again")
        return kept

    def _store(self, file: str, entry: Entry, *, on_disk: bool = True) -> None:
        if file in self._status:
            entry = replace(entry, status=self._status[file])
        self._entries[file] = entry
        if self.folder is not None and on_disk:
            write_kept(self._path(file, ".entry"), entry)

