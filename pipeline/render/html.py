"""Role + company + brand → semantic HTML, through the Jinja2 layouts.

Both writers start from this HTML: WeasyPrint for the PDF, our DOCX writer for Word. So the
layouts say what things are (headings, lists, tables, a checkbox), and the looks live in CSS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable
from typing import Literal

import jinja2
from markupsafe import Markup

from pipeline.check.brands import LoadedBrand
from pipeline.render.private_folder import own_folder
from pipeline.render.errors import RenderError
from pipeline.render.layout_loader import LayoutsOnly
from pipeline.render import locales
from pipeline.render.locales import babel_locale, translations
from pipeline.source.markdown import inline
from pipeline.render.posting.boards import ENTRY, entry
from pipeline.render.posting.job_posting import job_posting, page_name, script_json
from pipeline.render.posting.webfonts import web_faces
from pipeline.render.stylesheet import css_string
from pipeline.schema import Company, CompanyFile, Role
from pipeline.schema.company import Register
from pipeline.schema.values import anchor
from pipeline.source.languages import SOURCE_LANGUAGE, catalogue_path

Kind = Literal["job-description", "hiring-guide", "interview-kit"]
KINDS: tuple[Kind, ...] = ("job-description", "hiring-guide")
"""The documents a role has one of, built unless the build names others."""
KIT: Kind = "interview-kit"
BUILD_KINDS: tuple[Kind, ...] = (*KINDS, KIT)
"""Every kind a build can make: a kit per interview stage is internal and many, so it is built when asked for."""

@dataclass(frozen=True)
class Document:
    """One document to render: what, for whom, in which look, dated when."""

    kind: Kind
    role: Role
    company: CompanyFile
    brand: LoadedBrand
    issued: dt.date | None
    related_titles: dict[str, str]
    draft: bool = False
    """A document of a role not approved yet, built for its authors (`build --drafts`): marked DRAFT."""
    part: str = ""
    """Which one of the kind's documents: an interview kit's stage (its key)."""


@dataclass(frozen=True)
class SiteDocument:
    """A page of a brand's careers site that lists every role: the index, the sitemap."""

    roles: dict[str, Role]
    company: CompanyFile
    brand: LoadedBrand

    @property
    def language(self) -> str:
        """The roles' language when they share one, else the layouts' own."""
        languages = {role.language for role in self.roles.values()}
        return languages.pop() if len(languages) == 1 else SOURCE_LANGUAGE


def page_counters(label: str) -> Markup:
    """`Page {page} of {pages}` as CSS content: the words as strings, the numbers as page counters."""
    parts = re.split(r"(\{page\}|\{pages\})", label)
    css = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return Markup(" ".join(css.get(part) or css_string(part) for part in parts if part))



def parts_of(kind: str, role: Role | Callable[[], Role]) -> tuple[str, ...]:
    """The documents of `kind` a role has: a kit per interview stage, one document of any other kind.

    `role` may be a function that gives it, called only for a kind that depends on it: planning the
    job descriptions of thousands of roles loads none of them."""
    if kind == KIT:
        role = role() if callable(role) else role
        return tuple(stage.key for stage in role.interview.stages) if role.interview else ("",)
    return ("",)


def stage_questions(role: Role, key: str) -> tuple[object, list]:
    """An interview stage and the questions on the attributes it assesses, in the question bank's order."""
    assert role.interview is not None
    stage = next(s for s in role.interview.stages if s.key == key)
    return stage, [q for q in role.interview.questions if q.attribute in stage.focus]


def missing_for(kind: str, role: Role | Callable[[], Role], part: str = "") -> str | None:
    """Why `role` has no document of `kind` (None when it has one): kinds follow content. A
    function giving the role is called only for a kind that depends on it (as in `parts_of`)."""
    if kind not in ("hiring-guide", KIT):
        return None
    role = role() if callable(role) else role
    if role.interview is None:
        what = "hiring guide" if kind == "hiring-guide" else "interview kits"
        return f"the role has no interview guide (`interview:`), so it gets no {what}"
    if kind == KIT:
        stage, questions = stage_questions(role, part)
        if not questions:
            return (f"the stage {stage.name!r} has no question on the attributes it assesses "
                    f"({', '.join(stage.focus)}), so it gets no interview kit; add questions for them")
    return None


def company_for(role: Role, company: CompanyFile) -> Company:
    """The company text in the role's language, with the role's own overrides applied."""
    resolved = company.in_language(role.language)
    if role.company is None:
        return resolved
    overrides = {name: value for name in type(role.company).model_fields
                 if (value := getattr(role.company, name)) is not None}  # values, not dumps: a contact stays a Contact
    return resolved.model_copy(update=overrides)


def environment(layouts: Path, language: str = SOURCE_LANGUAGE, register: Register = "formal") -> jinja2.Environment:
    """The layouts' environment in `language` and `register`: its catalogue installed, its formats in the filters."""
    catalogue = catalogue_path(layouts, language, register)
    stamp = (catalogue.stat().st_mtime_ns, catalogue.stat().st_size) if catalogue.is_file() else None
    return _environment(layouts, language, register, stamp)


def _compiled_templates() -> jinja2.FileSystemBytecodeCache:
    """Templates compiled once per machine, not once per process: a one-document rebuild would spend
    a third of its render compiling them. Kept by Jinja with each template's source checksum (an
    edited layout compiles again) in this user's private folder (its entries are code)."""
    return jinja2.FileSystemBytecodeCache(str(own_folder("jinja", f"bytecode-{jinja2.__version__}")))


