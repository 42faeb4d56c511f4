"""The `rolepack` commands: each parses its options, calls the pipeline, and prints through output.

Heavy renderers (WeasyPrint, python-docx) are imported inside the commands that need them, so
`rolepack --help` and `rolepack validate` start quickly.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from pipeline.cli import output, terminal
from pipeline.cli.output import EXIT_FAILED, EXIT_INVALID

if TYPE_CHECKING:
    from pipeline.check.catalogue import Catalogue

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Turn role YAML into branded PDF and DOCX job descriptions and hiring-guide packets.\n\n"
    "Examples:\n\n"
    "  rolepack validate --strict\n\n"
    "  rolepack build --format pdf --role backend-engineer --brand default\n\n"
    "  rolepack new platform-engineer --from backend-engineer",
)

ContentOpt = Annotated[Path, typer.Option("--content", metavar="DIR", help="Folder with company.yaml and roles/.")]
LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"
LayoutsOpt = Annotated[Optional[Path], typer.Option(
    "--layouts", metavar="DIR", show_default="layouts/ beside rolepack",
    help="Layouts folder: templates, stylesheets, brands, fonts.")]


def _today() -> dt.date:
    return dt.date.today()


def settings_or_exit(content: Path):
    """The content folder's rolepack.yaml (schema/settings), or every problem in it and exit 2."""
    from pipeline.check.settings import load_settings
    from pipeline.problems import ContentError

    try:
        return load_settings(content)
    except ContentError as err:
        output.content_problems(err.problems, content)


def _settings_file(content: Path) -> str:
    from pipeline.check.settings import SETTINGS_FILE

    return str(content / SETTINGS_FILE)


def load_or_exit(content: Path, *, strict: bool = False, allow: list[str] | None = None,
                 report_warnings: bool = True, layouts: Path | None = None) -> Catalogue:
    """Load the catalogue, or print every problem and exit 2."""
    from pipeline.check.catalogue import load_catalogue
    from pipeline.problems import ContentError

    try:
        catalogue = load_catalogue(content, today=_today(), layouts=layouts or LAYOUTS)
    except ContentError as err:
        output.content_problems(err.problems, content, err.notes)
    if report_warnings:
        output.content_warnings(catalogue.warnings, strict=strict, allow=allow or [])
    return catalogue


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"rolepack {version('rolepack')}")
        raise typer.Exit()


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
"""Hosts on this machine: a relay there may take a login without TLS, since nothing crosses a network."""
LAST_EPOCH = 253_402_300_799
"""9999-12-31 23:59:59 UTC, the last second a date can hold."""


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print rolepack's version and exit.")] = False,
) -> None:
    """Turn role YAML into branded PDF and DOCX job descriptions and hiring-guide packets."""
    terminal.escape_output()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not (epoch.isascii() and epoch.isdigit() and int(epoch) <= LAST_EPOCH):
        output.error(f"SOURCE_DATE_EPOCH={epoch!r} is not a time rolepack can date documents by: give whole "
                     "seconds since 1970-01-01 UTC (date +%s), up to the end of the year 9999, or unset it")


@app.command()
def validate(
    content: ContentOpt = Path("content"),
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    allow: Annotated[list[str], typer.Option("--allow", metavar="RULE",
                                             help="Accept warnings of this rule under --strict, e.g. stale-pay.")] = [],
    layouts: LayoutsOpt = None,
) -> None:
    """Check every content file and report all problems at once (exit 2 when invalid).

    Example: rolepack validate --content content --strict --allow stale-pay
    """
    from pipeline.export.request import readiness

    layouts = layouts or LAYOUTS
    settings = settings_or_exit(content)
    catalogue = load_or_exit(content, report_warnings=False, layouts=layouts)
    _approvals_or_exit(content)
    brand_problems, warnings = readiness(catalogue, layouts.resolve(), content)
    if brand_problems:
        output.fail(brand_problems, header="Brand problems:")
    output.content_warnings(warnings, strict=strict, allow=allow, accepted=settings.allow,
                            settings=_settings_file(content))
    output.drafts(catalogue, every=True)
    count, drafts = len(catalogue.roles), len(catalogue.drafts)
    aside = f"; {drafts} draft{'' if drafts == 1 else 's'} set aside" if drafts else ""
    typer.echo(f"{count} role{'' if count == 1 else 's'} and the company file are valid{aside}.")


LINT_EXIT_CODES = ("Exit codes: 0 no errors (warnings and info do not fail without --strict); 1 a finding of "
                   "severity error, or with --strict any finding; 2 invalid content (as validate reports it), "
                   "unreadable rule data, or a wrong option.")


