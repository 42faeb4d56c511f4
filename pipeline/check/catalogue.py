"""Loading the whole content folder into validated models, with every problem located.

This is the one gate between authors' YAML and the renderers: nothing renders unless the
catalogue loads, so an output is never made from half-valid content.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pipeline.check.brands import contrast_warnings
from pipeline.check.fitness import font_coverage
from pipeline.check.models import validate_model
from pipeline.check.role_cache import RoleCache, cache_folder, chain_key, context, engine
from pipeline.check.role_checks import RoleCheck, RoleFacts, check_role, date_problems, file_findings
from pipeline.problems import ContentError, Problem, did_you_mean
from pipeline.check.unconfirmed import under, unwritten
from pipeline.check.translations import register_problems, untranslated
from pipeline.schema import CompanyFile, Role
from pipeline.source.content_folder import ContentFiles, RoleFile, display, read_content, read_role
from pipeline.source.yaml_reader import Located


T = TypeVar("T")


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
    roles: Mapping[str, Role]
    files: dict[str, Path]
    warnings: tuple[Problem, ...] = ()
    chains: Mapping[str, tuple[Located, ...]] = field(default_factory=dict)
    """Each role's files as read, root ancestor first: where a word of its merged text was written."""
    company_source: Located | None = None
    drafts: dict[str, Draft] = field(default_factory=dict)
    """Roles marked `state: draft`, set aside with what they still lack (see `Report.drafts`)."""
    facts: Mapping[str, RoleFacts] = field(default_factory=dict)
    """What the checks across roles read of each role, without loading its model."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """A digest of each role's files (its own and every parent's, names and bytes): the same files
    make the same model, so a build can tell an unchanged role without loading it."""
    origins: Mapping[str, str] = field(default_factory=dict)
    """A digest of each role's files as messages name them (relative to where rolepack runs) and of
    their bytes: a finding kept from an earlier run is located as a fresh one would be only while
    this is the same (lint/kept)."""

    def reviewed(self, slug: str) -> dt.date | None:
        """From the role's facts, so that asking loads no model (a draft a drafts build prints has none)."""
        return self.facts[slug].reviewed if slug in self.facts else self.roles[slug].reviewed

    def title(self, slug: str) -> str:
        return self.facts[slug].title if slug in self.facts else self.roles[slug].title


@dataclass(frozen=True)
class Report:
    """Everything one check of the content folder found, valid parts and problems alike."""

    company: CompanyFile | None
    roles: Mapping[str, Role]
    files: dict[str, Path]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...] = ()
    """Roles that could not be checked because a file they depend on could not be read."""
    unreadable: tuple[str, ...] = ()
    """Slugs (file names) of role files that could not be read at all."""
    chains: Mapping[str, tuple[Located, ...]] = field(default_factory=dict)
    company_source: Located | None = None
    drafts: dict[str, Draft] = field(default_factory=dict)
    """Roles marked `state: draft`: left out of everything built, with what they still lack."""
    facts: Mapping[str, RoleFacts] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    checked: tuple[str, ...] = ()
    """The roles this run validated; the others' checks were kept from an earlier run (role_cache)."""
    origins: Mapping[str, str] = field(default_factory=dict)


def load_catalogue(content: Path, *, today: dt.date, base: Path | None = None,
                   layouts: Path | None = None) -> Catalogue:
    """The validated content, or ContentError naming every problem (warnings included).

    With `layouts`, text is also checked against what the brands can print (fitness findings).
    """
    report = inspect_content(content, today=today, base=base, layouts=layouts)
    if report.problems or report.company is None:
        raise ContentError(list(report.problems + report.warnings), notes=list(report.notes))
    return Catalogue(report.company, report.roles, report.files, report.warnings, report.chains, report.company_source,
                     report.drafts, report.facts, report.sources, report.origins)


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


