"""A folder of this user's in the temporary directory, for what a renderer keeps between processes
(fontconfig's configuration and cache, compressed web fonts).

In a shared /tmp another user could have made the folder (or a link) first; it is then not
trusted, and the process gets a private folder of its own instead, which only costs the reuse.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def own_folder(kind: str, name: str) -> Path:
    """`<tmp>/rolepack-<kind>-<uid>/<name>`, made 0700 if need be, or a fresh private folder."""
    root = Path(tempfile.gettempdir()) / f"rolepack-{kind}-{os.getuid()}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        if root.lstat().st_uid == os.getuid() and root.is_dir() and not root.is_symlink():
            (root / name).mkdir(mode=0o700, exist_ok=True)
            return root / name
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix=f"rolepack-{kind}-"))


@contextmanager
def held(lock: Path) -> Iterator[None]:
    """An advisory lock of the operating system's on `lock`, held for the block: a process that
    makes what another is making waits for it instead of making it twice. A process that dies lets
    go of it; a lock that cannot be made costs only the waiting (the work may be done twice)."""
    try:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def write_atomically(path: Path, data: bytes) -> None:
    """Written through a temporary file and renamed, so a process reading meanwhile never sees
    half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def kept_pickle(path: Path, make: Callable[[], object], accept: Callable[[object], bool]) -> object:
    """What `make` returns, kept pickled at `path` (in one of `own_folder`'s folders: its entries
    are code): loaded when it is there and `accept`ed, else made and kept. A copy that does not
    load (cut short, of another shape) is made again; a full disk only costs the next process the
    making."""
    try:
        found = pickle.loads(path.read_bytes())
        if accept(found):
            return found
    except Exception:  # missing, cut short, or from another shape of the code
        pass
    made = make()
    try:
        write_atomically(path, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
    return made
