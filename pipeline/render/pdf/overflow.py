"""Text that runs out of its page or table cell, found on the laid-out pages before the PDF is written.

The document is laid out once: this check reads the same pages that are written, through the one
guarded reach into WeasyPrint's boxes (tuning/laid_out).
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.render.pdf import process  # noqa: F401  (first: loads WeasyPrint with the bundled fonts only)

from weasyprint.document import Document  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402

from pipeline.render.findings import LayoutFinding  # noqa: E402
from pipeline.render.tuning import laid_out  # noqa: E402

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


def layout_findings(document: Document) -> list[LayoutFinding]:
    """Every line of the laid-out pages whose text ends past the page's content area or past its
    table cell's content box. The running headers and footers live in the margin and are not
    checked."""
    findings: list[LayoutFinding] = []
    for number, page in enumerate(document.pages, 1):
        page_box = laid_out.page_box(page)
        if page_box is None:
            return []
        right = page_box.content_box_x() + page_box.width
        for child in page_box.children:
            if not isinstance(child, boxes.MarginBox):
                findings.extend(_box_findings(child, right, None, number))
    return findings
