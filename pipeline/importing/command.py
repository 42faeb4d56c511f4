"""`rolepack import`: each posting read, mapped, written as content/roles/<slug>.yaml, and reported.

Every file stands alone: one that cannot be read, mapped or written gets an error naming it and
leaves nothing behind, and the others are still imported. A role is written only once it has
passed the same checks as `rolepack validate`, on the exact text that is written, so an imported
role builds as it is. An existing role file is replaced only with `force`.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from pipeline.check.catalogue import inspect_content
from pipeline.importing.blocks import Block, Item, ListBlock
from pipeline.importing.intake import ReadError
from pipeline.importing.language import LANGUAGE_CODE, choose_language
from pipeline.importing.mapping import map_document
from pipeline.importing.normalise import normalise
from pipeline.importing.readers import read_document
from pipeline.importing.register import address
from pipeline.importing.report import format_report
from pipeline.importing.writer import role_yaml
from pipeline.source.scaffold import _role_slugs
from pipeline.source.yaml_reader import MAX_BYTES as ROLE_MAX_BYTES


class _Refused(Exception):
    """The role was made but must not be written (it exists, its slug is taken, it does not validate)."""


@dataclass(frozen=True)
class ImportResult:
    reports: list[str] = field(default_factory=list)
    """One per imported file: what went where, and what to review."""
    errors: list[str] = field(default_factory=list)
    """One per file that was not imported, naming it; nothing was written for it."""
    written: list[Path] = field(default_factory=list)


def _validate(text: str, slug: str, today: dt.date) -> None:
    """Check the exact text with the catalogue's own loader, in a folder of its own."""
    with tempfile.TemporaryDirectory(prefix="rolepack-import-") as folder:
        roles = Path(folder) / "roles"
        roles.mkdir()
        (roles / f"{slug}.yaml").write_text(text, encoding="utf-8")
        report = inspect_content(Path(folder), today=today, base=Path(folder))
    found = [*report.problems, *(lack for draft in report.drafts.values() for lack in draft.lacks)]
    problems = [str(p) for p in found if p.file == f"roles/{slug}.yaml" and p.rule != "unconfirmed"]
    if problems:
        raise _Refused("the role made from it does not validate, which is a bug in the import; please report it "
                       "with the file: " + "; ".join(problems))


def _role_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_role_text(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_role_text(v) for v in value)
    return ""


def _register(content: Path, language: str) -> str:
    """The register company.yaml chooses for `language` (formal when it says none or cannot be read)."""
    try:
        registers = (yaml.safe_load((content / "company.yaml").read_text(encoding="utf-8")) or {}).get("register") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return "formal"
    chosen = registers.get(language) or registers.get(language.split("-")[0]) if isinstance(registers, dict) else None
    return chosen if chosen in ("formal", "informal") else "formal"


