"""Page set-up from the brand: size, margins, and the running header and footer of every section."""

from __future__ import annotations

import io
import re

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, RGBColor

from pipeline.check.brands import LoadedBrand
from pipeline.render.docx import ooxml

FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
PAGE_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


def text_width_mm(brand: LoadedBrand) -> float:
    width = PAGE_MM[brand.brand.page_size][0]
    return width - brand.brand.margins_mm.left - brand.brand.margins_mm.right


SHEET_MARGIN_CUT_MM, SHEET_MARGIN_MIN_MM = 7, 10
"""A form sheet (the scorecard) takes 7 mm of the top and bottom margins, keeping at least 10 mm,
as brand.css.j2's `@page scorecard` does."""


def set_up_pages(doc: DocxDocument, brand: LoadedBrand, role_title: str, logo_png: bytes | None, logo_alt: str | None,
                 *, cover: bool, page_label: str = "Page {page} of {pages}", owner: str = "",
                 draft_mark: str = "", sheets: tuple[int, ...] = ()) -> None:
    """Every section gets the brand's page; the first page has no header, and a cover no footer.

    `page_label` is the footer's words in the document's language, with `{page}` and `{pages}`
    where Word's PAGE and NUMPAGES fields go. `owner` heads the pages: the company's name, or an
    agency brand's (as the PDF's running header). `draft_mark` ("DRAFT", in the document's language)
    goes on every page's header, the first's included, when the role is not approved yet.
    """
    b = brand.brand
    width, height = PAGE_MM[b.page_size]
    text_width = text_width_mm(brand)
    for index, section in enumerate(doc.sections):
        section.page_width, section.page_height = Mm(width), Mm(height)
        cut = SHEET_MARGIN_CUT_MM if index in sheets else 0
        section.top_margin = Mm(max(b.margins_mm.top - cut, SHEET_MARGIN_MIN_MM) if cut else b.margins_mm.top)
        if cover and index == 0:  # the cover's band starts at the page's top edge, as in the PDF
            section.top_margin = Mm(0)
        section.bottom_margin = Mm(max(b.margins_mm.bottom - cut, SHEET_MARGIN_MIN_MM) if cut else b.margins_mm.bottom)
        section.left_margin, section.right_margin = Mm(b.margins_mm.left), Mm(b.margins_mm.right)
        section.header_distance = section.footer_distance = Mm(10)
        if index > 0:
            section.header.is_linked_to_previous = True
            section.footer.is_linked_to_previous = True
            continue
        section.different_first_page_header_footer = True

        header = section.header.paragraphs[0]
        header.paragraph_format.tab_stops.add_tab_stop(Mm(text_width), WD_TAB_ALIGNMENT.RIGHT)
        if logo_png is not None:
            picture = header.add_run().add_picture(io.BytesIO(logo_png), height=Mm(4.5))
            ooxml.set_alt_text(picture, logo_alt or "")
        header.add_run(f"{'  ' if logo_png is not None else ''}{(owner or b.name).upper()}")
        if draft_mark:
            _draft_mark(header.add_run(f"  ·  {draft_mark}"))
            first = section.first_page_header.paragraphs[0]
            first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _draft_mark(first.add_run(draft_mark))
        ooxml.add_tab(header)
        header.add_run(role_title)

        footers = [section.footer] if cover else [section.footer, section.first_page_footer]
        for part in footers:
            footer = part.paragraphs[0]
            footer.paragraph_format.tab_stops.add_tab_stop(Mm(text_width), WD_TAB_ALIGNMENT.RIGHT)
            footer.add_run(b.footer)
            ooxml.add_tab(footer)
            for part_text in re.split(r"(\{page\}|\{pages\})", page_label):
                if part_text in FIELDS:
                    ooxml.add_field(footer, FIELDS[part_text], "1")
                elif part_text:
                    footer.add_run(part_text)


def _draft_mark(run) -> None:
    run.bold = True
    run.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)
