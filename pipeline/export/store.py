"""Writing outputs so that a reader never sees a half-written file, and the manifest stays true.

Each file is written to a temporary name beside it and renamed into place (atomic on POSIX). The
manifest is written the same way, last. A lock keeps two scheduled runs from interleaving.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

MANIFEST = "manifest.json"
STATE = ".rolepack-state.json"


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, data: bytes) -> None:
    """`atomic_write`, unless the file already holds exactly these bytes: a no-op build touches nothing."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def entry(path: str, data: bytes, **fields: str) -> dict:
    """A manifest entry; `inputs` (the input key) lets other tools tell why a file changed."""
    return {"path": path, **fields, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def read_manifest(out: Path) -> list[dict]:
    """The previous build's entries; an unreadable manifest counts as none."""
    try:
        outputs = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"]
        return [o for o in outputs if isinstance(o, dict) and isinstance(o.get("path"), str)]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def write_manifest(out: Path, outputs: list[dict]) -> None:
    body = {"outputs": sorted(outputs, key=lambda o: o["path"])}
    write_if_changed(out / MANIFEST, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def read_state(out: Path) -> dict:
    """Input keys of the outputs on disk, from the last build; unreadable counts as none."""
    try:
        state = json.loads((out / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def write_state(out: Path, state: dict) -> None:
    write_if_changed(out / STATE, (json.dumps(state, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def inside(out: Path, relative: str) -> Path | None:
    """`out / relative` if it stays inside `out` (a manifest is data, not a list of paths to trust)."""
    path = (out / relative).resolve()
    return path if path.is_relative_to(out.resolve()) else None


class OutputLocked(Exception):
    """Another build holds the output folder."""

    def __init__(self, out: Path, holder: str, waited: float) -> None:
        self.holder = holder
        who = f"process {holder}" if holder else "another process"
        super().__init__(f"another build ({who}) is using {out}; gave up after waiting {waited:g} s "
                         "(use --wait SECONDS to wait longer)")


LOCK = ".rolepack.lock"


@contextlib.contextmanager
def locked(out: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for a whole build, waiting up to `wait` seconds.

    The lock is an flock, which the kernel drops when its process dies, so a killed build never
    blocks the next one; the file holds the holder's process id so a waiting build can name it.
    """
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with _held(out, wait):
            yield
    finally:
        if created and [p.name for p in out.iterdir()] == [LOCK]:
            # a build that wrote nothing leaves no trace, not even an empty output folder
            (out / LOCK).unlink(missing_ok=True)
            out.rmdir()


@contextlib.contextmanager
def _held(out: Path, wait: float) -> Iterator[None]:
    with open(out / LOCK, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    raise OutputLocked(out, handle.read().strip(), wait) from None
                time.sleep(0.05)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
