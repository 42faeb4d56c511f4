"""The inline Markdown subset content may use: **bold**, *italic* and [links](https://…), and the
line breaks an author wrote in a YAML block scalar (`|`), kept as line breaks instead of one run-on line.
An e-mail or web address typed as text is marked (`<span class="address">`) so that no format
hyphenates it: "jobs@frische-kiste.de" split at a line's end is an address nobody can write to.

Everything else, raw HTML and images included, stays literal text: content is never interpreted as
markup beyond these three, so a stray `<script>`, `![logo](http://…)` or `#` in a job ad prints as
typed. A link goes only to an https, http or mailto address; validation refuses any other (`links`
finds them with this same parser), and `inline` prints one that slipped through as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import link as _link
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token
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


ADDRESS = re.compile(r"(?<![\w.%+-])[\w.%+-]++@[\w-]++(?:\.[\w-]++)++"
                     r"|(?<![\w./:])(?:https?://|www\.)[^\s<>()\[\]]*+")
"""An e-mail address, or a web address from its scheme (or www.). Each starts only where a word
does and no part gives back what it took, so a 100,000-character word costs one pass, not one
per character (measured: quadratic before, `make bench`'s growth case)."""
CLOSING = ".,;:!?'\""
"""Punctuation that ends the sentence around a web address, not the address."""


def _addresses(text: str) -> Iterator[tuple[int, int]]:
    for found in ADDRESS.finditer(text):
        end = found.start() + len(found.group(0).rstrip(CLOSING))
        if end > found.start() + 4:  # more than "www." alone
            yield found.start(), end


def _mark_addresses(state: StateCore) -> None:
    """Each address in text outside a link becomes a span of its own (a link is never hyphenated already)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            in_link += token.type == "link_open"
            in_link -= token.type == "link_close"
            found = list(_addresses(token.content)) if token.type == "text" and not in_link else []
            if not found:
                children.append(token)
                continue
            at = 0
            for start, end in found:
                if start > at:
                    children.append(_text(token.content[at:start]))
                children += [Token("span_open", "span", 1, attrs={"class": "address"}),
                             _text(token.content[start:end]), Token("span_close", "span", -1)]
                at = end
            if at < len(token.content):
                children.append(_text(token.content[at:]))
        block.children = children


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = _new_parser()
    md.validateLink = _safe_link
    md.core.ruler.push("addresses", _mark_addresses)
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
