"""The `rolepack` command: thin commands over the pipeline, and errors printed for people.

Heavy renderers (WeasyPrint, python-docx) are imported inside the commands that need them, so
`rolepack --help` and `rolepack validate` start quickly.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from pipeline.check.catalogue import Catalogue, load_catalogue
from pipeline.check.problems import ContentError

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

ContentOpt = Annotated[Path, typer.Option("--content", help="Folder with company.yaml and roles/.")]
EXIT_INVALID = 2


def _today() -> dt.date:
    return dt.date.today()


def _fail(problems: list, *, header: str) -> NoReturn:
    typer.echo(header, err=True)
    for problem in problems:
        typer.echo(f"  {problem}", err=True)
    raise typer.Exit(EXIT_INVALID)


def load_or_exit(content: Path, *, strict: bool = False) -> Catalogue:
    """Load the catalogue, or print every problem and exit 2."""
    try:
        catalogue = load_catalogue(content, today=_today())
    except ContentError as err:
        errors = [p for p in err.problems if p.severity == "error"]
        _fail(err.problems, header=f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {content}:")
    for warning in catalogue.warnings:
        typer.echo(str(warning), err=True)
    if strict and catalogue.warnings:
        _fail([], header=f"--strict: {len(catalogue.warnings)} warning(s) count as failures")
    return catalogue


@app.command()
def validate(
    content: ContentOpt = Path("content"),
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check every content file and report all problems at once (exit 2 when invalid).

    Example: rolepack validate --content content --strict
    """
    catalogue = load_or_exit(content, strict=strict)
    typer.echo(f"{len(catalogue.roles)} roles and the company file are valid.")


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
    kind: Annotated[str, typer.Argument(help="role, company or brand.")] = "role",
) -> None:
    """Print the JSON Schema of a role file (or of company.yaml, or brand.yaml).

    Example: rolepack schema role > schema/role.schema.json
    """
    from pipeline.schema.export import json_schema

    try:
        typer.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))
    except KeyError:
        typer.echo(f"unknown schema '{kind}': choose role, company or brand", err=True)
        raise typer.Exit(EXIT_INVALID) from None


@app.command()
def new(
    slug: Annotated[str, typer.Argument(help="The new role's slug, e.g. platform-engineer.")],
    from_role: Annotated[Optional[str], typer.Option("--from", help="Extend this existing role.")] = None,
    content: ContentOpt = Path("content"),
) -> None:
    """Create content/roles/SLUG.yaml that validates as written, ready to edit.

    Examples: rolepack new platform-engineer ; rolepack new staff-backend-engineer --from backend-engineer
    """
    from pipeline.source.scaffold import ScaffoldError, scaffold

    try:
        path = scaffold(content, slug, from_role)
    except ScaffoldError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"created {path}")


LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


def _brands(layouts: Path, names: list[str]) -> dict:
    from pipeline.check.brands import brand_names, load_brand

    try:
        return {name: load_brand(layouts, name) for name in (names or brand_names(layouts))}
    except ContentError as err:
        _fail(err.problems, header="Brand problems:")


def _request(content: Path, layouts: Path, out: Path, roles: list[str], brands: list[str], formats: list[str],
             *, strict: bool, pdf_variant: str = "pdf/ua-1", jobs: int = 0, kinds: list[str] | None = None):
    """Validate everything a build needs and describe it; exits 2 with every problem otherwise."""
    import os

    from pipeline.export.plan import FORMATS, Scope, plan
    from pipeline.export.run import BuildRequest, default_jobs
    from pipeline.render.html import KINDS
    from pipeline.render.pdf import VARIANTS

    bad = [f for f in formats if f not in FORMATS] + [k for k in kinds or [] if k not in KINDS]
    if bad or pdf_variant not in VARIANTS:
        typer.echo(f"error: formats are {', '.join(FORMATS)}; kinds are {', '.join(KINDS)}; "
                   f"PDF variants are {', '.join(VARIANTS)}", err=True)
        raise typer.Exit(EXIT_INVALID)
    catalogue = load_or_exit(content, strict=strict)
    unknown = [r for r in roles if r not in catalogue.roles]
    if unknown:
        typer.echo(f"error: no role {', '.join(unknown)} (roles: {', '.join(catalogue.roles)})", err=True)
        raise typer.Exit(EXIT_INVALID)
    loaded = _brands(layouts, brands)
    formats = list(dict.fromkeys(formats))
    return BuildRequest(
        catalogue=catalogue, brands=loaded, layouts=layouts, allowed=(layouts, content / "assets"), out=out,
        targets=plan(roles or list(catalogue.roles), loaded, formats, kinds or KINDS),
        scope=Scope(frozenset(loaded), frozenset(roles) if roles else None, frozenset(formats)),
        source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"), pdf_variant=pdf_variant,
        jobs=jobs or default_jobs())


