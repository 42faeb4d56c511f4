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
from urllib.parse import urlsplit

from pipeline.check.brands import contrast_warnings
from pipeline.check.fitness import font_coverage, text_findings
from pipeline.check.models import validate_model
from pipeline.problems import ContentError, Problem, did_you_mean, dotted
from pipeline.check.unconfirmed import unconfirmed, under, unwritten
from pipeline.check.translations import register_problems, untranslated
from pipeline.schema import CompanyFile, Role
from pipeline.source.content_folder import display, located_problem, read_content
from pipeline.source.extends import chain_origin, merge_chain
from pipeline.source.languages import missing_catalogue
from pipeline.source.positions import SourceText
from pipeline.source.scaffold import PLACEHOLDER
from pipeline.source.yaml_reader import Located

STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Draft:
    """A role its author marked `state: draft`: where it is, and what it still lacks."""

    file: str
    lacks: tuple[Problem, ...]
    role: Role | None = None
    """The role, when it is complete: a draft its author may preview, never build."""

    @property
    def note(self) -> str:
        errors = [p for p in self.lacks if p.severity == "error"]
        if not errors:
            return (f"{self.file}: a draft (state: draft), so it is not built or published; it is complete: "
                    "set `state: review` to have it approved")
        first = errors[0]
        return (f"{self.file}: a draft (state: draft), so it is not built or published; {len(errors)} thing"
                f"{'s' if len(errors) != 1 else ''} still to finish, the first at {first.file}:{first.line}:"
                f"{first.column}: {first.path + ': ' if first.path else ''}{first.message}")

    @property
    def unfinished(self) -> list[str]:
        """Every thing still to finish, located (`validate` names each; a build's log only the first)."""
        return [f"{p.file}:{p.line}:{p.column}: {p.path + ': ' if p.path else ''}{p.message}"
                for p in self.lacks if p.severity == "error"]


@dataclass(frozen=True)
class Catalogue:
    company: CompanyFile
    roles: dict[str, Role]
    files: dict[str, Path]
    warnings: tuple[Problem, ...] = ()
    chains: dict[str, tuple[Located, ...]] = field(default_factory=dict)
    """Each role's files as read, root ancestor first: where a word of its merged text was written."""
    company_source: Located | None = None
    drafts: dict[str, Draft] = field(default_factory=dict)
    """Roles marked `state: draft`, set aside with what they still lack (see `Report.drafts`)."""


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
            from pipeline.source.markdown import links  # markdown-it is loaded only for text with a link in it

            found += [Problem(located.file, *source.position(path, value, link.offset), dotted(path),
                              _link_problem(link.url)) for link in links(value) if not link.safe]
    return found


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
    return located_problem(located, found[0], f"the placeholder {PLACEHOLDER} from `rolepack new` is still here{others}; "
                                       "write the real content", rule="placeholder")


@dataclass(frozen=True)
class Report:
    """Everything one check of the content folder found, valid parts and problems alike."""

    company: CompanyFile | None
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
    drafts: dict[str, Draft] = field(default_factory=dict)
    """Roles marked `state: draft`: left out of everything built, with what they still lack."""


def load_catalogue(content: Path, *, today: dt.date, base: Path | None = None,
                   layouts: Path | None = None) -> Catalogue:
    """The validated content, or ContentError naming every problem (warnings included).

    With `layouts`, text is also checked against what the brands can print (fitness findings).
    """
    report = inspect_content(content, today=today, base=base, layouts=layouts)
    if report.problems or report.company is None:
        raise ContentError(list(report.problems + report.warnings), notes=list(report.notes))
    return Catalogue(report.company, report.roles, report.files, report.warnings, report.chains, report.company_source,
                     report.drafts)


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
    found = read_content(content, base)
    if not content.is_dir():
        return Report(None, {}, {}, tuple(found.problems), ())
    coverage = font_coverage(layouts, content) if layouts is not None else None
    problems = list(found.problems)
    warnings: list[Problem] = []
    if layouts is not None:
        warnings += contrast_warnings(layouts, lambda path: display(path, base), content)
    for located in ([found.company] if found.company is not None else []) + list(found.roles.values()):
        problems += _text_problems(located)
        if coverage is not None:
            warnings += text_findings(located, coverage)

    company = None
    if found.company is not None:
        company, invalid = validate_model(CompanyFile, found.company.data, [found.company])
        if todo := unwritten(found.company):
            invalid = [p for p in invalid if not under(p, [path for path, _ in todo])] + [p for _, p in todo]
            company = None
        problems += invalid

    roles: dict[str, Role] = {}
    for slug, chain in found.chains.items():
        role, invalid = validate_model(Role, merge_chain(chain), chain)
        if marked := unconfirmed(chain):
            invalid = [p for p in invalid if not under(p, [path for path, _ in marked])] + [p for _, p in marked]
        problems += invalid
        if (unfinished := _placeholder_problem(found.roles[slug])) is not None:
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
            where = chain_origin(found.chains[slug], ("related_roles", i))
            if related == slug:
                problems.append(Problem(*where, f"related_roles[{i}]", "a role cannot be related to itself"))
            elif related in found.unreadable:
                continue  # its file's own error says what to fix; the note lists who refers to it
            elif related not in found.roles:
                hint = did_you_mean(related, list(found.roles))
                problems.append(Problem(*where, f"related_roles[{i}]", f"'{related}' is not a role{hint}"))

    if company is not None and found.company is not None:
        warnings += untranslated(company, found.company, roles)
        if layouts is not None:
            problems += register_problems(company, found.company, layouts, {role.language for role in roles.values()})

    drafts = _set_drafts_aside(found, roles, problems, warnings)
    notes = tuple(
        f"{found.unreadable[slug]} could not be read, so {len(set(children))} role"
                  f"{'s that extend' if len(set(children)) != 1 else ' that extends'} it could not be checked: "
                  f"{', '.join(sorted(set(children)))}"
                  for slug, children in sorted(found.blocked.items()))
    return Report(company, dict(sorted(roles.items())), found.files, tuple(sorted(set(problems))),
                  tuple(sorted(set(warnings))), notes, tuple(sorted(found.unreadable)),
                  {slug: tuple(chain) for slug, chain in found.chains.items() if slug in roles}, found.company,
                  drafts)


def _set_drafts_aside(found, roles: dict[str, Role], problems: list[Problem],
                      warnings: list[Problem]) -> dict[str, Draft]:
    """Roles whose own file says `state: draft`: out of the catalogue, and what is unfinished in them
    out of the problems, so an unfinished role never stops the others (it is a note, located)."""
    drafts: dict[str, Draft] = {}
    for slug, chain in sorted(found.chains.items()):
        if not isinstance(chain[-1].data, dict) or chain[-1].data.get("state") != "draft":
            continue
        file = chain[-1].file
        lacks = tuple(sorted(p for p in problems + warnings if p.file == file))
        problems[:] = [p for p in problems if p.file != file]
        warnings[:] = [p for p in warnings if p.file != file]
        model = roles.pop(slug, None)
        complete = not any(p.severity == "error" for p in lacks)
        drafts[slug] = Draft(file, lacks, model if complete else None)
    return drafts