@app.command(epilog=LINT_EXIT_CODES)
def lint(
    content: ContentOpt = Path("content"),
    role: Annotated[list[str], typer.Option("--role", metavar="SLUG", help="Lint only these roles.")] = [],
    format: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                        help="text (default) or json: one JSON object per line.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on any finding, not only errors.")] = False,
    allow: Annotated[list[str], typer.Option("--allow", metavar="RULE",
                                             help="Accept warnings of this rule under --strict, e.g. stale-pay.")] = [],
    explain: Annotated[Optional[str], typer.Option("--explain", metavar="RULE",
                                                   help="Print what RULE checks, its severity and its sources.")] = None,
) -> None:
    """Check what candidates read: coded and exclusionary wording, length and readability,
    pay-transparency laws, interview questions about protected traits, stale pay data.

    Each finding is `file:line:col: severity rule: message; try “…”`, then a summary line.

    Examples: rolepack lint ; rolepack lint --role backend-engineer --format json ;
    rolepack lint --explain pay-transparency
    """
    from pipeline.problems import ContentError
    from pipeline.lint.rules import rules

    if explain is not None:
        from pipeline.lint.report import explain as explained

        rule = rules()[_choices([explain], list(rules()), "rule")[0]]
        try:
            typer.echo(explained(rule))
        except ContentError as err:
            output.fail(err.problems, header="The rule's data is invalid:")
        return
    as_json = _choices([format], ("text", "json"), "format")[0] == "json"
    catalogue = load_or_exit(content, report_warnings=False)
    slugs = _choices(role, list(catalogue.roles), "role") if role else None
    from pipeline.lint.engine import lint as run_lint
    from pipeline.lint.report import json_lines, text_lines

    try:
        result = run_lint(catalogue, today=_today(), slugs=slugs, content=content)
    except ContentError as err:
        output.fail(err.problems, header="The lint rules' data is invalid:")
    for line in json_lines(result) if as_json else text_lines(result):
        typer.echo(line)
    accepted = (set(_choices(allow, list(rules()), "rule")) if allow else set()) | set(settings_or_exit(content).allow)
    if result.count("error") or (strict and any(f.rule not in accepted for f in result.findings)):
        raise typer.Exit(EXIT_FAILED)


@app.command()
def preview(
    role: Annotated[str, typer.Argument(help="The role's slug.")],
    brand: Annotated[str, typer.Option("--brand", metavar="NAME", help="Brand of the pages and files.")] = "default",
    port: Annotated[int, typer.Option("--port", metavar="N", min=0, max=65535,
                                      help="Port on 127.0.0.1; 0 picks a free one.")] = 8000,
    content: ContentOpt = Path("content"),
    layouts: LayoutsOpt = None,
) -> None:
    """Serve one role on this machine (127.0.0.1 only), rebuilt whenever content or layouts are saved.

    / is the role's job page, /packet the job description and hiring guide drawn as printed sheets,
    /files/… the PDF and DOCX. Content errors show in the page, located, and the server keeps
    running; the open page reloads by itself after each save. Ctrl-C stops it (exit 0).

    Examples: rolepack preview backend-engineer ; rolepack preview data-engineer --brand harbor --port 0
    """
    from pipeline.check.catalogue import inspect_content
    from pipeline.export.request import RequestError, check_brands, check_role
    from pipeline.preview.session import preview as serve

    layouts = (layouts or LAYOUTS).resolve()
    report = inspect_content(content, today=_today())
    try:
        check_brands(layouts, [brand], content)
        if not (content / "roles" / f"{role}.yaml").is_file():
            check_role(role, sorted(report.files))
    except RequestError as err:
        output.error(str(err))
    try:
        serve(content, layouts, role, brand, port)
    except OSError as err:
        typer.echo(f"error: cannot listen on 127.0.0.1:{port}: {err.strerror or err}; "
                   "choose another port with --port (0 picks a free one)", err=True)
        raise typer.Exit(EXIT_FAILED) from None


@app.command(name="list")
def list_roles(content: ContentOpt = Path("content")) -> None:
    """List the roles, their titles, and whether each is valid.

    Example: rolepack list
    """
    from pipeline.check.listing import role_rows

    rows = role_rows(content, today=_today())
    width = max((len(slug) for slug, _, _ in rows), default=4)
    for slug, title, status in rows:
        typer.echo(f"{slug:<{width}}  {status:<7}  {title}")


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="role, company, brand or settings.")] = "role",
) -> None:
    """Print the JSON Schema of a role file (or of company.yaml, or brand.yaml).

    Example: rolepack schema role > schema/role.schema.json
    """
    from pipeline.schema.export import json_schema

    try:
        typer.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))
    except KeyError:
        typer.echo(f"unknown schema '{kind}': choose role, company, brand or settings", err=True)
        raise typer.Exit(EXIT_INVALID) from None


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The new content folder.", metavar="DIR")] = Path("content"),
    company: Annotated[str, typer.Option("--company", metavar="NAME", help="Your company's name.")] = ...,
    language: Annotated[str, typer.Option("--language", metavar="CODE",
                                          help="The language its texts are written in: en, fr, de, es, fr-CA…")] = "en",
    website: Annotated[Optional[str], typer.Option("--website", metavar="URL", help="https://… address.")] = None,
    logo: Annotated[Optional[Path], typer.Option("--logo", metavar="FILE", help="An .svg or .png logo.")] = None,
    colour: Annotated[str, typer.Option("--colour", "--color", metavar="#RRGGBB",
                                        help="The brand colour: headings, links, table headers.")] = "#1d4e89",
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that is not empty.")] = False,
    layouts: LayoutsOpt = None,
) -> None:
    """Start your own company: DIR/company.yaml to fill in, DIR/roles/, and your brand in DIR/brands/default/.

    Nothing of the demo company is copied. `rolepack validate --content DIR` then names every text
    still to write; `rolepack import … --content DIR` brings your postings in.

    Example: rolepack init acme --company "Acme Logistics" --language en-US --website https://acme.example
    --logo acme.svg --colour "#0b5394"
    """
    from pipeline.source.scaffold import ARCHETYPE
    from pipeline.starting.company import Start, StartError, start_company

    try:
        written = start_company(folder, Start(company, language, website, logo, colour), layouts=layouts or LAYOUTS,
                                archetype=LAYOUTS.parent / "content" / ARCHETYPE, force=force)
    except StartError as err:
        output.error(f"{err}; nothing was written")
    for path in written:
        typer.echo(f"created {path}")
    typer.echo(f"next: fill in {folder / 'company.yaml'} (rolepack validate --content {folder} lists what is left), "
               f"then rolepack import <postings> --content {folder}, then rolepack build --content {folder}")


