"""Role + company + brand → semantic HTML, through the Jinja2 layouts.

Both writers start from this HTML: WeasyPrint for the PDF, our DOCX writer for Word. So the
layouts say what things are (headings, lists, tables, a checkbox), and the looks live in CSS.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import jinja2

from pipeline.check.brands import LoadedBrand
from pipeline.render.errors import RenderError
from pipeline.render.markdown import inline
from pipeline.schema import Company, Role

Kind = Literal["job-description", "hiring-guide"]
KINDS: tuple[Kind, ...] = ("job-description", "hiring-guide")

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥", "INR": "₹"}


@dataclass(frozen=True)
class Document:
    """One document to render: what, for whom, in which look, dated when."""

    kind: Kind
    role: Role
    company: Company
    brand: LoadedBrand
    issued: dt.date
    related_titles: dict[str, str]


def money(amount: int, currency: str) -> str:
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{amount:,}" if symbol else f"{currency} {amount:,}"


def duration(minutes: int) -> str:
    """90 → "1 h 30 min": how long an interview loop takes, as people say it."""
    hours, rest = divmod(int(minutes), 60)
    return " ".join(part for part in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if part) or "0 min"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def company_for(role: Role, company: Company) -> Company:
    """The shared company text with the role's own overrides applied."""
    if role.company is None:
        return company
    return company.model_copy(update=role.company.model_dump(exclude_none=True))


@lru_cache(maxsize=8)
def environment(layouts: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts)),
        autoescape=lambda name: not (name or "").endswith(".txt.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=inline, money=money, long_date=long_date, duration=duration)
    return env


def template_error(err: jinja2.TemplateError, layouts: Path) -> RenderError:
    """A layout mistake as `layouts/x.html.j2:LINE: message`, from Jinja's rewritten traceback."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        where = f"{err.filename or err.name}:{err.lineno}"
    else:
        frames = [(f.f_code.co_filename, line) for f, line in traceback.walk_tb(err.__traceback__)
                  if f.f_code.co_filename.endswith(".j2")]
        where = f"{frames[-1][0]}:{frames[-1][1]}" if frames else str(layouts)
    return RenderError(f"{where}: {err.message or type(err).__name__}")


def render_html(doc: Document, layouts: Path) -> str:
    """The document's HTML; the layout for a kind is `layouts/<kind>.html.j2`."""
    attributes = {a.id: a.name for a in doc.role.interview.scorecard}
    try:
        template = environment(layouts).get_template(f"{doc.kind}.html.j2")
        return _render(template, doc, attributes)
    except jinja2.TemplateError as err:
        raise template_error(err, layouts) from None


def _render(template: jinja2.Template, doc: Document, attributes: dict[str, str]) -> str:
    return template.render(
        kind=doc.kind,
        role=doc.role,
        company=company_for(doc.role, doc.company),
        brand=doc.brand.brand,
        logo=f"brands/{doc.brand.slug}/{doc.brand.brand.logo}",
        issued=doc.issued,
        attributes=attributes,
        related=[(slug, doc.related_titles.get(slug, slug)) for slug in doc.role.related_roles],
    )
