"""Word styles for a brand: from a designer's reference.docx when the brand has one, else made
from brand.yaml. Either way every style the writer uses must exist by name, or the build stops
naming the missing ones (python-docx raises a bare KeyError for latent built-in styles).

Styling a document is slow next to writing one, so each brand's styled, empty document is made once
per process, saved, opened again and kept opened; every document gets a deep copy of it and shares
nothing with it or with another document.
"""

from __future__ import annotations

import copy
import hashlib
import io
import threading
from collections.abc import Callable

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.shared import Mm, Pt, RGBColor

from pipeline.check.brands import LoadedBrand
from pipeline.render.docx.ooxml import hyphenate, no_hyphenation, paragraph_rule, set_language
from pipeline.render.docx.page import text_width_mm
from pipeline.render.errors import RenderError

PARAGRAPH_STYLES = ("Normal", "Heading 1", "Heading 2", "Heading 3", "Subtitle", "List Bullet", "List Number",
                    "Header", "Footer", "TOC Heading", "TOC 2", "Small Print", "Kicker", "Lead", "Question")
CHARACTER_STYLES = ("Hyperlink",)
TABLE_STYLES = ("Table Grid",)
LINE_HEIGHT = 1.42
"""Body text's line height in em: document.css's 1.45, a hair less, so that a Word engine breaking
a line elsewhere than WeasyPrint does not push a page's last lines onto the next."""
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
TEMPLATES_KEPT = 8  # a process renders a handful of brands; an edited brand adds one more

