"""The small pieces of WordprocessingML that python-docx has no API for.

Fields (PAGE, NUMPAGES, TOC), checkbox content controls, restartable numbering, alt text,
hyperlinks and table-row properties. Each builder returns or edits lxml elements and nothing else.
"""

from __future__ import annotations

import copy
from functools import cache

from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Length, Mm, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


@cache
def _named(tag: str) -> tuple[str, dict[str, str]]:
    """`w:tbl` → its Clark name and the one namespace python-docx's `OxmlElement` declares on it."""
    prefixed = NamespacePrefixedTag(tag)
    return prefixed.clark_name, prefixed.nsmap


@cache
def _attribute(key: str) -> str:
    return qn(key) if ":" in key else key


def make_element(tag: str, **attrs: str) -> OxmlElement:
    """`tag` with attributes named by prefix (`w:val`, `r:id`): python-docx's `OxmlElement(tag)`,
    with each name resolved once per process rather than once per element (2,500 of them in a
    hiring guide)."""
    name, nsmap = _named(tag)
    element = oxml_parser.makeelement(name, nsmap=nsmap)
    for key, value in attrs.items():
        element.set(_attribute(key), value)
    return element


def _run(*children: OxmlElement, rpr: OxmlElement | None = None) -> OxmlElement:
    run = make_element("w:r")
    if rpr is not None:
        run.append(rpr)
    for child in children:
        run.append(child)
    return run


def _text(value: str) -> OxmlElement:
    t = make_element("w:t")
    t.text = value
    t.set(qn("xml:space"), "preserve")
    return t


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"


def add_text_run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, caps: bool = False,
                 colour: str | None = None, size: Length | None = None, unhyphenated: bool = False) -> None:
    """A run of `text` at the end of `paragraph`, with its formatting, as `add_run` and the run's
    `bold`, `italic`, `font.*` setters write it (an `rPr`, even when empty, and the properties in
    the schema's order: b, i, caps, noProof, color, sz, lang). Those look every property's place up
    among all the schema's possible siblings, which was a quarter of a hiring guide's draft.
    `colour`: RRGGBB. `unhyphenated`: Word hyphenates no text it does not proofread, LibreOffice
    none in no language ("zxx"), so an address is marked both ways."""
    run = etree.SubElement(paragraph._p, f"{_W}r")
    properties = etree.SubElement(run, f"{_W}rPr")
    for tag, on in (("b", bold), ("i", italic), ("caps", caps), ("noProof", unhyphenated)):
        if on:
            etree.SubElement(properties, f"{_W}{tag}")
    if colour:
        etree.SubElement(properties, f"{_W}color", {f"{_W}val": str(RGBColor.from_string(colour))})
    if size is not None:
        etree.SubElement(properties, f"{_W}sz", {f"{_W}val": ST_HpsMeasure.convert_to_xml(size)})
    if unhyphenated:
        etree.SubElement(properties, f"{_W}lang", {f"{_W}val": "zxx"})
    if text:
        t = etree.SubElement(run, f"{_W}t")
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_PRESERVE, "preserve")


def add_field(paragraph: Paragraph, instruction: str, result: str, *, dirty: bool = False) -> None:
    """A complex field (`PAGE`, `NUMPAGES` …) with a shown result until Word recalculates it."""
    begin = make_element("w:fldChar", **{"w:fldCharType": "begin"})
    if dirty:
        begin.set(qn("w:dirty"), "true")
    instr = make_element("w:instrText")
    instr.text = f" {instruction} "
    instr.set(qn("xml:space"), "preserve")
    p = paragraph._p
    p.append(_run(begin))
    p.append(_run(instr))
    p.append(_run(make_element("w:fldChar", **{"w:fldCharType": "separate"})))
    p.append(_run(_text(result)))
    p.append(_run(make_element("w:fldChar", **{"w:fldCharType": "end"})))


