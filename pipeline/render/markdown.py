"""The inline Markdown subset content may use: **bold**, *italic* and [links](https://…), and the
line breaks an author wrote in a YAML block scalar (`|`), kept as line breaks instead of one run-on line.

Everything else, raw HTML included, stays literal text: content is never interpreted as markup
beyond these three, so a stray `<script>` or `#` in a job ad prints as typed.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = ("https://", "http://", "mailto:")


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    md.enable(["emphasis", "link", "newline"])
    md.validateLink = _safe_link
    return md


def inline(text: str) -> Markup:
    """Render one content string as safe inline HTML."""
    # markdown-it follows each <br> with a newline, which HTML (and the DOCX writer) would print as a space
    return Markup(_parser().renderInline(text).strip().replace("<br>\n", "<br>"))
