"""Text as the readers hand it on: styled runs written in the content's inline subset, and cleaned.

Content text may use only `**bold**`, `*italic*` and `[links](https://…)` (pipeline/source/markdown.py),
so every reader writes its runs through `Inline`, and links to anything but http(s) or mailto
keep their words and lose their target, as does link syntax a document only had as text.
Invisible characters are taken out here (`clean`): zero-width characters pasted from the web would
split or join words unseen. Emoji are the author's words and stay (the brands' fallback fonts
include Noto Emoji), with the joiners and tags that build them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from pipeline.source.markdown import SAFE_SCHEMES, links

EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\uFE00-\uFE0F\u20E3\U000E0020-\U000E007F]+")
"""Pictographs, dingbats, keycaps, flags and the variation selectors and tags that build them."""

BULLET = re.compile(rf"^\s*(?:[-–—•·▪◦○●■□►▸▶➢➤→*]\s+|[•·▪◦○●■□►▸▶➢➤→✓✔☑]|(?:{EMOJI.pattern})\s*)")
"""A character an author typed to start a list item by hand: "• ", "- ", "✅ "."""

LABEL_LINE = re.compile(r"^\W{0,3}(?P<label>[^\W\d_][^:：\n]{0,38}?)\s*\**\s*[:：]\s*\**\s*(?P<value>\S.*)$")
"""`Label: value` (also `**Label:** value` and the French `Label : value`): a fact, not prose."""

_SPACES = re.compile(r"[ \t\r\f\v]+")
_MARKERS = re.compile(r"\[([^\]]*)\]\([^)]*\)|\*+")


_EMOJI_BUILDERS = frozenset("\u200d" + "".join(chr(c) for c in range(0xE0020, 0xE0080)))
"""The zero-width joiner and the tag characters: invisible, but parts of one emoji (👩‍💻, a flag)."""


def after_marker(line: str, marker: re.Match[str]) -> str:
    """A list item's text: a typed bullet ("• ", "- ") goes, an emoji that opens the item stays ("✅ Own X")."""
    typed = marker.group().strip()
    return line.strip() if typed and EMOJI.fullmatch(typed) else line[marker.end():].strip()


def clean(text: str) -> str:
    """`text` without invisible or control characters (emoji and what builds them stay), runs of
    spaces collapsed, lines trimmed, and link syntax to an address content may not link to made
    plain words (`inert_links`).

    Non-breaking and other typographic spaces are kept as typed ("45 000 €" must not break).
    """
    kept = "".join(c for c in text if c == "\n" or c in _EMOJI_BUILDERS
                   or unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs"))
    lines = (_SPACES.sub(" ", line).strip() for line in kept.split("\n"))
    return inert_links("\n".join(line for line in lines if line))


def inert_links(text: str) -> str:
    """`text` with a space put between the `]` and `(` of each link to anything but https, http or
    mailto (`[site](javascript:…)` typed in a plain-text posting, or a Markdown link the reader
    refused), so it reads as the words it was and validation has no link to refuse."""
    while (unsafe := next((link for link in links(text) if not link.safe), None)) is not None:
        at = text.find("](", unsafe.offset)
        if at < 0:  # an inline link always has its `](`; never loop on one that does not
            break
        text = text[:at + 1] + " " + text[at + 1:]
    return text


def plain(text: str) -> str:
    """The words of subset text, its markers (`**`, `*`, `[…](…)`) taken away."""
    return _MARKERS.sub(lambda m: m.group(1) or "", text)


def fold(text: str) -> str:
    """A form for matching phrases: no accents, emoji, case or punctuation ("Vos missions 🚀 :" → "vos missions")."""
    decomposed = unicodedata.normalize("NFKD", plain(text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def unwrap(lines: list[str]) -> str:
    """One paragraph from lines a plain-text or Markdown author wrapped by hand.

    Wrapped lines join with a space; a `Label: value` line and a line started with a bullet stay
    lines of their own (a "\\n"), so a block of facts or a hand-typed list can still be told apart.
    """
    out = ""
    for before, line in zip([None, *lines], lines):
        if before is None:
            out = line
        elif LABEL_LINE.match(line) or LABEL_LINE.match(before) or BULLET.match(line):
            out += "\n" + line
        else:
            out += " " + line
    return out


@dataclass(frozen=True)
class _Run:
    text: str
    bold: bool
    italic: bool
    href: str | None


def _edges(text: str) -> tuple[str, str, str]:
    core = text.strip(" \n\u00a0")
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


def _styled(run: _Run) -> str:
    lead, core, trail = _edges(run.text)
    marker = "***" if run.bold and run.italic else "**" if run.bold else "*" if run.italic else ""
    return f"{lead}{marker}{core}{marker}{trail}" if core and marker else run.text


def _safe(href: str | None) -> str | None:
    if href and href.strip().lower().startswith(SAFE_SCHEMES):
        return href.strip().replace(" ", "%20")
    return None


class Inline:
    """Styled runs of one paragraph or item, written as subset text by `text()`."""

    def __init__(self) -> None:
        self._runs: list[_Run] = []

    def add(self, text: str, *, bold: bool = False, italic: bool = False, href: str | None = None) -> None:
        if text:
            self._runs.append(_Run(text, bold, italic, _safe(href)))

    def text(self) -> str:
        merged: list[_Run] = []
        for run in self._runs:
            last = merged[-1] if merged else None
            if last and (last.bold, last.italic, last.href) == (run.bold, run.italic, run.href):
                merged[-1] = _Run(last.text + run.text, run.bold, run.italic, run.href)
            else:
                merged.append(run)
        out = []
        for href, group in itertools.groupby(merged, key=lambda r: r.href):
            inner = "".join(_styled(r) for r in group)
            lead, core, trail = _edges(inner)
            if href is None or not core or plain(core) in (href, href.removeprefix("mailto:")):
                out.append(inner)
            else:
                out.append(f"{lead}[{core}]({href}){trail}")
        return "".join(out)