def begin_toc(paragraph: Paragraph, levels: str, *, dirty: bool) -> None:
    """Open a TOC field whose result (the entries) follows in the next paragraphs; `dirty` when that
    result lacks its page numbers, for Word to update it."""
    p = paragraph._p
    begin = make_element("w:fldChar", **{"w:fldCharType": "begin"})
    if dirty:
        begin.set(qn("w:dirty"), "true")
    p.append(_run(begin))
    instr = make_element("w:instrText")
    instr.text = f' TOC \\o "{levels}" \\h \\z \\u '
    instr.set(qn("xml:space"), "preserve")
    p.append(_run(instr))
    p.append(_run(make_element("w:fldChar", **{"w:fldCharType": "separate"})))


def end_field(paragraph: Paragraph) -> None:
    paragraph._p.append(_run(make_element("w:fldChar", **{"w:fldCharType": "end"})))


def bookmark_start(number: int, name: str) -> OxmlElement:
    return make_element("w:bookmarkStart", **{"w:id": str(number), "w:name": name})


def bookmark_end(number: int) -> OxmlElement:
    return make_element("w:bookmarkEnd", **{"w:id": str(number)})


def column_break(paragraph: Paragraph) -> None:
    """What follows starts the next column (a layout break: the text read back has no line break)."""
    paragraph._p.append(_run(make_element("w:br", **{"w:type": "column"})))


def end_section(paragraph, body_sectpr, *, columns: int, gap_mm: float,
                next_start: WD_SECTION = WD_SECTION.CONTINUOUS) -> None:
    """End a section at `paragraph` (a `w:p`): it takes a copy of the body's section properties, set
    in `columns` columns; the section after it starts as `next_start` says (on the same page, or a
    new one)."""
    properties = copy.deepcopy(body_sectpr)
    cols = properties.find(qn("w:cols"))
    if cols is None:
        cols = make_element("w:cols")
        properties.append(cols)
    cols.set(qn("w:num"), str(columns))
    cols.set(qn("w:space"), str(Mm(gap_mm).twips))
    paragraph.get_or_add_pPr().insert_element_before(properties, "w:pPrChange")
    body_sectpr.start_type = next_start
    body_cols = body_sectpr.find(qn("w:cols"))
    if body_cols is not None:
        body_cols.attrib.pop(qn("w:num"), None)