@lru_cache(maxsize=16)
def _environment(layouts: Path, language: str, register: Register, stamp: tuple[int, int] | None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=LayoutsOnly(layouts),
        autoescape=lambda name: not (name or "").endswith((".txt.j2", ".css.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        bytecode_cache=_compiled_templates(),
    )
    words = translations(layouts, language, register)
    env.install_gettext_translations(words, newstyle=True)  # type: ignore[attr-defined]
    locale = babel_locale(language)

    def money(amount: int, currency: str) -> str:
        return locales.money(amount, currency, locale)

    def pay_range(band, currency: str) -> str:
        """`$82,000 – $105,000`, or one amount when the band is a single figure."""
        if band.min == band.max:
            return money(band.min, currency)
        return f"{money(band.min, currency)} – {money(band.max, currency)}"

    def duration(minutes: int) -> str:
        """90 → "1 h 30 min": how long an interview loop takes, as people say it."""
        hours, rest = divmod(int(minutes), 60)
        parts = ([words.gettext("%(hours)s h") % {"hours": hours}] if hours else []) + (
            [words.gettext("%(minutes)s min") % {"minutes": rest}] if rest or not hours else [])
        return " ".join(parts)

    def place(value) -> str:
        """"Toronto, ON, Canada": a place with the country a reader abroad needs."""
        parts = [value.name] + ([value.region] if value.region else []) + (
            [locales.country(value.country, locale)] if value.country else [])
        return ", ".join(dict.fromkeys(parts))

    env.filters.update(page_counters=page_counters, md=inline, money=money, long_date=lambda day: locales.long_date(day, locale),
                       number=lambda value: locales.number(value, locale), duration=duration, pay_range=pay_range,
                       place=place, area=lambda code: locales.area(code, locale), anchor=anchor,
                       css_string=css_string)
    # A global, not a filter: Jinja folds a filter of a literal into the compiled template, which the
    # bytecode cache then serves to every language's environment.
    env.globals["marks"] = {punctuation: locales.mark(punctuation, locale) for punctuation in ":;"}
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


@dataclass(frozen=True)
class HtmlRecipe:
    """A role document's HTML, made where its job runs. A build on a cluster sends its workers
    the role and its company (about 50 KB pickled for a shipped role, with only the related roles'
    titles, not the catalogue's) instead of the HTML: the templates' work then runs on the cluster,
    beside the rendering, and not in the one process that plans the build for every document."""

    document: Document
    layouts: Path
    template: str

    def render(self) -> str:
        return render_html(self.document, self.layouts, self.template)


def render_html(doc: Document, layouts: Path, template: str | None = None) -> str:
    """The document's HTML, from `template` (by default the kind's print layout, `<kind>.html.j2`)."""
    attributes = {a.id: a for a in doc.role.interview.scorecard} if doc.role.interview else {}
    try:
        company = company_for(doc.role, doc.company)
        loaded = environment(layouts, doc.role.language, company.address).get_template(template or f"{doc.kind}.html.j2")
        return _render(loaded, doc, company, attributes)
    except jinja2.TemplateError as err:
        raise template_error(err, layouts) from None


def _render(template: jinja2.Template, doc: Document, company: Company, attributes: dict[str, str]) -> str:
    posted = doc.role.posting.posted or doc.issued

    def posting(description: str) -> Markup:
        """The page's JobPosting data, its description the body the page shows."""
        return script_json(job_posting(doc.role, company, doc.brand.brand, posted, description))

    def feed_entry(description: str) -> Markup:
        """The role's entry in a job board's feed, its description the body the page shows."""
        return script_json(entry(doc.role, company, doc.brand.brand, posted, description))

    return template.render(
        kind=doc.kind,
        draft=doc.draft,
        role=doc.role,
        company=company,
        brand=doc.brand.brand,
        logo=doc.brand.logo_src,
        issued=doc.issued,
        posted=posted,
        attributes=attributes,
        related=[(slug, doc.related_titles.get(slug, slug)) for slug in doc.role.related_roles],
        posting=posting,
        feed_entry=feed_entry,
        feed_entry_type=ENTRY,
        page=page_name(doc.role.slug or ""),
        stage=doc.part,
        digest=content_digest(doc.role, company),
    )


def content_digest(role: Role, company: Company) -> str:
    """What a document was built from, as a draft records it and an approval covers: the role and the
    company text it prints. Its state is not content: approving it must not change what was approved.
    Values left at their defaults are not counted, so that a field a later rolepack adds (unset in
    every existing role) does not lapse every approval and every draft."""
    return hashlib.sha256((role.model_dump_json(exclude={"state"}, exclude_defaults=True)
                           + company.model_dump_json(exclude_defaults=True)).encode()).hexdigest()[:20]


def render_site_page(doc: SiteDocument, template: str, layouts: Path) -> str:
    """A page listing every role of the catalogue (`layouts/<template>`), in the roles' language."""
    roles = sorted(doc.roles.values(), key=lambda r: ((r.department or "").casefold(), r.title.casefold()))
    try:
        company = doc.company.in_language(doc.language)
        loaded = environment(layouts, doc.language, company.address).get_template(template)
        groups = [(department, list(group)) for department, group in
                  itertools.groupby(roles, key=lambda r: r.department or "")]
        return loaded.render(roles=roles, groups=groups, company=company, brand=doc.brand.brand, language=doc.language,
                             pages={role.slug: page_name(role.slug or "") for role in roles},
                             faces=web_faces(doc.brand))
    except jinja2.TemplateError as err:
        raise template_error(err, layouts) from None