_templates: dict[tuple[str, str], DocxDocument] = {}
_templates_lock = threading.Lock()  # a Dask worker renders in several threads of one process


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _font(style, family: str) -> None:
    """Set every script slot to `family` and drop theme fonts, which would otherwise win."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), family)


def _colour(style, colour: str) -> None:
    color = style.element.get_or_add_rPr().get_or_add_color()
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)
    color.set(qn("w:val"), colour.lstrip("#").upper())


def _paragraph_style(doc: DocxDocument, name: str, base: str = "Normal", names: set[str] | None = None):
    """The style `name`, added (based on `base`) when the document lacks it; `names`, the document's
    style names when the caller has them."""
    if name in (names if names is not None else _names(doc)):
        return doc.styles[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    return style


def _names(doc: DocxDocument) -> set[str]:
    return {s.name for s in doc.styles}


def _brand_styles(doc: DocxDocument, brand: LoadedBrand) -> None:
    b = brand.brand
    body, heading, size = b.fonts.body, b.fonts.heading, b.fonts.base_size_pt

    normal = doc.styles["Normal"]
    _font(normal, body)
    normal.font.size = Pt(size)
    _colour(normal, b.colours.text)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = Pt(size * LINE_HEIGHT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST

    for level, points, before, after in ((1, size * 2.3, 0, 4), (2, size * 1.45, 16, 6), (3, size * 1.12, 12, 3)):
        style = doc.styles[f"Heading {level}"]
        _font(style, heading)
        style.font.size = Pt(points)
        style.font.bold = True
        style.font.italic = False
        _colour(style, b.colours.primary)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), True
        if level == 2:
            paragraph_rule(style.element.get_or_add_pPr(), b.colours.accent, 10)

    subtitle = doc.styles["Subtitle"]
    _font(subtitle, body)
    subtitle.font.size = Pt(size * 1.25)
    subtitle.font.italic = False
    subtitle.font.all_caps = False
    for spacing in subtitle.element.get_or_add_rPr().findall(qn("w:spacing")):  # the template's letter-spacing
        spacing.getparent().remove(spacing)
    _colour(subtitle, b.colours.muted)
    subtitle.paragraph_format.space_after = Pt(10)

    for name in ("List Bullet", "List Number"):
        doc.styles[name].paragraph_format.space_after = Pt(2)

    small = _paragraph_style(doc, "Small Print")
    small.font.size = Pt(size * 0.82)
    _colour(small, b.colours.muted)

    lead = _paragraph_style(doc, "Lead")
    _colour(lead, b.colours.muted)

    question = _paragraph_style(doc, "Question")
    question.font.bold = True
    _colour(question, b.colours.primary)
    question.paragraph_format.space_before = Pt(10)
    question.paragraph_format.keep_with_next = True

    kicker = _paragraph_style(doc, "Kicker")
    _font(kicker, heading)
    kicker.font.bold = True
    kicker.font.all_caps = True
    kicker.font.size = Pt(size * 1.05)
    _colour(kicker, b.colours.accent)

    toc_heading = doc.styles["TOC Heading"]
    _font(toc_heading, heading)
    _colour(toc_heading, b.colours.primary)
    toc2 = _paragraph_style(doc, "TOC 2")
    toc2.font.size = Pt(size * 1.1)
    toc2.paragraph_format.space_after = Pt(6)
    toc2.paragraph_format.tab_stops.add_tab_stop(Mm(text_width_mm(brand)), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    # Body text hyphenates as in the PDF; what the PDF keeps whole-worded (headings, the contents,
    # the running header and footer) does here too.
    for name in ("Heading 1", "Heading 2", "Heading 3", "TOC Heading", "TOC 2", "Kicker", "Header", "Footer"):
        no_hyphenation(doc.styles[name].element.get_or_add_pPr())

    for name in ("Header", "Footer"):
        style = doc.styles[name]
        style.paragraph_format.tab_stops.clear_all()
        _font(style, body)
        style.font.size = Pt(7.5)
        _colour(style, b.colours.muted)

    if "Hyperlink" not in _names(doc):
        link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = _rgb(b.colours.accent)
        link.font.underline = True  # told apart from the text by more than its colour (WCAG 2.2, 1.4.1)


COMPACT = {"Normal": "Compact", "List Bullet": "Compact List Bullet", "List Number": "Compact List Number",
           "Small Print": "Compact Small Print", "Subtitle": "Compact Subtitle"}
"""The denser styles of the job description (its CSS `.jd`: 0.9 em, line height 1.28, tighter
lists), alone and inside the packet, so it takes as many pages as in the PDF."""
COMPACT_SCALE = 0.9


def _compact_styles(doc: DocxDocument, brand: LoadedBrand) -> None:
    """Each of COMPACT, based on its ordinary style, added when the document lacks it (a designer's
    reference.docx may define its own)."""
    size = brand.brand.fonts.base_size_pt * COMPACT_SCALE
    # name: (font size in em of the compact size, line height, space after in em), from document.css
    shapes = {"Compact": (1.0, 1.28, 0.45), "Compact List Bullet": (1.0, 1.28, 0.06),
              "Compact List Number": (1.0, 1.28, 0.06), "Compact Small Print": (0.85, 1.28, 0.55),
              "Compact Subtitle": (1.1, 1.35, 0.9)}
    existing = _names(doc)  # python-docx reads every style's name for each lookup: once here
    for base, name in COMPACT.items():
        if name in existing:
            continue
        style = _paragraph_style(doc, name, base, existing)
        em, line, after = shapes[name]
        style.font.size = Pt(size * em)
        style.paragraph_format.line_spacing = Pt(size * em * line)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        style.paragraph_format.space_after = Pt(size * em * after)


def _clear_body(doc: DocxDocument) -> None:
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _without_external_links(doc: DocxDocument) -> None:
    """Nothing from a reference document may make Word fetch anything when a draft opens: its
    attached template (`w:attachedTemplate`, an external relationship of the settings part) and
    every other external relationship of every part are dropped; its styles are what is kept."""
    settings = doc.settings.element
    for attached in settings.findall(qn("w:attachedTemplate")):
        settings.remove(attached)
    for part in doc.part.package.iter_parts():
        for r_id, relationship in list(part.rels.items()):
            if relationship.is_external:
                del part.rels[r_id]


def _without_stale_parts(doc: DocxDocument, *, template: bool) -> None:
    """Parts that would contradict what the writer adds: Word 2010's copy of the styles
    (`stylesWithEffects`), which Word 2013 and later neither write nor need and which would lack
    every style made here (the Open XML SDK's checks report the mismatch as content Word repairs);
    and python-docx's own template's empty bibliography, which is nobody's."""
    for r_id, relationship in list(doc.part.rels.items()):
        if relationship.reltype == STYLES_WITH_EFFECTS or (template and relationship.reltype == RT.CUSTOM_XML):
            del doc.part.rels[r_id]


def _only_table_styles_used(doc: DocxDocument) -> None:
    """python-docx's template defines Word 2010's whole gallery of table styles: 100 of them, 340 KB
    of its 352 KB of styles, which every draft carried, copied, wrote and compressed. Word lists its
    built-in table styles whether a document defines them or not (a document Word makes defines the
    ones it uses), so only TABLE_STYLES, the default table style and what they are based on stay."""
    styles = doc.styles.element
    tables = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))
              if style.get(qn("w:type")) == "table"}
    kept: set[str] = set()
    wanted = [i for i, style in tables.items() if style.get(qn("w:default")) in ("1", "true")
              or ((name := style.find(qn("w:name"))) is not None
                  and BabelFish.internal2ui(name.get(qn("w:val"))) in TABLE_STYLES)]
    while wanted:
        style_id = wanted.pop()
        if style_id in kept or style_id not in tables:
            continue
        kept.add(style_id)
        based = tables[style_id].find(qn("w:basedOn"))
        if based is not None:
            wanted.append(based.get(qn("w:val")))
    for style_id, style in tables.items():
        if style_id not in kept:
            styles.remove(style)