@app.command()
def new(
    slug: Annotated[str, typer.Argument(help="The new role's slug, e.g. platform-engineer.")],
    from_role: Annotated[Optional[str], typer.Option("--from", help="Extend this existing role.")] = None,
    content: ContentOpt = Path("content"),
) -> None:
    """Create content/roles/SLUG.yaml to write: a draft (`state: draft`), never built until it is finished.

    Examples: rolepack new platform-engineer ; rolepack new staff-backend-engineer --from backend-engineer
    """
    from pipeline.source.scaffold import ScaffoldError, scaffold

    try:
        path = scaffold(content, slug, from_role)
    except ScaffoldError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"created {path}")


def _choices(values: Sequence[str], known: Sequence[str], what: str) -> list[str]:
    """Repeated and comma-separated values as one list, each checked; a wrong one exits 2, naming the choices."""
    from pipeline.export.choices import RequestError, choose

    try:
        return choose(values, known, what)
    except RequestError as err:
        output.error(str(err))


def _request(content: Path, layouts: Path | None, out: Path, roles: list[str], brands: list[str], formats: list[str],
             *, keep_going: bool = False, **settings: object):
    """Validate everything a build needs and describe it; exits 2 with every problem otherwise."""
    from pipeline.export.request import BrandProblems, RequestError, build_request, load_for_build
    from pipeline.problems import ContentError
    from pipeline.render.html import BUILD_KINDS

    layouts = (layouts or LAYOUTS).resolve()  # jobs carry paths; a worker elsewhere must read the same ones
    content = content.resolve()
    try:
        _choices(formats, _format_names(), "format")  # a wrong name is told before the content is read
        _choices(settings.get("kinds") or [], BUILD_KINDS, "kind")  # type: ignore[arg-type]
        loaded = load_for_build(content, layouts, today=_today(), keep_going=keep_going)
    except ContentError as err:
        if keep_going:
            output.fail(err.problems, header="The company file is invalid, so no role can be built:", notes=err.notes)
        output.content_problems(err.problems, content, err.notes)
    if loaded.invalid:
        output.print_problems(loaded.invalid, header="These roles are invalid; their outputs are left as they were:",
                              notes=loaded.notes)
    output.drafts(loaded.catalogue)
    folder_settings = settings_or_exit(content)
    accepted = set(settings.get("allow") or []) | set(folder_settings.allow)  # type: ignore[arg-type]
    try:
        return build_request(loaded, layouts, content, out, roles=roles, brands=brands, formats=formats,
                             keep_going=keep_going, today=_today(), approvals=_approvals_or_exit(content),
                             required=tuple(folder_settings.approvals),
                             held=_held_by_lint(loaded.catalogue, content, formats, roles, accepted), **settings)  # type: ignore[arg-type]
    except RequestError as err:
        output.error(str(err))
    except BrandProblems as err:
        output.fail(err.problems, header="Brand problems:")


def _approvals_or_exit(content: Path) -> tuple:
    """The folder's recorded approvals (export/approvals), or every problem in the file and exit 2."""
    from pipeline.export.approvals import load_approvals
    from pipeline.problems import ContentError

    try:
        return load_approvals(content)
    except ContentError as err:
        output.content_problems(err.problems, content)


def _held_by_lint(catalogue, content: Path, formats: list[str], roles: list[str],
                  accepted: set[str]) -> dict[str, str]:
    """Roles that lint finds errors in (a rule not accepted): not published, each with the first
    error located. Only asked when a format publishes; print formats are for the team."""
    from pipeline.export.request import build_day
    from pipeline.lint.engine import lint as run_lint
    from pipeline.render.formats import formats as registry

    names = [f for value in formats for f in value.split(",") if f]
    if not any(registry()[name].publishes for name in names):
        return {}
    chosen = [r for value in roles for r in value.split(",") if r and r in catalogue.roles] or None
    found: dict[str, list] = {}
    for finding in run_lint(catalogue, today=build_day(_today(), os.environ.get("SOURCE_DATE_EPOCH")),
                            slugs=chosen, content=content).findings:
        if finding.severity == "error" and finding.role and finding.rule not in accepted:
            found.setdefault(finding.role, []).append(finding)
    held = {}
    for slug, errors in found.items():
        first = errors[0]
        rules = ", ".join(sorted({e.rule for e in errors}))
        held[slug] = (f"lint finds {len(errors)} error{'s' if len(errors) != 1 else ''} ({rules}), the first at "
                      f"{first.file}:{first.line}:{first.column}: {first.message}; fix it, or accept the rule with "
                      "--allow RULE")
    return held


def _undated(request) -> tuple:
    from pipeline.export.request import undated

    return undated(request.catalogue, [t.role for t in request.targets if t.role], request.source_date_epoch)


def _format_names() -> list[str]:
    from pipeline.render.formats import formats

    return list(formats())


EXIT_CODES = ("Exit codes: 0 everything was built (or already up to date); 1 some document failed "
              "(--keep-going), or the output folder is busy or cannot be read or written; 2 invalid content, "
              "a failed render without --keep-going, findings under --strict, or a wrong option; nothing is "
              "written then.")


