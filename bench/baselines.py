"""The baselines: what a user without rolepack would run to get the same documents.

Each baseline gets the same text as our document (title, summary, paragraphs, bullet lists, the
pay table), written straight from the role model as a short list of blocks, then emitted three
ways: (a) a plain, pandoc-style HTML page with about ten lines of CSS, laid out by the same
WeasyPrint with the font configuration and compiled stylesheet kept between documents, tagged as
PDF/UA-1 like ours; (b) python-docx building the document from scratch; (c) pandoc converting the
equivalent Markdown to DOCX. None of them has our layout, brand, checks or reproducibility, so
they are the floor: our figures are printed as ratios to them.

The blocks follow our templates section by section (layouts/job-description.html.j2 and
layouts/hiring-guide.html.j2), so both sides set the same words; fill-in tables, checkboxes and
the contents page are plain tables and lists here.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.render.pdf.fontconfig import use_bundled_fonts_only
from pipeline.render.html import company_for, environment

_FILTERS = environment(Path(__file__).resolve().parent.parent / "layouts").filters
duration, long_date, money = _FILTERS["duration"], _FILTERS["long_date"], _FILTERS["money"]
area, pay_range = _FILTERS["area"], _FILTERS["pay_range"]
from pipeline.schema import Company, Role

use_bundled_fonts_only()  # the same fonts as our PDFs, and the same fontconfig, before WeasyPrint loads

EMPLOYMENT = {"full-time": "Full-time", "part-time": "Part-time", "contract": "Contract",
              "temporary": "Temporary", "internship": "Internship"}
MODES = {"remote": "Remote", "hybrid": "Hybrid", "on-site": "On-site"}
PER = {"year": "per year", "month": "per month", "hour": "per hour"}
SCALE = (("strong_no", "1 · Strong no"), ("lean_no", "2 · Lean no"), ("lean_yes", "3 · Lean yes"),
         ("strong_yes", "4 · Strong yes"))

PLAIN_CSS = """
@page { size: A4; margin: 24mm 20mm 22mm 20mm; }
body { font-family: Inter, "Noto Sans", sans-serif; font-size: 9.5pt; line-height: 1.4; color: #1d2733; }
h1 { font-size: 20pt; margin: 0 0 6pt; color: #16324f; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; color: #16324f; }
h3 { font-size: 10.5pt; margin: 10pt 0 3pt; }
p, ul { margin: 0 0 6pt; }
li { margin-bottom: 2pt; }
table { border-collapse: collapse; width: 100%; margin: 0 0 8pt; }
th, td { border-bottom: 0.5pt solid #c8d0d8; padding: 3pt 4pt; text-align: left; vertical-align: top; }
"""
"""About ten lines: what someone styling a pandoc page for print would write."""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Para | Bullets | Table


def _facts(role: Role) -> Bullets:
    where = "; ".join(MODES[loc.mode] + (f" ({', '.join(map(str, loc.places))})" if loc.places else "") for loc in role.locations)
    facts = [f"Department: {role.department}", f"Type: {EMPLOYMENT[role.employment_type]}", f"Location: {where}"]
    areas = list(dict.fromkeys(code for loc in role.locations if loc.mode == "remote" for code in loc.hires_in))
    if areas:
        facts.append(f"Remote from: {', '.join(map(area, areas))}")
    if role.posting.closes:
        facts.append(f"Apply by: {long_date(role.posting.closes)}")
    return Bullets(tuple(facts))


def _pay(role: Role, company: Company) -> list[Block]:
    """One table, a column per set of bands (the role's, then each local set), as the partial prints it."""
    comp = role.compensation
    sets = [comp, *comp.local]
    levels = list(dict.fromkeys(band.level for bands in sets for band in bands.posted))
    header = ["Level", f"Base salary ({comp.currency}, {PER[comp.period]})"] + [
        f"Base salary in {'; '.join(map(area, local.areas))} ({local.currency}, {PER[local.period]})" for local in comp.local]
    rows = tuple((level, *(next((pay_range(b, bands.currency) for b in bands.posted if b.level == level), "–")
                           for bands in sets)) for level in levels)
    notes = " ".join(f"{bands.explanation or (company.pay_note if i == 0 else '') or ''} Set against "
                     f"{bands.source.name} (data as of {long_date(bands.source.as_of)}).".strip()
                     for i, bands in enumerate(sets))
    blocks: list[Block] = [Table(tuple(header), rows)]
    if comp.equity or comp.bonus:
        blocks.append(Para(" ".join(t for t in (comp.equity, comp.bonus) if t)))
    return blocks + [Para(notes)]


def _job_description_body(role: Role, company: Company, level: int) -> list[Block]:
    """The sections of partials/job-description-body.html.j2, at heading `level`."""
    jd, q = role.job_description, role.qualifications
    blocks: list[Block] = [_facts(role)]
    notes = " ".join(f"{MODES[loc.mode]}: {loc.note}" for loc in role.locations if loc.note)
    if notes:
        blocks.append(Para(notes))
    blocks += [Heading(level, "About the role"), *map(Para, jd.about_the_role),
               Heading(level, "What you will do"), Bullets(tuple(jd.key_responsibilities)),
               Heading(level, "What you will bring"), Bullets(tuple(q.prerequisites)),
               Para("Skills we look for. You will not need all of them on day one."), Bullets(tuple(q.hard_skills))]
    if jd.show_nice_to_have and q.nice_to_have:
        blocks.append(Para("Nice to have (none of these is required): " + "; ".join(q.nice_to_have)))
    blocks += [Heading(level, "Pay"), *_pay(role, company),
               Heading(level, "Benefits"), Bullets(tuple(jd.perks + company.benefits)),
               Heading(level, f"About {company.name}"), *map(Para, company.about)]
    contact, posting = company.contact, role.posting
    vacancy = {True: "This posting is for a position that is open now.",
               False: "This posting builds a pool of candidates for positions that open later.", None: ""}
    apply = " ".join(t for t in (jd.how_to_apply, f"Questions? Write to {contact.name}"
                                 f"{', ' + contact.role if contact.role else ''}, at {contact.email}.",
                                 vacancy[posting.existing_vacancy], posting.ai_screening, company.accommodations) if t)
    return blocks + [Heading(level, "How to apply"), Para(apply), Para(company.equal_opportunity)]


def job_description(role: Role, company: Company) -> list[Block]:
    """The job description's text as blocks, the way layouts/job-description.html.j2 orders it."""
    company = company_for(role, company)
    return [Heading(1, role.title), Para(role.job_description.summary), *_job_description_body(role, company, 2)]


def _question_bank(role: Role) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Question bank"), Para(
        "Pick from these for your stage. Ask the same core questions of every candidate, and note what they said "
        "before you score.")]
    for attribute in role.interview.scorecard:
        questions = [q for q in role.interview.questions if q.attribute == attribute.id]
        if questions:
            blocks.append(Heading(3, attribute.name))
        for item in questions:
            blocks += [Para(f"{item.kind.replace('-', ' ')}: {item.question}"),
                       Para(f"What good looks like: {item.good_answer}"), Para("Red flags:"),
                       Bullets(tuple(item.red_flags))]
    return blocks


def _forms(role: Role) -> list[Block]:
    """The scorecard and debrief: their fill-in fields as plain tables."""
    card = role.interview.scorecard
    return [Heading(2, "Scorecard"),
            Table(("Candidate", "", "Interviewer", ""), (("Stage", "", "Date", ""),)),
            Table(("Overall recommendation", *(label for _, label in SCALE)), ()),
            Para("One tick per attribute, on evidence from your stage only; there is no middle option."),
            Table(tuple(label for _, label in SCALE),
                  tuple(row for a in card for row in ((a.name, "", "", ""),
                                                      tuple(getattr(a.anchors, key) for key, _ in SCALE),
                                                      ("Evidence:", "", "", "")))),
            Heading(2, "Debrief template"),
            Para("The hiring manager runs the debrief once every scorecard is in. Each interviewer reads out their "
                 "scores and evidence before any discussion; the decision follows the evidence against each "
                 "attribute, not the loudest voice."),
            Table(("Candidate", "", "Debrief date", ""), (("Panel", "", "", ""),)),
            Table(("Attribute", "Scores (1–4) by interviewer", "Strongest evidence for and against"),
                  tuple((a.name, "", "") for a in card)),
            Table(("Decision", "Hire", "No hire", "More evidence needed"), ()),
            Table(("Level and why", ""), (("Open questions and follow-ups", ""), ("Feedback for the candidate", "")))]


def hiring_guide(role: Role, company: Company, issued, related_titles: dict[str, str]) -> list[Block]:
    """The hiring-guide packet's text as blocks, the way layouts/hiring-guide.html.j2 orders it."""
    company = company_for(role, company)
    q, comp, stages = role.qualifications, role.compensation, role.interview.stages
    names = {a.id: a.name for a in role.interview.scorecard}
    related = [related_titles.get(s, s) for s in role.related_roles]
    chapters = ["Job description", "What the role handles", "Qualifications", "Compensation by level",
                "Interview plan", "Question bank", "Scorecard", "Debrief template", "Interviewer do’s and don’ts",
                "Frequently asked questions", "Tools and programs", "Team sizing"] + (["Related roles"] if related else [])
    blocks: list[Block] = [
        Para(f"Hiring guide · {company.name}"), Heading(1, role.title), Para(role.job_description.summary),
        Bullets((f"Department: {role.department}", f"Type: {EMPLOYMENT[role.employment_type]}",
                 f"Location: {', '.join(MODES[loc.mode] for loc in role.locations)}", f"Issued: {long_date(issued)}")),
        Para("For the hiring team. The job description, responsibilities, qualifications and pay ranges may be "
             "shared with candidates; the interview plan, question bank, scorecard and debrief may not."),
        Heading(2, "Contents"), Bullets(tuple(chapters)),
        Heading(2, "Job description"), *_job_description_body(role, company, 3),
        Heading(2, "What the role handles"),
        Para("What a hiring manager can expect from this role once the new hire has settled in."),
        Bullets(tuple(role.responsibilities)),
        Heading(2, "Qualifications"), Heading(3, "Prerequisites"), Para("Check these before a first interview."),
        Bullets(tuple(q.prerequisites)), Heading(3, "Skills"), Bullets(tuple(q.hard_skills)),
        Heading(3, "How you work"), Bullets(tuple(q.soft_skills))]
    if q.nice_to_have:
        blocks += [Heading(3, "Nice to have"), Bullets(tuple(q.nice_to_have))]
    blocks += [Heading(2, "Compensation by level"),
               Table(("Level", "Typical experience", "Minimum", "Maximum"),
                     tuple((b.level, b.years or "–", money(b.min, comp.currency), money(b.max, comp.currency))
                           for b in comp.levels)),
               Para(f"Base salary in {comp.currency} {PER[comp.period]}. Source: {comp.source.name}, data as of "
                    f"{long_date(comp.source.as_of)}." + (f" {comp.source.note}" if comp.source.note else ""))]
    blocks += [Para(f"{label}. {text}") for label, text in (("Equity", comp.equity), ("Bonus", comp.bonus)) if text]
    blocks += [Heading(2, "Interview plan"),
               Table(("Stage", "Length", "Who", "Assesses"),
                     tuple((f"{i}. {s.name}" + (f" {s.description}" if s.description else ""), f"{s.minutes} min",
                            s.who, ", ".join(names[f] for f in s.focus)) for i, s in enumerate(stages, 1))),
               Para(f"{duration(sum(s.minutes for s in stages))} of the candidate’s time in all. Every stage scores "
                    "only the attributes listed against it."),
               *_question_bank(role), *_forms(role),
               Heading(2, "Interviewer do’s and don’ts"), Heading(3, "Do"),
               Bullets(tuple(company.interviewer_guidance.dos)), Heading(3, "Don’t"),
               Bullets(tuple(company.interviewer_guidance.donts)),
               Heading(2, "Frequently asked questions"),
               *[p for entry in role.faq for p in (Para(entry.question), Para(entry.answer))],
               Heading(2, "Tools and programs"),
               Table(("Category", "Tools and programs"), tuple((g.category, ", ".join(g.tools)) for g in role.tools)),
               Heading(2, "Team sizing"), Bullets(tuple(role.team_sizing))]
    if related:
        blocks += [Heading(2, "Related roles"), Bullets(tuple(related))]
    return blocks


# --- (a) HTML for WeasyPrint -------------------------------------------------------------------

def _id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def to_html(blocks: list[Block], title: str, language: str = "en") -> str:
    """A standalone page as pandoc writes one: a title block, then plain elements."""
    e = html.escape
    out = [f'<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="{language}" xml:lang="{language}">',
           f'<head>\n<meta charset="utf-8" />\n<title>{e(title)}</title>\n</head>\n<body>']
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f'<h{block.level} id="{_id(block.text)}">{e(block.text)}</h{block.level}>')
        elif isinstance(block, Para):
            out.append(f"<p>{e(block.text)}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>\n" + "\n".join(f"<li>{e(i)}</li>" for i in block.items) + "\n</ul>")
        else:
            head = "".join(f"<th>{e(c)}</th>" for c in block.header)
            body = "\n".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            out.append(f"<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


class PlainPdf:
    """WeasyPrint as a user would keep it in a warm process: one FontConfiguration and one compiled
    stylesheet for every document, tagged PDF/UA-1 like ours."""

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()
        self.css = CSS(string=PLAIN_CSS, font_config=self.fonts)

    def render(self, page: str) -> bytes:
        from weasyprint import HTML

        return HTML(string=page).write_pdf(stylesheets=[self.css], font_config=self.fonts, pdf_tags=True,
                                           pdf_variant="pdf/ua-1")



# --- (b) python-docx from scratch -----------------------------------------------------------------

def python_docx(blocks: list[Block]) -> bytes:
    """The blocks as a new python-docx document with its default template: headings, paragraphs,
    bullets (List Bullet) and gridded tables."""
    from docx import Document

    doc = Document()
    for block in blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            doc.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        else:
            table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header), style="Table Grid")
            for r, row in enumerate((block.header, *block.rows)):
                for cell, text in zip(table.rows[r].cells, row):
                    cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- (c) pandoc from Markdown ---------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$@~^])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as pandoc Markdown: ATX headings, paragraphs, `-` lists and pipe tables."""
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {_md(block.text)}")
        elif isinstance(block, Para):
            out.append(_md(block.text))
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {_md(i)}" for i in block.items))
        else:
            rows = [block.header, tuple("---" for _ in block.header), *block.rows]
            out.append("\n".join("| " + " | ".join(_md(c) for c in row) + " |" for row in rows))
    return "\n\n".join(out) + "\n"


class Pandoc:
    """pypandoc's bundled pandoc, writing to a file as `pandoc in.md -o out.docx` would."""

    def __init__(self) -> None:
        import pypandoc

        self._pypandoc = pypandoc
        self.folder = Path(tempfile.mkdtemp(prefix="rolepack-bench-pandoc-"))

    def render(self, markdown: str) -> bytes:
        target = self.folder / "out.docx"
        self._pypandoc.convert_text(markdown, "docx", format="md", outputfile=str(target))
        return target.read_bytes()

    def startup(self) -> bytes:
        """`pandoc --version`: the cost of starting pandoc at all, subtracted from each conversion
        for the second DOCX anchor, so that it measures the conversion rather than a process start."""
        return self._pypandoc.convert_text("x", "plain", format="md").encode()


