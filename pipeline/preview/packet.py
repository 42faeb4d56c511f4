"""The printed documents on a screen: the job description and hiring guide as sheets of paper.

WeasyPrint lays out pages only for print, and a browser ignores `@page`; so the preview shows the
same print HTML, with the same stylesheets, cut into sheets where the print starts a new page
(`.new-page`), each sheet drawn at the brand's paper size on grey. A sheet whose content is longer
than a page grows instead of breaking, so the page breaks here are approximate (the page says so).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pipeline.check.brands import LoadedBrand
from pipeline.render.stylesheet import stylesheets

PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
"""Width and height of each page size a brand may choose."""

_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_BODY = re.compile(r"<body\b[^>]*>(.*)</body>", re.S | re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)


@dataclass(frozen=True)
class Packet:
    """The packet page, its stylesheet, and the layout files they point at (by their path relative
    to the layouts folder, which is also their URL relative to the page)."""

    html: str
    css: str
    assets: tuple[Path, ...]


class _TopLevel(HTMLParser):
    """Where each of the body's top-level elements starts, and its classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.starts: list[tuple[int, int, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            line, column = self.getpos()
            self.starts.append((line, column, (dict(attrs).get("class") or "").split()))
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)


def sheets(body: str) -> list[str]:
    """The body cut into sheets: one starts at the first element and at every top-level element
    the print puts on a new page; each is a `<div class="sheet">` (`sheet cover` for a cover,
    which prints without margins)."""
    parser = _TopLevel()
    parser.feed(body)
    parser.close()
    line_starts = [0] + [i + 1 for i, c in enumerate(body) if c == "\n"]
    cuts = [(line_starts[line - 1] + column, classes) for n, (line, column, classes) in enumerate(parser.starts)
            if n == 0 or "new-page" in classes]
    if not cuts:
        return [f'<div class="sheet">{body}</div>'] if body.strip() else []
    cuts[0] = (0, cuts[0][1])
    out = []
    for (start, classes), (end, _) in zip(cuts, cuts[1:] + [(len(body), [])]):
        kind = "sheet cover" if "cover" in classes else "sheet"
        out.append(f'<div class="{kind}">{body[start:end]}</div>')
    return out


def screen_css(brand: LoadedBrand) -> str:
    """Sheets of the brand's paper on grey, with the print margins as padding."""
    width, height = PAPER_MM[brand.brand.page_size]
    m = brand.brand.margins_mm
    return f"""
/* On screen only: each printed page-run as a sheet of {brand.brand.page_size} paper. */
@media screen {{
  html {{ background: #767d86; }}
  body {{ margin: 0; padding: 0 0 40px; }}
  .packet-note {{ max-width: min({width}mm, calc(100% - 16px)); box-sizing: border-box; margin: 16px auto 0; padding: 10px 14px; background: #fff8d6;
    color: #2b2b2b; font: 14px/1.45 system-ui, sans-serif; border-radius: 4px; hyphens: manual; }}
  .packet-caption {{ max-width: min({width}mm, calc(100% - 16px)); margin: 28px auto 8px; color: #fff; font: 600 15px/1.3 system-ui, sans-serif;
    letter-spacing: 0.02em; hyphens: manual; }}
  .sheet {{ box-sizing: border-box; width: {width}mm; max-width: calc(100% - 16px); min-height: {height}mm; margin: 0 auto 14px;
    padding: {m.top}mm {m.right}mm {m.bottom}mm {m.left}mm; background: #fff;
    box-shadow: 0 2px 12px rgba(0, 0, 0, 0.35); overflow-wrap: break-word; }}
  .sheet.cover {{ padding: 0; }}
}}
"""


def _document(page: str, kind: str) -> str:
    """One rendered print document as an article of sheets, captioned with its title."""
    title = _TITLE.search(page)
    body = _BODY.search(page)
    caption = title.group(1).strip() if title else html.escape(kind)
    parts = "\n".join(sheets(body.group(1) if body else page))
    return (f'<p class="packet-caption" id="document-{kind}">{caption}</p>\n'
            f'<article class="{kind} packet-document" aria-labelledby="document-{kind}">\n{parts}\n</article>')


def packet(documents: list[tuple[str, str]], brand: LoadedBrand, layouts: Path, *, title: str, language: str) -> Packet:
    """The packet page from each document's print HTML (`(kind, html)`, in reading order), titled
    with the role's title."""
    articles = "\n".join(_document(page, kind) for kind, page in documents)
    page = f"""<!DOCTYPE html>
<html lang="{html.escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}: printed documents (preview)</title>
<link rel="stylesheet" href="packet.css">
</head>
<body class="packet">
<p class="packet-note">The printed documents, drawn with their print stylesheets. Each grey-edged sheet
starts where the PDF starts a new page, at the brand's paper size ({brand.brand.page_size}); a sheet longer
than a page is not broken here, so page breaks, running headers and page numbers are only in the PDF.</p>
{articles}
</body>
</html>
"""
    css = "\n".join(stylesheets(brand, layouts)) + screen_css(brand)
    logo = brand.logo
    return Packet(page, css, tuple(f.file for f in brand.faces) + ((logo,) if logo and logo.is_file() else ()))
