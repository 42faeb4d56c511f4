"""What the last build saw of its outputs on this machine: each one's status, and when it looked.

Like Git's index, an output whose status (times, size, inode) is the one seen, and that had
settled (RACY_NS) before it was seen, is taken to hold the bytes the state records for it, so a
rebuild of thousands of documents reads none it did not change. Statuses belong to this machine
and this copy of the folder, so they live apart from the manifest, state and record, which stay
the same wherever a build runs; without this file every output is read and hashed, as before.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from stat import S_ISREG

from pipeline.source.digests import RACY_NS, status

SEEN = ".rolepack-seen.json"


class Seen:
    """The statuses a build saw, as read when this build started."""

    def __init__(self, out: Path) -> None:
        try:
            record = json.loads((out / SEEN).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            record = None
        ok = (isinstance(record, dict) and isinstance(record.get("seen_ns"), int)
              and isinstance(record.get("statuses"), dict) and isinstance(record.get("fresh"), dict))
        self.seen_ns: int = record["seen_ns"] if ok else 0
        self.statuses: dict = record["statuses"] if ok else {}
        self.fresh: dict | None = record["fresh"] if ok else None
        """The no-op shortcut's inputs too fresh for their statuses (shortcut.Digest.fresh) when its
        record was made; None when unknown, which no shortcut trusts."""

    def vouches(self, path: str, info: os.stat_result) -> bool:
        """Whether the file at `path` (relative to the output folder) is as it was seen, settled."""
        return (S_ISREG(info.st_mode) and self.statuses.get(path) == list(status(info))
                and self.seen_ns - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS)


def remember_seen(out: Path, statuses: Mapping[str, os.stat_result], *, fresh: dict | None = None) -> None:
    """Record each output's status as given, taken after its bytes were last found to be the state's
    (a file that is not a regular one is left out: read next time), and the shortcut's fresh inputs
    when given (else those recorded are kept)."""
    if fresh is None:
        fresh = Seen(out).fresh
    _write(out, time.time_ns(), {path: list(status(info)) for path, info in statuses.items() if S_ISREG(info.st_mode)},
           fresh)


def remember_fresh(out: Path, fresh: dict) -> None:
    """Record the shortcut's fresh inputs beside the statuses the build recorded (a successful
    build's, so its statuses need not be taken again)."""
    seen = Seen(out)
    _write(out, seen.seen_ns, seen.statuses, fresh)


def _write(out: Path, seen_ns: int, statuses: dict, fresh: dict | None) -> None:
    body = json.dumps({"seen_ns": seen_ns, "statuses": statuses, "fresh": fresh}, sort_keys=True) + "\n"
    temporary = out / f".{SEEN}.{os.getpid()}.tmp"
    try:
        temporary.write_text(body, encoding="utf-8")
        os.replace(temporary, out / SEEN)
    except OSError:  # a read-only folder only costs the next build a hashing pass
        temporary.unlink(missing_ok=True)
