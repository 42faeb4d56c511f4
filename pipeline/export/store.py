"""Writing outputs so that a reader never sees a half-written file, and the manifest stays true.

Each file is written to a temporary name beside it and renamed into place (atomic on POSIX). The
manifest is written the same way, last. A lock keeps two scheduled runs from interleaving. When
the folder cannot be read or written (a full disk, a read-only mount, a file where a folder
should be, a manifest that is not JSON), OutputError names the path and why, for one line of a
nightly log; the file being written is then left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from pipeline.export.seen import SEEN
from pipeline.source.digests import recent

MANIFEST = "manifest.json"
STATE = ".rolepack-state.json"
RECORD = ".rolepack-build.json"
"""The no-op shortcut's record of the last complete build (export/shortcut): the manifest owns
its lifetime, since a new manifest must drop it."""
LOCK = ".rolepack.lock"


class OutputError(Exception):
    """The output folder cannot be read or written as a build needs; the message names the path and why."""


def _cause(err: OSError | ValueError, path: Path) -> str:
    """Why `path` could not be read or written, in the words of the folder rather than of errno."""
    if isinstance(err, ValueError):
        return f"not JSON ({err})"
    if isinstance(err, (FileExistsError, NotADirectoryError)):
        for folder in [path, *path.parents]:
            if folder.exists() and not folder.is_dir():
                return f"{folder} is a file, not a folder"
    return err.strerror or str(err)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` by `data` all at once; OutputError when it cannot, the old file then intact."""
    try:
        _replace(path, data)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {_cause(err, path)}") from None


def _replace(path: Path, data: bytes) -> None:
    tmp = _staged(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _staged(path: Path, data: bytes) -> str:
    """`data` in a temporary file beside `path`, flushed to disk: renaming it into place is all that is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


UNREACHABLE = ("the way to it passes through a symbolic link (or leaves the folder); rolepack writes only into "
               "real folders inside the output folder")
"""Why an output path that `inside` refuses is not written."""


class Staging:
    """Finished documents, each written beside its target as soon as it is rendered and published
    all at once at the end: the build holds no document's bytes while the others render, and a full
    disk or a read-only folder found on any file, or a build that fails or is stopped, leaves every
    old file in place; only the renames, which need no space, remain once the first one is made. A
    path through a symbolic link is refused before anything is written (see `inside`). A killed
    build's staged files are removed by the next build (run.py)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._staged: dict[str, tuple[Path, str]] = {}
        self._made: list[Path] = []
        """Folders made to stage into, outermost first: those left empty are removed again."""

    def add(self, relative: str, data: bytes) -> tuple[str, int]:
        """Stage `data` for `relative`; its SHA-256 and size, for the manifest. OutputError when it cannot."""
        if (path := inside(self.out, relative)) is None:
            raise OutputError(f"cannot write {self.out / relative}: {UNREACHABLE}")
        self._made += [folder for folder in reversed([*path.parents][:len(Path(relative).parts)]) if not folder.exists()]
        try:
            tmp = _staged(path, data)
        except OSError as err:
            raise OutputError(f"cannot write {path}: {_cause(err, path)}") from None
        self._drop(relative)
        self._staged[relative] = (path, tmp)
        return hashlib.sha256(data).hexdigest(), len(data)

    def publish(self, keep: Callable[[str], bool]) -> list[str]:
        """Move every staged file that `keep` accepts into place, in path order, and discard the
        rest; the paths published. OutputError if a rename fails (the files not yet moved stay as they were)."""
        published = []
        try:
            for relative in sorted(self._staged):
                if not keep(relative):
                    continue
                path, tmp = self._staged[relative]
                try:
                    os.replace(tmp, path)
                except OSError as err:
                    raise OutputError(f"cannot write {path}: {_cause(err, path)}") from None
                published.append(relative)
        finally:
            self.discard()
        return published

    def discard(self) -> None:
        """Remove every file still staged, and the folders made for them that are left empty."""
        for relative in list(self._staged):
            self._drop(relative)
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):  # not empty: a published file is in it
                folder.rmdir()
        self._made = []

    def _drop(self, relative: str) -> None:
        if (found := self._staged.pop(relative, None)) is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(found[1])