@app.command(epilog=EXIT_CODES)
def build(
    format: Annotated[list[str], typer.Option("--format", "-f", metavar="FORMAT",
                                              help="pdf, docx, html (the careers site), md, jsonld (repeat, or separate "
                                                   "with commas; default: the content's rolepack.yaml, else pdf).")] = [],
    kind: Annotated[list[str], typer.Option("--kind", metavar="KIND",
                                            help="job-description, hiring-guide, interview-kit (a kit per interview stage; default: the first two).")] = [],
    role: Annotated[list[str], typer.Option("--role", metavar="SLUG", help="Build only these roles.")] = [],
    brand: Annotated[list[str], typer.Option("--brand", metavar="NAME",
                                             help="Build only these brands (default: rolepack.yaml's, else all).")] = [],
    content: ContentOpt = Path("content"),
    out: Annotated[Optional[Path], typer.Option("--out", metavar="DIR",
                                                help="Output folder (default: rolepack.yaml's, else build).")] = None,
    layouts: LayoutsOpt = None,
    pdf_variant: Annotated[str, typer.Option("--pdf-variant", metavar="VARIANT",
                                             help="pdf/ua-1 (default), pdf/a-3b or pdf/a-3u.")] = "pdf/ua-1",
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N",
                                      help="Worker processes (default: ROLEPACK_JOBS, else cores, at most 4).")] = 0,
    executor: Annotated[str, typer.Option("--executor", metavar="NAME",
                                          help="local (worker processes) or dask (a Dask cluster).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", metavar="ADDRESS", envvar="ROLEPACK_DASK_SCHEDULER",
        help="Dask scheduler, e.g. tcp://host:8786 (with --executor dask).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Findings (warnings) fail the build; nothing is written.")] = False,
    allow: Annotated[list[str], typer.Option("--allow", metavar="RULE",
                                             help="Accept findings of this rule under --strict, e.g. stale-pay.")] = [],
    drafts: Annotated[bool, typer.Option("--drafts", help=(
        "Build the roles nobody has approved yet (in review, or complete drafts) for their authors: PDF and "
        "DOCX into OUT/drafts/, DRAFT on every page; nothing public."))] = False,
    keep_going: Annotated[bool, typer.Option("--keep-going", help="Build every good role; report and skip bad ones (exit 1).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Re-render everything, even outputs that are up to date.")] = False,
    wait: Annotated[float, typer.Option("--wait", metavar="SECONDS",
                                        help="Wait this long for another build on the same folder.")] = 0.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the summary.")] = False,
    log_format: Annotated[str, typer.Option("--log-format", metavar="FORMAT",
                                            help="text (default) or json: one JSON object per line.")] = "text",
) -> None:
    """Build the job description and hiring-guide packet of every role, for every brand.

    Files go to OUT/<brand>/<role>/<role>-<kind>.<format>, listed in OUT/manifest.json. Nothing
    is written unless every document renders and passes the checks; outputs this build owns but
    no longer makes (a deleted role) are removed. Outputs whose inputs (content, layouts, brand,
    fonts, options, code) are unchanged are kept as they are; --force re-renders them.

    Examples: rolepack build ; rolepack build -f pdf,docx --role backend-engineer --brand harbor ;
    rolepack build -f pdf -f docx --keep-going --quiet --log-format json
    """
    started = time.perf_counter()
    settings = settings_or_exit(content)
    format, brand, kind = format or settings.formats or ["pdf"], brand or settings.brands, kind or settings.kinds
    out = out or Path(settings.out or "build")
    if drafts:
        out = out / "drafts"  # a build of its own: its manifest and lock never touch the approved documents
    log_format = _choices([log_format], ("text", "json"), "log format")[0]
    executor_name = _choices([executor], ("local", "dask"), "executor")[0]
    make_executor = _executor(executor_name, scheduler, layouts or LAYOUTS)
    digest = None
    if not force:  # before the renderers are imported: a no-op needs none of them
        from pipeline.export.shortcut import build_digest, unchanged

        told = {"format": format, "kind": kind, "role": role, "brand": brand, "pdf_variant": pdf_variant,
                "strict": strict, "allow": sorted(allow), "keep_going": keep_going, "today": _today(), "drafts": drafts,
                "epoch": os.environ.get("SOURCE_DATE_EPOCH")}
        digest = build_digest(content, layouts or LAYOUTS, told)
        if (hit := unchanged(out, digest)) is not None:
            output.summary(out, log_format, hit[1], built=0, unchanged=hit[0], removed=0, skipped=hit[2], failed=0,
                     seconds=time.perf_counter() - started)
            return
    from pipeline.export.executors import ExecutorError
    from pipeline.export.progress import reporter_for
    from pipeline.export.run import BuildError, StrictFailure, build as run_build
    from pipeline.export.store import OutputError, OutputLocked
    from pipeline.render.formats.pdf import VARIANTS

    _choices([pdf_variant], VARIANTS, "PDF variant")  # a wrong one matches no record: it is refused here
    request = _request(content, layouts, out, role, brand, format, kinds=kind, strict=strict, allow=allow,
                       options={"pdf_variant": pdf_variant}, jobs=jobs, keep_going=keep_going, wait=wait,
                       executor=make_executor, drafts=drafts, html_on_workers=executor_name == "dask")
    output.content_warnings(request.catalogue.warnings + _undated(request), strict=strict, allow=allow,
                            accepted=settings.allow, settings=_settings_file(content))
    output.skipped(request.skipped, request.protected, strict=strict, quiet=quiet, as_json=log_format == "json")
    output.withheld(request.withheld, as_json=log_format == "json")
    reporter = reporter_for(log_format, quiet=quiet)  # type: ignore[arg-type]
    try:
        report = run_build(request, force=force, reporter=reporter)
    except BuildError as err:
        reporter.finish()
        output.fail(err.failures, header="Build failed; no output was changed:")
    except StrictFailure as err:
        reporter.finish()
        output.fail(err.findings, header=f"--strict: {len(err.findings)} finding(s) need a person; no output was changed "
                                   "(fix them, or accept a rule with --allow RULE):")
    except (OutputLocked, OutputError, ExecutorError, OSError) as err:
        reporter.finish()
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    reporter.finish()
    findings = [f"{finding} [{finding.rule}]" for finding in report.findings]
    for line in findings:
        typer.echo(line, err=True)
    if digest is not None and not report.failed and not request.protected:
        from pipeline.export.shortcut import remember

        told_again = output.told(request.catalogue.warnings + _undated(request), settings.allow, _settings_file(content))
        told_again += [f"skipped {path}: {why}" for path, why in request.skipped] + findings
        told_again += [f"withheld {path}: {why}" for path, why in request.withheld]
        try:
            remember(out, digest, told_again, len(request.skipped), report.listed)
        except OutputError as err:  # the documents are complete; only the next build's shortcut is lost
            typer.echo(f"warning: {err}", err=True)
    output.summary(out, log_format, [], built=len(report.built), unchanged=len(report.unchanged),
             removed=len(report.removed), skipped=len(request.skipped), failed=len(report.failed),
             seconds=report.seconds, withheld=len(request.withheld))
    if report.failed or request.protected:
        raise typer.Exit(EXIT_FAILED)


