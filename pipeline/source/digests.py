"""A folder's files, and the libraries installed, as digests: what the build's keys and the
validation cache compare."""

from __future__ import annotations

import hashlib
import os
import stat
from importlib.metadata import PackageNotFoundError, version
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def library_version(name: str) -> str:
    """An installed distribution's version, looked up once a process (a lookup reads the
    distribution's metadata from disk: milliseconds each, in every document's key)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def tree_digest(root: Path, *, suffixes: tuple[str, ...] | None = None, skip: tuple[str, ...] = ()) -> str:
    """Names and bytes of every file under `root`; a symlink is hashed by where it points, never read."""
    digest = hashlib.sha256()
    if not root.exists():
        return digest.hexdigest()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in skip or "__pycache__" in relative.parts:
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        if path.is_symlink():
            digest.update(f"{relative}->{path.readlink()}\0".encode())
        elif path.is_file():
            digest.update(f"{relative}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


RACY_NS = 2_000_000_000
"""A file changed this recently may change again within its time stamp's resolution (ext4 keeps
nanoseconds, other file systems whole seconds), keeping the status it had: such a status is not
trusted to stand for the file's bytes."""


def status(info: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's bytes do (its change time moves even when the others are put back)."""
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)


def recent(info: os.stat_result, now_ns: int) -> bool:
    return now_ns - max(info.st_mtime_ns, info.st_ctime_ns) <= RACY_NS


def tree_status(root: Path, now_ns: int) -> tuple[str, list[Path]]:
    """Names and statuses of every file under `root`, as a digest that moves whenever a file is
    written, without reading one byte; and the files changed too recently (`recent`) for their
    status to stand for their bytes. Walked with os.scandir and plain strings: a no-op build asks
    this of every role file, and pathlib costs more than the stat calls."""
    digest = hashlib.sha256()
    fresh: list[Path] = []
    if not root.exists():
        return digest.hexdigest(), fresh
    for relative, full, info in sorted(_files(str(root), ""), key=lambda found: found[0].split(os.sep)):
        if recent(info, now_ns):
            fresh.append(Path(full))
        target = f"->{os.readlink(full)}" if stat.S_ISLNK(info.st_mode) else ""
        digest.update(f"{relative}{target}\0{status(info)}\0".encode())
    return digest.hexdigest(), fresh


def _files(folder: str, relative: str):
    """(path relative to the walk's root, full path, lstat) of every file and link under `folder`,
    recursing into real folders only (as Path.rglob), never into `__pycache__`."""
    with os.scandir(folder) as entries:
        for entry in entries:
            name = os.path.join(relative, entry.name) if relative else entry.name
            if entry.name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from _files(entry.path, name)
            else:
                yield name, entry.path, entry.stat(follow_symlinks=False)