def write_if_changed(path: Path, data: bytes) -> None:
    """`atomic_write`, unless the file already holds exactly these bytes: a no-op build touches nothing."""
    if not _holds(path, data):
        atomic_write(path, data)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def entry(path: str, digest: tuple[str, int], **fields: str) -> dict:
    """A manifest entry from a file's SHA-256 and size; `inputs` (the input key) lets other tools
    tell why a file changed."""
    return {"path": path, **fields, "sha256": digest[0], "bytes": digest[1]}


def _record(path: Path) -> object:
    """The JSON a previous build left in `path` (None before the first build); OutputError if unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except RecursionError:  # JSON nested deeper than Python's stack: no build wrote it
        raise OutputError(f"cannot read {path}: its JSON is nested too deep to be a rolepack file; nothing was "
                          "changed (restore the file, or delete it and build again)") from None
    except (OSError, ValueError) as err:
        raise OutputError(f"cannot read {path}: {_cause(err, path)}; nothing was changed "
                          "(restore the file, or delete it and build again)") from None


def _outputs(out: Path) -> list:
    body = _record(out / MANIFEST)
    if body is None:
        return []
    if not isinstance(body, dict) or not isinstance(body.get("outputs"), list):
        raise OutputError(f"cannot read {out / MANIFEST}: not a rolepack manifest (no list of outputs); nothing "
                          "was changed (restore the file, or delete it and build again)")
    return body["outputs"]


def read_manifest(out: Path) -> list[dict]:
    """The previous build's entries; an unreadable manifest counts as none (a build has already
    refused it in `read_state`)."""
    try:
        return _entries(_outputs(out))
    except OutputError:
        return []


def _entries(outputs: list) -> list[dict]:
    return [o for o in outputs if isinstance(o, dict) and isinstance(o.get("path"), str)]


def write_manifest(out: Path, outputs: list[dict]) -> None:
    """Write the manifest; when it changes, first drop the no-op shortcut's record of the last build.

    That record says "these inputs made this folder" and is trusted when the manifest still
    matches the files. Once a new manifest is in place, an earlier build's record would make a
    build of that earlier content (an edit reverted) report up to date while the newer documents
    stay published; and a build killed before it records itself must not leave the old one.
    One output a line: readable, and written by json's C encoder (an indented dump runs in Python,
    three times slower: 34 ms for 5,000 outputs).
    """
    entries = [json.dumps(o, ensure_ascii=False) for o in sorted(outputs, key=lambda o: o["path"])]
    data = ('{"outputs": [\n' + "".join(f"  {e},\n" for e in entries[:-1]) + "".join(f"  {e}\n" for e in entries[-1:])
            + "]}\n").encode("utf-8")
    if not _holds(out / MANIFEST, data):
        discard(out / RECORD)
        atomic_write(out / MANIFEST, data)


def read_state(out: Path) -> tuple[dict, list[dict]]:
    """Input keys of the outputs on disk, from the last build, and its manifest's entries (none
    before the first one): the manifest is read once a build (5,000 entries: 10 ms a reading).

    The manifest is read here too, because this is the first thing a build reads: with either
    file unreadable, a build cannot tell which files are its own or what made them, and a guess
    would drop other roles from the manifest or leave stale files published. So it stops with
    OutputError before it renders or writes anything.
    """
    outputs = _outputs(out)
    state = _record(out / STATE)
    if state is not None and not isinstance(state, dict):
        raise OutputError(f"cannot read {out / STATE}: not a rolepack state file; nothing was changed "
                          "(restore the file, or delete it and build again)")
    return state or {}, _entries(outputs)


def write_state(out: Path, state: dict) -> None:
    """Compact: the build's own file, which nobody reads (json's C encoder writes only unindented JSON)."""
    write_if_changed(out / STATE, (json.dumps(state, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8"))


def discard(path: Path) -> None:
    """Remove one of the build's own files if it is there; OutputError when the folder refuses."""
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise OutputError(f"cannot remove {path}: {_cause(err, path)}") from None


OWN_FILES = frozenset({MANIFEST, STATE, RECORD, LOCK, SEEN})
"""The build's own files at the top of the output folder: never an output, never removed as one."""