def _executor(name: str, scheduler: str | None, layouts: Path):
    """A factory for the render executor; the build calls it once it knows there is work to do."""
    if name == "local":
        return None
    if not scheduler:
        typer.echo("error: --executor dask needs --scheduler tcp://HOST:8786 or ROLEPACK_DASK_SCHEDULER", err=True)
        raise typer.Exit(EXIT_INVALID)
    try:
        from pipeline.export.dask_executor import DaskExecutor
    except ImportError:
        typer.echo("error: --executor dask needs Dask: pip install 'rolepack[cluster]'", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    return lambda: DaskExecutor(scheduler, layouts)


IMPORT_EXIT_CODES = ("Exit codes: 0 every file was imported; 2 some file could not be (its error names it, and "
                     "nothing was written for it; the other files were imported).")


@app.command(name="import", epilog=IMPORT_EXIT_CODES)
def import_postings(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Job descriptions: .docx, .md, .html or .txt.")],
    content: ContentOpt = Path("content"),
    language: Annotated[Optional[str], typer.Option(
        "--language", metavar="CODE", help="The postings' language, e.g. fr (default: read from each text).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace role files that already exist.")] = False,
) -> None:
    """Make content/roles/<slug>.yaml from job descriptions kept as DOCX, Markdown, HTML or text.

    Headings (English, French, German, Spanish) and labelled lines (Location:, Contrat :, Gehalt:)
    are mapped onto the role; every other section is kept as a free section. Each file gets a report
    of what went where and what to review; each role is validated before it is written. Nothing a
    document points at is fetched, and nothing in it is run.

    Examples: rolepack import postings/backend-engineer.docx ; rolepack import offres/*.md --language fr --force
    """
    from pipeline.importing import import_files

    result = import_files(files, content, language=language, force=force, today=_today())
    for report in result.reports:
        typer.echo(report)
    for error in result.errors:
        typer.echo(f"error: {error}", err=True)
    if result.errors:
        raise typer.Exit(EXIT_INVALID)


MERGE_EXIT_CODES = ("Exit codes: 0 merged, or nothing to merge; 1 conflicts, or proposals left open (tracked "
                    "changes not accepted, text outside the role's fields, company text); 2 a draft that cannot be "
                    "merged, or a result that would not validate or lint; nothing is written then.")


@app.command(epilog=MERGE_EXIT_CODES)
def merge(
    drafts: Annotated[list[Path], typer.Argument(metavar="DRAFT", help="DOCX drafts rolepack wrote, edited and sent back.")],
    content: ContentOpt = Path("content"),
    layouts: LayoutsOpt = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write the merged changes into the role file.")] = False,
    accept: Annotated[list[str], typer.Option("--accept", metavar="ID", help="Accept a tracked change by its id (T1), or `all`.")] = [],
    reject: Annotated[list[str], typer.Option("--reject", metavar="ID", help="Leave out a change by its id.")] = [],
) -> None:
    """Bring a hiring manager's edits in a Word draft back into the role file, losing nothing.

    Every edit is mapped to the field it changed and shown as a diff; tracked changes are listed with
    their author and date and applied only when accepted; comments are listed, and written beside the
    value in the role file. The draft carries what it was built from, so a role changed since merges
    three ways: an edit to a field both sides changed is a conflict, shown and never applied. Without
    --apply nothing is written; with it, the role file changes in place (comments, order, quoting
    and untouched lines kept), and only when the result validates and lints as before.

    Examples: rolepack merge backend-engineer-job-description.docx ; rolepack merge draft.docx --accept all --apply
    """
    from pipeline.drafts.command import MergeRequest, merge_drafts
    from pipeline.drafts.merging import Choice

    ids = {a.strip().upper() for a in accept}
    choice = Choice(accept_all="ALL" in ids, accept=frozenset(ids - {"ALL"}),
                    reject=frozenset(r.strip().upper() for r in reject))
    request = MergeRequest(tuple(drafts), content, (layouts or LAYOUTS).resolve(), apply, choice, _today())
    raise typer.Exit(merge_drafts(request, typer.echo))


@app.command()
def debrief(
    role: Annotated[str, typer.Argument(help="The role's slug.")],
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Filled scorecards: PDF forms or DOCX.")],
    candidate: Annotated[str, typer.Option("--candidate", metavar="NAME", help="The candidate, as the scorecards name them.")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Where the debrief goes; keep it outside content/ and the build.")] = Path("debriefs"),
    format: Annotated[list[str], typer.Option("--format", "-f", metavar="FORMAT", help="pdf, docx, md (repeat, or separate with commas; default: pdf).")] = [],
    brand: Annotated[str, typer.Option("--brand", metavar="NAME", help="Brand of the debrief (default: rolepack.yaml's first, else default).")] = "",
    content: ContentOpt = Path("content"),
    layouts: LayoutsOpt = None,
) -> None:
    """Build a candidate's debrief from the panel's filled scorecards.

    Each file must be a scorecard of this role and candidate, from an interview kit or the hiring
    guide, filled in a PDF reader or in Word. The debrief sets every interviewer's rating and evidence
    side by side per attribute, flags ratings two or more steps apart, and says what it lacks: stages
    with no scorecard, attributes nobody assessed, forms filled in part, files set aside (each named,
    with why). Candidate data stays out of content/, the build and its logs: the debrief goes into
    --out/ROLE/, which you delete when your retention period ends.

    Exit codes: 0 every file was used; 1 the debrief was written without some files or fields (listed);
    2 nothing was written (no usable scorecard, an unknown role, a wrong option).

    Example: rolepack debrief backend-engineer --candidate "Jane Doe" kits/*.pdf -f pdf,docx
    """
    from pipeline.export.request import BrandProblems, RequestError, check_brands, load_brands, readable_folders
    from pipeline.interviews.command import FORMATS, write_debrief
    from pipeline.problems import did_you_mean
    from pipeline.export.store import OutputError
    from pipeline.render.errors import RenderError

    formats = tuple(dict.fromkeys(_choices(format or ["pdf"], FORMATS, "format")))
    if not " ".join(candidate.split()):
        output.error("--candidate is empty; give the candidate's name as the scorecards have it")
    layouts = (layouts or LAYOUTS).resolve()
    settings = settings_or_exit(content)
    catalogue = load_or_exit(content, report_warnings=False)
    if role not in catalogue.roles:
        output.error(f"no role '{role}'{did_you_mean(role, list(catalogue.roles))}")
    found = catalogue.roles[role]
    if found.interview is None:
        output.error(f"'{role}' has no interview guide (`interview:`), so it has no scorecards to read")
    name = brand or (settings.brands[0] if settings.brands else "default")
    try:
        brands = load_brands(layouts, check_brands(layouts, [name], content), content)
    except BrandProblems as err:
        output.content_problems(err.problems, content)
    except RequestError as err:
        output.error(str(err))
    try:
        outcome = write_debrief(found, role, catalogue.company, brands[name], layouts,
                                readable_folders(brands, layouts, content.resolve()), candidate, list(files),
                                out / role, formats, _today())
    except RenderError as err:
        output.error(f"the debrief cannot be rendered: {err}")
    except OutputError as err:
        output.error(str(err), EXIT_FAILED)
    for problem in outcome.problems:
        typer.echo(f"warning: {problem}", err=True)
    if outcome.debrief is None:
        output.error("no usable scorecard among the files, so no debrief was written")
    for path in outcome.written:
        typer.echo(f"wrote {path}")
    d = outcome.debrief
    typer.echo(f"{d.received} of {d.expected} stages have a scorecard; "
               f"{len(d.disagreements)} attribute(s) to discuss first; {len(d.unassessed)} nobody assessed.")
    typer.echo(f"The debrief is personal data: delete {out / role} when your retention period ends.")
    raise typer.Exit(1 if outcome.problems else 0)


@app.command()
def approve(
    role: Annotated[str, typer.Argument(help="The role's slug.")],
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="Who approves it.")],
    part: Annotated[str, typer.Option("--as", metavar="PART", help="Their part in hiring: hiring-manager, recruiter, legal …")] = "hiring-manager",
    content: ContentOpt = Path("content"),
) -> None:
    """Record that NAME approves the role as it is now, in content/approvals.yaml.

    The approval covers the role's content, the roles it extends and the company text it prints (a
    digest of them): any later edit puts the role back in review until it is approved again. When the
    content's rolepack.yaml asks for approvals (`approvals: [hiring-manager, recruiter]`), a role is
    published only with all of them; the last one moves a role in review to `state: approved`.

    Example: rolepack approve backend-engineer --by "Priya Shah" --as hiring-manager
    """
    from pydantic import ValidationError

    from pipeline.drafts.yaml_edit import EditError, Set, apply_edits
    from pipeline.export.approvals import digest_of, field_digests, record_approval, standing
    from pipeline.export.request import build_day
    from pipeline.export.store import atomic_write
    from pipeline.problems import did_you_mean
    from pipeline.schema.approvals import Approval

    settings = settings_or_exit(content)
    catalogue = load_or_exit(content, report_warnings=False)
    if role in catalogue.drafts:
        output.error(f"'{role}' is a draft ({catalogue.drafts[role].file}); finish it and set `state: review` first")
    if role not in catalogue.roles:
        output.error(f"no role '{role}'{did_you_mean(role, list(catalogue.roles))}")
    approvals = _approvals_or_exit(content)
    found = catalogue.roles[role]
    digest = digest_of(found, catalogue.company)
    if any(a.role == role and a.part == part and a.digest == digest for a in approvals):
        typer.echo(f"{role} is already approved as it is now by a {part}; nothing recorded.")
        return
    try:
        approval = Approval(role=role, by=by, part=part, on=_today(), digest=digest,
                            fields=field_digests(found, catalogue.company))
    except ValidationError as err:
        output.error(f"--by or --as cannot be recorded: {err.errors()[0]['msg']}")
    file = record_approval(content, approval)
    day = build_day(_today(), os.environ.get("SOURCE_DATE_EPOCH"))
    now = standing(role, found, catalogue.company, approvals + (approval,), tuple(settings.approvals), day)
    typer.echo(f"Recorded in {file}: {by} ({part}) approves {role} as of {_today().isoformat()} (content {digest[:8]}).")
    if found.state == "review" and not now.missing:
        role_file = catalogue.files[role]
        try:
            atomic_write(role_file, apply_edits(role_file.read_text(encoding="utf-8"),
                                                [Set(("state",), "approved")]).encode("utf-8"))
        except EditError as err:
            output.error(f"the approval is recorded, but {role_file} could not be set to `state: approved`: {err}")
        typer.echo(f"Every approval it needs is in: {role_file} now says `state: approved`.")
    elif now.missing:
        typer.echo(f"Still waiting for: {', '.join(now.missing)}.")


