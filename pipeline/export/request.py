"""What a build is asked to do, checked before anything renders: one place for the policy that
`build`, `email` and `preview` share.

Each of them names roles, brands, formats and kinds; each needs the same answer to "is that a
thing here?" (with a near-miss hint), the same folders a renderer may read, and the same date
source. A wrong name is a RequestError (the command prints it and exits 2); invalid content is a
ContentError with every problem located.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.brands import LoadedBrand, brand_names, brands_folder, load_brand
from pipeline.check.catalogue import Catalogue, Only, inspect_content, load_catalogue
from pipeline.export.approvals import Standing, standing
from pipeline.export.choices import RequestError, choose  # noqa: F401  (callers import them from here too)
from pipeline.export.executors import Executor
from pipeline.export.plan import Scope, Target, plan
from pipeline.export.run import BuildRequest, default_jobs
from pipeline.problems import ContentError, Problem, did_you_mean, dotted, file_key, files_with_problems, listed
from pipeline.render.formats import formats as registry
from pipeline.render.html import BUILD_KINDS, KINDS, missing_for, parts_of
from pipeline.render.posting.boards import lacks
from pipeline.schema.approvals import Approval
from pipeline.source.extends import chain_origin


JOBS = "ROLEPACK_JOBS"
"""Worker processes when a command is not given --jobs: for a CI runner or a crontab that shares
its machine (and for the test suite, whose builds are small)."""


class BrandProblems(ContentError):
    """A brand that exists but does not load (its brand.yaml, fonts or logo), every problem located."""


def check_brands(layouts: Path, names: Sequence[str], content: Path | None = None) -> list[str]:
    """The brands named (every brand when none is), each checked to exist (check/brands.brands_folder)."""
    known = brand_names(layouts, content)
    for name in names:
        if name not in known:
            raise RequestError(f"no brand '{name}'{did_you_mean(name, known)}; brands: {', '.join(known) or 'none'} "
                               f"(in {brands_folder(layouts, content)})")
    return list(names) or known


def load_brands(layouts: Path, names: Sequence[str], content: Path | None = None) -> dict[str, LoadedBrand]:
    """The brands, loaded; BrandProblems with every problem of every one that does not load."""
    loaded, problems = {}, []
    for name in names:
        try:
            loaded[name] = load_brand(layouts, name, content)
        except ContentError as err:
            problems += err.problems
    if problems:
        raise BrandProblems(problems)
    return loaded


def check_role(slug: str, known: Sequence[str]) -> None:
    if slug not in known:
        raise RequestError(f"no role '{slug}'{did_you_mean(slug, list(known))} (roles: {listed(known)})")


def jobs_or_default(jobs: int) -> int:
    """`jobs` when given, else ROLEPACK_JOBS, else the cores (at most 4)."""
    if jobs:
        return jobs
    setting = os.environ.get(JOBS, "").strip()
    if not setting:
        return default_jobs()
    if not setting.isdigit() or int(setting) < 1:
        raise RequestError(f"{JOBS}={setting!r} is not a number of worker processes; give a whole number, 1 or more")
    return int(setting)


def readable_folders(brands: dict[str, LoadedBrand], layouts: Path, content: Path) -> tuple[Path, ...]:
    """What a renderer may read: the layouts, the content's assets and its own brands, nothing else."""
    folders = {brand.folder.parent for brand in brands.values()} - {layouts / "brands"}
    return (layouts, content / "assets", *sorted(folders))


def new_request(catalogue: Catalogue, brands: dict[str, LoadedBrand], layouts: Path, content: Path, out: Path,
                targets: list[Target], scope: Scope, **settings: object) -> BuildRequest:
    """A build request with what every build shares: the folders a renderer may read (the layouts
    and the content's assets, nothing else) and the documents' date source."""
    return BuildRequest(catalogue=catalogue, brands=brands, layouts=layouts,
                        allowed=readable_folders(brands, layouts, content),
                        out=out, targets=targets, scope=scope, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"),
                        **settings)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Loaded:
    """The catalogue a build renders from, and (with keep-going) what was left out."""

    catalogue: Catalogue
    protected: frozenset[str] = frozenset()
    """Slugs of role files that are invalid: not built, their outputs left as they were."""
    invalid: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


