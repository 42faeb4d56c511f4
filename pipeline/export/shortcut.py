"""The no-op shortcut: when nothing a build reads has changed since it last succeeded, say so at once.

A nightly export mostly finds nothing to do, and for a big catalogue most of that nothing is
reading and validating every role file. The digest here covers everything a build can read or be
told: rolepack's engine, every file under the content and layouts folders, the options, and the
date (the stale-pay and future-date rules depend on it). When it equals the digest of the last
successful build and every output still matches the manifest's hash, the build is a no-op; what
that build warned about is printed again, so the answer does not depend on which path ran.

Files are compared by status (times, size, inode), as Git's index does, so a no-op reads no
content file and, once its outputs were verified after they settled, no output either. A status
is trusted only for a file that last changed more than RACY_NS before it was taken; until then
the bytes are hashed and compared.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from pipeline.export.engine import engine_fingerprint
from pipeline.source.digests import RACY_NS, status, tree_digest, tree_status
from pipeline.export.store import RECORD, inside, read_manifest, real_folders, write_if_changed


@dataclass(frozen=True)
class Digest:
    """Everything a build can read or be told, from the files' names and statuses (a changed file
    is one whose status moved, so nothing is read); and, when a file changed too recently for its
    status to be trusted (it could change again within its time stamp's resolution), the bytes'
    digest as well, which the next build compares instead."""

    status: str
    content: str | None


def build_digest(content: Path, layouts: Path, options: dict) -> Digest:
    started = time.time_ns()
    digest = hashlib.sha256(engine_fingerprint(layouts).encode())
    newest = 0
    for tree in (content, layouts):
        statuses, changed = tree_status(tree)
        digest.update(statuses.encode())
        newest = max(newest, changed)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    return Digest(digest.hexdigest(), None if started - newest > RACY_NS else _bytes(content, layouts))


def _bytes(content: Path, layouts: Path) -> str:
    return hashlib.sha256(f"{tree_digest(content)} {tree_digest(layouts)}".encode()).hexdigest()


def _statuses(out: Path, entries: list[dict]) -> tuple[str, int] | None:
    """The outputs' statuses as one digest, and their newest change; None if one is missing."""
    digest, newest = hashlib.sha256(), 0
    for entry in entries:
        file = inside(out, entry["path"])
        try:
            info = file.stat() if file is not None else None
        except OSError:
            info = None
        if info is None or not S_ISREG(info.st_mode):
            return None
        digest.update(f"{entry['path']}\0{status(info)}\0".encode())
        newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
    return digest.hexdigest(), newest


def _intact(out: Path, record: dict) -> tuple[int, bool] | None:
    """How many outputs the manifest lists, if every one is on disk with its recorded hash, and
    whether that was found by reading them (so the record can say they are verified as of now).

    Like Git's index, a status is trusted to stand for the bytes only when the outputs last changed
    well before they were last verified; otherwise every output is read and hashed."""
    entries = read_manifest(out)
    seen = _statuses(out, entries)
    if seen is None:
        return None
    verified = record.get("verified_ns")
    if seen[0] == record.get("statuses") and isinstance(verified, int) and verified - seen[1] > RACY_NS:
        return len(entries), False
    for entry in entries:
        file = inside(out, entry["path"])
        if file is None or not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != entry.get("sha256"):
            return None
    return len(entries), True


def _record(out: Path) -> dict | None:
    try:
        record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable: a real build decides
        return None
    return record if isinstance(record, dict) else None


def unchanged(out: Path, digest: Digest, content: Path, layouts: Path) -> tuple[int, list[str], int] | None:
    """(outputs, what the last build warned about, documents it skipped) when this build would change
    nothing; else None."""
    record = _record(out)
    if record is None or record.get("digest") != digest.status:
        return None
    if record.get("content") is not None and record["content"] != (digest.content or _bytes(content, layouts)):
        return None  # its statuses were too fresh to stand for the bytes, and the bytes differ
    if any(name.startswith(".") and name.endswith(".tmp")  # a killed build's leftovers: a real build clears them
           for _, _, files in real_folders(out) for name in files):
        return None
    intact = _intact(out, record)
    lines = record.get("warnings")
    skipped = record.get("skipped")
    if intact is None or intact[0] != record.get("outputs") or not isinstance(lines, list) or not isinstance(skipped, int):
        return None
    if intact[1] or (record.get("content") is not None and digest.content is None):
        _write(out, {**record, "content": digest.content})  # verified now: statuses stand for the bytes
    return intact[0], [str(line) for line in lines], skipped


def remember(out: Path, digest: Digest, warnings: list[str], skipped: int) -> None:
    """Record a successful, complete build, so that the next identical one can be a shortcut."""
    _write(out, {"digest": digest.status, "content": digest.content, "outputs": len(read_manifest(out)),
                 "warnings": warnings, "skipped": skipped})


def _write(out: Path, record: dict) -> None:
    seen = _statuses(out, read_manifest(out))
    body = {**record, "statuses": seen[0] if seen else None, "verified_ns": time.time_ns()}
    write_if_changed(out / RECORD, (json.dumps(body, indent=1) + "\n").encode("utf-8"))