def raise_run(run, points: float) -> None:
    """Raise a run's text `points` above the baseline (`w:position`, in half-points)."""
    run._r.get_or_add_rPr().insert_element_before(
        make_element("w:position", **{"w:val": str(round(points * 2))}),
        "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
        "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def keep_whole(elements) -> None:
    """Keep the paragraphs in `elements` (body children: paragraphs, tables) on one page: each
    keeps with the next but the last, and every one keeps its lines together."""
    paragraphs = [p for element in elements for p in element.iter(qn("w:p"))]
    for index, paragraph in enumerate(paragraphs):
        ppr = paragraph.get_or_add_pPr()
        ppr.keepLines_val = True
        if index < len(paragraphs) - 1:
            ppr.keepNext_val = True


def add_tab(paragraph: Paragraph) -> None:
    paragraph._p.append(_run(make_element("w:tab")))


CHECKBOX_FONT = "Noto Sans Symbols2"
"""The checkboxes' ☐ and ☒: a bundled font (fonts.yaml's "Noto Sans Symbols 2"; this is the family
name inside the file, which is what Word and LibreOffice match an embedded font by), embedded in every
draft (fonts.py), instead of MS Gothic."""
CHECKBOX_TAG = "rolepack-checkbox"
"""The tag of a checkbox that stands for nothing to read back (a tick on a printed list)."""
FIELD_BLANK = "\u2002" * 14
"""What an empty text control shows: room to click into on screen, nothing on paper."""


def add_checkbox(paragraph: Paragraph, sdt_id: int, label: str, tag: str = CHECKBOX_TAG) -> None:
    """An unticked Word checkbox content control (ticks with a click in Word 2010+); `tag` names
    what it answers for a form read back (`<field>=<choice>`)."""
    sdt = make_element("w:sdt")
    pr = make_element("w:sdtPr")
    pr.append(make_element("w:alias", **{"w:val": label}))
    pr.append(make_element("w:tag", **{"w:val": tag}))
    pr.append(make_element("w:id", **{"w:val": str(sdt_id)}))
    box = OxmlElement("w14:checkbox")
    checked = OxmlElement("w14:checked")
    checked.set(f"{{{W14}}}val", "0")
    box.append(checked)
    for state, code in (("w14:checkedState", "2612"), ("w14:uncheckedState", "2610")):
        element = OxmlElement(state)
        element.set(f"{{{W14}}}val", code)
        element.set(f"{{{W14}}}font", CHECKBOX_FONT)
        box.append(element)
    pr.append(box)
    sdt.append(pr)
    content = make_element("w:sdtContent")
    rpr = make_element("w:rPr")
    rpr.append(make_element("w:rFonts", **{"w:ascii": CHECKBOX_FONT, "w:eastAsia": CHECKBOX_FONT, "w:hAnsi": CHECKBOX_FONT}))
    content.append(_run(_text("\u2610"), rpr=rpr))
    sdt.append(content)
    paragraph._p.append(sdt)


def add_text_field(paragraph: Paragraph, sdt_id: int, label: str, tag: str, *, multiline: bool = False) -> None:
    """An empty plain-text content control named `tag`: Word selects its blank on a click and
    replaces it with what is typed (the blank is its placeholder, `w:showingPlcHdr`)."""
    sdt = make_element("w:sdt")
    pr = make_element("w:sdtPr")
    pr.append(make_element("w:alias", **{"w:val": label}))
    pr.append(make_element("w:tag", **{"w:val": tag}))
    pr.append(make_element("w:id", **{"w:val": str(sdt_id)}))
    pr.append(make_element("w:showingPlcHdr"))
    pr.append(make_element("w:text", **({"w:multiLine": "1"} if multiline else {})))
    sdt.append(pr)
    content = make_element("w:sdtContent")
    content.append(_run(_text(FIELD_BLANK)))
    sdt.append(content)
    paragraph._p.append(sdt)


def add_hyperlink(paragraph: Paragraph, url: str, text: str, *, bold: bool = False, italic: bool = False) -> None:
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    _link_run(paragraph, make_element("w:hyperlink", **{"r:id": r_id}), text, bold, italic)


def add_internal_link(paragraph: Paragraph, bookmark: str, text: str, *, bold: bool = False,
                      italic: bool = False) -> None:
    _link_run(paragraph, make_element("w:hyperlink", **{"w:anchor": bookmark, "w:history": "1"}), text, bold, italic)


def _link_run(paragraph: Paragraph, link: OxmlElement, text: str, bold: bool, italic: bool) -> None:
    rpr = make_element("w:rPr")
    rpr.append(make_element("w:rStyle", **{"w:val": "Hyperlink"}))
    if bold:
        rpr.append(make_element("w:b"))
    if italic:
        rpr.append(make_element("w:i"))
    link.append(_run(_text(text), rpr=rpr))
    paragraph._p.append(link)


def set_alt_text(inline_shape, description: str) -> None:
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", description)
    doc_pr.set("title", description)


def mark_header_row(row) -> None:
    """Repeat this row at the top of every page the table spans."""
    row._tr.get_or_add_trPr().append(make_element("w:tblHeader"))


def keep_row_together(row) -> None:
    row._tr.get_or_add_trPr().append(make_element("w:cantSplit"))


def box(ppr, fill: str, rule: str | None) -> None:
    """A paragraph inside a designed block: shaded with `fill`, a 2.5 pt `rule` on its left, and
    padding above and below drawn as borders in the fill's own colour. Word and LibreOffice draw
    consecutive paragraphs with equal borders as one block."""
    fill = fill.lstrip("#").upper()
    borders = make_element("w:pBdr")
    borders.append(make_element("w:top", **{"w:val": "single", "w:sz": "4", "w:space": "4", "w:color": fill}))
    if rule:
        borders.append(make_element("w:left", **{"w:val": "single", "w:sz": "20", "w:space": "8",
                                                 "w:color": rule.lstrip("#").upper()}))
    borders.append(make_element("w:bottom", **{"w:val": "single", "w:sz": "4", "w:space": "4", "w:color": fill}))
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    ppr.insert_element_before(make_element("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}),
                              *_AFTER_PBDR[1:])


def boxed(paragraph) -> bool:
    ppr = paragraph.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:shd")) is not None


def collapse(paragraph, height_pt: float = 1.0) -> None:
    """An empty paragraph `height_pt` high, with no spacing: a holder for section properties, or
    the gap between two designed blocks (which would otherwise be drawn as one)."""
    ppr = paragraph.get_or_add_pPr()
    ppr.insert_element_before(make_element("w:spacing", **{"w:before": "0", "w:after": "0",
                                                           "w:line": str(round(height_pt * 20)), "w:lineRule": "exact"}),
                              *_AFTER_PBDR[_AFTER_PBDR.index("w:ind"):])
    rpr = make_element("w:rPr")
    rpr.append(make_element("w:sz", **{"w:val": "2"}))
    ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(make_element("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill.lstrip("#").upper()}))


_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
               "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def full_width(table) -> None:
    """Span the text width (schema order matters: Word rejects a misplaced `w:tblW`)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(make_element("w:tblW", **{"w:w": "5000", "w:type": "pct"}), *_AFTER_TBLW)


def table_look(table, *, header_row: bool, header_column: bool) -> None:
    """Which edges of the table hold its headers (Word's "Header Row" and "First Column" options),
    as the HTML's `th` say; with neither it is a layout table. Word 2007 reads the same as a bit mask."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(old)
    mask = (0x20 if header_row else 0) | (0x80 if header_column else 0) | 0x400  # 0x400: no column bands
    look = make_element("w:tblLook", **{"w:val": f"{mask:04X}", "w:firstRow": str(int(header_row)),
                                        "w:lastRow": "0", "w:firstColumn": str(int(header_column)),
                                        "w:lastColumn": "0", "w:noHBand": "0", "w:noVBand": "1"})
    tbl_pr.insert_element_before(look, "w:tblCaption", "w:tblDescription")


def table_caption(table, text: str) -> None:
    """The table's name, which screen readers announce with it (Word's alt-text title)."""
    table._tbl.tblPr.insert_element_before(make_element("w:tblCaption", **{"w:val": text}), "w:tblDescription")


def across_the_page(table, *, left_mm: float, width_mm: float, padding_mm: float) -> None:
    """The table from the page's left edge (`left_mm` into the margin) across `width_mm`, at fixed
    widths: a band printed to the edges, as the PDF's cover bleeds. Word (in the compatibility mode
    of Word 2010, which python-docx's template sets) and LibreOffice measure a table's indent to the
    text of its first cell, so the indent is the cell's left `padding_mm` less the bleed."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")) + tbl_pr.findall(qn("w:tblInd")) + tbl_pr.findall(qn("w:tblLayout")):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(make_element("w:tblW", **{"w:w": str(Mm(width_mm).twips), "w:type": "dxa"}),
                                 *_AFTER_TBLW)
    tbl_pr.insert_element_before(make_element("w:tblInd", **{"w:w": str(Mm(padding_mm - left_mm).twips), "w:type": "dxa"}),
                                 *_AFTER_TBLW[_AFTER_TBLW.index("w:tblBorders"):])
    tbl_pr.insert_element_before(make_element("w:tblLayout", **{"w:type": "fixed"}),
                                 *_AFTER_TBLW[_AFTER_TBLW.index("w:tblCellMar"):])
    table.columns[0].width = Mm(width_mm)
    for cell in table.columns[0].cells:
        cell.width = Mm(width_mm)


def cell_margins(table, *, left_mm: float, right_mm: float, top_mm: float = 0.0, bottom_mm: float = 0.0) -> None:
    """The table's cell padding, as document.css pads a form (sides only) or the cover's band."""
    margins = make_element("w:tblCellMar")
    for side, mm in (("top", top_mm), ("left", left_mm), ("bottom", bottom_mm), ("right", right_mm)):
        margins.append(make_element(f"w:{side}", **{"w:w": str(Mm(mm).twips), "w:type": "dxa"}))
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBLW[_AFTER_TBLW.index("w:tblLook"):])


RULES = ("bottom", "insideH")
FRAME = ("top", "left", "bottom", "right")


def table_borders(table, colour: str, sides: tuple[str, ...] = RULES) -> None:
    """Light horizontal rules only, the way the PDF draws its tables; or a FRAME (a box to write
    in), or no line at all."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = make_element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        visible = side in sides
        borders.append(make_element(f"w:{side}", **{"w:val": "single" if visible else "nil", "w:sz": "4", "w:space": "0",
                                           "w:color": colour.lstrip("#").upper()}))
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription")


def paragraph_rule(ppr, colour: str, size_eighths: int = 8, *, side: str = "bottom", space_pt: int = 3) -> None:
    """A rule under a paragraph or paragraph style (headings), or over it (`side="top"`: the cover's
    note), `space_pt` from its text; takes its `w:pPr`."""
    borders = make_element("w:pBdr")
    borders.append(make_element(f"w:{side}", **{"w:val": "single", "w:sz": str(size_eighths), "w:space": str(space_pt),
                                                "w:color": colour.lstrip("#").upper()}))
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def set_language(rpr, language: str) -> None:
    rpr.append(make_element("w:lang", **{"w:val": language, "w:eastAsia": language, "w:bidi": language}))


def no_hyphenation(ppr) -> None:
    """Keep a paragraph (or paragraph style) whole-worded, as the PDF keeps headings, tables and the contents."""
    if ppr.find(qn("w:suppressAutoHyphens")) is None:
        ppr.insert_element_before(make_element("w:suppressAutoHyphens"), *_AFTER_PBDR[3:])


SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts",
    "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle",
    "proofState", "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod",
    "documentType", "mailMerge", "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
    "documentProtection", "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop",
    "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting",
    "bookFoldPrinting", "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter", "noLineBreaksBefore",
    "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent",
    "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving",
    "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr",
    "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
"""The w:settings children in the order CT_Settings gives them (ECMA-376 Part 1, §17.15.1.78)."""


def place_setting(settings, element) -> None:
    """`element` in its schema place among the settings (replacing one of the same name): Word and
    an OOXML validator reject a settings part whose children are out of order."""
    name = etree.QName(element).localname
    rank = SETTINGS_ORDER.index(name)
    for child in list(settings.element):
        if etree.QName(child).localname == name:
            settings.element.remove(child)
    later = next((child for child in settings.element if etree.QName(child).localname in SETTINGS_ORDER[rank + 1:]),
                 None)
    if later is None:
        settings.element.append(element)
    else:
        later.addprevious(element)


def hyphenate(settings) -> None:
    """Hyphenate body text automatically, as the PDF does (CSS `hyphens: auto`)."""
    place_setting(settings, make_element("w:autoHyphenation", **{"w:val": "true"}))


def update_fields_on_open(settings) -> None:
    """Ask Word to update the fields (the contents' page numbers) on opening."""
    place_setting(settings, make_element("w:updateFields", **{"w:val": "true"}))


CHAPTER_INDENT = 510  # twips, 9 mm: document.css's `.chapter-number` and the contents' numbers


class Numbering:
    """Bullet and decimal list definitions; every HTML list gets its own `w:num`, so each
    numbered list restarts at 1 exactly where the HTML starts a new `<ol>`."""

    BULLETS = ("\u2022", "\u2013", "\u25e6")

    def __init__(self, numbering_part, accent: str, surface: str) -> None:
        self.root = numbering_part.element
        self.accent = accent.lstrip("#").upper()
        self.surface = surface.lstrip("#").upper()  # a hidden bullet's colour, for readers that show it
        ids = [int(n.get(qn("w:abstractNumId"))) for n in self.root.findall(qn("w:abstractNum"))]
        nums = [int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))]
        self.next_abstract = max(ids, default=0) + 1
        self.next_num = max(nums, default=0) + 1
        self.abstract = {"ul": self._abstract(ordered=False), "ol": self._abstract(ordered=True),
                         "plain": self._abstract(ordered=False, marked=False), "chapter": self._chapters()}

    def _chapters(self) -> int:
        """Chapter numbers on the headings the contents list, in the accent colour as the PDF sets
        them: numbered by Word, so that Word's own update of the contents keeps them."""
        aid = self.next_abstract
        self.next_abstract += 1
        abstract = make_element("w:abstractNum", **{"w:abstractNumId": str(aid)})
        abstract.append(make_element("w:multiLevelType", **{"w:val": "singleLevel"}))
        lvl = make_element("w:lvl", **{"w:ilvl": "0"})
        for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:suff", "tab"), ("w:lvlText", "%1"),
                           ("w:lvlJc", "left")):
            lvl.append(make_element(tag, **{"w:val": value}))
        ppr = make_element("w:pPr")
        ppr.append(make_element("w:ind", **{"w:left": str(CHAPTER_INDENT), "w:hanging": str(CHAPTER_INDENT)}))
        lvl.append(ppr)
        rpr = make_element("w:rPr")
        rpr.append(make_element("w:color", **{"w:val": self.accent}))
        lvl.append(rpr)
        abstract.append(lvl)
        self._place(abstract)
        return aid

    def _place(self, abstract) -> None:
        first_num = self.root.find(qn("w:num"))  # abstractNum elements must precede num elements
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)

    def _abstract(self, *, ordered: bool, marked: bool = True) -> int:
        aid = self.next_abstract
        self.next_abstract += 1
        abstract = make_element("w:abstractNum", **{"w:abstractNumId": str(aid)})
        abstract.append(make_element("w:multiLevelType", **{"w:val": "hybridMultilevel"}))
        for level in range(9):
            lvl = make_element("w:lvl", **{"w:ilvl": str(level)})
            lvl.append(make_element("w:start", **{"w:val": "1"}))
            if not marked:  # a list to readers (pandoc, screen readers), its bullets hidden (the facts box)
                fmt, text = "bullet", self.BULLETS[0]
            elif ordered:
                fmt, text = ("decimal", f"%{level + 1}.") if level % 2 == 0 else ("lowerLetter", f"%{level + 1}.")
            else:
                fmt, text = "bullet", self.BULLETS[level % len(self.BULLETS)]
            lvl.append(make_element("w:numFmt", **{"w:val": fmt}))
            if not marked:
                lvl.append(make_element("w:suff", **{"w:val": "nothing"}))  # no tab where no bullet is
            lvl.append(make_element("w:lvlText", **{"w:val": text}))
            lvl.append(make_element("w:lvlJc", **{"w:val": "left"}))
            ppr = make_element("w:pPr")
            indent = {"w:left": str(360 * (level + 1)), "w:hanging": "260"} if marked else {"w:left": str(360 * level)}
            ppr.append(make_element("w:ind", **indent))
            lvl.append(ppr)
            rpr = make_element("w:rPr")
            if not marked:
                rpr.append(make_element("w:vanish"))
            rpr.append(make_element("w:color", **{"w:val": self.accent if marked else self.surface}))
            lvl.append(rpr)
            abstract.append(lvl)
        self._place(abstract)
        return aid

    def new_list(self, tag: str) -> int:
        """A fresh numbering instance for one HTML list, restarting at 1."""
        num_id = self.next_num
        self.next_num += 1
        num = make_element("w:num", **{"w:numId": str(num_id)})
        num.append(make_element("w:abstractNumId", **{"w:val": str(self.abstract[tag])}))
        override = make_element("w:lvlOverride", **{"w:ilvl": "0"})
        override.append(make_element("w:startOverride", **{"w:val": "1"}))
        num.append(override)
        self.root.append(num)
        return num_id


def set_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