def load_for_build(content: Path, layouts: Path, *, today: dt.date, keep_going: bool) -> Loaded:
    """The valid roles; without keep_going any problem raises ContentError, with it only a broken
    company file does, and the invalid roles are set aside."""
    if not keep_going:
        return Loaded(load_catalogue(content, today=today, layouts=layouts))
    report = inspect_content(content, today=today, layouts=layouts)
    if report.company is None:
        raise ContentError(list(report.problems), notes=list(report.notes))
    bad_files = files_with_problems(report.problems)
    roles = [slug for slug in report.roles if file_key(report.files[slug]) not in bad_files]
    stems = {p.stem for p in (content / "roles").glob("*.yaml")} | set(report.files)
    stems -= set(report.drafts)
    catalogue = Catalogue(report.company, Only(report.roles, roles), {s: report.files[s] for s in roles},
                          report.warnings, Only(report.chains, roles),  # the sources too: lint locates its findings
                          report.company_source, drafts=report.drafts,
                          facts=Only(report.facts, roles), sources=Only(report.sources, roles),
                          origins=Only(report.origins, roles))
    return Loaded(catalogue, frozenset(stems - set(roles)), report.problems, report.notes)


def build_day(today: dt.date, source_date_epoch: str | None = None) -> dt.date:
    """The date a build judges by (is a posting closed?): SOURCE_DATE_EPOCH's when set, else today."""
    if source_date_epoch:
        return dt.datetime.fromtimestamp(int(source_date_epoch), dt.timezone.utc).date()
    return today


def standings_on(catalogue: Catalogue, day: dt.date, approvals: tuple[Approval, ...],
                 required: tuple[str, ...]) -> dict[str, Standing]:
    """Where each role stands on `day` (export/approvals.standing), worked out once per build; a
    role no approval names needs only its facts, not its model."""
    named = {approval.role for approval in approvals}
    return {slug: standing(slug, catalogue.facts[slug] if slug in catalogue.facts and slug not in named
                           else catalogue.roles[slug], catalogue.company, approvals, required, day)
            for slug in catalogue.roles}


def publishing(planned: Sequence[Target], standings: Mapping[str, Standing], held: Mapping[str, str], *,
               drafts: bool = False) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """The gate: which planned documents may not be made because they would put a role in public
    that is in review (or waits for an approval), closed or held (by lint errors), or print a role
    nobody approved outside a drafts build; which roles the careers index lists; which are closed."""
    known = registry()
    withheld = {}
    for target in planned:
        writer = known[target.format]
        if drafts or not target.role:
            if drafts and writer.publishes:
                withheld[target.path] = "a drafts build makes no public document"
            continue
        now = standings[target.role]
        if not writer.publishes:
            if now.state == "review":
                withheld[target.path] = (f"the role {now.why}; its authors see it with "
                                         "`build --drafts` (into OUT/drafts, marked DRAFT on every page)")
            continue
        if now.state == "closed" and not writer.closed_layout:
            withheld[target.path] = "the position is closed, so it is off the careers site and every feed"
        elif now.state == "review":
            withheld[target.path] = f"the role {now.why}"
        elif now.state == "approved" and target.role in held:
            withheld[target.path] = held[target.role]
    listed = frozenset(slug for slug, now in standings.items() if now.state == "approved" and slug not in held)
    return withheld, listed, frozenset(slug for slug, now in standings.items() if now.state == "closed")


def unfed(catalogue: Catalogue, brands: Mapping[str, LoadedBrand], planned: Sequence[Target],
          listed: Iterable[str]) -> list[tuple[str, tuple[str, str, str, str]]]:
    """Each listed role a planned feed cannot take, for want of a value its board requires: the
    feed's path, and (brand, format, role, the located error). Only a feed being built asks."""
    known, found = registry(), []
    for target in planned:
        needed = known[target.format].needs
        if target.role or not needed:
            continue
        for slug in sorted(listed):
            for path, message in lacks(catalogue.roles[slug], brands[target.brand].brand, needed):
                file, line, column = chain_origin(list(catalogue.chains[slug]), path, key=True)
                error = Problem(file, line, column, dotted(path), f"left out of the {target.format} feed: {message}",
                                rule=target.format)
                found.append((target.path, (target.brand, target.format, slug, str(error))))
    return found


def in_review(standings: Mapping[str, Standing]) -> frozenset[str]:
    """The roles that count as in review: declared so, or waiting for an approval they need."""
    return frozenset(slug for slug, now in standings.items() if now.state == "review")


def unapproved(catalogue: Catalogue, reviewed: frozenset[str]) -> Catalogue:
    """The catalogue of a drafts build: the roles nobody has approved yet (in review, or waiting for an
    approval) and the drafts complete enough to print; no other."""
    roles = {slug: role for slug, role in catalogue.roles.items() if slug in reviewed}
    roles.update({slug: draft.role for slug, draft in catalogue.drafts.items() if draft.role is not None})
    return dataclasses.replace(catalogue, roles=dict(sorted(roles.items())),
                               drafts={s: d for s, d in catalogue.drafts.items() if d.role is None})


