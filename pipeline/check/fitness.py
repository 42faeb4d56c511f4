"""Text a person should look at before a document is published, found in one file's located data.

Each finding is a warning, not an error: the document still renders, but a character may print as
an empty box, a word may be broken mid-word, an HTML tag may show literally, or a title may carry
quotation marks. Each points at the exact character in the source, so an author can act on it.

The checks are pure functions of the text, plus the code points each brand's bundled fonts cover
(`font_coverage`), so they run in `rolepack validate` without rendering anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.check.brands import brand_names, load_brand
from pipeline.problems import ContentError, Problem, dotted
from pipeline.schema.values import REORDERING
from pipeline.source.positions import SourceText
from pipeline.source.yaml_reader import DataPath, Located

NOT_PRINTED = frozenset({
    "slug", "extends", "related_roles",  # slugs: the layouts print a role's title, never its slug
    "language", "currency",  # codes, validated against a pattern
    "employment_type", "mode", "period", "kind",  # choices: the layouts print their own words for them
    "url", "website", "email",  # addresses, validated as such and printed, if at all, as links
    "id", "attribute", "focus",  # scorecard ids, printed as the attribute's name
})
"""Keys whose values are identifiers or addresses rather than prose: their text is not checked."""

# Font coverage ----------------------------------------------------------------------------------

FontStamp = tuple[str, int, int]
"""A font file as (path, size in bytes, mtime in ns): a cache key that changes when the file does."""


def _stamp(path: Path) -> FontStamp:
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=None)
def _code_points(font: FontStamp) -> frozenset[int]:
    """The code points one font file has a glyph for, read once per process from its cmap table.

    fontTools is imported here, not at the top: it costs ~10 ms, paid only once a character beyond
    ASCII is looked up. The font is opened lazily, so only `maxp` and `cmap` are read; glyph names
    are replaced by numbered stand-ins because fontTools would otherwise read them from the CFF or
    `post` table, which triples the cost (2–3 ms a file instead of 5–7 ms), and only the code
    points are needed.
    """
    from fontTools.ttLib import TTFont

    with TTFont(font[0], lazy=True) as face:
        face.setGlyphOrder([f"glyph{i}" for i in range(face["maxp"].numGlyphs)])
        return frozenset(face["cmap"].getBestCmap() or ())


@dataclass(frozen=True)
class FontStack:
    """A brand's font files in the order its PDFs try them: body, heading, then the fallbacks.

    A code point is looked up font by font and the search stops at the first that has it, so text
    the body font covers (accents, dashes, curly quotes) never loads the fallbacks; only a
    character no font has (an emoji) reads them all.
    """

    fonts: tuple[FontStamp, ...]

    def __contains__(self, code_point: object) -> bool:
        return any(code_point in _code_points(font) for font in self.fonts)


def font_coverage(layouts: Path, content: Path | None = None) -> dict[str, FontStack]:
    """Brand slug → the code points its bundled fonts cover, as a lazily read `FontStack`.

    A brand whose brand.yaml does not load is left out: its fonts are unknown, and any build with
    that brand reports its problems.
    """
    coverage = {}
    for slug in brand_names(layouts, content):
        try:
            brand = load_brand(layouts, slug, content)
        except ContentError:
            continue
        coverage[slug] = FontStack(tuple(_stamp(face.file) for face in brand.faces))
    return coverage


# Rules: each yields (offset in the value, message) ------------------------------------------------

Finding = tuple[int, str]

_BEYOND_PRINTABLE_ASCII = re.compile(r"[^\t\n\r\x20-\x7e]")
"""Tab and line breaks never print, and every text font a brand can name covers printable ASCII,
so only the other characters are looked up: most values are pure ASCII and cost one regex scan."""

_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
_NAMELESS = {"Cc": "<control>", "Co": "<private use>", "Cs": "<surrogate>"}  # as UnicodeData.txt labels them


def _describe(char: str) -> str:
    name = unicodedata.name(char, _NAMELESS.get(unicodedata.category(char), "<unassigned>"))
    return f"U+{ord(char):04X} {name}"


def _invisible(char: str) -> str | None:
    """Why a character prints as nothing, for control, format (zero-width, bidi) and variation selectors;
    None for those that reorder text, which the schema refuses as errors (values.REORDERING): one
    report of a character, not an error and a warning."""
    if REORDERING.match(char):
        return None
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character: it prints as nothing or as an empty box"
    if category == "Cf" or any(ord(char) in selectors for selectors in _VARIATION_SELECTORS):
        return "an invisible zero-width character: it prints as nothing, yet joins or splits the words around it"
    return None


_EMOJI_GLUE = {0x200D, 0xFE0F, 0x20E3}
"""Zero-width joiner, emoji presentation selector and the keycap: invisible alone, part of one printed
emoji in sequences such as 👩‍💻, ❤️ or 1️⃣ (Unicode TR51)."""


def _inside_emoji(value: str, index: int) -> bool:
    """Whether the character at `index` is glue inside an emoji sequence, next to a symbol it joins."""
    if ord(value[index]) not in _EMOJI_GLUE:
        return False
    neighbours = value[max(0, index - 1):index] + value[index + 1:index + 2]
    return any(unicodedata.category(c) in ("So", "Sk") or c.isdigit() or c in "#*" for c in neighbours)


def _brands_lacking(char: str, coverage: Mapping[str, Container[int]]) -> str | None:
    lacking = [brand for brand, fonts in coverage.items() if ord(char) not in fonts]
    if not lacking:
        return None
    if len(lacking) == len(coverage):
        return f"no bundled font of any brand ({', '.join(lacking)}) has it"
    return f"no bundled font of brand {', '.join(lacking)} has it"


def uncovered_characters(value: str, coverage: Mapping[str, Container[int]]) -> Iterator[Finding]:
    """Characters that print as nothing or as an empty box: the first of each kind in the value."""
    seen: set[str] = set()
    for match in _BEYOND_PRINTABLE_ASCII.finditer(value):
        char = match.group()
        if char in seen:
            continue
        seen.add(char)
        if _inside_emoji(value, match.start()):
            continue
        if (why := _invisible(char)) is not None:
            yield match.start(), f"{_describe(char)} is {why}; delete it (it usually comes with pasted text)"
        elif (lacking := _brands_lacking(char, coverage)) is not None:
            yield match.start(), (f"{_describe(char)} “{char}”: {lacking}, so the PDF prints an empty box "
                                  "in its place; remove it or say it in words")


class _Column(NamedTuple):
    chars: int
    where: str


CHAR_EM = 0.55
"""The mean advance of a character, in em: a–z, 0–9 and `./-_` measured from the bundled fonts' hmtx
tables is 0.53 em in Inter Regular, 0.56 in Inter Bold, 0.49–0.50 in Lato and 0.53–0.56 in Roboto
Slab; 0.55 covers the widest body font, a little bold included."""

TEXT_MM = 170
"""The text width of A4, the narrower page: 210 mm less the default brand's 20 mm margins each side
(harbor's US Letter gives 177.9 mm)."""

BODY_PT = 9.5
"""`fonts.base_size_pt` of both shipped brands; layouts/css/document.css sizes everything in em of it."""


def _chars(width_mm: float, size_pt: float, indent_em: float = 0) -> int:
    """How many characters of mean width fit on one line `width_mm` wide at `size_pt`."""
    return int((width_mm * 72 / 25.4 / size_pt - indent_em) / CHAR_EM)


LIST_INDENT_EM = 1.25
PAGE = _Column(_chars(TEXT_MM, BODY_PT, LIST_INDENT_EM), "the page")
"""Text across the page, a list's indent taken off: 89 characters."""

# Where a value prints in a narrower column than the page (the narrowest, if it prints in several),
# read from layouts/css/document.css and the templates; table cells are padded 2.2 mm each side.
_JD_PT = BODY_PT * 0.90  # .jd
_TABLE_PT = BODY_PT * 0.95  # table
_TWO_COLUMN = _Column(_chars((TEXT_MM - 7) / 2, _JD_PT, LIST_INDENT_EM), "a two-column list in the job description")
_STAGE = _Column(_chars(0.40 * TEXT_MM - 4.4, _TABLE_PT), "the stage column of the interview plan")
_COLUMNS: tuple[tuple[tuple[str | None, ...], _Column], ...] = (
    (("title",), _Column(_chars(TEXT_MM, BODY_PT * 3.1), "the hiring guide's cover title")),  # .cover h1
    (("job_description", "summary"), _Column(_chars(140, BODY_PT * 1.35), "the hiring guide's cover summary")),
    *(((*key, None), _TWO_COLUMN) for key in (
        ("job_description", "key_responsibilities"), ("job_description", "perks"),
        ("qualifications", "prerequisites"), ("qualifications", "hard_skills"),
        ("benefits",), ("company", "benefits"))),
    (("interview", "stages", None, "name"), _STAGE),
    (("interview", "stages", None, "description"), _STAGE),
    (("interview", "stages", None, "who"), _Column(_chars(0.22 * TEXT_MM - 4.4, _TABLE_PT),
                                                   "the who column of the interview plan")),
    (("interview", "scorecard", None, "name"), _Column(_chars(0.28 * TEXT_MM - 4.4, _TABLE_PT),
                                                       "the assesses column of the interview plan")),
    # table.score: four equal columns, 3.5 mm padding on the right, at 0.78 em.
    (("interview", "scorecard", None, "anchors", None), _Column(_chars(TEXT_MM / 4 - 3.5, BODY_PT * 0.78),
                                                                "a scorecard column")),
    (("tools", None, "category"), _Column(_chars(0.30 * TEXT_MM - 4.4, _TABLE_PT),
                                          "the category column of the tools table")),
    (("tools", None, "tools", None), _Column(_chars(0.70 * TEXT_MM - 4.4, _TABLE_PT),
                                             "the tools column of the tools table")),
    # The job description's pay table is 52 % wide; its salary column ("$000,000 – $000,000" and
    # padding) takes about 36 mm of that.
    (("compensation", "levels", None, "level"), _Column(_chars(0.52 * TEXT_MM - 36 - 4.4, _JD_PT * 0.95),
                                                        "the level column of the pay table")),
)
"""Measured in characters: title 29, cover summary 56, two-column lists 46, stage 36, who 18,
assesses 24, scorecard 27, tools category 26, tools 65, pay level 29."""

_NARROWEST = min(column.chars for _, column in _COLUMNS)


def _column(path: DataPath) -> _Column:
    """The narrowest column `path` prints in (None in a pattern stands for any key or position)."""
    for pattern, column in _COLUMNS:
        if len(pattern) == len(path) and all(p is None or p == k for p, k in zip(pattern, path)):
            return column
    return PAGE


_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
"""A Markdown link: its label prints, its address does not."""
_BARE_URL = re.compile(r"[(*\"'“‘]*(?:https?://|www\.)", re.IGNORECASE)
_BREAKS_AFTER = "-/–—\u2010\u00ad\u200b"
"""Where the PDF may break a word without a dictionary: after hyphens, slashes and dashes (measured:
WeasyPrint sets `aaaa/bbbb`, `aaaa-bbbb` and `aaaa–bbbb` over two lines), soft hyphens, zero-width spaces."""
_PIECE = re.compile(f"[^{_BREAKS_AFTER}]+[{_BREAKS_AFTER}]*|[{_BREAKS_AFTER}]+")


@lru_cache(maxsize=None)
def _longer_than(chars: int) -> re.Pattern[str]:
    return re.compile(rf"\S{{{chars + 1},}}")


def _printed_width(piece: str) -> int:
    """Characters that print: emphasis asterisks do not."""
    return len(piece) - piece.count("*")


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _without_link_addresses(value: str) -> str:
    """`value` with each link's brackets and address blanked out, so offsets stay those of `value`."""
    def blank(link: re.Match[str]) -> str:
        label = link.group(1)
        return " " + label + " " * (len(link.group()) - len(label) - 1)
    return _LINK.sub(blank, value) if "](" in value else value


def _unbreakable(token: re.Match[str]) -> Iterator[tuple[int, str, bool]]:
    """The runs of a token the PDF cannot break, as (offset, text, is a URL): a bare URL whole, a
    word piece by piece between the places it may break."""
    if _BARE_URL.match(token.group()):
        yield token.start(), token.group(), True
    else:
        for piece in _PIECE.finditer(token.group()):
            yield token.start() + piece.start(), piece.group(), False


def long_words(path: DataPath, value: str) -> Iterator[Finding]:
    """Words and bare URLs that do not fit on one line of the column `path` prints in.

    The threshold is what fits on one line of that column, worked out from the CSS in `_COLUMNS`:
    46 characters in the job description's two-column lists (81.5 mm at 8.55 pt is 27.0 em less a
    1.25 em indent, at 0.55 em a character), 89 across the page, 18 in the interview plan's narrow
    who column. A longer word still prints, but broken mid-word (or hyphenated by the dictionary).
    A word is measured only between the places the PDF may break it (after a hyphen, slash or
    dash); a bare URL is judged whole, since a reader must type it and cannot tell a break from
    part of the address. A URL inside a Markdown link prints only as its label and is not measured.
    """
    if not _longer_than(_NARROWEST).search(value):  # most values: then no column need be looked up
        return
    column = _column(path)
    for token in _longer_than(column.chars).finditer(_without_link_addresses(value)):
        for offset, run, is_url in _unbreakable(token):
            width = _printed_width(run)
            if width <= column.chars:
                continue
            fits = f"more than fit on a line of {column.where} (about {column.chars})"
            if is_url:
                yield offset, (f"the address “{_shown(run)}” is {width} characters, {fits}: the PDF will break "
                               "it where a reader cannot tell; write it as a link, [short text](https://…), "
                               "or shorten it")
            else:
                yield offset, (f"“{_shown(run)}” is {width} characters with nowhere to break, {fits}: the PDF "
                               "will break it mid-word; shorten it or add spaces or hyphens")


# Elements from the WHATWG HTML Living Standard's index of elements
# (https://html.spec.whatwg.org/multipage/indices.html#elements-3) and its obsolete features (font,
# center, big, strike, tt), limited to those that format or lay out text, as a pasted or hand-typed
# fragment holds, and those that run or embed code. `List<String>` or `<<REPLACE>>` are not tags.
_MARKDOWN_FOR = {
    "b": "**bold**", "strong": "**bold**", "i": "*italic*", "em": "*italic*", "cite": "*italic*",
    "a": "a link, [text](https://…)", "br": "a new list item or paragraph", "p": "a new list item or paragraph",
    "div": "a new list item or paragraph", "ul": "a new list item", "ol": "a new list item", "li": "a new list item",
}
_OTHER_TAGS = ("u s strike del ins mark small big sub sup span font center tt code pre kbd blockquote q hr "
               "h1 h2 h3 h4 h5 h6 img table thead tbody tr td th script style iframe object embed").split()
_TAG = re.compile(rf"</?({'|'.join(sorted(_MARKDOWN_FOR.keys() | set(_OTHER_TAGS), key=len, reverse=True))})"
                  r"\b[^<>]*>", re.IGNORECASE)


def html_tags(value: str) -> Iterator[Finding]:
    """HTML tags typed into text: content is never read as HTML, so they print as typed."""
    for tag in _TAG.finditer(value):
        instead = _MARKDOWN_FOR.get(tag.group(1).lower())
        advice = f"write {instead} instead" if instead else "remove it"
        yield tag.start(), f"“{_shown(tag.group())}” is an HTML tag, and prints literally as typed; {advice}"


# Quotation marks by language, from Wikipedia's "Quotation mark" summary table
# (https://en.wikipedia.org/wiki/Quotation_mark#Summary_table): opening mark → closing marks.
_CLOSING = {
    "“": "”", "”": "”", "„": "“”", "‘": "’", "’": "’", "‚": "‘’",
    "«": "»", "»": "«»", "‹": "›", "›": "‹›", '"': '"', "'": "'",
}


def wrapping_quotes(value: str) -> Iterator[Finding]:
    """A whole value inside quotation marks: they print as part of the text (YAML's own do not).

    Only a value that opens with a mark, closes with its partner and holds no other opening mark
    counts, so `“Why?” and “how?”` or a quoted phrase inside a sentence are not findings.
    """
    text = value.strip()
    opening, closing = text[:1], text[-1:]
    if len(text) > 2 and closing in _CLOSING.get(opening, "") and opening not in text[1:-1]:
        yield value.index(opening), (f"the whole text is wrapped in {opening}…{closing}, which print as part "
                                     "of it; remove them (quotes around a YAML value do not print, these do)")


# The entry point --------------------------------------------------------------------------------

def _possible_rules(text: str, coverage: Mapping[str, Container[int]]) -> set[str]:
    """The rules that may fire anywhere in the file, judged from its whole text at once.

    Most files hold no tag, no over-long word and only characters every brand covers; one scan
    of the text rules those checks out, instead of one per value. The test is conservative: an
    escape (`\\u200b`) may make a character the text does not show, so a backslash keeps the
    character check on, and a value's words are never longer than they are in its source.
    """
    possible = {"typographic-quotes"}
    if "\\" in text or any(_invisible(c) is not None or _brands_lacking(c, coverage) is not None
                            for c in set(_BEYOND_PRINTABLE_ASCII.findall(text))):
        possible.add("uncovered-character")
    if _longer_than(_NARROWEST).search(text):
        possible.add("long-word")
    if "<" in text:
        possible.add("html-tag")
    return possible


def text_findings(located: Located, coverage: Mapping[str, Container[int]]) -> list[Problem]:
    """Every warning about one file's printed text, each at the character it is about.

    `coverage` maps each brand to the code points its fonts cover, as `font_coverage` gives it (any
    container of code points will do, so tests can pass a plain set).
    """
    source = SourceText(located)
    found = []
    possible = _possible_rules(located.text, coverage)
    long_enough = _longer_than(_NARROWEST)
    for path, value in located.strings(skip=NOT_PRINTED):
        rules = [("typographic-quotes", wrapping_quotes(value))] if value.lstrip()[:1] in _CLOSING else []
        if "uncovered-character" in possible:
            rules.append(("uncovered-character", uncovered_characters(value, coverage)))
        if "long-word" in possible and long_enough.search(value):
            rules.append(("long-word", long_words(path, value)))
        if "html-tag" in possible:
            rules.append(("html-tag", html_tags(value)))
        for rule, findings in rules:
            for offset, message in findings:
                found.append(Problem(located.file, *source.position(path, value, offset), dotted(path), message,
                                     severity="warning", rule=rule))
    return found