class _Lazy(Mapping[str, T]):
    """A mapping whose keys are known at once and whose values are made when first asked for:
    asking whether a key is there, or listing the keys, makes none (Mapping's own `in` would)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = dict.fromkeys(keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class _Shelf(_Lazy[Role]):
    """The valid roles by slug, each model loaded from the validation cache when first asked for:
    `validate` never needs one, a build of one role needs few."""

    def __init__(self, files: dict[str, tuple[RoleFile, str]], cache: RoleCache) -> None:
        super().__init__(files)
        self._files = files
        self._cache = cache
        self._loaded: dict[str, Role] = {}

    def __getitem__(self, slug: str) -> Role:
        if slug not in self._loaded:
            self._loaded[slug] = self._cache.model(*self._files[slug])
        return self._loaded[slug]


class _Chains(_Lazy[tuple[Located, ...]]):
    """Each valid role's files as read, root first, parsed again when first asked for: only a
    message about a word inside a value needs them."""

    def __init__(self, found: ContentFiles, slugs: Iterable[str]) -> None:
        super().__init__(slug for slug in slugs if slug in found.chains)
        self._found = found
        self._parsed: dict[str, Located] = {}

    def located(self, slug: str) -> Located:
        """A file parsed again; the last few are kept (a parent is read for each of its roles), not
        all: a first lint of a large catalogue reads every file once, and needs none of them after."""
        if slug not in self._parsed:
            if len(self._parsed) >= 64:
                self._parsed.clear()
            self._parsed[slug] = _reread(self._found, slug)
        return self._parsed[slug]

    def __getitem__(self, slug: str) -> tuple[Located, ...]:
        if slug not in self:
            raise KeyError(slug)
        return tuple(self.located(member) for member in self._found.chains[slug])


class Only(_Lazy[T]):
    """Some keys of a mapping, read through (a filtered copy would load every role it kept)."""

    def __init__(self, whole: Mapping[str, T], keys: Iterable[str]) -> None:
        super().__init__(key for key in keys if key in whole)
        self._whole = whole

    def __getitem__(self, key: str) -> T:
        if key not in self:
            raise KeyError(key)
        return self._whole[key]


def _reread(found: ContentFiles, slug: str) -> Located:
    facts = found.roles[slug]
    digest, located, _ = read_role(found.files[slug], facts.file)
    if located is None or digest != facts.digest:
        raise ContentError([Problem(facts.file, 1, 1, "", "changed while rolepack was reading the content; run it again")])
    return located


def _chain_digest(found: ContentFiles, slug: str, name: Callable[[str], str]) -> str:
    """A digest of a role's files, root first, each by `name` and its bytes: by slug, where the
    folder is does not count (a build's key); by the file as messages name it (lint's kept hits)."""
    return hashlib.sha256("\0".join(f"{name(s)}\0{found.roles[s].digest}" for s in found.chains[slug]).encode()).hexdigest()


def _split(found: Iterable[Problem], problems: list[Problem], warnings: list[Problem]) -> None:
    for problem in found:
        (warnings if problem.severity == "warning" else problems).append(problem)


def _inspect(content: Path, *, today: dt.date, base: Path, layouts: Path | None) -> Report:
    cache = RoleCache(cache_folder(content, engine()), context(layouts, content))
    coverage = font_coverage(layouts, content) if layouts is not None else None
    own: dict[str, tuple[Problem, ...]] = {}
    checks: dict[str, tuple[RoleCheck, str]] = {}
    checked: list[str] = []

    def check(slug: str, members: list[RoleFile], chain: Callable[[], list[Located]]) -> tuple[RoleCheck, str]:
        key = chain_key(members, cache.context)
        if (kept := cache.check(members[-1], key)) is None:
            kept, model = check_role(slug, chain(), layouts)
            cache.keep_check(members[-1], key, kept, model)
            checked.append(slug)
        return kept, key

    def findings(facts: RoleFile, located: Callable[[], Located]) -> tuple[Problem, ...]:
        if (kept := cache.own(facts)) is None:
            kept = file_findings(located(), coverage)
            cache.keep_own(facts, kept)
        return kept

    def parsed(slug: str, facts: RoleFile, located: Located) -> None:
        """A role file read in full (it changed): checked while it is at hand, and, when it extends
        nothing, its role too, since no later file can change what it is."""
        own[facts.file] = findings(facts, lambda: located)
        if not facts.links:
            checks[slug] = check(slug, [facts], lambda: [located])

    found = read_content(content, base, known=cache, parsed=parsed)
    if not content.is_dir():
        return Report(None, {}, {}, tuple(found.problems), ())
    problems = list(found.problems)
    warnings: list[Problem] = []
    if layouts is not None:
        warnings += contrast_warnings(layouts, lambda path: display(path, base), content)
    if found.company is not None:
        _split(file_findings(found.company, coverage), problems, warnings)

    recent: dict[str, Located] = {}  # a role's files, read again for a check this run has not made

    def located(slug: str) -> Located:
        if slug not in recent:
            if len(recent) > 64:
                recent.clear()
            recent[slug] = _reread(found, slug)
        return recent[slug]

    for slug, facts in found.roles.items():
        _split(own[facts.file] if facts.file in own else findings(facts, lambda: located(slug)), problems, warnings)
        if slug in found.chains and slug not in checks:
            members = found.chains[slug]
            checks[slug] = check(slug, [found.roles[s] for s in members], lambda: [located(s) for s in members])
    recent.clear()

    company = None
    if found.company is not None:
        company, invalid = validate_model(CompanyFile, found.company.data, [found.company])
        if todo := unwritten(found.company):
            invalid = [p for p in invalid if not under(p, [path for path, _ in todo])] + [p for _, p in todo]
            company = None
        problems += invalid

    facts: dict[str, RoleFacts] = {}
    for slug in found.chains:
        result = checks[slug][0]
        problems += result.problems
        if result.facts is not None:
            facts[slug] = result.facts
            _split(date_problems(result.facts.dated, today), problems, warnings)

    for slug, role in facts.items():
        for i, (related, where) in enumerate(role.related):
            if related == slug:
                problems.append(Problem(*where, f"related_roles[{i}]", "a role cannot be related to itself"))
            elif related in found.unreadable:
                continue  # its file's own error says what to fix; the note lists who refers to it
            elif related not in found.roles:
                hint = did_you_mean(related, list(found.roles))
                problems.append(Problem(*where, f"related_roles[{i}]", f"'{related}' is not a role{hint}"))

    if company is not None and found.company is not None:
        warnings += untranslated(company, found.company, facts)
        if layouts is not None:
            problems += register_problems(company, found.company, layouts, {role.language for role in facts.values()})

    drafts = _set_drafts_aside(found, facts, problems, warnings, lambda slug: cache.model(found.roles[slug], checks[slug][1]))
    notes = tuple(
        f"{found.unreadable[slug]} could not be read, so {len(set(children))} role"
                  f"{'s that extend' if len(set(children)) != 1 else ' that extends'} it could not be checked: "
                  f"{', '.join(sorted(set(children)))}"
                  for slug, children in sorted(found.blocked.items()))
    valid = sorted(facts)
    return Report(company, _Shelf({slug: (found.roles[slug], checks[slug][1]) for slug in valid}, cache), found.files,
                  tuple(sorted(set(problems), key=Problem.order)), tuple(sorted(set(warnings), key=Problem.order)),
                  notes, tuple(sorted(found.unreadable)),
                  _Chains(found, valid), found.company, drafts, {slug: facts[slug] for slug in valid},
                  {slug: _chain_digest(found, slug, str) for slug in valid}, tuple(checked),
                  {slug: _chain_digest(found, slug, lambda s: found.roles[s].file) for slug in valid})


def _set_drafts_aside(found: ContentFiles, facts: dict[str, RoleFacts], problems: list[Problem],
                      warnings: list[Problem], model: Callable[[str], Role]) -> dict[str, Draft]:
    """Roles whose own file says `state: draft`: out of the catalogue, and what is unfinished in them
    out of the problems, so an unfinished role never stops the others (it is a note, located)."""
    drafts: dict[str, Draft] = {}
    for slug in sorted(found.chains):
        if not found.roles[slug].draft:
            continue
        file = found.roles[slug].file
        lacks = tuple(sorted(p for p in problems + warnings if p.file == file))
        problems[:] = [p for p in problems if p.file != file]
        warnings[:] = [p for p in warnings if p.file != file]
        complete = facts.pop(slug, None) is not None and not any(p.severity == "error" for p in lacks)
        drafts[slug] = Draft(file, lacks, model(slug) if complete else None)
    return drafts