def build_request(loaded: Loaded, layouts: Path, content: Path, out: Path, *, roles: Sequence[str] = (),
                  brands: Sequence[str] = (), formats: Sequence[str] = ("pdf",), kinds: Sequence[str] = (),
                  strict: bool = False, allow: Sequence[str] = (), options: dict[str, str] | None = None,
                  jobs: int = 0, keep_going: bool = False, wait: float = 0.0,
                  executor: Callable[[], Executor] | None = None, today: dt.date | None = None,
                  held: Mapping[str, str] | None = None, approvals: tuple[Approval, ...] = (),
                  required: tuple[str, ...] = (), drafts: bool = False, html_on_workers: bool = False) -> BuildRequest:
    """Everything a build needs, every name checked; the documents a role has no content for (or
    cannot build, being invalid) are listed as skipped with the reason."""
    catalogue, protected = loaded.catalogue, loaded.protected
    day = build_day(today or dt.date.today(), os.environ.get("SOURCE_DATE_EPOCH"))
    standings = standings_on(catalogue, day, approvals, required)
    reviewed = in_review(standings)
    if drafts:
        catalogue = unapproved(catalogue, reviewed)
    formats = choose(formats, list(registry()), "format")
    kinds = choose(kinds, BUILD_KINDS, "kind")
    roles = [r for value in roles for r in value.split(",") if r]
    for slug in roles:
        if drafts and slug in loaded.catalogue.roles and slug not in catalogue.roles:
            raise RequestError(f"'{slug}' is approved, so a drafts build does not make it; build it without --drafts")
        if slug in catalogue.drafts:
            raise RequestError(f"'{slug}' is a draft (state: draft in {catalogue.drafts[slug].file}), so it is not "
                               "built; `rolepack preview` shows it as it stands, and `state: review` makes it buildable")
        if slug not in protected:
            check_role(slug, list(catalogue.roles))
    loaded_brands = load_brands(layouts, check_brands(layouts, [b for value in brands for b in value.split(",") if b],
                                                      content), content)
    chosen = [r for r in roles if r in catalogue.roles] if roles else list(catalogue.roles)
    def parts(slug: str, kind: str) -> tuple[str, ...]:
        return parts_of(kind, lambda: catalogue.roles[slug]) if slug in catalogue.roles else ("",)

    planned = plan(chosen, loaded_brands, formats, kinds or KINDS, parts)
    not_applicable = {t.path: why for t in planned
                      if t.role and (why := missing_for(t.kind, lambda r=t.role: catalogue.roles[r], t.part))}
    invalid = {t.path: "the role is invalid; its outputs are left as they were"
               for t in plan(protected & set(roles or protected), loaded_brands, formats, kinds or KINDS) if t.role}
    withheld, listed, closed = publishing(planned, standings, held or {}, drafts=drafts)
    gaps = unfed(catalogue, loaded_brands, planned, listed)
    withheld.update({f"{path}#{slug}": why for path, (_, _, slug, why) in gaps})
    return new_request(
        catalogue, loaded_brands, layouts, content, out,
        [t for t in planned if t.path not in not_applicable and t.path not in withheld],
        Scope(frozenset(loaded_brands), frozenset(roles) if roles else None, frozenset(formats),
              frozenset(kinds or KINDS), frozenset(loaded.catalogue.roles) | protected | frozenset(loaded.catalogue.drafts)),
        options=options or {}, jobs=jobs_or_default(jobs), strict=strict, allow=frozenset(allow), keep_going=keep_going,
        protected=protected, skipped=tuple(sorted({**not_applicable, **invalid}.items())), wait=wait,
        executor=executor, withheld=tuple(sorted(withheld.items())), listed=listed, closed=closed, drafts=drafts,
        unfed=tuple(gap for _, gap in gaps),
        kept=frozenset() if drafts else reviewed, html_on_workers=html_on_workers)


def undated(catalogue: Catalogue, slugs: Iterable[str], source_date_epoch: str | None) -> tuple[Problem, ...]:
    """Roles whose documents would carry no date: a warning, so nobody mistakes them for dated ones."""
    if source_date_epoch:
        return ()
    return tuple(Problem(str(catalogue.files[slug]), 1, 1, "reviewed",
                         "no `reviewed:` date (and SOURCE_DATE_EPOCH is not set), so its documents carry no date; "
                         "add the date the hiring team last reviewed the role", "warning", "undated")
                 for slug in sorted(set(slugs)) if catalogue.reviewed(slug) is None)


def readiness(catalogue: Catalogue, layouts: Path, content: Path | None = None) -> tuple[list[Problem], tuple[Problem, ...]]:
    """What a build of every role and brand would refuse (brand problems) and warn about (the
    content's warnings and undated roles): `validate` asks the same questions as `build`."""
    warnings = catalogue.warnings + undated(catalogue, catalogue.roles, os.environ.get("SOURCE_DATE_EPOCH"))
    try:
        load_brands(layouts, brand_names(layouts, content), content)
    except BrandProblems as err:
        return list(err.problems), warnings
    return [], warnings
