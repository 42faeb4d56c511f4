"""Semantic HTML → a tagged, print-ready PDF through WeasyPrint, reading only allowed files.

Every PDF is tagged (PDF/UA-1 by default). The archival variants (PDF/A-3b, PDF/A-3u) stay tagged
and carry the role's structured data as an attachment, so a system can read the role back.

A worker renders many documents, so what does not depend on the document is made once per
process: the font configuration and, per set of stylesheets, the compiled CSS (with the brand's
fixed values written in for var(), custom_properties). Within a document, a line WeasyPrint lays
out twice is broken once (line_breaks). After layout the pages are checked for text that runs out
of its page or table cell, before the PDF is written.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import re
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import util as multiprocessing_util
from pathlib import Path

from pipeline.render.fontconfig import use_bundled_fonts_only
from pipeline.render.native_libraries import found_from_the_loader_cache

use_bundled_fonts_only()
with found_from_the_loader_cache():
    import weasyprint  # noqa: E402, F401  (loads Pango, HarfBuzz and fontconfig)

import pydyf  # noqa: E402
from weasyprint import CSS, HTML, Attachment  # noqa: E402
from weasyprint.document import Document  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.logger import LOGGER as WEASYPRINT_LOGGER  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from pipeline.check.brands import LoadedBrand
from pipeline.render.custom_properties import written_in
from pipeline.render.errors import RenderError
from pipeline.render.fetcher import ForbiddenResource, RestrictedFetcher
from pipeline.render.findings import LayoutFinding
from pipeline.render.line_breaks import lines_broken_once
from pipeline.render.stylesheet import stylesheets
from pipeline.render.swapped import swapped

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


# --- what a process makes once -------------------------------------------------------------------

def _forget_fonts() -> None:
    """Drop the process's font configuration so WeasyPrint deletes its temporary copies of the
    @font-face files. Registered with multiprocessing's exit hooks, which run in pool workers
    too (they leave through os._exit, which skips atexit)."""
    _compiled.cache_clear()
    _fonts.cache_clear()
    gc.unfreeze()
    gc.collect()  # the last documents' boxes and styles still point at it, in reference cycles


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    """The process's one font configuration: fontconfig and Pango load the bundled fonts and the
    @font-face copies once, not for every document."""
    multiprocessing_util.Finalize(None, _forget_fonts, exitpriority=0)
    return FontConfiguration()


@lru_cache(maxsize=1)
def _freeze_what_lives_on() -> None:
    """Once, after the first document: what the process keeps from then on (modules, WeasyPrint's
    and our compiled CSS, the fonts) is moved out of the cyclic garbage collector's sight. A
    layout makes ~10^6 short-lived objects, and each full collection walked all of that too:
    collections were 8–12 % of a hiring guide's time; this takes ~4 % off it and costs no memory.
    Garbage is collected first, so only live objects are frozen."""
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class _Compiled:
    sheets: tuple[CSS, ...]
    warnings: tuple[str, ...]
    """What WeasyPrint logged while compiling: it logs a skipped rule or font only then, so the
    lines are kept with the sheets and reported again for every document that uses them."""
    written_in: tuple[CSS, ...] | None = None
    """The same sheets with their fixed brand values written in for var() (custom_properties),
    when there were some and WeasyPrint found nothing more to drop in them."""

    def for_document(self, html: str) -> list[CSS]:
        """The sheets for a document: with the values written in, unless its own markup declares
        a custom property, which could give a var() another value inside it."""
        if self.written_in is None or _DECLARES_CUSTOM_PROPERTY.search(html):
            return list(self.sheets)
        return list(self.written_in)


_DECLARES_CUSTOM_PROPERTY = re.compile(r"--[\w-]*\s*:")
_AT_POSITION = re.compile(r" at \d+:\d+")
"""Where WeasyPrint places a warning: lines move when values are written in for var()."""


def _compile(sources: tuple[str, ...], base: str, allowed: tuple[Path, ...]) -> tuple[tuple[CSS, ...], list[str]]:
    fetcher = RestrictedFetcher(allowed)
    with _weasyprint_warnings() as warnings:
        sheets = tuple(CSS(string=s, base_url=base, url_fetcher=fetcher, font_config=_fonts()) for s in sources)
    return sheets, warnings


@lru_cache(maxsize=16)
def _compiled(sources: tuple[str, ...], base: str, allowed: tuple[Path, ...]) -> _Compiled:
    """The stylesheets parsed, their @font-face fonts loaded into the process's font configuration
    (~30 ms a document when both were made per document). Keyed by the CSS text and the folders
    it may read, so a changed stylesheet or another layouts folder compiles afresh; a sheet that
    reads a forbidden file raises, and nothing is kept. Warnings name places in the sheets as
    written."""
    sheets, warnings = _compile(sources, base, allowed)
    substituted = written_in(sources)
    if substituted is not None:
        faster, more = _compile(tuple(substituted), base, allowed)
        if Counter(_AT_POSITION.sub("", w) for w in more) == Counter(_AT_POSITION.sub("", w) for w in warnings):
            return _Compiled(sheets, tuple(warnings), faster)
    return _Compiled(sheets, tuple(warnings))


# --- compression ---------------------------------------------------------------------------------

_ZLIB_LEVEL = 6
"""pydyf deflates every stream at zlib's level 9. Level 6 (zlib's default) deflates a hiring guide
in 26 ms instead of 87 (the whole render 6 % faster, a job description 8 %) for 3.0 % more bytes
(0.85 % on a job description); the output is as reproducible as at level 9."""


class _PydyfZlib:
    """zlib as pydyf sees it while we write a PDF: the same module, but `compressobj` uses
    _ZLIB_LEVEL whatever level pydyf asks for."""

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = zlib.Z_DEFAULT_COMPRESSION, *args: object, **kwargs: object) -> object:
        return zlib.compressobj(_ZLIB_LEVEL, *args, **kwargs)


@contextmanager
def _compression_level() -> Iterator[None]:
    """pydyf 0.13 hard-codes `zlib.compressobj(level=9)` in `Stream.data` and offers no option;
    its module-level name `zlib` is swapped for the writing of one PDF, then put back."""
    with swapped(pydyf, "zlib", _PydyfZlib()):
        yield


_SERIALIZED = (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String)


@contextmanager
def _serialized_once() -> Iterator[None]:
    """pydyf turns every object into bytes twice when the PDF has an identifier, as ours always
    does: once to write it, then all of them again (every stream deflated again) to hash them for
    the /ID's second half. While one PDF is written, the bytes of each object are kept from the
    first time: 7 ms of a job description's 51 ms of writing, the same bytes. Nothing changes an
    object once pydyf has started writing."""
    kept: dict[int, tuple[object, bytes]] = {}

    def keeping(serialize: property) -> property:
        def data(self: object) -> bytes:
            found = kept.get(id(self))
            if found is None or found[0] is not self:  # the object is kept too: its id stays its own
                found = kept[id(self)] = (self, serialize.fget(self))  # type: ignore[misc]
            return found[1]

        return property(data)

    with ExitStack() as stack:
        for kind in _SERIALIZED:
            stack.enter_context(swapped(kind, "data", keeping(kind.__dict__["data"])))
        yield


def _write_each_object_once(document: Document, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher, run just before pdf.write: that write serializes each object once."""
    write = pdf.write

    def write_once(*args: object, **kwargs: object) -> None:
        with _serialized_once():
            write(*args, **kwargs)

    pdf.write = write_once  # type: ignore[method-assign]


