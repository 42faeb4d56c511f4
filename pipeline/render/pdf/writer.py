"""One PDF from one document's HTML: tagged (PDF/UA-1 by default); the archival variants (PDF/A-3b,
PDF/A-3u) stay tagged and carry the role's structured data as an attachment, so a system can read
the role back.

Within a document, a line WeasyPrint lays out twice is broken once and pydyf writes each object
once (render/tuning). After layout the pages are checked for text that runs out of its page or
table cell, before the PDF is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline.render.pdf import process  # first: loads WeasyPrint with the bundled fonts only

import pydyf  # noqa: E402
from weasyprint import HTML, Attachment  # noqa: E402
from weasyprint.document import Document  # noqa: E402

from pipeline.check.brands import LoadedBrand  # noqa: E402
from pipeline.render.errors import RenderError  # noqa: E402
from pipeline.render.findings import LayoutFinding  # noqa: E402
from pipeline.render.pdf.breaks import with_break_opportunities  # noqa: E402
from pipeline.render.pdf.fetcher import ForbiddenResource, RestrictedFetcher  # noqa: E402
from pipeline.render.pdf import pages  # noqa: E402
from pipeline.render.pdf.fontconfig import bundle_digest  # noqa: E402
from pipeline.render.pdf.forms import radio_buttons_as_widgets  # noqa: E402
from pipeline.render.pdf.overflow import layout_findings  # noqa: E402
from pipeline.render.stylesheet import stylesheet_bases, stylesheets  # noqa: E402
from pipeline.render.tuning.hyphenation import patterns_kept  # noqa: E402
from pipeline.render.tuning.line_breaks import lines_broken_once  # noqa: E402
from pipeline.render.tuning.pdf_writing import write_each_object_once  # noqa: E402

PdfVariant = str
"""One of pipeline.render.formats.pdf.VARIANTS (checked where the option is read)."""


@dataclass(frozen=True)
class PdfJob:
    html: str
    brand: LoadedBrand
    layouts: Path
    allowed: tuple[Path, ...]
    variant: PdfVariant = "pdf/ua-1"
    data_name: str = "role.json"
    data: bytes | None = None
    issued: dt.date | None = None


UA_CLAIM = b'<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="" pdfuaid:part="1" />'


def _claim_pdf_ua(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint writes one identification schema; an archival PDF is tagged too, so say PDF/UA-1
    in its XMP beside PDF/A (a WeasyPrint finisher, run before the file is written)."""
    reference = pdf.catalog["Metadata"]
    number = int((reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0])
    stream = pdf.objects[number]
    data = b"".join(stream.stream)
    stream.stream = [data.replace(b"<rdf:Description", UA_CLAIM + b"<rdf:Description", 1)]


def _options(job: PdfJob, fetcher: RestrictedFetcher) -> dict:
    """WeasyPrint's options for the job, the same for layout and for writing."""
    identifier = hashlib.sha256(job.html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    options: dict = {"pdf_tags": True, "pdf_variant": job.variant, "pdf_identifier": identifier,
                     "presentational_hints": False}
    if job.variant.startswith("pdf/a-3") and job.data is not None:
        moment = dt.datetime.combine(job.issued or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.timezone.utc)
        options["attachments"] = [Attachment(
            string=job.data.decode("utf-8"), name=job.data_name, description="The role's content as structured data",
            created=moment, modified=moment, relationship="Data", url_fetcher=fetcher)]
    return options


def _layout(job: PdfJob, fetcher: RestrictedFetcher, options: dict) -> tuple[Document, list[str], pages.Layout]:
    """The document laid out, the warnings of compiling its stylesheets and of the final layout, and
    what its Word draft follows (kept for the draft when it has any: pages.needs_layout). A
    document whose grid carried a two-column list over a page is laid out again with flowing columns
    (pages.py)."""
    sheets = stylesheets(job.brand, job.layouts)
    compiled = process.compiled(tuple(sheets), stylesheet_bases(job.brand, job.layouts), job.allowed)
    key = _layout_key(job, sheets) if pages.needs_layout(job.html) else None

    def lay_out(flowing: bool) -> tuple[Document, list[str]]:
        with process.weasyprint_warnings() as warnings:
            html = HTML(string=with_break_opportunities(pages.with_flowing(job.html, flowing)),
                        base_url=job.brand.root.resolve().as_uri() + "/", url_fetcher=fetcher)
            with lines_broken_once(), patterns_kept():
                document = html.render(stylesheets=compiled.for_document(job.html), font_config=process.fonts(),
                                       **options)
        return document, warnings

    with pages.laying_out(key):
        document, warnings = lay_out(False)
        flowing = pages.has_grid_lists(job.html) and pages.splits_a_grid_list(document)
        if flowing:
            document, warnings = lay_out(True)
        layout = pages.Layout(pages.anchor_pages(document, job.brand.brand.margins_mm.top) if key else {}, flowing)
        if key is not None:
            pages.keep(key, layout)
    return document, [*compiled.warnings, *warnings], layout


def _layout_key(job: PdfJob, sheets: list[str]) -> str:
    return pages.layout_key(job.html, sheets, bundle_digest())


def _render(job: PdfJob) -> tuple[bytes, list[str], list[LayoutFinding]]:
    fetcher = RestrictedFetcher(job.allowed)
    options = _options(job, fetcher)
    archival = "attachments" in options

    def finisher(document: Document, pdf: pydyf.PDF) -> None:
        if archival:
            _claim_pdf_ua(document, pdf)
        radio_buttons_as_widgets(pdf)
        write_each_object_once(document, pdf)

    try:
        document, warnings, _ = _layout(job, fetcher, options)
        findings = layout_findings(document)
        with process.weasyprint_warnings() as writing:
            pdf = document.write_pdf(finisher=finisher, **options)
    except ForbiddenResource as err:
        raise RenderError(str(err)) from None
    return pdf, [*warnings, *writing], findings


_ONE_AT_A_TIME = threading.Lock()
"""The font configuration, the compiled CSS and WeasyPrint's logger are shared by the process; a
caller rendering from several threads (a Dask worker runs tasks in threads) gets one document at a
time, so no document sees another's fonts or warnings."""


def laid_out(job: PdfJob) -> pages.Layout:
    """What `job`'s Word draft follows of its PDF's layout: as a PDF render of the same layout kept
    it, else laid out here exactly as `render_pdf` lays it out."""
    key = _layout_key(job, stylesheets(job.brand, job.layouts))
    found = pages.kept(key)
    if found is None:
        with pages.laying_out(key):  # a PDF of the same layout being rendered now: wait for its pages
            found = pages.kept(key)
    if found is not None:
        return found
    fetcher = RestrictedFetcher(job.allowed)
    with _ONE_AT_A_TIME:
        try:
            document, _, found = _layout(job, fetcher, _options(job, fetcher))
        except ForbiddenResource as err:
            raise RenderError(str(err)) from None
        del document
        process.freeze_what_lives_on()
    return found


def render_pdf(job: PdfJob) -> tuple[bytes, list[str], list[LayoutFinding]]:
    """The PDF bytes, WeasyPrint's warnings and the text that does not fit; same job, same bytes."""
    with _ONE_AT_A_TIME:
        result = _render(job)
        process.freeze_what_lives_on()  # after _render, whose document is garbage by now
    return result
