"""Break opportunities inside very long words, for the PDF's line breaking only.

WeasyPrint looks for a place to break an unbreakable word by laying out ever longer pieces of it,
so its time grows with the square of the word's length: 10,000 characters took 5 s, 20,000 took
20 s and 100,000 did not finish. A zero-width space every `EVERY` characters of a run longer than
`LONGER_THAN` gives it places to break, which makes the cost linear. The space is not drawn, takes
no width and is not in the PDF's text layer (pdftotext reads the word whole), and such a run is
broken mid-word anyway (`overflow-wrap: anywhere`), so the page looks as it did.

The HTML other formats are made from is left as it is: this runs on the PDF's copy alone.
"""

from __future__ import annotations

import re

LONGER_THAN = 100
"""Longer runs than any real word or address in a posting (the longest English words are ~45 letters)."""
EVERY = 50
ZERO_WIDTH_SPACE = "\u200b"

_NO_BREAK = r"[^<\s\u200b/.?&=-]"
"""A character after which the PDF may not break a line: not a space, nor the separators a long URL
is broken after (the layouts let it break after `/ . ? & = -`, never inside a word of the address)."""
_TAG_OR_LONG_RUN = re.compile(r"<(style|script)\b.*?</\1\s*>|<[^>]*>|%s{%d,}" % (_NO_BREAK, LONGER_THAN + 1),
                              re.DOTALL | re.IGNORECASE)
_UNIT = re.compile(r"&#?\w+;|.", re.DOTALL)
"""One character of text as the HTML spells it: an entity (never split) or a single character."""


def with_break_opportunities(html: str) -> str:
    """`html` with a zero-width space every EVERY characters of text runs longer than LONGER_THAN
    that hold no place to break (a long address broken after its separators is left as it is).

    Tags, and what `<style>` and `<script>` hold, are left whole (Jinja escapes `<` and `>` inside
    attribute values, so a tag ends at its first `>`), and an entity such as `&amp;` counts as one
    character, so none is cut in two.
    """
    if not re.search(r"%s{%d,}" % (_NO_BREAK, LONGER_THAN + 1), html):
        return html
    return _TAG_OR_LONG_RUN.sub(_broken, html)


def _broken(found: re.Match[str]) -> str:
    run = found.group()
    if run.startswith("<"):
        return run
    units = _UNIT.findall(run)
    return ZERO_WIDTH_SPACE.join("".join(units[i:i + EVERY]) for i in range(0, len(units), EVERY))
