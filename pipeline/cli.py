"""The `rolepack` command: thin commands over the pipeline, and errors printed for people.

Heavy renderers (WeasyPrint, python-docx) are imported inside the commands that need them, so
`rolepack --help` and `rolepack validate` start quickly.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

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


def _fail(problems: list, *, header: str) -> None:
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


def main() -> None:
    app(prog_name="rolepack")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
