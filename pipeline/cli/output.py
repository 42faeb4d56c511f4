"""What the commands print, and how they leave: problems under a header, warnings (a repeated
kind as one line), skipped documents, the closing summary, and the exit codes.

Everything here writes to the terminal; nothing decides what to build or check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

import typer

from pipeline.problems import Problem, summarised

EXIT_FAILED = 1
EXIT_INVALID = 2


def print_problems(problems: Sequence[object], *, header: str, notes: Sequence[str] = ()) -> None:
    typer.echo(header, err=True)
    for problem in problems:
        typer.echo(f"  {problem}", err=True)
    for note in notes:
        typer.echo(f"  note: {note}", err=True)


def fail(problems: Sequence[object], *, header: str, notes: Sequence[str] = ()) -> NoReturn:
    print_problems(problems, header=header, notes=notes)
    raise typer.Exit(EXIT_INVALID)


def error(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """One line, `error: …`, and the exit code."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def content_problems(problems: Sequence[Problem], content: Path, notes: Sequence[str] = ()) -> NoReturn:
    """The errors first, under a heading that counts them; then the warnings under their own, a
    kind that repeats across roles as one line, so no warning reads as one of the errors."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = summarised([p for p in problems if p.severity != "error"])
    print_problems(errors, header=f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {content}:", notes=notes)
    if warnings:
        print_problems(warnings, header=f"and {len(warnings)} warning{'s' if len(warnings) != 1 else ''}:")
    raise typer.Exit(EXIT_INVALID)


def told(warnings: Sequence[Problem], accepted: Mapping[str, str], settings: str) -> list[str]:
    """The lines that report `warnings`: a note with its reason for each rule the settings accept,
    then the others, a repeated kind once as a summary."""
    notes = [f"note: {count} {rule} warning{'s' if count != 1 else ''} accepted by {settings}: {why}"
             for rule, why in accepted.items() if (count := sum(1 for w in warnings if w.rule == rule))]
    return notes + summarised([w for w in warnings if w.rule not in accepted])


def content_warnings(warnings: Sequence[Problem], *, strict: bool, allow: Sequence[str],
                     accepted: Mapping[str, str] | None = None, settings: str = "") -> None:
    """Print the content's warnings, a repeated kind once as a summary; under --strict, those not
    accepted with --allow fail the command before anything else happens. A rule the content
    folder's settings accept (`accepted`: rule → why) is one note with its reason, not its warnings."""
    accepted = accepted or {}
    for line in told(warnings, accepted, settings):
        typer.echo(line, err=True)
    blocking = [w for w in warnings if w.rule not in allow and w.rule not in accepted]
    if strict and blocking:
        rules = ", ".join(sorted({w.rule for w in blocking if w.rule}))
        fail([], header=f"--strict: {len(blocking)} warning(s) count as failures"
                        + (f" (accept a rule with --allow: {rules})" if rules else ""))


def drafts(catalogue, *, every: bool = False) -> None:
    """Each role set aside as a draft, one located note: never an error, never under --strict. With
    `every`, a note for each thing it still lacks follows, when there is more than one."""
    for draft in catalogue.drafts.values():
        typer.echo(f"note: {draft.note}", err=True)
        if every and len(draft.unfinished) > 1:
            for line in draft.unfinished:
                typer.echo(f"note:   {line}", err=True)


def withheld(documents: Sequence[tuple[str, str]], *, as_json: bool) -> None:
    """Documents the publishing gate kept back, and why: the build goes on, the summary counts them."""
    for path, why in documents:
        if as_json:
            typer.echo(json.dumps({"event": "document", "target": path, "status": "withheld", "seconds": 0,
                                   "error": why}, sort_keys=True))
        else:
            typer.echo(f"withheld {path}: {why}", err=True)


def skipped(documents: Sequence[tuple[str, str]], invalid_roles: frozenset[str], *, strict: bool, quiet: bool,
            as_json: bool) -> None:
    """Documents a role does not have, and why: not an error, except under --strict (an invalid
    role's documents are already reported as that role's problems)."""
    for path, why in documents:
        if as_json:
            typer.echo(json.dumps({"event": "document", "target": path, "status": "skipped", "seconds": 0,
                                   "error": why}, sort_keys=True))
        elif not quiet or strict:
            typer.echo(f"skipped {path}: {why}", err=True)
    if strict and any(path.split("/")[1] not in invalid_roles for path, _ in documents):
        fail([], header="--strict: documents were skipped for lack of content; no output was changed")


def summary(out: Path, log_format: str, told: Sequence[str], *, seconds: float, **counts: int) -> None:
    """What an earlier identical build said (on the shortcut), then the closing line every build prints."""
    for line in told:
        typer.echo(line, err=True)
    if not counts.get("withheld"):
        counts.pop("withheld", None)
    if log_format == "json":
        typer.echo(json.dumps({"event": "summary", "out": str(out), **counts, "seconds": round(seconds, 2)},
                              sort_keys=True))
    else:
        withheld = f", withheld {counts['withheld']}" if "withheld" in counts else ""
        typer.echo(f"{out}: built {counts['built']}, unchanged {counts['unchanged']}, removed {counts['removed']}, "
                   f"skipped {counts['skipped']}{withheld}, failed {counts['failed']} in {seconds:.1f} s")
