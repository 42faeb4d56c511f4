"""The no-op shortcut: when nothing a build reads has changed since it last succeeded, say so at once.

A nightly export mostly finds nothing to do, and for a big catalogue most of that nothing is
reading and validating every role file. The digest here covers everything a build can read or be
told: rolepack's engine, every file under the content and layouts folders, the options, and the
date (the stale-pay and future-date rules depend on it). When it equals the digest of the last
successful build and every output still matches the manifest's hash, the build is a no-op; what
that build warned about is printed again, so the answer does not depend on which path ran.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.export.inputs import engine_fingerprint
from pipeline.source.digests import tree_digest
from pipeline.export.store import RECORD, inside, read_manifest, real_folders, write_if_changed


def build_digest(content: Path, layouts: Path, options: dict) -> str:
    digest = hashlib.sha256(engine_fingerprint(layouts).encode())
    for tree in (content, layouts):
        digest.update(tree_digest(tree).encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _intact(out: Path) -> int | None:
    """How many outputs the manifest lists, if every one is on disk with its recorded hash."""
    entries = read_manifest(out)
    for entry in entries:
        file = inside(out, entry["path"])
        if file is None or not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != entry.get("sha256"):
            return None
    return len(entries)


def unchanged(out: Path, digest: str) -> tuple[int, list[str], int] | None:
    """(outputs, what the last build warned about, documents it skipped) when this build would change
    nothing; else None."""
    try:
        record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable: a real build decides
        return None
    if not isinstance(record, dict) or record.get("digest") != digest:
        return None
    if any(name.startswith(".") and name.endswith(".tmp")  # a killed build's leftovers: a real build clears them
           for _, _, files in real_folders(out) for name in files):
        return None
    count = _intact(out)
    lines = record.get("warnings")
    skipped = record.get("skipped")
    if count is None or count != record.get("outputs") or not isinstance(lines, list) or not isinstance(skipped, int):
        return None
    return count, [str(line) for line in lines], skipped


def remember(out: Path, digest: str, warnings: list[str], skipped: int) -> None:
    """Record a successful, complete build, so that the next identical one can be a shortcut."""
    body = {"digest": digest, "outputs": len(read_manifest(out)), "warnings": warnings, "skipped": skipped}
    write_if_changed(out / RECORD, (json.dumps(body, indent=1) + "\n").encode("utf-8"))