# --- text that does not fit ----------------------------------------------------------------------

_PX_PER_PT = 96 / 72
_PX_PER_MM = 96 / 25.4
_TOLERANCE = 0.5 * _PX_PER_PT
"""Glyph advances are rounded by Pango; half a point past an edge is not visible overflow."""


def _line_text(line: boxes.LineBox) -> tuple[str, float]:
    """The line's text as printed and where its rightmost glyph ends (CSS px). Inline-blocks and
    floats in the line hold lines of their own, which are checked on their own."""
    parts: list[str] = []
    right = line.content_box_x()

    def walk(box: boxes.Box) -> None:
        nonlocal right
        if isinstance(box, boxes.TextBox):
            parts.append(box.text)
            right = max(right, box.position_x + box.width)
        elif isinstance(box, boxes.InlineBox):
            for child in box.children:
                walk(child)

    for child in line.children:
        walk(child)
    return " ".join("".join(parts).split()), right


def _distance(px: float) -> str:
    """A distance as a reader would say it: whole millimetres, tenths below one."""
    mm = px / _PX_PER_MM
    return f"{mm:.0f} mm" if mm >= 1 else f"{mm:.1f} mm"


def _line_finding(line: boxes.LineBox, page_right: float, cell: boxes.TableCellBox | None,
                  page: int) -> LayoutFinding | None:
    """Leaving the page is reported before leaving a cell: a cell can fit its text and still
    stand past the page, when a table is wider than the text."""
    text, right = _line_text(line)
    if not text:
        return None
    if right > page_right + _TOLERANCE:
        return LayoutFinding("overflow", text,
                             f"runs {_distance(right - page_right)} past the right edge of the text on page {page}")
    if cell is not None:
        cell_right = cell.content_box_x() + cell.width
        if right > cell_right + _TOLERANCE:
            return LayoutFinding("overflow", text,
                                 f"runs {_distance(right - cell_right)} past the right edge of its table cell "
                                 f"on page {page}")
    return None


