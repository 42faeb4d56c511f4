"""`rolepack debrief`: a candidate's filled scorecards in, one debrief document out, beside the build.

Candidate data is personal data: the debrief is written into its own folder (never `content/`,
never the build's output, manifest or state), and nothing about the candidate is logged. A file
that cannot be used is set aside with the reason, and the debrief says it lacks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from pipeline.check.brands import LoadedBrand
from pipeline.export.store import OutputError, atomic_write
from pipeline.interviews.forms import FormError, read_form
from pipeline.interviews.scorecards import Scorecard, ScorecardError, same_person, scorecard_of
from pipeline.interviews.summary import Debrief, debrief_of
from pipeline.render.html import company_for, content_digest, environment, template_error
from pipeline.schema import CompanyFile, Role
from pipeline.schema.values import anchor

FORMATS = ("pdf", "docx", "md")
LAYOUT = "debrief.html.j2"


@dataclass
class Outcome:
    debrief: Debrief | None
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """`file: why` for every file set aside, and what the filled-in part of a form lacks."""


@dataclass(frozen=True)
class SetAside:
    """A file not used: `reason` names the case (see ScorecardError), `why` says it in full."""

    file: Path
    reason: str
    why: str


def read_scorecards(role: Role, slug: str, candidate: str, files: list[Path]) -> tuple[list[Scorecard], list[SetAside]]:
    """The usable scorecards among `files`, and each file set aside with why."""
    cards: list[Scorecard] = []
    aside: list[SetAside] = []
    for file in files:
        try:
            card = scorecard_of(file, read_form(file), role, slug, candidate)
        except FormError as err:
            aside.append(SetAside(file, "unreadable", str(err)))
            continue
        except ScorecardError as err:
            aside.append(SetAside(file, err.reason, str(err)))
            continue
        twin = next((c for c in cards if c.stage == card.stage and c.interviewer
                     and same_person(c.interviewer, card.interviewer)), None)
        if twin is not None:
            aside.append(SetAside(file, "duplicate", f"{twin.file.name} is already this interviewer's scorecard "
                                                     "for this stage"))
            continue
        cards.append(card)
    return cards, aside


def debrief_html(debrief: Debrief, role: Role, company: CompanyFile, brand: LoadedBrand, layouts: Path,
                 day: dt.date | None) -> str:
    """The debrief as the layouts' semantic HTML, which every format starts from."""
    resolved = company_for(role, company)
    try:
        template = environment(layouts, role.language, resolved.address).get_template(LAYOUT)
        return template.render(kind="debrief", draft=False, role=role, company=resolved, brand=brand.brand,
                               logo=brand.logo_src, issued=day,
                               digest=content_digest(role, resolved), debrief=debrief)
    except jinja2.TemplateError as err:
        raise template_error(err, layouts) from None


def document_bytes(html: str, format: str, brand: LoadedBrand, layouts: Path, allowed: tuple[Path, ...],
                   day: dt.date | None) -> bytes:
    """One format of the debrief, by the writers the build uses."""
    if format == "pdf":
        from pipeline.render.pdf.writer import PdfJob, render_pdf

        return render_pdf(PdfJob(html, brand, layouts, allowed, issued=day))[0]
    if format == "docx":
        from pipeline.render.docx.writer import DocxJob, render_docx

        return render_docx(DocxJob(html, brand, "debrief", day))[0]
    from pipeline.render.posting.markdown import html_to_markdown

    return html_to_markdown(html, layout=f"layouts/{LAYOUT}").encode("utf-8")


def write_debrief(role: Role, slug: str, company: CompanyFile, brand: LoadedBrand, layouts: Path,
                  allowed: tuple[Path, ...], candidate: str, files: list[Path], out: Path,
                  formats: tuple[str, ...], day: dt.date) -> Outcome:
    """Read the scorecards, and write the debrief in each format into `out` (when any is usable)."""
    cards, aside = read_scorecards(role, slug, candidate, files)
    problems = [f"{item.file}: {item.why}" for item in aside]
    problems += [f"{card.file}: lacks {'; '.join(map(str, card.lacks))}" for card in cards if card.lacks]
    if not cards:
        return Outcome(None, [], problems)
    shown = cards[0].candidate  # as the panel wrote it, not as the command line spelled it
    debrief = debrief_of(role, shown, cards, [(item.file.name, item.reason) for item in aside])
    html = debrief_html(debrief, role, company, brand, layouts, day)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot make the debrief's folder {out}: {err.strerror or err}") from None
    written = []
    for format in formats:
        path = out / f"{slug}-debrief-{anchor(shown)[:60].strip('-')}.{format}"  # a file name any disk takes
        atomic_write(path, document_bytes(html, format, brand, layouts, allowed, day))
        written.append(path)
    return Outcome(debrief, written, problems)
