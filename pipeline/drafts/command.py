"""`rolepack merge`: a draft that came back, read, compared three ways, reported, and with `--apply`
written into the role file in place, only when the result still validates and lints no worse.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.catalogue import Catalogue, load_catalogue
from pipeline.drafts.merging import Choice, Plan, resolve
from pipeline.drafts.proposals import Proposal, Reading, read_proposals
from pipeline.drafts.reading import Draft, DraftError, read_draft
from pipeline.drafts.yaml_edit import EditError, Note, apply_edits
from pipeline.export.store import OutputError, atomic_write
from pipeline.lint.engine import lint
from pipeline.problems import ContentError, listed
from pipeline.drafts.rebuild import RebuildError, draft_bytes
from pipeline.render.docx.record import Record, source_label, source_path
from pipeline.render.html import KINDS, KIT
from pipeline.schema import Role
from pipeline.source.extends import merge_chain

MAX_DRAFT_BYTES = 20 * 1024 * 1024
EXIT_MERGED, EXIT_OPEN, EXIT_INVALID = 0, 1, 2


@dataclass(frozen=True)
class MergeRequest:
    drafts: tuple[Path, ...]
    content: Path
    layouts: Path
    apply: bool
    choice: Choice
    today: dt.date


class MergeStop(Exception):
    """This draft cannot be merged; the message says why and what to do."""


def merge_drafts(request: MergeRequest, say: Callable[[str], None]) -> int:
    worst = EXIT_MERGED
    for path in request.drafts:
        try:
            worst = max(worst, _merge_one(path, request, say))
        except MergeStop as stop:
            say(f"error: {path}: {stop}")
            worst = EXIT_INVALID
    return worst


def _read(path: Path) -> Draft:
    try:
        if not path.is_file():
            raise MergeStop("there is no such file" if not path.exists() else "it is not a file")
        if path.stat().st_size > MAX_DRAFT_BYTES:
            raise MergeStop(f"it is larger than the {MAX_DRAFT_BYTES // 2**20} MB a draft can be")
        return read_draft(path.read_bytes())
    except DraftError as err:
        raise MergeStop(str(err)) from None
    except OSError as err:
        raise MergeStop(f"it cannot be read ({err.strerror or err})") from None


def _catalogue(request: MergeRequest, content: Path | None = None) -> Catalogue:
    try:
        return load_catalogue(content or request.content, today=request.today, layouts=request.layouts)
    except ContentError as err:
        lines = "; ".join(str(p) for p in err.problems if p.severity == "error")
        raise MergeStop(f"the content does not validate, so nothing can be merged into it: {lines}") from None


def current_record(catalogue: Catalogue, record: Record, layouts: Path, content: Path) -> Record:
    """The record a draft of the same role, kind and brand would carry if built now."""
    try:
        data = draft_bytes(catalogue, record.role, record.kind, record.brand, layouts, content)
    except RebuildError as err:
        raise MergeStop(str(err)) from None
    return read_draft(data).record


def _merge_one(path: Path, request: MergeRequest, say: Callable[[str], None]) -> int:
    draft = _read(path)
    record = draft.record
    if record.purpose == "redline":
        raise MergeStop("it is a redline (`rolepack redline`), which shows changes for review; edits come back "
                        "through a draft: `rolepack email` or `rolepack build -f docx` makes one")
    if record.kind in (KIT, "debrief"):
        raise MergeStop(f"it is {'an interview kit' if record.kind == KIT else 'a debrief'}, whose edits do not come "
                        "back into the role; edit the hiring guide's draft (`rolepack build --kind hiring-guide -f docx`), "
                        "which prints the same interview plan, questions and scorecard")
    if record.kind not in KINDS:
        raise MergeStop(f"its record names a kind of document rolepack does not make ({record.kind!r})")
    catalogue = _catalogue(request)
    if record.role not in catalogue.roles:
        known = listed(sorted(catalogue.roles))
        raise MergeStop(f"it is a draft of the role {record.role!r}, which {request.content} no longer has "
                        f"(roles: {known}); restore the role file, or import the draft as a new role")
    chain = catalogue.chains.get(record.role, ())
    own = dict(chain[-1].data) if chain else {}
    merged = merge_chain(list(chain)) if chain else {}
    _check_sources(record, merged, path)
    current = current_record(catalogue, record, request.layouts, request.content)
    reading = read_proposals(record, draft.paragraphs)
    parent = str(catalogue.files.get(str(own.get("extends")), "")) if own.get("extends") else None
    plan = resolve(reading, record, current, request.choice, merged=merged, own=own, parent_file=parent)
    notes = _comments(draft, record)
    file = catalogue.files[record.role]
    for line in report_lines(path, record, current, reading, plan, notes, file):
        say(line)
    open_ = [i for i, o in plan.outcomes.items() if o.state in ("open", "conflict")]
    writable = plan.edits or any(r.source.startswith("role:") for r in notes)
    if request.apply and writable:
        _write(file, plan, notes, request, say)
    elif writable:
        say(f"Nothing written. Run again with --apply to write these changes into {file}.")
    return EXIT_OPEN if open_ else EXIT_MERGED


def _check_sources(record: Record, merged: dict, path: Path) -> None:
    """Every role field the record names must be one the role's schema has: a record whose places
    were altered is refused, never followed."""
    for piece in record.pieces:
        if piece.origin == "company":
            continue
        names = [step for step in piece.path if isinstance(step, str)]
        model: type | None = Role
        for name in names:
            fields = getattr(model, "model_fields", None)
            if fields is None:
                break
            if name not in fields:
                raise MergeStop(f"its record says piece {piece.number} came from {piece.source!r}, a field a role "
                                "does not have; the draft was altered outside rolepack, and nothing was merged")
            model = _inner_model(fields[name].annotation)


def _inner_model(annotation) -> type | None:
    """The pydantic model inside `X | None`, `list[X]`, `dict[str, X]` (None when there is none)."""
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and hasattr(current, "model_fields"):
            return current
        stack.extend(typing.get_args(current))
    return None


@dataclass(frozen=True)
class Remark:
    comment_id: str
    author: str
    date: str
    text: str
    anchored: str
    source: str


def _comments(draft: Draft, record: Record) -> list[Remark]:
    """Each comment with the text it is anchored to and the field that text came from."""
    found: dict[str, tuple[list[str], set[int]]] = {}
    for para in draft.paragraphs:
        for span in para.spans:
            for comment in span.comments:
                texts, pieces = found.setdefault(comment, ([], set()))
                texts.append(span.text)
                pieces.update(span.pieces)
    remarks = []
    for comment_id, comment in draft.comments.items():
        texts, pieces = found.get(comment_id, ([], set()))
        sources = [p.source for n in sorted(pieces) if (p := record.piece(n))]
        remarks.append(Remark(comment_id, comment.author, comment.date, comment.text, " ".join("".join(texts).split()),
                              sources[0] if sources else ""))
    return remarks


def _who(author: str, date: str) -> str:
    when = date.replace("T", " ").rstrip("Z")[:16]
    return ", ".join(x for x in (author or "someone", when) if x)


def _quote(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def report_lines(path: Path, record: Record, current: Record, reading: Reading, plan: Plan,
                 remarks: list[Remark], file: Path) -> list[str]:
    lines = [f"{path}: the {record.kind.replace('-', ' ')} of {record.role} ({record.language}, brand {record.brand}), "
             f"built from content {record.digest[:8]}; "
             + ("the role has not changed since." if current.digest == record.digest else
                f"the role has changed since (now {current.digest[:8]}): edits to other fields merge, "
                "an edit to a field changed on both sides is a conflict.")]
    if not reading.proposals and not remarks:
        lines.append("No edits: the draft says what the role says.")
        return lines
    groups = (("Edits (applied with --apply)", lambda p: p.tracked is None and p.action not in ("free", "printed", "order")),
              ("Tracked changes (applied only when accepted: --accept all, or --accept ID)", lambda p: p.tracked is not None),
              ("Not merged: text outside the role's fields, items moved", lambda p: p.tracked is None
               and p.action in ("free", "printed", "order")))
    for title, belongs in groups:
        chosen = [p for p in reading.proposals if belongs(p)]
        if chosen:
            lines.append("")
            lines.append(f"{title}:")
            for proposal in chosen:
                lines += _proposal_lines(proposal, plan, file)
    if remarks:
        lines.append("")
        lines.append("Comments:")
        for n, remark in enumerate(remarks, start=1):
            where = f" on “{_quote(remark.anchored, 80)}”" if remark.anchored else ""
            field = f" ({source_label(remark.source)})" if remark.source else ""
            lines.append(f"  C{n}  {_who(remark.author, remark.date)}{where}{field}: {_quote(remark.text)}")
    counts: dict[str, int] = {}
    for outcome in plan.outcomes.values():
        counts[outcome.state] = counts.get(outcome.state, 0) + 1
    summary = ", ".join(f"{n} {SUMMARY[state][n != 1]}" for state, n in sorted(counts.items()))
    lines.append("")
    lines.append(f"In all: {summary or 'nothing to merge'}.")
    return lines


SUMMARY = {"applies": ("change merges", "changes merge"), "same": ("already in the content",) * 2,
           "conflict": ("conflict", "conflicts"), "open": ("left open",) * 2, "rejected": ("rejected",) * 2}
STATES = {"applies": "merges", "same": "already in the content", "conflict": "CONFLICT", "open": "open",
          "rejected": "rejected"}


def _proposal_lines(proposal: Proposal, plan: Plan, file: Path) -> list[str]:
    outcome = plan.outcomes.get(proposal.id)
    state = STATES[outcome.state] if outcome else "open"
    who = f" by {_who(proposal.tracked.author, proposal.tracked.date)}" if proposal.tracked else ""
    if proposal.action == "add":
        what = f"{source_label(proposal.source)}: a new item" + (
            f" after [{proposal.after}]" if proposal.after is not None else " at the start")
    elif proposal.action == "remove":
        what = f"{source_label(proposal.source)}: removed"
    elif proposal.action == "free":
        what = f"new text under “{_quote(proposal.heading, 60)}”" if proposal.heading else "new text"
        if proposal.old:
            what = f"printed text changed under “{_quote(proposal.heading, 60)}”"
    elif proposal.action == "printed":
        what = "printed text removed"
    elif proposal.action == "order":
        what = f"{source_label(proposal.source)}: items moved"
    else:
        what = source_label(proposal.source)
    lines = [f"  {proposal.id}  {what}{who} [{state}]"]
    if proposal.old:
        lines.append(f"      - {_quote(proposal.old)}")
    if proposal.new:
        lines.append(f"      + {_quote(proposal.new)}")
    if outcome and outcome.state == "conflict":
        lines.append(f"      now in {file.name}: {_quote(outcome.current or '(nothing)')}")
    if outcome and outcome.why:
        lines.append(f"      {outcome.why}")
    return lines


def _write(file: Path, plan: Plan, remarks: list[Remark], request: MergeRequest, say: Callable[[str], None]) -> None:
    original = file.read_text(encoding="utf-8")
    notes = [Note(source_path(r.source), f"{_who(r.author, r.date)}: {' '.join(r.text.split())}")
             for r in remarks if r.source.startswith("role:")]
    try:
        updated = apply_edits(original, plan.edits + notes)
    except EditError as err:
        raise MergeStop(f"{file} cannot be edited in place: {err}; nothing was written") from None
    _validate(file, updated, request)
    try:
        atomic_write(file, updated.encode("utf-8"))
    except OutputError as err:
        raise MergeStop(str(err)) from None
    say(f"Wrote {file}: {sum(1 for o in plan.outcomes.values() if o.state == 'applies')} change(s)"
        + (f" and {len(notes)} comment(s)" if notes else "") + "; it validates and lints as before.")


def _validate(file: Path, updated: str, request: MergeRequest) -> None:
    """The result validates and lints no worse, checked on a copy: the content is never half-written."""
    with tempfile.TemporaryDirectory(prefix="rolepack-merge-") as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(request.content, copy, symlinks=True)
        target = copy / file.resolve().relative_to(request.content.resolve())
        target.write_text(updated, encoding="utf-8")
        try:
            after = load_catalogue(copy, today=request.today, layouts=request.layouts)
        except ContentError as err:
            errors = [p for p in err.problems if p.severity == "error"]
            problems = "; ".join(str(p).replace(str(copy), str(request.content)) for p in errors[:5])
            raise MergeStop(f"the merged role would not validate, so nothing was written: {problems}") from None
        before = load_catalogue(request.content, today=request.today, layouts=request.layouts)
        slugs = [s for s, f in after.files.items() if f.resolve() == target.resolve()]
        old = {(f.rule, f.message) for f in lint(before, today=request.today, slugs=slugs).findings if f.severity == "error"}
        new = [f for f in lint(after, today=request.today, slugs=slugs).findings
               if f.severity == "error" and (f.rule, f.message) not in old]
        if new:
            shown = "; ".join(f"{f.rule}: {f.message}" for f in new[:3])
            raise MergeStop(f"the merged role would fail lint where it passed before, so nothing was written: {shown}")