@app.command()
def status(
    content: ContentOpt = Path("content"),
    layouts: LayoutsOpt = None,
) -> None:
    """Each role's state, who approved it and when, what is missing, and what changed since approval.

    A role is published (the careers site, JSON-LD, feeds) when it shows `approved`.
    """
    from pipeline.export.approvals import standing
    from pipeline.export.request import build_day

    settings = settings_or_exit(content)
    catalogue = load_or_exit(content, report_warnings=False, layouts=layouts)
    approvals = _approvals_or_exit(content)
    day = build_day(_today(), os.environ.get("SOURCE_DATE_EPOCH"))
    rows = []
    for slug, role in catalogue.roles.items():
        now = standing(slug, role, catalogue.company, approvals, tuple(settings.approvals), day)
        said = [f"approved by {a.by} ({a.part}) on {a.on.isoformat()}" for a in now.current]
        if now.state == "closed":
            said.append(f"closed since {role.posting.closes.isoformat()}" if role.state != "closed" and role.posting.closes
                        else "closed")
        elif now.state != "approved" or not said:
            said.append(now.why.removeprefix("is ").removeprefix("has ") or "approved (no approval is required)")
        elif role.posting.closes:
            said.append(f"closes {role.posting.closes.isoformat()}")
        rows.append((slug, now.state, "; ".join(said)))
    for slug, draft in catalogue.drafts.items():
        rows.append((slug, "draft", draft.note.split("; ", 1)[1] if "; " in draft.note else draft.note))
    width = max((len(slug) for slug, _, _ in rows), default=4)
    for slug, state, said in sorted(rows):
        typer.echo(f"{slug.ljust(width)}  {state.ljust(8)}  {said}")
    counts = {state: sum(1 for _, s, _ in rows if s == state) for state in ("approved", "review", "draft", "closed")}
    typer.echo(", ".join(f"{n} {state}" for state, n in counts.items() if n) or "no roles")


