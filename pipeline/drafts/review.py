"""`rolepack redline ROLE --since REV [--to REV]`: the two versions of the content, built and marked up.

A version is a git revision of the content folder (read with `git archive`, never checked out, so
the working tree is untouched) or a role file standing in for the role's current one. Both versions
must validate; the newer one's document is built and every change since the older one is tracked.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.catalogue import Catalogue, load_catalogue
from pipeline.drafts.rebuild import RebuildError, draft_bytes
from pipeline.drafts.reading import read_draft
from pipeline.drafts.redline import Marked, mark_changes
from pipeline.problems import ContentError


class RedlineError(ValueError):
    """Why no redline can be made; nothing is written."""


@dataclass(frozen=True)
class RedlineRequest:
    role: str
    since: str
    to: str | None
    kind: str
    brand: str
    content: Path
    layouts: Path
    today: dt.date


def content_at(version: str, content: Path, role: str, scratch: Path) -> Path:
    """The content folder as it was at `version`: a role file's path, or a git revision."""
    candidate = Path(version)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        copy = scratch / "content"
        shutil.copytree(content, copy, symlinks=True)
        shutil.copy(candidate, copy / "roles" / f"{role}.yaml")
        return copy
    try:
        top = subprocess.run(["git", "-C", str(content), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True, timeout=60).stdout.strip()
        relative = content.resolve().relative_to(Path(top).resolve())
        archive = subprocess.run(["git", "-C", top, "archive", "--format=tar", version, "--", str(relative)],
                                 capture_output=True, check=True, timeout=120).stdout
    except FileNotFoundError:
        raise RedlineError(f"{version!r} is not a role file, and git is not installed to read it as a revision") from None
    except subprocess.CalledProcessError as err:
        said = (err.stderr.decode(errors="replace") if isinstance(err.stderr, bytes) else err.stderr or "").strip()
        raise RedlineError(f"{version!r} is neither a role file nor a git revision of {content} "
                           f"(git: {said.splitlines()[-1] if said else 'failed'})") from None
    except ValueError:
        raise RedlineError(f"{content} is not inside its git repository's work tree") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch / "at", filter="data")
    folder = scratch / "at" / relative
    if not folder.is_dir():
        raise RedlineError(f"{content} did not exist at {version}")
    return folder


def _catalogue(folder: Path, request: RedlineRequest, version: str) -> Catalogue:
    try:
        catalogue = load_catalogue(folder, today=request.today, layouts=request.layouts)
    except ContentError as err:
        errors = "; ".join(str(p) for p in err.problems if p.severity == "error")
        raise RedlineError(f"the content at {version} does not validate: {errors}") from None
    if request.role not in catalogue.roles:
        raise RedlineError(f"the content at {version} has no role {request.role!r}")
    return catalogue


def redline(request: RedlineRequest) -> tuple[bytes, Marked]:
    with tempfile.TemporaryDirectory(prefix="rolepack-redline-") as scratch:
        root = Path(scratch)
        (root / "old").mkdir()
        old = _catalogue(content_at(request.since, request.content, request.role, root / "old"), request, request.since)
        if request.to:
            (root / "new").mkdir()
            newer = content_at(request.to, request.content, request.role, root / "new")
        else:
            newer = request.content
        new = _catalogue(newer, request, request.to or "the working content")
        try:
            before = draft_bytes(old, request.role, request.kind, request.brand, request.layouts, request.content)
            after = draft_bytes(new, request.role, request.kind, request.brand, request.layouts, request.content)
        except RebuildError as err:
            raise RedlineError(str(err)) from None
    return mark_changes(after, read_draft(before).record, read_draft(after).record, request.today)
