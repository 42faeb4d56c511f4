"""Semantic HTML → a tagged, print-ready PDF through WeasyPrint, reading only allowed files.

Every PDF is tagged (PDF/UA-1 by default). The archival variants (PDF/A-3b, PDF/A-3u) stay tagged
and carry the role's structured data as an attachment, so a system can read the role back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.render.fontconfig import use_bundled_fonts_only

use_bundled_fonts_only()

from weasyprint import CSS, HTML, Attachment  # noqa: E402
from weasyprint.logger import LOGGER as WEASYPRINT_LOGGER  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from pipeline.check.brands import LoadedBrand
from pipeline.render.errors import RenderError
from pipeline.render.fetcher import ForbiddenResource, RestrictedFetcher
from pipeline.render.stylesheet import stylesheets

PdfVariant = Literal["pdf/ua-1", "pdf/a-3b", "pdf/a-3u"]
VARIANTS: tuple[PdfVariant, ...] = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u")


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


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    """WeasyPrint reports skipped CSS and font fallbacks only as log lines; collect them."""
    handler = _Collect()
    WEASYPRINT_LOGGER.addHandler(handler)
    try:
        yield handler.messages
    finally:
        WEASYPRINT_LOGGER.removeHandler(handler)


_UA_CLAIM = b'<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="" pdfuaid:part="1" />'


def _claim_pdf_ua(document, pdf) -> None:
    """WeasyPrint writes one identification schema; an archival PDF is tagged too, so say PDF/UA-1
    in its XMP beside PDF/A (a WeasyPrint finisher, run before the file is written)."""
    reference = pdf.catalog["Metadata"]
    number = int((reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0])
    stream = pdf.objects[number]
    data = b"".join(stream.stream)
    stream.stream = [data.replace(b"<rdf:Description", _UA_CLAIM + b"<rdf:Description", 1)]


def render_pdf(job: PdfJob) -> tuple[bytes, list[str]]:
    """The PDF bytes and WeasyPrint's warnings; same job, same bytes."""
    fetcher = RestrictedFetcher(job.allowed)
    base = job.layouts.resolve().as_uri() + "/"
    identifier = hashlib.sha256(job.html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    fonts = FontConfiguration()
    options: dict = {"pdf_tags": True, "pdf_variant": job.variant, "pdf_identifier": identifier,
                     "presentational_hints": False}
    if job.variant.startswith("pdf/a-3") and job.data is not None:
        moment = dt.datetime.combine(job.issued or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.timezone.utc)
        options["finisher"] = _claim_pdf_ua
        options["attachments"] = [Attachment(
            string=job.data.decode("utf-8"), name=job.data_name, description="The role's content as structured data",
            created=moment, modified=moment, relationship="Data", url_fetcher=fetcher)]
    try:
        with _weasyprint_warnings() as warnings:
            sheets = [CSS(string=s, base_url=base, url_fetcher=fetcher, font_config=fonts)
                      for s in stylesheets(job.brand, job.layouts)]
            document = HTML(string=job.html, base_url=base, url_fetcher=fetcher)
            pdf = document.write_pdf(stylesheets=sheets, font_config=fonts, **options)
    except ForbiddenResource as err:
        raise RenderError(str(err)) from None
    return pdf, warnings
