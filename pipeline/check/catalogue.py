"""Loading the whole content folder into validated models, with every problem located.

This is the one gate between authors' YAML and the renderers: nothing renders unless the
catalogue loads, so an output is never made from half-valid content.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from pipeline.check.fitness import font_coverage, text_findings
from pipeline.render.locales import missing_catalogue
from pipeline.check.messages import did_you_mean, friendly, kind_of, undefined_attribute
from pipeline.check.problems import ContentError, Problem, dotted
from pipeline.schema import Company, Role
from pipeline.schema.role import UNDEFINED_ATTRIBUTE
from pipeline.source.extends import chain_origin, merge_chain
from pipeline.source.positions import SourceText
from pipeline.source.scaffold import PLACEHOLDER
from pipeline.source.yaml_reader import Located, read_yaml

STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Catalogue:
    company: Company
    roles: dict[str, Role]
    files: dict[str, Path]
    warnings: tuple[Problem, ...] = ()
    chains: dict[str, tuple[Located, ...]] = field(default_factory=dict)
    """Each role's files as read, root ancestor first: where a word of its merged text was written."""
    company_source: Located | None = None


def _display(path: Path, base: Path) -> str:
    """`path` relative to `base`, by its own name: a link is named as the link, not as its target."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _outside(path: Path, folder: Path, base: Path) -> Problem | None:
    """A content file that is a link to a file outside the content folder (/etc/passwd, another
    team's checkout): refused unread, named as the link, so nothing outside the folder can print."""
    target = path.resolve()
    if target.is_relative_to(folder.resolve()):
        return None
    return Problem(_display(path, base), 1, 1, "", f"is a link to {target}, outside the content folder "
                                                   f"{_display(folder, base)}; content files must be files inside it")


_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, so no PDF structure tree, DOCX or web page can carry them."""


def _link_problem(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme:
        return (f"the link to {url!r} is a {scheme}: address, which a document must not link to; "
                "a link goes only to an https://, http:// or mailto: address")
    return f"the link to {url!r} is not a whole address; write it with https://, http:// or mailto: at the start"


def _text_problems(located: Located) -> list[Problem]:
    """Links to anything but https, http or mailto, and characters no document can hold: errors at
    the character, in the file that wrote them (the renderers would print such a link as text, or fail)."""
    source = SourceText(located)
    found = []
    for path, value in located.texts:
        for char in _UNSTORABLE.finditer(value):
            found.append(Problem(located.file, *source.position(path, value, char.start()), dotted(path),
                                 f"U+{ord(char.group()):04X} <control> cannot be stored in a PDF, Word or web document; "
                                 "delete it (it usually comes with pasted text)"))
        if "](" in value:
            from pipeline.render.markdown import links  # markdown-it is loaded only for text with a link in it

            found += [Problem(located.file, *source.position(path, value, link.offset), dotted(path),
                              _link_problem(link.url)) for link in links(value) if not link.safe]
    return found


def _model_problems(err: ValidationError, chain: list[Located], root: type[BaseModel]) -> list[Problem]:
    out = []
    for error in err.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        if kind == UNDEFINED_ATTRIBUTE:
            ctx = error["ctx"]
            for sub, name in ctx["refs"]:
                path = loc + sub
                out.append(Problem(*chain_origin(chain, path), dotted(path), undefined_attribute(name, list(ctx["known"]))))
            continue
        if kind == "missing":
            file, line, col = chain_origin(chain, loc[:-1])
        else:
            file, line, col = chain_origin(chain, loc, key=kind == "extra_forbidden")
        out.append(Problem(file, line, col, dotted(loc), friendly(error, root)))
    return out


def validate_model(model: type[BaseModel], data: Any, chain: list[Located]) -> tuple[Any, list[Problem]]:
    """Validate merged data against `model`; problems point into the file that wrote each value."""
    try:
        return model.model_validate(data), []
    except ValidationError as err:
        return None, _model_problems(err, chain, model)


def _problem(located: Located, path: tuple[str | int, ...], message: str, **kw: Any) -> Problem:
    return Problem(located.file, *located.where(path), dotted(path), message, **kw)


def _ancestry(slug: str, parents: dict[str, str | None]) -> tuple[list[str], list[str] | None]:
    """The slugs from the root ancestor down to `slug`, and the loop if the chain runs into one."""
    seen = [slug]
    while (parent := parents.get(seen[-1])) is not None:
        if parent in seen:
            return list(reversed(seen)), seen[seen.index(parent):] + [parent]
        seen.append(parent)
    return list(reversed(seen)), None


def _cycle_message(slug: str, loop: list[str]) -> str:
    if loop == [slug, slug]:
        return "a role cannot extend itself"
    shown = " -> ".join(loop)
    if slug in loop:
        return f"extends forms a cycle: {shown}"
    return f"extends '{loop[0]}', which is part of a cycle: {shown}"


def pay_date_problems(role: Role, chain: list[Located] | tuple[Located, ...], today: dt.date) -> list[Problem]:
    """Salary data dated in the future (an error), or more than 12 months old (the `stale-pay`
    warning), for the role's bands and each set of local bands.

    Public because `rolepack lint` reports the same rule per role, from the same code.
    """
    pay = role.compensation
    if pay is None:
        return []
    sources = [(("compensation",), pay.source)] + [(("compensation", "local", i), local.source)
                                                   for i, local in enumerate(pay.local)]
    found = []
    for at, source in sources:
        if source is None:
            continue
        field_ = "published" if source.published else "as_of"
        path = at + ("source", field_)
        where = chain_origin(list(chain), path)
        if source.dated > today:
            found.append(Problem(*where, dotted(path), f"{source.dated} is in the future"))
        elif (today - source.dated).days > STALE_AFTER_DAYS:
            found.append(Problem(*where, dotted(path), f"salary data is from {source.dated}, more than 12 months old; "
                                 "refresh it", severity="warning", rule="stale-pay"))
    return found


def _placeholder_problem(located: Located) -> Problem | None:
    """A role still holding the archetype's markers is unfinished: it must not validate or build."""
    found = [path for path, value in located.texts if PLACEHOLDER in value]
    if not found:
        return None
    more = len(found) - 1
    others = f" (and in {more} more place{'s' if more != 1 else ''} in this file)" if more else ""
    return _problem(located, found[0], f"the placeholder {PLACEHOLDER} from `rolepack new` is still here{others}; "
                                       "write the real content", rule="placeholder")


@dataclass(frozen=True)
class Report:
    """Everything one check of the content folder found, valid parts and problems alike."""

    company: Company | None
    roles: dict[str, Role]
    files: dict[str, Path]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...] = ()
    """Roles that could not be checked because a file they depend on could not be read."""
    unreadable: tuple[str, ...] = ()
    """Slugs (file names) of role files that could not be read at all."""
    chains: dict[str, tuple[Located, ...]] = field(default_factory=dict)
    company_source: Located | None = None


