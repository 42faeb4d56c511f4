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

from pipeline.export.engine import engine_fingerprint
from pipeline.export.seen import Seen, remember_fresh, remember_seen
from pipeline.source.digests import tree_status
from pipeline.source.regular_files import NotAFile, read_regular
from pipeline.export.store import RECORD, Walk, read_manifest, walk_outputs, write_if_changed


READ_LIMIT = 1 << 30
"""Larger than any file a build reads (a font, a role); only a bound on a hostile one."""


@dataclass(frozen=True)
class Digest:
    """Everything a build can read or be told, from the files' names and statuses (a changed file
    is one whose status moved, so nothing is read); and the bytes' digest of each file that
    changed too recently for its status to be trusted (it could change again within its time
    stamp's resolution), which the next build compares instead."""

    status: str
    fresh: dict[str, str]
    """`content:roles/x.yaml` (or `layouts:…`) → the SHA-256 of its bytes."""
    trees: dict[str, Path]

    def bytes_now(self, name: str) -> str:
        """The digest of a file named as in `fresh`, as it is now; only inside the two trees."""
        return _bytes_now(self.trees, name)


def _bytes_now(trees: dict[str, Path], name: str) -> str:
    tree, _, relative = name.partition(":")
    parts = Path(relative).parts
    if tree not in trees or not parts or Path(relative).is_absolute() or ".." in parts:
        return "outside"
    path = trees[tree] / relative
    if path.is_symlink():  # hashed by where it points (tree_status), never followed
        return "link"
    try:  # never blocks: a FIFO or device among the content is named, not opened for reading
        return hashlib.sha256(read_regular(path, READ_LIMIT)).hexdigest()
    except NotAFile as err:
        return f"not a file: {err}"


def build_digest(content: Path, layouts: Path, options: dict) -> Digest:
    now = time.time_ns()
    digest = hashlib.sha256(engine_fingerprint(layouts).encode())
    trees = {"content": content, "layouts": layouts}
    fresh: dict[str, str] = {}
    for name, tree in trees.items():
        statuses, recent = tree_status(tree, now)
        digest.update(statuses.encode())
        for path in recent:
            key = f"{name}:{path.relative_to(tree)}"
            fresh[key] = _bytes_now(trees, key)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    return Digest(digest.hexdigest(), fresh, trees)


def _intact(out: Path, digest: Digest, walk: Walk) -> int | None:
    """How many outputs the manifest lists, if every one is on disk with its recorded hash: as the
    last build saw them (export/seen; their statuses as the walk found them), else read and hashed,
    after which their statuses are recorded."""
    entries = read_manifest(out)
    seen = Seen(out)
    walked = walk.files
    paths = [entry["path"] for entry in entries]
    if any(path not in walked for path in paths):  # gone, not a regular file, or reached through a link
        return None
    vouched = all(seen.vouches(path, walked[path]) for path in paths)
    if vouched and seen.fresh == digest.fresh:
        return len(entries)
    if not vouched:
        for entry in entries:
            try:
                data = (out / entry["path"]).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                return None
    settled = walk.settled()
    remember_seen(out, {path: settled[path] for path in paths if path in settled}, fresh=digest.fresh)  # found whole
    return len(entries)


def _record(out: Path) -> dict | None:
    try:
        record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable: a real build decides
        return None
    return record if isinstance(record, dict) else None


def unchanged(out: Path, digest: Digest) -> tuple[int, list[str], int] | None:
    """(outputs, what the last build warned about, documents it skipped) when this build would change
    nothing; else None."""
    record = _record(out)
    if record is None or record.get("digest") != digest.status:
        return None
    fresh = Seen(out).fresh
    if fresh is None or any(digest.bytes_now(str(name)) != sha for name, sha in fresh.items()):
        return None  # a file too fresh for its status to stand for its bytes has other bytes now
    try:
        walked = walk_outputs(out)
    except OSError:  # a folder that cannot be read: a real build decides
        return None
    if walked.leftovers:  # a killed build's staged files: a real build clears them
        return None
    count = _intact(out, digest, walked)
    lines = record.get("warnings")
    skipped = record.get("skipped")
    if count is None or count != record.get("outputs") or not isinstance(lines, list) or not isinstance(skipped, int):
        return None
    return count, [str(line) for line in lines], skipped


def remember(out: Path, digest: Digest, warnings: list[str], skipped: int, outputs: int) -> None:
    """Record a successful, complete build, so that the next identical one can be a shortcut;
    `outputs`: the entries of the manifest it wrote."""
    body = {"digest": digest.status, "outputs": outputs, "warnings": warnings, "skipped": skipped}
    write_if_changed(out / RECORD, (json.dumps(body, indent=1) + "\n").encode("utf-8"))
    remember_fresh(out, digest.fresh)