@app.command()
def redline(
    role: Annotated[str, typer.Argument(help="The role's slug.")],
    since: Annotated[str, typer.Option("--since", metavar="REV", help="The older version: a git revision of the content, or a role file.")],
    to: Annotated[Optional[str], typer.Option("--to", metavar="REV", help="The newer version (default: the content as it is now).")] = None,
    kind: Annotated[str, typer.Option("--kind", metavar="KIND", help="job-description or hiring-guide.")] = "job-description",
    brand: Annotated[str, typer.Option("--brand", metavar="NAME", help="The brand of the document.")] = "default",
    content: ContentOpt = Path("content"),
    layouts: LayoutsOpt = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Output folder; the redline goes beside the role's files.")] = Path("build"),
) -> None:
    """Write the role's document with real tracked changes between two versions of the content.

    An approver opens it in Word (or LibreOffice) and sees in the review pane every word changed,
    every item added or removed since the older version, each one to accept or reject. The result is
    OUT/<brand>/<role>/<role>-<kind>-redline.docx; it is for review: edits come back through a
    draft and `rolepack merge`.

    Examples: rolepack redline backend-engineer --since HEAD~3 ; rolepack redline backend-engineer --since old/backend-engineer.yaml
    """
    from pipeline.drafts.review import RedlineError, RedlineRequest, redline as make_redline
    from pipeline.export.store import OutputError, atomic_write
    from pipeline.render.html import KINDS

    if kind not in KINDS:
        output.error(f"unknown kind {kind!r}; choose {', '.join(KINDS)}")
    request = RedlineRequest(role, since, to, kind, brand, content, (layouts or LAYOUTS).resolve(), _today())
    try:
        data, marked = make_redline(request)
        target = out / brand / role / f"{role}-{kind}-redline.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
    except (RedlineError, OutputError, OSError) as err:
        output.error(str(err))
    unplaced = f"; {marked.unplaced} removed text(s) had no place left to show" if marked.unplaced else ""
    typer.echo(f"Wrote {target}: {marked.total} change(s) tracked ({marked.changed} changed, {marked.added} added, "
               f"{marked.removed} removed) from {since} to {to or 'the working content'}{unplaced}.")


