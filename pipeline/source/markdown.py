"""The inline Markdown subset content may use: **bold**, *italic* and [links](https://…), and the
line breaks an author wrote in a YAML block scalar (`|`), kept as line breaks instead of one run-on line.

Everything else, raw HTML and images included, stays literal text: content is never interpreted as
markup beyond these three, so a stray `<script>`, `![logo](http://…)` or `#` in a job ad prints as
typed. A link goes only to an https, http or mailto address; validation refuses any other (`links`
finds them with this same parser), and `inline` prints one that slipped through as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import link as _link
from markdown_it.rules_inline.state_inline import StateInline
from markupsafe import Markup

SAFE_SCHEMES = ("https://", "http://", "mailto:")


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


def _image_as_text(state: StateInline, silent: bool) -> bool:
    """`![alt](url)` is an image in Markdown; here `![` is two characters of text, so what follows
    is not read as a link either (a job board reading our Markdown would otherwise load the image)."""
    if not state.src.startswith("![", state.pos):
        return False
    if not silent:
        state.push("text", "", 0).content = "!["
    state.pos += 2
    return True


def _recorded_link(state: StateInline, silent: bool) -> bool:
    """The link rule, noting where each link starts and where it goes, for `links`."""
    start = state.pos
    if not _link(state, silent):
        return False
    if not silent:
        opened = next(token for token in reversed(state.tokens) if token.type == "link_open")
        state.env.setdefault("links", []).append(Link(start, str(opened.attrGet("href") or "")))
    return True


def _new_parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    md.enable(["emphasis", "link", "newline"])
    md.inline.ruler.before("link", "image_as_text", _image_as_text)
    return md


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = _new_parser()
    md.validateLink = _safe_link
    return md


@lru_cache(maxsize=1)
def _finder() -> MarkdownIt:
    md = _new_parser()
    md.validateLink = lambda url: True
    md.inline.ruler.at("link", _recorded_link)
    return md


@dataclass(frozen=True)
class Link:
    offset: int
    """Where the link's `[` is in the text."""
    url: str
    """Where it goes, as the parser normalised it."""

    @property
    def safe(self) -> bool:
        return _safe_link(self.url)


def links(text: str) -> list[Link]:
    """Every link `inline` would read in `text` if it accepted any address, in order."""
    if "](" not in text:
        return []
    env: dict = {}
    _finder().parseInline(text, env)
    return list(env.get("links", []))


def inline(text: str) -> Markup:
    """Render one content string as safe inline HTML."""
    # markdown-it follows each <br> with a newline, which HTML (and the DOCX writer) would print as a space
    return Markup(_parser().renderInline(text).strip().replace("<br>\n", "<br>"))
