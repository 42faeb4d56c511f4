"""`rolepack list`: each role file's title and whether it is valid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.check.catalogue import inspect_content
from pipeline.problems import ContentError, file_key, files_with_problems
from pipeline.source.yaml_reader import read_yaml


def _raw_title(path: Path) -> str:
    """The title an invalid role's own file writes, so the list still says which role it is."""
    try:
        title = read_yaml(path).data.get("title")
    except ContentError:
        return "(unreadable)"
    return title if isinstance(title, str) else "(no title)"


def role_rows(content: Path, *, today: dt.date) -> list[tuple[str, str, str]]:
    """(slug, title, "valid" | "invalid" | "draft") per role file; a role is invalid if any problem names
    its file, and a draft (`state: draft`) is set aside whatever it still lacks."""
    report = inspect_content(content, today=today)
    bad = files_with_problems(report.problems)
    rows = []
    for path in sorted((content / "roles").glob("*.yaml")):
        slug = next((s for s, f in report.files.items() if f == path), path.stem)
        if slug in report.drafts:
            rows.append((slug, _raw_title(path), "draft"))
            continue
        role = report.roles.get(slug)
        valid = role is not None and report.company is not None and file_key(path) not in bad
        rows.append((slug, role.title if role else _raw_title(path), "valid" if valid else "invalid"))
    return rows
