"""Semantic HTML → an editable, branded Word document, from the same HTML as the PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import html as lxml_html

from pipeline.check.brands import LoadedBrand
from pipeline.render.docx import ooxml
from pipeline.render.docx.blocks import BodyWriter, picture_loader
from pipeline.render.docx.package import save_reproducibly, set_properties
from pipeline.render.docx.page import set_up_pages, text_width_mm
from pipeline.render.docx.styles import styled_document


@dataclass(frozen=True)
class DocxJob:
    html: str
    brand: LoadedBrand
    kind: str
    issued: dt.date | None


def _meta(root, name: str) -> str:
    found = root.xpath(f"//meta[@name='{name}']/@content")
    return found[0] if found else ""


def render_docx(job: DocxJob) -> tuple[bytes, list[str]]:
    """The DOCX bytes (reproducible for the same job) and any warnings."""
    root = lxml_html.document_fromstring(job.html)
    language = root.get("lang") or "en"
    brand = job.brand.brand
    doc = styled_document(job.brand, language)
    pictures = picture_loader(job.brand.root)
    writer = BodyWriter(doc, layout=f"layouts/{job.kind}.html.j2",
                        numbering=ooxml.Numbering(doc.part.numbering_part, brand.colours.accent),
                        picture=pictures, header_fill=brand.colours.primary,
                        text_width_mm=text_width_mm(job.brand))
    writer.body(job.html)

    titles = root.xpath("//*[contains(concat(' ', @class, ' '), ' doc-title ')]")
    role_title = titles[0].text_content().strip() if titles else ""
    logo_png, _ = pictures(f"brands/{job.brand.slug}/{brand.logo}")
    cover = bool(root.xpath("//header[contains(concat(' ', @class, ' '), ' cover ')]"))
    set_up_pages(doc, job.brand, role_title, logo_png, brand.logo_alt, cover=cover,
                 page_label=_meta(root, "rolepack:page-label") or "Page {page} of {pages}")
    if writer.toc_entries:
        ooxml.update_fields_on_open(doc.settings)
    set_properties(doc, title=root.findtext(".//title") or role_title, subject=_meta(root, "description"),
                   author=_meta(root, "author"), keywords=_meta(root, "keywords"), language=language,
                   issued=job.issued)
    return save_reproducibly(doc), []
