"""The page each anchor of a document starts on, as its PDF lays it out: the Word draft writes these
into its contents, so every viewer shows the page numbers at once and Word need not update fields.

A PDF render keeps the map it measured, in this user's temporary folder, under the digest of all
that decides the layout (the HTML, the stylesheets, the bundled fonts, WeasyPrint's release); a
draft of the same document finds it there, or lays the document out itself, exactly as the PDF does.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pipeline.render.private_folder import held, own_folder, write_atomically
from pipeline.source.digests import library_version

if TYPE_CHECKING:
    from weasyprint.document import Document

_CONTENTS = re.compile(r"<nav\b[^>]*\bclass=\"(?:[^\"]*\s)?toc[\s\"]")


def has_contents(html: str) -> bool:
    """The document has a table of contents (a `nav.toc`, as the hiring guide's layout writes it)."""
    return _CONTENTS.search(html) is not None


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
    """Held while a document with contents is laid out (`key` is its layout's), so that a draft
    rendered beside its PDF waits for that layout instead of making it twice. `None`: nothing to
    hold."""
    if key is None:
        yield
        return
    with held(own_folder("pages", "anchors") / f"{key}.lock"):
        yield


def keep(key: str, pages: dict[str, tuple[int, bool]]) -> None:
    try:
        write_atomically(own_folder("pages", "anchors") / f"{key}.json", json.dumps(pages, sort_keys=True).encode())
    except OSError:  # a full or read-only temporary folder costs a later draft a layout, nothing else
        pass


def kept(key: str) -> dict[str, tuple[int, bool]] | None:
    try:
        found = json.loads((own_folder("pages", "anchors") / f"{key}.json").read_bytes())
        return {str(name): (int(page), bool(top)) for name, (page, top) in found.items()}
    except (OSError, ValueError, TypeError, AttributeError):  # missing, or not what keep writes
        return None