# --- (d) docxtpl filling a template ---------------------------------------------------------------

class Docxtpl:
    """docxtpl filling, in this process, a Word template made once with python-docx: a heading of
    each level, a paragraph, a bullet and a gridded table whose rows and cells are loops. It is what
    a team that keeps its job descriptions as a Word template would run: the same words, in Word's
    own styles, with no layout of ours."""

    def __init__(self) -> None:
        from docx import Document

        doc = Document()
        doc.add_paragraph("{%p for b in blocks %}")
        for level in (1, 2, 3):
            doc.add_paragraph(f"{{%p if b.kind == 'h{level}' %}}")
            doc.add_heading("{{ b.text }}", level=level)
            doc.add_paragraph("{%p endif %}")
        doc.add_paragraph("{%p if b.kind == 'p' %}")
        doc.add_paragraph("{{ b.text }}")
        doc.add_paragraph("{%p endif %}")
        doc.add_paragraph("{%p if b.kind == 'ul' %}")
        doc.add_paragraph("{%p for item in b.entries %}")
        doc.add_paragraph("{{ item }}", style="List Bullet")
        doc.add_paragraph("{%p endfor %}")
        doc.add_paragraph("{%p endif %}")
        doc.add_paragraph("{%p if b.kind == 'table' %}")
        table = doc.add_table(rows=3, cols=3, style="Table Grid")
        table.cell(0, 0).text = "{%tr for row in b.rows %}"
        for column, text in enumerate(("{%tc for cell in row %}", "{{ cell }}", "{%tc endfor %}")):
            table.cell(1, column).text = text
        table.cell(2, 0).text = "{%tr endfor %}"
        doc.add_paragraph("{%p endif %}")
        doc.add_paragraph("{%p endfor %}")
        buffer = io.BytesIO()
        doc.save(buffer)
        self.template = buffer.getvalue()

    @staticmethod
    def context(blocks: list[Block]) -> dict:
        items = []
        for block in blocks:
            if isinstance(block, Heading):
                items.append({"kind": f"h{min(block.level, 3)}", "text": block.text})
            elif isinstance(block, Para):
                items.append({"kind": "p", "text": block.text})
            elif isinstance(block, Bullets):
                items.append({"kind": "ul", "entries": list(block.items)})
            else:
                items.append({"kind": "table", "rows": [list(block.header), *map(list, block.rows)]})
        return {"blocks": items}

    def render(self, blocks: list[Block]) -> bytes:
        from docxtpl import DocxTemplate

        document = DocxTemplate(io.BytesIO(self.template))
        document.render(self.context(blocks))
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