def _from_reference(brand: LoadedBrand, data: bytes) -> DocxDocument:
    doc = Document(io.BytesIO(data))
    _without_external_links(doc)
    _without_stale_parts(doc, template=False)
    _clear_body(doc)
    names = _names(doc)
    missing = [n for n in PARAGRAPH_STYLES + CHARACTER_STYLES + TABLE_STYLES if n not in names]
    if missing:
        raise RenderError(f"{brand.reference_docx}: the reference document lacks the style(s) "
                          f"{', '.join(repr(m) for m in missing)}; add them in Word (Styles pane) and save")
    _compact_styles(doc, brand)
    return doc


def _from_brand(brand: LoadedBrand) -> DocxDocument:
    doc = Document()
    _without_stale_parts(doc, template=True)
    _only_table_styles_used(doc)
    _brand_styles(doc, brand)
    _compact_styles(doc, brand)
    return doc


def _template(brand: LoadedBrand) -> DocxDocument:
    """A copy of the brand's styled, empty document, keyed by what it is made from (the
    reference.docx's bytes, or brand.yaml's values), so an edited brand or file is never served stale."""
    if brand.reference_docx is not None:
        data = brand.reference_docx.read_bytes()
        return _kept(("reference.docx", hashlib.sha256(data).hexdigest()), lambda: _from_reference(brand, data))
    return _kept(("brand.yaml", brand.brand.model_dump_json()), lambda: _from_brand(brand))


def _kept(key: tuple[str, str], make: Callable[[], DocxDocument]) -> DocxDocument:
    """A copy of the document `make` gives, as saved and opened again, kept opened: copying it took
    2.2 ms where opening its bytes again took 5.7 ms (python-docx parses every part anew)."""
    with _templates_lock:
        if key not in _templates:
            saved = io.BytesIO()
            make().save(saved)
            if len(_templates) >= TEMPLATES_KEPT:
                del _templates[next(iter(_templates))]  # the oldest
            _templates[key] = Document(saved)
        return copy.deepcopy(_templates[key])


def regional(language: str) -> str:
    """The language tag with the region it implies (CLDR's likely subtags: en is en-US, fr fr-FR,
    de de-DE), since Word proofs and hyphenates by region; a tag that names its region keeps it
    (en-GB stays British). A tag Babel does not know is given as written."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
        likely = get_global("likely_subtags")
        implied = likely.get(f"{locale.language}_{locale.script}") if locale.script else None
        territory = locale.territory or Locale.parse(implied or likely[locale.language]).territory
    except (ValueError, KeyError, UnknownLocaleError):
        return language
    return f"{locale.language}-{territory}" if territory else language


def styled_document(brand: LoadedBrand, language: str) -> DocxDocument:
    """An empty document whose styles carry the brand, in the document's language (with its region);
    a copy of the brand's template, so what one document changes no other document sees."""
    doc = _template(brand)
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    set_language(rpr, regional(language))
    hyphenate(doc.settings)
    return doc
