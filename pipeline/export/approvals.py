"""Where a role stands: its state on the build's date, held back to review when the approvals a
company requires are missing, or when the content changed since someone approved it.

Approvals live in `content/approvals.yaml` (schema/approvals.py), appended by `rolepack approve`,
one line each, so a diff shows who approved what; nothing else writes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.check.models import validate_model
from pipeline.check.role_checks import RoleFacts
from pipeline.export.store import atomic_write
from pipeline.problems import ContentError
from pipeline.render.html import company_for, content_digest
from pipeline.schema import CompanyFile, Role
from pipeline.schema.approvals import Approval, Approvals
from pipeline.source.yaml_reader import read_yaml

APPROVALS_FILE = "approvals.yaml"
HEADER = ("# Who approved which content of each role, and when: `rolepack approve` adds a line; an edit to the\n"
          "# role, a role it extends or the company text it prints changes its digest, and the approval lapses.\n"
          "approvals:\n")


@dataclass(frozen=True)
class Standing:
    state: str
    """The state that counts: draft, review, approved or closed."""
    declared: str
    why: str = ""
    current: tuple[Approval, ...] = ()
    """Approvals of the content as it is now."""
    lapsed: tuple[Approval, ...] = ()
    """Approvals of an earlier version."""
    missing: tuple[str, ...] = field(default=())


def load_approvals(content: Path) -> tuple[Approval, ...]:
    """Every approval recorded in the folder (none when there is no file), or ContentError, located."""
    file = content / APPROVALS_FILE
    if not file.is_file():
        return ()
    located = read_yaml(file)
    found, problems = validate_model(Approvals, located.data if located.data is not None else {}, [located])
    if found is None:
        raise ContentError(problems)
    return tuple(found.approvals)


def digest_of(role: Role, company: CompanyFile) -> str:
    """What an approval covers: the merged role (its parents included) and the company text it prints."""
    return content_digest(role, company_for(role, company))


def field_digests(role: Role, company: CompanyFile) -> dict[str, str]:
    """A short digest of each part an approval covers: each top-level field of the role, and `company`."""
    def short(value: object) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:8]

    written = role.model_dump(mode="json", exclude={"state"}, exclude_defaults=True)  # as content_digest counts
    parts = {key: short(written.get(key)) for key in type(role).model_fields if key != "state"}
    parts["company"] = short(company_for(role, company).model_dump(mode="json", exclude_defaults=True))
    return parts


def standing(slug: str, role: Role | RoleFacts, company: CompanyFile, approvals: tuple[Approval, ...],
             required: tuple[str, ...], day: dt.date) -> Standing:
    """Where the role stands on `day`. Its facts serve when no approval names it: there is then no
    digest to compare, and a catalogue of thousands need not load every model to publish."""
    state = role.state_on(day)
    mine = [a for a in approvals if a.role == slug]
    if mine and not isinstance(role, Role):
        raise TypeError(f"{slug}: an approval names the role, so its standing needs the role itself")
    digest = digest_of(role, company) if mine else ""
    current = tuple(a for a in mine if a.digest == digest)
    lapsed = tuple(a for a in mine if a.digest != digest)
    missing = tuple(part for part in required if part not in {a.part for a in current})
    if state != "approved":
        why = {"review": "is in review; it is published once approved (state: approved)",
               "closed": "is closed", "draft": "is a draft"}[state]
        return Standing(state, role.state, why, current, lapsed, missing)
    if missing:
        return Standing("review", role.state, f"is waiting for approval by {', '.join(missing)}"
                        + (_lapsed(lapsed, field_digests(role, company)) if lapsed and not current else ""),
                        current, lapsed, missing)
    if lapsed and not current:
        return Standing("review", role.state, "has changed" + _lapsed(lapsed, field_digests(role, company))
                        .split("changed", 1)[1], current, lapsed, missing)
    return Standing("approved", role.state, "", current, lapsed, missing)


def _lapsed(lapsed: tuple[Approval, ...], now: dict[str, str]) -> str:
    last = max(enumerate(lapsed), key=lambda pair: (pair[1].on, pair[0]))[1]  # the latest; on one day, the last written
    changed = sorted(k for k in set(last.fields) | set(now) if last.fields and last.fields.get(k) != now.get(k))
    which = f" ({', '.join(changed)})" if changed else ""
    return (f"; the content changed{which} since {last.by} ({last.part}) approved it on {last.on.isoformat()}: "
            "approve it again (`rolepack approve`)")


def approval_line(approval: Approval) -> str:
    """One approval as the line `rolepack approve` appends: flow style, readable in a diff."""
    by = approval.by.replace("\\", "\\\\").replace('"', '\\"')
    fields = ", ".join(f'{key}: "{value}"' for key, value in approval.fields.items())  # quoted: 12345678 is text
    return (f'  - {{role: {approval.role}, by: "{by}", as: {approval.part}, on: {approval.on.isoformat()}, '
            f"digest: {approval.digest}" + (f", fields: {{{fields}}}" if fields else "") + "}\n")


def record_approval(content: Path, approval: Approval) -> Path:
    """Append the approval to the folder's approvals file (made with its header when there is none)."""
    file = content / APPROVALS_FILE
    text = file.read_text(encoding="utf-8") if file.is_file() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    if "approvals:" not in text:
        text += "approvals:\n"
    atomic_write(file, (text + approval_line(approval)).encode("utf-8"))
    return file
