"""Semantic HTML → an editable, branded Word document, from the same HTML as the PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import html as lxml_html

from pipeline.check.brands import LoadedBrand
from pipeline.render.docx import fonts, ooxml, record as draft_record, wordml
from pipeline.render.docx.blocks import BodyWriter, picture_loader
from pipeline.render.docx.package import add_custom_xml, save_reproducibly, set_properties
from pipeline.render.docx.page import set_up_pages, text_width_mm
from pipeline.render.docx.styles import styled_document
from pipeline.render.tuning.child_order import children_placed_quickly


@dataclass(frozen=True)
class DocxJob:
    html: str
    brand: LoadedBrand
    kind: str
    issued: dt.date | None
    pages: dict[str, tuple[int, bool]] | None = None
    """The page each heading anchor is on in the PDF, and whether it starts that page: the contents'
    page numbers, and the page breaks the PDF made. Without them, the contents ask Word to fill them
    in on opening."""


def _meta(root, name: str) -> str:
    found = root.xpath(f"//meta[@name='{name}']/@content")
    return found[0] if found else ""


def render_docx(job: DocxJob) -> tuple[bytes, list[str]]:
    """The DOCX bytes (reproducible for the same job) and any warnings."""
    with children_placed_quickly():
        return _render(job)


def _render(job: DocxJob) -> tuple[bytes, list[str]]:
    root = lxml_html.document_fromstring(job.html)
    language = root.get("lang") or "en"
    brand = job.brand.brand
    doc = styled_document(job.brand, language)
    pictures = picture_loader(job.brand.root)
    writer = BodyWriter(doc, layout=f"layouts/{job.kind}.html.j2",
                        numbering=ooxml.Numbering(doc.part.numbering_part, brand.colours.accent, brand.colours.surface),
                        picture=pictures, palette=brand.colours.model_dump(),
                        text_width_mm=text_width_mm(job.brand),
                        margins_mm=(brand.margins_mm.top, brand.margins_mm.right, brand.margins_mm.bottom,
                                    brand.margins_mm.left),
                        text_size=brand.fonts.base_size_pt, pages=job.pages)
    writer.body(root)

    titles = root.xpath("//*[contains(concat(' ', @class, ' '), ' doc-title ')]")
    role_title = titles[0].text_content().strip() if titles else ""
    logo_png = pictures(job.brand.logo_src)[0] if job.brand.logo_src else None
    cover = bool(root.xpath("//header[contains(concat(' ', @class, ' '), ' cover ')]"))
    set_up_pages(doc, job.brand, role_title, logo_png, brand.logo_alt, cover=cover,
                 page_label=_meta(root, "rolepack:page-label") or "Page {page} of {pages}",
                 owner=_meta(root, "author") or brand.name, draft_mark=_meta(root, "rolepack:draft"),
                 sheets=tuple(writer.sheets))
    fonts.embed(doc, job.brand)
    if writer.toc_entries and job.pages is None:
        ooxml.update_fields_on_open(doc.settings)
    set_properties(doc, title=root.findtext(".//title") or role_title, subject=_meta(root, "description"),
                   author=_meta(root, "author"), keywords=_meta(root, "keywords"), language=language,
                   issued=job.issued)
    _record(doc, writer.sources, root, kind=job.kind, brand=job.brand.slug, language=language)
    return save_reproducibly(doc), []


def _record(doc, sources: dict[int, str], root, *, kind: str, brand: str, language: str) -> None:
    """Where each piece of the draft came from, read back from the body just written (record.py)."""
    links = {r_id: rel.target_ref for r_id, rel in doc.part.rels.items() if rel.reltype.endswith("/hyperlink")}
    record = draft_record.record_of(wordml.paragraphs(doc.element.body, links), sources,
                                    role=_meta(root, "rolepack:role"), kind=kind, brand=brand,
                                    language=language, digest=_meta(root, "rolepack:digest"))
    add_custom_xml(doc, draft_record.to_xml(record), draft_record.item_properties(draft_record.record_id(record)))
