"""A folder's files, and the libraries installed, as digests: what the build's keys and the
validation cache compare."""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def library_version(name: str) -> str:
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