def inside(out: Path, relative: str, is_link: Callable[[str], bool] = os.path.islink) -> Path | None:
    """`out / relative` when it is an output's place: a relative path with no `..`, not one of the
    build's own files, reached through real folders only. A symbolic link on the way (or the file
    itself a link) could lead a write or a removal outside the folder, so it is refused, whatever
    it points to. (A manifest is data, not a list of paths to trust.)"""
    parts = [part for part in relative.replace(os.sep, "/").split("/") if part not in ("", ".")]  # as PurePath reads it
    if not parts or relative.startswith(("/", os.sep)) or ".." in parts or (len(parts) == 1 and parts[0] in OWN_FILES):
        return None
    path = str(out)
    for part in parts:  # strings, not Paths: a no-op build asks this of every output
        path = os.path.join(path, part)
        if is_link(path):
            return None
    return Path(path)


@dataclass(frozen=True)
class Walk:
    """What one walk of the output folder found, never through a symbolic link."""

    files: dict[str, os.stat_result]
    """Each regular file's status, by its path as a manifest writes it (`brand/role/name.pdf`): a
    file found here was reached through real folders only, so it is an output's place (`inside`)
    and needs no asking path by path."""
    leftovers: list[Path]
    """Staged files a killed build left (`.name….tmp`), which the next build removes."""
    taken_ns: int
    """When the walk began: a status stands for a file's bytes only if the file had settled by then
    (`settled`)."""

    def settled(self) -> dict[str, os.stat_result]:
        """The statuses of the files that had not changed for RACY_NS when they were taken: only
        those may be recorded for the next build (export/seen). A file changed just before the walk
        could change again after it, within its time stamp's resolution, and keep its status."""
        return {path: info for path, info in self.files.items() if not recent(info, self.taken_ns)}


def walk_outputs(out: Path) -> Walk:
    """One walk of `out` (os.scandir, not pathlib: at 5,000 outputs, checking each path on its own
    and a Path's stat for each were a quarter of a no-op build)."""
    files: dict[str, os.stat_result] = {}
    leftovers: list[Path] = []
    taken_ns = time.time_ns()
    folders = [("", str(out))]
    while folders:
        prefix, folder = folders.pop()
        try:
            found = os.scandir(folder)
        except FileNotFoundError:  # no output folder yet, or a folder removed while walking
            continue
        with found:
            for item in found:
                if item.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{item.name}/", item.path))
                    continue
                if item.name.startswith(".") and item.name.endswith(".tmp"):
                    leftovers.append(Path(item.path))
                info = item.stat(follow_symlinks=False)
                if S_ISREG(info.st_mode):
                    files[prefix + item.name] = info
    return Walk(files, leftovers, taken_ns)


def remove_emptied(out: Path, removed: Iterable[str]) -> None:
    """The folders that held removed outputs, deepest first, when nothing is left in them."""
    folders = {parent for path in removed for parent in Path(out, path).parents
               if parent.is_relative_to(out) and parent != out}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty, or gone
            folder.rmdir()


def _holder(handle) -> str:
    """The process id in the lock file, waiting a moment for a build that has taken the lock but not yet
    written its id."""
    for _ in range(20):
        handle.seek(0)
        if holder := handle.read().strip():
            return holder
        time.sleep(0.05)
    return ""


class OutputLocked(Exception):
    """Another build holds the output folder."""

    def __init__(self, out: Path, holder: str, waited: float) -> None:
        self.holder = holder
        who = f"process {holder}" if holder else "another process"
        super().__init__(f"another build ({who}) is using {out}; gave up after waiting {waited:g} s "
                         "(use --wait SECONDS to wait longer)")




@contextlib.contextmanager
def locked(out: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for a whole build, waiting up to `wait` seconds.

    The lock is an flock, which the kernel drops when its process dies, so a killed build never
    blocks the next one; the file holds the holder's process id so a waiting build can name it.
    """
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot make the output folder {out}: {_cause(err, out)}") from None
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
    try:  # never through a link: opening one would truncate whatever it points to
        handle = os.fdopen(os.open(out / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644), "r+")
    except OSError as err:
        why = ("it is a symbolic link; remove it (the lock is a plain file the build makes)"
               if err.errno == errno.ELOOP else _cause(err, out / LOCK))
        raise OutputError(f"cannot lock {out / LOCK}: {why}") from None
    with handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputLocked(out, _holder(handle), wait) from None
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