def _box_findings(box: boxes.Box, page_right: float, cell: boxes.TableCellBox | None,
                  page: int) -> Iterator[LayoutFinding]:
    """Depth first, handing down the innermost table cell, the edge a line inside it must keep."""
    if isinstance(box, boxes.LineBox):
        finding = _line_finding(box, page_right, cell, page)
        if finding is not None:
            yield finding
    if isinstance(box, boxes.TableCellBox):
        cell = box
    for child in getattr(box, "children", ()):
        yield from _box_findings(child, page_right, cell, page)


def _layout_findings(document: Document) -> list[LayoutFinding]:
    """Every line of the laid-out pages whose text ends past the page's content area or past its
    table cell's content box. The running headers and footers live in the margin and are not
    checked. WeasyPrint has no public view of the laid-out boxes; `Page._page_box` is its root."""
    findings: list[LayoutFinding] = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for child in page_box.children:
            if not isinstance(child, boxes.MarginBox):
                findings.extend(_box_findings(child, right, None, number))
    return findings


# --- the PDF -------------------------------------------------------------------------------------

_UA_CLAIM = b'<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="" pdfuaid:part="1" />'


def _claim_pdf_ua(document, pdf) -> None:
    """WeasyPrint writes one identification schema; an archival PDF is tagged too, so say PDF/UA-1
    in its XMP beside PDF/A (a WeasyPrint finisher, run before the file is written)."""
    reference = pdf.catalog["Metadata"]
    number = int((reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0])
    stream = pdf.objects[number]
    data = b"".join(stream.stream)
    stream.stream = [data.replace(b"<rdf:Description", _UA_CLAIM + b"<rdf:Description", 1)]


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


def _render(job: PdfJob) -> tuple[bytes, list[str], list[LayoutFinding]]:
    fetcher = RestrictedFetcher(job.allowed)
    base = job.layouts.resolve().as_uri() + "/"
    options = _options(job, fetcher)
    archival = "attachments" in options

    def finisher(document: Document, pdf: pydyf.PDF) -> None:
        if archival:
            _claim_pdf_ua(document, pdf)
        _write_each_object_once(document, pdf)

    try:
        compiled = _compiled(tuple(stylesheets(job.brand, job.layouts)), base, job.allowed)
        with _weasyprint_warnings() as warnings:
            html = HTML(string=job.html, base_url=base, url_fetcher=fetcher)
            with lines_broken_once():
                document = html.render(stylesheets=compiled.for_document(job.html), font_config=_fonts(), **options)
            findings = _layout_findings(document)
            with _compression_level():
                pdf = document.write_pdf(finisher=finisher, **options)
    except ForbiddenResource as err:
        raise RenderError(str(err)) from None
    return pdf, [*compiled.warnings, *warnings], findings


_ONE_AT_A_TIME = threading.Lock()
"""The font configuration, the compiled CSS, pydyf's zlib and WeasyPrint's logger are shared by
the process; a caller rendering from several threads (a Dask worker runs tasks in threads) gets
one document at a time, so no document sees another's fonts, level or warnings."""


def render_pdf(job: PdfJob) -> tuple[bytes, list[str], list[LayoutFinding]]:
    """The PDF bytes, WeasyPrint's warnings and the text that does not fit; same job, same bytes.

    The document is laid out once: the overflow check reads the same pages that are written.
    """
    with _ONE_AT_A_TIME:
        result = _render(job)
        _freeze_what_lives_on()  # after _render, whose document is garbage by now
    return result
