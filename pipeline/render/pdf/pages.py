"""What a document's PDF layout decided that its Word draft must follow: the page each anchor starts
on, which the draft writes into its contents, so every viewer shows the page numbers at once and
Word need not update fields; and the two-column lists the layout carried over a page break.

A two-column list is a grid of N rows (`two-col rows-N`), the first N items down the first column,
as a Word section of two columns with a column break before item N + 1 sets it. A grid carried over
a page splits by rows (items 1-2 beside 5-6, then 3-4 beside 7-8: out of order), and Word cannot
split a list so. A document where that happens is laid out again with its two-column lists as
columns that flow, balanced, down the first column, then the second, then over the page (`two-col
flow`), as Word carries a balanced section of two columns over a page. All of them, not only the
one carried over: a balanced list is a line or two shorter than its grid, whose rows are as tall as
their taller item, and Word's pages follow that. Only such documents: WeasyPrint balances columns by
laying them out again at every pixel of height, which makes a job description's PDF 74 % slower.

A PDF render keeps what it measured, in this user's temporary folder, under the digest of all
that decides the layout (the HTML, the stylesheets, the bundled fonts, WeasyPrint's release); a
draft of the same document finds it there, or lays the document out itself, exactly as the PDF does.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.render.private_folder import held, own_folder, write_atomically
from pipeline.render.tuning import laid_out
from pipeline.source.digests import library_version

if TYPE_CHECKING:
    from weasyprint.document import Document

_CONTENTS = re.compile(r"<nav\b[^>]*\bclass=\"(?:[^\"]*\s)?toc[\s\"]")
_GRID_LIST = re.compile(r'<ul class="two-col rows-\d+">')


def has_contents(html: str) -> bool:
    """The document has a table of contents (a `nav.toc`, as the hiring guide's layout writes it)."""
    return _CONTENTS.search(html) is not None


def has_grid_lists(html: str) -> bool:
    """The document has two-column lists, which its layout may carry over a page."""
    return _GRID_LIST.search(html) is not None


def needs_layout(html: str) -> bool:
    """A Word draft of the document follows its PDF's layout."""
    return has_contents(html) or has_grid_lists(html)


@dataclass(frozen=True)
class Layout:
    """What the draft follows: kept beside the PDF's layout, so a draft takes it instead of laying
    the document out again."""

    anchors: dict[str, tuple[int, bool]] = field(default_factory=dict)
    flowing: bool = False
    """The two-column lists are set as flowing columns."""


def with_flowing(html: str, flowing: bool = True) -> str:
    """`html` with its two-column lists set as columns that flow over a page, if `flowing`."""
    return _GRID_LIST.sub('<ul class="two-col flow">', html) if flowing else html


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def splits_a_grid_list(document: Document) -> bool:
    """A two-column grid list of the laid-out document reaches over a page."""
    seen: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        root = laid_out.page_box(page)
        if root is None:
            return False
        for box in _boxes(root):
            if getattr(box, "element_tag", None) == "ul" and " rows-" in (box.element.get("class") or ""):
                if seen.setdefault(id(box.element), number) != number:
                    return True
    return False


TOP_MM = 12
"""How far below a page's top margin an anchor may sit and still start the page: a heading's top
margin (1.6 em) when the page break before it is not forced."""


def anchor_pages(document: Document, top_margin_mm: float) -> dict[str, tuple[int, bool]]:
    """Each anchor's first page, counted from 1, and whether it starts that page (nothing but its
    top margin above it). WeasyPrint lists an anchor on every page its element reaches."""
    pages: dict[str, tuple[int, bool]] = {}
    limit = (top_margin_mm + TOP_MM) * 96 / 25.4  # CSS pixels
    for number, page in enumerate(document.pages, start=1):
        for name, position in page.anchors.items():  # (x, y), or (x0, y0, x1, y1) in WeasyPrint 6x
            pages.setdefault(name, (number, position[1] <= limit))
    return pages


def layout_key(html: str, sheets: list[str], fonts: str) -> str:
    """What decides where the pages break."""
    digest = hashlib.sha256(f"weasyprint={library_version('weasyprint')} fonts={fonts}".encode("utf-8"))
    for text in (html, *sheets):
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


@contextmanager
def laying_out(key: str | None) -> Iterator[None]:
    """Held while a document a draft follows is laid out (`key` is its layout's), so that a draft
    rendered beside its PDF waits for that layout instead of making it twice. `None`: nothing to
    hold."""
    if key is None:
        yield
        return
    with held(own_folder("pages", "layouts") / f"{key}.lock"):
        yield


def keep(key: str, layout: Layout) -> None:
    record = {"anchors": layout.anchors, "flowing": layout.flowing}
    try:
        write_atomically(own_folder("pages", "layouts") / f"{key}.json", json.dumps(record, sort_keys=True).encode())
    except OSError:  # a full or read-only temporary folder costs a later draft a layout, nothing else
        pass


def kept(key: str) -> Layout | None:
    try:
        found = json.loads((own_folder("pages", "layouts") / f"{key}.json").read_bytes())
        return Layout({str(name): (int(page), bool(top)) for name, (page, top) in found["anchors"].items()},
                      bool(found["flowing"]))
    except (OSError, ValueError, TypeError, AttributeError, KeyError):  # missing, or not what keep writes
        return None