def load_catalogue(content: Path, *, today: dt.date, base: Path | None = None,
                   layouts: Path | None = None) -> Catalogue:
    """The validated content, or ContentError naming every problem (warnings included).

    With `layouts`, text is also checked against what the brands can print (fitness findings).
    """
    report = inspect_content(content, today=today, base=base, layouts=layouts)
    if report.problems or report.company is None:
        raise ContentError(list(report.problems + report.warnings), notes=list(report.notes))
    return Catalogue(report.company, report.roles, report.files, report.warnings, report.chains, report.company_source)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading a catalogue makes hundreds of thousands of small objects (values, positions, nodes)
    that live as long as the catalogue, so the cycle collector's passes over them find nothing to
    free: a tenth of validating 200 roles. It is paused while reading; then what exists is frozen
    (moved out of the collector's sight, not kept: reference counting still frees it), and the
    next read unfreezes the last one's, so a long-running preview does not pile up frozen objects."""
    was_enabled = gc.isenabled()
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def inspect_content(content: Path, *, today: dt.date, base: Path | None = None,
                    layouts: Path | None = None) -> Report:
    """Read and check `content/company.yaml` and every `content/roles/*.yaml`."""
    with _collector_paused():
        return _inspect(content, today=today, base=base or Path.cwd(), layouts=layouts)


def _inspect(content: Path, *, today: dt.date, base: Path, layouts: Path | None) -> Report:
    coverage = font_coverage(layouts) if layouts is not None else None
    if not content.is_dir():
        return Report(None, {}, {}, (Problem(_display(content, base), 1, 1, "", "there is no content folder here"),), ())
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if layouts is not None:
        from pipeline.check.brands import contrast_warnings  # imported here: brands imports this module

        warnings += contrast_warnings(layouts, lambda path: _display(path, base))

    company = company_source = None
    company_file = content / "company.yaml"
    if not company_file.is_file():
        problems.append(Problem(_display(company_file, base), 1, 1, "", "the shared company file is missing"))
    elif (linked := _outside(company_file, content, base)) is not None:
        problems.append(linked)
    else:
        try:
            located = company_source = read_yaml(company_file, _display(company_file, base))
            problems += _text_problems(located)
            if coverage is not None:
                warnings += text_findings(located, coverage)
            company, found = validate_model(Company, located.data, [located])
            problems += found
        except ContentError as err:
            problems += err.problems

    files: dict[str, Path] = {}
    sources: dict[str, Located] = {}
    unreadable: dict[str, str] = {}  # slug (file name) → file, for roles that could not be read at all
    for path in sorted((content / "roles").glob("*.yaml")):
        if (linked := _outside(path, content, base)) is not None:
            problems.append(linked)
            unreadable[path.stem] = linked.file
            continue
        try:
            located = read_yaml(path, _display(path, base))
        except ContentError as err:
            problems += err.problems
            unreadable[path.stem] = _display(path, base)
            continue
        slug = located.data.get("slug")
        slug = slug if isinstance(slug, str) else path.stem
        if slug in sources:
            problems.append(_problem(located, ("slug",), f"{slug!r} is already the slug of {sources[slug].file}"))
            continue
        sources[slug] = located
        problems += _text_problems(located)
        if coverage is not None:
            warnings += text_findings(located, coverage)
        files[slug] = path
    if not (content / "roles").is_dir():
        problems.append(Problem(_display(content / "roles", base), 1, 1, "", "the roles folder is missing"))

    parents: dict[str, str | None] = {}
    broken: set[str] = set()  # an `extends` that names no role: merging would only add noise
    blocked: dict[str, list[str]] = {}  # unreadable slug → roles that extend it, checked no further
    for slug, located in sources.items():
        parent = located.data.get("extends")
        parents[slug] = None
        if parent is None:
            continue
        if not isinstance(parent, str):
            problems.append(_problem(located, ("extends",), f"expected the slug of a role, got {kind_of(parent)}"))
            broken.add(slug)
        elif parent in unreadable:
            blocked.setdefault(parent, []).append(slug)
            broken.add(slug)
        elif parent not in sources:
            hint = did_you_mean(parent, list(sources))
            problems.append(_problem(located, ("extends",), f"extends {parent!r}, which is not a role{hint}"))
            broken.add(slug)
        else:
            parents[slug] = parent

    roles: dict[str, Role] = {}
    chains: dict[str, list[Located]] = {}
    for slug, located in sources.items():
        ancestry, loop = _ancestry(slug, parents)
        if loop is not None:
            problems.append(_problem(located, ("extends",), _cycle_message(slug, loop)))
            continue
        if slug in broken:
            continue
        if broken.intersection(ancestry):
            root = next((blocked_by for blocked_by, children in blocked.items()
                         if set(children).intersection(ancestry)), None)
            if root is not None:
                blocked[root].append(slug)
                continue
            problems.append(_problem(located, ("extends",), f"extends '{parents[slug]}', whose own `extends` is broken"))
            continue
        chain = chains[slug] = [sources[s] for s in ancestry]
        role, found = validate_model(Role, merge_chain(chain), chain)
        problems += found
        if (unfinished := _placeholder_problem(located)) is not None:
            problems.append(unfinished)
        if role is None:
            continue
        roles[slug] = role.model_copy(update={"slug": slug})

        if layouts is not None and (no_words := missing_catalogue(layouts, role.language)) is not None:
            problems.append(Problem(*chain_origin(chain, ("language",)), "language", no_words))
        if role.reviewed is not None and role.reviewed > today:
            problems.append(Problem(*chain_origin(chain, ("reviewed",)), "reviewed", f"{role.reviewed} is in the future"))
        for dated in pay_date_problems(role, chain, today):
            (warnings if dated.severity == "warning" else problems).append(dated)

    for slug, role in roles.items():
        for i, related in enumerate(role.related_roles):
            where = chain_origin(chains[slug], ("related_roles", i))
            if related == slug:
                problems.append(Problem(*where, f"related_roles[{i}]", "a role cannot be related to itself"))
            elif related in unreadable:
                continue  # its file's own error says what to fix; the note lists who refers to it
            elif related not in sources:
                hint = did_you_mean(related, list(sources))
                problems.append(Problem(*where, f"related_roles[{i}]", f"'{related}' is not a role{hint}"))

    notes = tuple(f"{unreadable[slug]} could not be read, so {len(set(children))} role"
                  f"{'s that extend' if len(set(children)) != 1 else ' that extends'} it could not be checked: "
                  f"{', '.join(sorted(set(children)))}"
                  for slug, children in sorted(blocked.items()))
    return Report(company, dict(sorted(roles.items())), files, tuple(sorted(set(problems))), tuple(sorted(set(warnings))),
                  notes, tuple(sorted(unreadable)), {slug: tuple(chain) for slug, chain in chains.items() if slug in roles},
                  company_source)