def _unique(slug: str, made: dict[str, Path]) -> str:
    """`slug`, or `slug-2`, `slug-3`… when a file earlier in the same import already makes it."""
    candidate, n = slug, 1
    while candidate in made:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _write(target: Path, text: str, *, force: bool) -> None:
    """Write `target`; without `force`, only if it does not exist (checked by the create itself)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not force:
        try:
            with target.open("x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:
            raise _Refused(f"{target} already exists; use --force to replace it") from None
        return
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".importing")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _import_one(path: Path, roles: Path, *, language: str | None, force: bool, today: dt.date,
                made: dict[str, Path]) -> tuple[Path, str]:
    document = normalise(read_document(path))
    if not document.blocks:
        raise _Refused("it has no text to import")
    if (size := _text_bytes(document.blocks)) > ROLE_MAX_BYTES:
        raise _Refused(f"its text is {size:,} bytes, more than a role file may hold ({ROLE_MAX_BYTES:,}): a job "
                       "posting is a few pages; import one posting per file, without what is not part of it")
    code, language_note = choose_language(document, language)
    mapped = map_document(document, file_name=path.name, stem=path.stem, language=code)
    notes = mapped.notes
    if language_note:
        notes.review.append(language_note)
    else:
        notes.mapped.append(f"language: {code} ({'given with --language' if language else 'read from the text'})")
    if (said := address(_role_text(mapped.role), code)) is not None and said != (chosen := _register(roles.parent, code)):
        notes.review.append(f"the posting addresses its reader in the {said} register, but the company's documents in "
                            f"'{code}' use the {chosen} one; rewrite one so each page speaks one register (to change the "
                            f"company's, company.yaml: `register: {{{code}: {said}}}`)")
    slug = _unique(mapped.slug, made)
    if slug != mapped.slug:
        notes.review.append(f"{made[mapped.slug]}, earlier in this import, makes {mapped.slug}.yaml, so this one is "
                            f"{slug}.yaml; rename it if another slug suits it better")
        mapped = replace(mapped, slug=slug, role={**mapped.role, "slug": slug})
    target = roles / f"{mapped.slug}.yaml"
    if target.exists() and not force:
        raise _Refused(f"{target} already exists; use --force to replace it")
    owner = _role_slugs(roles).get(mapped.slug) if roles.is_dir() else None
    if owner is not None and owner.resolve() != target.resolve():
        raise _Refused(f"the slug '{mapped.slug}' is already used by {owner}")
    if notes.confirm:  # a draft never stops the other roles, and is never built until a person writes what is missing
        mapped = replace(mapped, role=_with_state(mapped.role, "draft"), comments={**mapped.comments, "state": (
            "set aside until each marker below is written; then delete this line, or set review to approve it")})
    header = [f"Imported from {path.name} on {today.isoformat()} by `rolepack import`; check what its report listed."]
    if (proposed := _occupation(str(mapped.role.get("title", "")), code)) is not None:
        header.append(f"{proposed}  # proposed from the title: confirm, then uncomment")
        notes.review.append("occupation codes were proposed from the title (a comment at the top of the file): "
                            "confirm them against the official lists, then uncomment `occupation:`")
    text = role_yaml(mapped.role, comments=mapped.comments, header=header)
    _validate(text, mapped.slug, today)
    replaced = target.exists()
    _write(target, text, force=force)
    made[mapped.slug] = path
    if replaced:
        notes.review.append(f"{target} existed and was replaced (--force)")
    notes.review.append("add `reviewed:` with the date the hiring team has read this role through")
    return target, format_report(path, target, notes)


def _occupation(title: str, language: str) -> str | None:
    """`occupation: {…}` as proposed from an English title (the code lists' names are English), or None."""
    from pipeline.schema.occupations import propose

    if language.split("-")[0] != "en":
        return None
    codes = {p.system: p.code for p in propose(title)}
    if not codes:
        return None
    return "occupation: {" + ", ".join(f'{system}: "{code}"' for system, code in codes.items()) + "}"


def _text_bytes(blocks: Iterable[Block | Item]) -> int:
    """The UTF-8 size of the text a role would hold, checked before any mapping works on it."""
    total = 0
    for block in blocks:
        if isinstance(block, ListBlock):
            total += _text_bytes(block.items)
        else:
            total += len(block.text.encode("utf-8")) + (_text_bytes(block.children) if isinstance(block, Item) else 0)
    return total


def _with_state(role: dict[str, Any], state: str) -> dict[str, Any]:
    """`role` with `state:` right after its slug, where an author looks first."""
    placed: dict[str, Any] = {}
    for key, value in role.items():
        placed[key] = value
        if key == "slug":
            placed["state"] = state
    return placed


def import_files(paths: list[Path], content: Path, *, language: str | None, force: bool,
                 today: dt.date) -> ImportResult:
    """Import each posting in `paths` into `content`/roles; see ImportResult."""
    result = ImportResult()
    if language is not None and not LANGUAGE_CODE.match(language):
        result.errors.append(f"--language '{language}' is not a language code; write two letters such as fr, "
                             "or a regional form such as fr-CA")
        return result
    if not content.is_dir():
        result.errors.append(f"there is no content folder at {content}")
        return result
    made: dict[str, Path] = {}
    for path in paths:
        try:
            target, report = _import_one(path, content / "roles", language=language, force=force, today=today,
                                         made=made)
        except (ReadError, _Refused) as err:
            result.errors.append(f"{path}: {err}; nothing was written")
            continue
        except RecursionError:  # lists nested thousands deep, by hand-typed indentation
            result.errors.append(f"{path}: it is nested too deeply to read; nothing was written")
            continue
        result.written.append(target)
        result.reports.append(report)
    return result
