"""The inline Markdown subset content may use: **bold**, *italic* and [links](https://…).

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
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link"])
    md.validateLink = _safe_link
    return md


def inline(text: str) -> Markup:
    """Render one content string as safe inline HTML."""
    return Markup(_parser().renderInline(text).strip())