@app.command()
def build(
    format: Annotated[list[str], typer.Option("--format", "-f", help="pdf and/or docx; repeat for both.")] = ["pdf"],
    content: ContentOpt = Path("content"),
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("build"),
    role: Annotated[list[str], typer.Option("--role", help="Build only this role (repeatable).")] = [],
    brand: Annotated[list[str], typer.Option("--brand", help="Build only this brand (repeatable).")] = [],
    layouts: Annotated[Path, typer.Option("--layouts", help="Layouts folder.")] = LAYOUTS,
    pdf_variant: Annotated[str, typer.Option("--pdf-variant", help="pdf/ua-1 (default), pdf/a-3b or pdf/a-3u.")] = "pdf/ua-1",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: cores, at most 4).")] = 0,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on content or rendering warnings.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Re-render everything, even outputs that are up to date.")] = False,
) -> None:
    """Build the job description and hiring-guide packet of every role, for every brand.

    Files go to OUT/<brand>/<role>/<role>-<kind>.<format>, listed in OUT/manifest.json.
    Nothing is written unless every document renders; outputs this build owns but no longer
    makes (a deleted role) are removed. Outputs whose inputs (content, layouts, brand, fonts,
    code) are unchanged since the last build are kept as they are; --force re-renders them.

    Examples: rolepack build --format pdf ; rolepack build -f pdf -f docx --role backend-engineer --brand harbor
    """
    from pipeline.export.run import BuildError, build as run_build

    request = _request(content, layouts, out, role, brand, format, strict=strict, pdf_variant=pdf_variant, jobs=jobs)
    try:
        report = run_build(request, force=force)
    except BuildError as err:
        _fail(err.failures, header="Build failed; no output was changed:")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    fresh = len(report.written) - len(report.unchanged)
    typer.echo(f"wrote {fresh} files to {out}"
               + (f", {len(report.unchanged)} already up to date" if report.unchanged else "")
               + (f", removed {len(report.removed)} stale" if report.removed else ""))
    if strict and report.warnings:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def email(
    role: Annotated[str, typer.Argument(help="The role's slug.")],
    to: Annotated[list[str], typer.Option("--to", help="Recipient (repeatable).")] = [],
    cc: Annotated[list[str], typer.Option("--cc", help="Copy to (repeatable).")] = [],
    brand: Annotated[str, typer.Option("--brand", help="Brand of the attached DOCX.")] = "default",
    kind: Annotated[list[str], typer.Option("--kind", help="Document(s) to attach.")] = ["job-description"],
    content: ContentOpt = Path("content"),
    out: Annotated[Path, typer.Option("--out", help="Output folder; the draft goes beside the role's files.")] = Path("build"),
    layouts: Annotated[Path, typer.Option("--layouts", help="Layouts folder.")] = LAYOUTS,
    send: Annotated[bool, typer.Option("--send", help="Also send it over SMTP.")] = False,
    smtp_host: Annotated[Optional[str], typer.Option("--smtp-host", envvar="ROLEPACK_SMTP_HOST")] = None,
    smtp_port: Annotated[int, typer.Option("--smtp-port", envvar="ROLEPACK_SMTP_PORT")] = 587,
    starttls: Annotated[bool, typer.Option("--starttls/--no-starttls", envvar="ROLEPACK_SMTP_STARTTLS")] = True,
    smtp_user: Annotated[Optional[str], typer.Option("--smtp-user", envvar="ROLEPACK_SMTP_USER")] = None,
) -> None:
    """Write an email draft (.eml, opens as a draft in Outlook) with the role's DOCX attached.

    The SMTP password is read only from the ROLEPACK_SMTP_PASSWORD environment variable.

    Examples: rolepack email backend-engineer --to lead@example.com ;
    rolepack email data-engineer --to a@example.com --cc b@example.com --send --smtp-host smtp.example.com
    """
    import datetime as dt
    import os

    from pipeline.export.run import BuildError, render_all
    from pipeline.export.store import atomic_write
    from pipeline.render.email import Draft, EmailError, build_message

    request = _request(content, layouts, out, [role], [brand], ["docx"], strict=False, jobs=1, kinds=kind)
    try:
        rendered = render_all(request)
    except BuildError as err:
        _fail(err.failures, header="Could not render the attachment; nothing was written:")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch
            else dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    draft = Draft(request.catalogue.roles[role], request.catalogue.company, tuple(to), tuple(cc),
                  tuple((t.path.rsplit("/", 1)[-1], data) for t, data, _ in rendered), when)
    try:
        message = build_message(draft, layouts)
    except EmailError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    path = out / brand / role / f"{role}-draft.eml"
    atomic_write(path, bytes(message))
    typer.echo(f"wrote {path}")
    if send:
        import smtplib

        from pipeline.export.send import SmtpSettings, send as smtp_send

        if not smtp_host:
            typer.echo("error: --send needs --smtp-host or ROLEPACK_SMTP_HOST", err=True)
            raise typer.Exit(EXIT_INVALID)
        password = os.environ.get("ROLEPACK_SMTP_PASSWORD")
        if smtp_user and not password:
            typer.echo("error: --smtp-user needs the password in ROLEPACK_SMTP_PASSWORD", err=True)
            raise typer.Exit(EXIT_INVALID)
        settings = SmtpSettings(smtp_host, smtp_port, starttls, smtp_user, password)
        try:
            smtp_send(message, settings)
        except (OSError, smtplib.SMTPException) as err:
            typer.echo(f"error: sending through {smtp_host}:{smtp_port} failed: {err}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"sent to {', '.join(to + cc)} through {smtp_host}:{smtp_port}")


def main() -> None:
    app(prog_name="rolepack")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
