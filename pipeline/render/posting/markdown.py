"""Semantic HTML → CommonMark: the same HTML the PDF and the DOCX writer read, as Markdown text.

The Markdown goes to careers pages kept in Git and to job boards, whose readers differ (CommonMark,
GitHub's GFM, pandoc's extensions), so the writer emits only what all of them read alike and escapes
everything else in the text: content is never interpreted, whichever reader gets it.

Supported HTML (anything else stops the build, naming the layout and the element):
  containers  div, section, header, main, article, footer
  blocks      h1–h6 (ATX headings), p (a paragraph), ul/ol (`-` and `1.` lists, nested), table
              (a GFM pipe table), img (left out: job boards strip images, and the only one is the logo)
  inline      strong/b (`**`), em/i (`*`), a (a link when http, https or mailto; else its text),
              br (a hard line break, backslash form), span and time (their text; a date's machine
              form, `datetime`, is for search engines reading HTML)
Nothing from <head> is written: the title and metadata are for the PDF and DOCX properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html

from pipeline.render.errors import RenderError

CONTAINERS = {"div", "section", "header", "main", "article", "footer"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
LISTS = frozenset({"ul", "ol"})
TRANSPARENT = {"span", "time"}
BOLD = {"strong", "b"}
ITALIC = {"em", "i"}
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
HTML_SPACE_RUN = re.compile("[ \t\n\f\r]+")  # HTML collapses only these; a no-break space is text
BREAK = "\n"  # stands for <br> while a block's inline text is assembled: HTML spaces are gone by then

# Escaped wherever they stand. Beyond CommonMark's own syntax: `|` (GFM tables), `~` (GFM
# strikethrough, pandoc subscript), `^` (pandoc superscript), `{` `}` (pandoc attributes), and `$`
# (GitHub's and pandoc's math, which would eat the text between two dollar signs) unless it starts an
# amount: a `$` after a space (or at the start of a text) and before a digit can open math but never
# close it (a closing `$` follows a non-space and precedes no digit), and every `$` that could close
# is escaped, so "$82,460 – $95,000" stays as typed, without backslashes, when pasted as plain text.
ANYWHERE = re.compile(r"([\\`*_\[\]<>|~^{}]|(?<!\S)\$(?!\d)|(?<=\S)\$)")
ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
EMOJI = re.compile(r":(?=[A-Za-z0-9_+-]+:)")  # `:rocket:` is an emoji in GFM and pandoc
# Escaped only where they start a line: `#` heading, `-` `+` bullet or thematic break,
# `=` `-` setext underline, `:` pandoc's definition list and fenced div; and the `.` or `)` of an
# ordered-list marker, including pandoc's letters and roman numerals (`a.`, `iv)`, `(1)`).
LINE_START_MARK = re.compile(r"^([#+=:-])")
LINE_START_NUMBER = re.compile(r"^([0-9]{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)([.)])(?=[ \t]|$)")
LINE_START_PAREN = re.compile(r"^\((?=([0-9]{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)\)([ \t]|$))")


def html_to_markdown(html: str, *, layout: str = "the layout") -> str:
    """The Markdown of a document's body: CommonMark plus one GFM pipe table per HTML table, LF line
    ends, one trailing newline. `layout` names the template in errors."""
    blocks = _Writer(layout).blocks(lxml_html.document_fromstring(html).body)
    return "\n\n".join(blocks) + "\n"


def _escape_line_start(line: str) -> str:
    line = LINE_START_MARK.sub(r"\\\1", line)
    line = LINE_START_NUMBER.sub(r"\1\\\2", line)
    return LINE_START_PAREN.sub(r"\\(", line)


def _link_destination(href: str) -> str:
    """A destination that cannot end early: spaces and angle brackets percent-encoded, parentheses
    and backslashes escaped."""
    href = href.strip()
    for char, code in ((" ", "%20"), ("<", "%3C"), (">", "%3E")):
        href = href.replace(char, code)
    return re.sub(r"([\\()])", r"\\\1", href)


def _edges(inner: str) -> tuple[str, str, str]:
    """`inner` as (leading spaces and breaks, the rest, trailing ones): emphasis marks and link
    brackets go around the rest only, since `** x**` is not emphasis."""
    core = inner.strip(" " + BREAK)
    if not core:
        return inner, "", ""
    start = inner.index(core)
    return inner[:start], core, inner[start + len(core):]


def _wrap(inner: str, mark: str) -> str:
    before, core, after = _edges(inner)
    return f"{before}{mark}{core}{mark}{after}" if core else inner


@dataclass
class _Writer:
    layout: str
    last_list: str = ""
    """The marker of the block just written, when it was a list."""

    def fail(self, el, why: str) -> RenderError:
        return RenderError(f"{self.layout}: <{el.tag}> {why} (line {el.sourceline}); "
                           "see pipeline/render/posting/markdown.py for the HTML the Markdown writer supports")

    # Blocks -------------------------------------------------------------------------------

    def blocks(self, el) -> list[str]:
        if (el.text or "").strip():
            raise self.fail(el, "has loose text; wrap it in a <p>")
        out: list[str] = []
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments
            out += self.block(child)
            if (child.tail or "").strip():
                raise self.fail(el, "has loose text; wrap it in a <p>")
        return out

    def block(self, el) -> list[str]:
        tag = el.tag
        if tag in CONTAINERS:
            return self.blocks(el)
        if tag == "img":
            return []
        if tag in HEADINGS:
            made = self.heading(el, HEADINGS[tag])
        elif tag == "p":
            made = self.paragraph(el)
        elif tag in LISTS:
            made = self.list(el, after_list=self.last_list)
        elif tag == "table":
            made = self.table(el)
        else:
            raise self.fail(el, "is not supported by the Markdown writer")
        if not made:
            return []
        if tag not in LISTS:
            self.last_list = ""
        return [made]

    def heading(self, el, level: int) -> str:
        text = self.inline(el)
        if BREAK in text:
            raise self.fail(el, "has a line break, which a Markdown heading cannot hold")
        if not text:
            return ""
        if text.endswith("#"):  # a closing `#` would be read as the end of the heading
            text = text[:-1] + "\\#"
        return f"{'#' * level} {_escape_line_start(text)}"

    def paragraph(self, el) -> str:
        return self._lines(self.inline(el), indent="")

    @staticmethod
    def _lines(text: str, indent: str) -> str:
        """Inline text with its breaks as hard breaks, each continuation line indented by `indent`."""
        lines = [line.strip(" ") for line in text.split(BREAK)]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        return ("\\\n" + indent).join(_escape_line_start(line) for line in lines)

    def list(self, el, *, after_list: str = "") -> str:
        """A tight list. A list right after another of the same kind takes the other marker (`*`
        for `-`, `1)` for `1.`): separated only by a blank line, the two would be read as one."""
        if el.tag == "ul":
            mark = "*" if after_list == "-" else "-"
        else:
            mark = ")" if after_list == "." else "."
        out = []
        for li in (c for c in el if isinstance(c.tag, str)):
            if li.tag != "li":
                raise self.fail(li, f"cannot sit directly in <{el.tag}>")
            nested = [c for c in li if isinstance(c.tag, str) and c.tag in LISTS]
            marker = f"{len(out) + 1}{mark}" if el.tag == "ol" else mark
            indent = " " * (len(marker) + 1)
            text = self._lines(self.inline(li, stop_at=LISTS), indent)
            if not text and not nested:
                continue
            item = [f"{marker} {text}".rstrip(" ")]
            self.last_list = ""
            for sub in nested:
                item += [indent + line for line in self.list(sub, after_list=self.last_list).split("\n")]
            out.append("\n".join(item))
        self.last_list = mark if out else ""
        return "\n".join(out)

    # A pipe table only for tabular facts, the pay bands (level by amount): a list would lose the
    # column headings that say what the amounts are (currency, per year or per hour). CommonMark has
    # no table, but GFM's pipe table is what GitHub, GitLab and job boards that take Markdown read,
    # and a reader without tables still shows it as legible rows of text.
    def table(self, el) -> str:
        rows: list[tuple[object, bool]] = []
        for part in el:
            if not isinstance(part.tag, str):
                continue
            if part.tag in ("thead", "tbody", "tfoot"):
                rows += [(r, part.tag == "thead") for r in part if isinstance(r.tag, str)]
            elif part.tag == "tr":
                rows.append((part, False))
            else:
                raise self.fail(part, "cannot sit directly in <table>")
        if not rows:
            return ""
        head, *body = rows
        if not head[1] and not all(c.tag == "th" for c in head[0] if isinstance(c.tag, str)):
            raise self.fail(el, "needs a heading row (<thead>), which a Markdown table must have")
        if any(is_head for _, is_head in body):
            raise self.fail(el, "has more than one heading row, which a Markdown table cannot hold")
        cells = [self.row(tr) for tr, _ in rows]
        width = len(cells[0])
        for (tr, _), row in zip(rows, cells):
            if len(row) != width:
                raise self.fail(tr, "has a different number of cells from the heading row")
        lines = [cells[0], ["---"] * width] + cells[1:]
        return "\n".join("| " + " | ".join(row) + " |" for row in lines)

    def row(self, tr) -> list[str]:
        out = []
        for cell in tr:
            if not isinstance(cell.tag, str):
                continue
            if cell.tag not in ("th", "td"):
                raise self.fail(cell, "cannot sit directly in <tr>")
            if int(cell.get("colspan", 1)) != 1 or int(cell.get("rowspan", 1)) != 1:
                raise self.fail(cell, "spans cells, which a Markdown table cannot")
            text = self.inline(cell)
            if BREAK in text:
                raise self.fail(cell, "has a line break, which a Markdown table cell cannot hold")
            out.append(text)
        return out

    # Inline -------------------------------------------------------------------------------

    def inline(self, el, *, stop_at: frozenset[str] = frozenset()) -> str:
        """The element's content as inline Markdown, with BREAK for each <br>, edges trimmed.

        Entities and emoji codes are escaped on the whole text, as they may span two elements."""
        text = self._inline(el, bold=False, italic=False, stop_at=stop_at).strip(" ")
        return EMOJI.sub(r"\\:", ENTITY.sub(r"\\&", text))

    def _inline(self, el, *, bold: bool, italic: bool, stop_at: frozenset[str]) -> str:
        out = [_text(el.text)]
        ends_with = ""  # the mark that closes the text so far, when a child's emphasis ends it
        for child in el:
            piece, mark = self._child(child, bold=bold, italic=italic, stop_at=stop_at)
            if mark and mark == ends_with and piece.startswith(mark):
                # `**a****b**` is no emphasis: two runs that touch become one, `**ab**`
                out[-1], piece = out[-1][:-len(mark)], piece[len(mark):]
            out.append(piece)
            ends_with = mark if mark and piece.endswith(mark) else ""
            if tail := _text(child.tail):
                out.append(tail)
                ends_with = ""
        return _join_spaces("".join(out))

    def _child(self, child, *, bold: bool, italic: bool, stop_at: frozenset[str]) -> tuple[str, str]:
        """One inline element as Markdown, and the emphasis mark it is wrapped in (if any)."""
        if not isinstance(child.tag, str) or child.tag in stop_at:
            return "", ""
        if child.tag in BOLD:
            inner = self._inline(child, bold=True, italic=italic, stop_at=stop_at)
            return (inner, "") if bold else (_wrap(inner, "**"), "**")
        if child.tag in ITALIC:
            inner = self._inline(child, bold=bold, italic=True, stop_at=stop_at)
            return (inner, "") if italic else (_wrap(inner, "*"), "*")
        if child.tag == "a":
            inner = self._inline(child, bold=bold, italic=italic, stop_at=stop_at)
            href = child.get("href", "").strip()
            return (_link(inner, href) if SAFE_LINK.match(href) else inner), ""
        if child.tag == "br":
            return BREAK, ""
        if child.tag in TRANSPARENT and "checkbox" not in (child.get("class") or "").split():
            return self._inline(child, bold=bold, italic=italic, stop_at=stop_at), ""
        raise self.fail(child, "is not supported inline by the Markdown writer")


def _text(text: str | None) -> str:
    return ANYWHERE.sub(r"\\\1", HTML_SPACE_RUN.sub(" ", text or ""))


def _link(inner: str, href: str) -> str:
    before, core, after = _edges(inner)
    return f"{before}[{core or _text(href)}]({_link_destination(href)}){after}"


def _join_spaces(text: str) -> str:
    """One space where HTML shows one: where pieces meet, and beside a break."""
    text = re.sub(" {2,}", " ", text)
    return re.sub(f" ?{BREAK} ?", BREAK, text)