@app.command()
def email(
    role: Annotated[str, typer.Argument(help="The role's slug.")],
    to: Annotated[list[str], typer.Option("--to", metavar="ADDRESS", help="Recipient (repeatable).")] = [],
    cc: Annotated[list[str], typer.Option("--cc", metavar="ADDRESS", help="Copy to (repeatable).")] = [],
    brand: Annotated[str, typer.Option("--brand", metavar="NAME", help="Brand of the attached DOCX.")] = "default",
    kind: Annotated[list[str], typer.Option("--kind", metavar="KIND", help="Document(s) to attach: job-description, hiring-guide.")] = ["job-description"],
    content: ContentOpt = Path("content"),
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Output folder; the draft goes beside the role's files.")] = Path("build"),
    layouts: LayoutsOpt = None,
    send: Annotated[bool, typer.Option("--send", help="Also send it over SMTP.")] = False,
    smtp_host: Annotated[Optional[str], typer.Option("--smtp-host", metavar="HOST", envvar="ROLEPACK_SMTP_HOST", help="SMTP server for --send.")] = None,
    smtp_port: Annotated[int, typer.Option("--smtp-port", metavar="PORT", envvar="ROLEPACK_SMTP_PORT", help="SMTP port.")] = 587,
    starttls: Annotated[bool, typer.Option("--starttls/--no-starttls", envvar="ROLEPACK_SMTP_STARTTLS", help="Upgrade the SMTP connection with STARTTLS.")] = True,
    smtp_user: Annotated[Optional[str], typer.Option("--smtp-user", metavar="USER", envvar="ROLEPACK_SMTP_USER", help="SMTP user; the password comes from ROLEPACK_SMTP_PASSWORD.")] = None,
    smtp_timeout: Annotated[float, typer.Option("--smtp-timeout", metavar="SECONDS", envvar="ROLEPACK_SMTP_TIMEOUT", min=0.1, max=3600,
                                                help="Give up when the SMTP server is silent this long at any step.")] = 30.0,
) -> None:
    """Write an email draft (.eml, opens as a draft in Outlook) with the role's DOCX attached.

    The SMTP password is read only from the ROLEPACK_SMTP_PASSWORD environment variable.

    Examples: rolepack email backend-engineer --to lead@example.com ;
    rolepack email data-engineer --to a@example.com --cc b@example.com --send --smtp-host smtp.example.com
    """
    import datetime as dt
    import os
    import secrets

    from pipeline.export.run import BuildError, render_all
    from pipeline.export.store import OutputError, atomic_write
    from pipeline.render.email import Draft, EmailError, build_message
    from pipeline.render.html import KINDS

    request = _request(content, layouts, out, [role], [brand], ["docx"], jobs=1, kinds=kind)
    if not request.targets and request.withheld:  # not approved yet: the hiring manager reviews a DRAFT
        request = _request(content, layouts, out, [role], [brand], ["docx"], jobs=1, kinds=kind, drafts=True)
    layouts = request.layouts
    try:
        rendered = render_all(request)
    except BuildError as err:
        output.fail(err.failures, header="Could not render the attachment; nothing was written:")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch
            else dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    draft = Draft(request.catalogue.roles[role], request.catalogue.company, tuple(to), tuple(cc),
                  tuple(sorted(((t.kind, data) for t, data, _ in rendered), key=lambda a: KINDS.index(a[0]))),
                  when, secrets.token_hex(8))
    try:
        message = build_message(draft, layouts)
    except EmailError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    path = out / brand / role / f"{role}-draft.eml"
    try:
        atomic_write(path, bytes(message))
    except OutputError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    typer.echo(f"wrote {path}")
    if send:
        from pipeline.export.send import SendError, SmtpSettings, send as smtp_send

        if not smtp_host:
            typer.echo("error: --send needs --smtp-host or ROLEPACK_SMTP_HOST", err=True)
            raise typer.Exit(EXIT_INVALID)
        password = os.environ.get("ROLEPACK_SMTP_PASSWORD")
        if smtp_user and not password:
            typer.echo("error: --smtp-user needs the password in ROLEPACK_SMTP_PASSWORD", err=True)
            raise typer.Exit(EXIT_INVALID)
        if smtp_user and not starttls and smtp_host not in LOOPBACK:
            typer.echo(f"error: --no-starttls with --smtp-user would send the password in clear to {smtp_host}; keep "
                       "STARTTLS on, or send through a relay on this machine (127.0.0.1, localhost)", err=True)
            raise typer.Exit(EXIT_INVALID)
        settings = SmtpSettings(smtp_host, smtp_port, starttls, smtp_user, password, smtp_timeout)
        try:
            smtp_send(message, settings)
        except SendError as err:
            typer.echo(f"error: sending through {smtp_host}:{smtp_port} failed: {err}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"sent to {', '.join(to + cc)} through {smtp_host}:{smtp_port}")


COLLECT_EVERY = 10_000
"""New objects between two passes of Python's cyclic garbage collector in a command's process
(Python's default is 700). A command makes large, long-lived data in one go (a catalogue's facts,
the pronouncing dictionary lint loads, a manifest of thousands of entries), none of it garbage, and
the default's passes over it were a quarter of a one-role rebuild at 5,000 roles: 4.0 s → 2.9 s.
Render workers are spawned, so they keep the default and tune their own collector
(render/pdf/process.freeze_what_lives_on)."""


def main() -> None:
    gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])
    app(prog_name="rolepack")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
