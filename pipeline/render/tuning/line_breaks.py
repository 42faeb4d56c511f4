"""Each line of a document is broken once, however many times WeasyPrint lays it out.

WeasyPrint lays some text out twice at the same width. A grid sizes its rows by laying out every
item, then lays each item out again in its row: the job description's two-column lists are laid
out twice over. A block kept whole (`break-inside: avoid`) that does not fit at the foot of a page
is laid out there, then again on the next. Breaking a line is where layout spends its time, since
Pango shapes the text each time; while one document is laid out, WeasyPrint's answer for a text,
a style and a width is kept and given again (about 10 ms of a 205 ms job description).

The second width is rarely equal to the last bit: WeasyPrint widens every line by a relative 1e-9
against rounding errors, so the same column gets ~1e-7 px more on the right of the page than on the
left. An answer is given for another width only when the line breaker cannot tell the two apart.
Every decision it takes compares the width with a length Pango measured, a whole number of 1/1024 px
plus the style's letter spacing (and its hyphenation zone); it hands Pango the width in those
units; and it picks how much text to shape first from the width over the font size. Two widths
with none of those boundaries between them break the same line, to the byte.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import weasyprint.layout.inline as weasyprint_inline

from pipeline.render.tuning import LINE_BREAKS, taken
from pipeline.render.tuning.thread_scoped import ThreadScoped, function_dispatcher

PANGO_UNITS_PER_PX = 1024
"""Pango's unit (PANGO_SCALE): WeasyPrint converts widths to and from it for every line."""

SHORT_TEXT_RATIO = 4
"""WeasyPrint shapes at most width / font size × 4 characters before it shapes the whole text."""

PANGO_MAX_WIDTH = 2 ** 21
"""From this width on, WeasyPrint gives Pango no width at all."""

_Answer = tuple[Any, ...]
"""split_first_line's (layout, length, resume index, width, height, baseline)."""


def _boundaries(style: Any) -> tuple[float, ...] | None:
    """The offsets from a whole number of Pango units at which a line's breaking can change with
    its width; None when one of them depends on the width itself (a percentage hyphenation zone)."""
    spacing = style["letter_spacing"]
    spacing = 0.0 if spacing == "normal" else float(spacing)
    zone = style["hyphenate_limit_zone"]
    if getattr(zone, "unit", None) != "px":
        return None
    return (0.0, spacing, spacing + float(zone.value))


def same_breaks(first: float | None, second: float | None, style: Any) -> bool:
    """Whether WeasyPrint breaks a text in `style` the same way at both widths."""
    if first == second:
        return True
    if first is None or second is None or not (0 < first < PANGO_MAX_WIDTH and 0 < second < PANGO_MAX_WIDTH):
        return False
    offsets = _boundaries(style)
    if offsets is None:
        return False
    for offset in offsets:
        low, high = (first - offset) * PANGO_UNITS_PER_PX, (second - offset) * PANGO_UNITS_PER_PX
        if math.floor(low) != math.floor(high) or math.ceil(low) != math.ceil(high):
            return False
    size = style["font_size"]
    if size:
        if (size * SHORT_TEXT_RATIO > first) != (size * SHORT_TEXT_RATIO > second):
            return False
        if int(first / size * SHORT_TEXT_RATIO) != int(second / size * SHORT_TEXT_RATIO):
            return False
    return True


def _step(width: float | None) -> int | float | None:
    """The Pango unit a width falls in: widths that break alike share it, bar the rare pair astride."""
    if width is None or not math.isfinite(width):
        return width
    return math.floor(width * PANGO_UNITS_PER_PX)


def _broken_once(split_first_line: Callable[..., _Answer], kept: dict) -> Callable[..., _Answer]:
    def split(text: str, style: Any, context: Any, max_width: float | None, justification_spacing: float,
              is_line_start: bool = True, minimum: bool = False) -> _Answer:
        key = (text, id(style), id(context), _step(max_width), justification_spacing, is_line_start, minimum)
        found = kept.get(key)
        if found is not None:
            kept_style, kept_width, (layout, *measures) = found
            if kept_style is style and same_breaks(kept_width, max_width, style):
                # A layout of its own for each text box, since drawing may change one (nothing
                # changes them during layout, while answers are kept).
                return (copy.copy(layout), *measures)
        answer = split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        # The style is kept with the answer so that its id is not reused for another.
        kept[key] = (style, max_width, answer)
        return answer

    return split


SPLIT_FIRST_LINE = ThreadScoped(weasyprint_inline, "split_first_line", function_dispatcher)
"""WeasyPrint's line breaker, as its inline layout calls it."""


def lines_broken_once() -> AbstractContextManager[None]:
    """Within the block (one document's layout, in this thread), WeasyPrint's line breaker keeps
    its answers."""
    return taken(LINE_BREAKS, SPLIT_FIRST_LINE, _broken_once(SPLIT_FIRST_LINE.library(), {}))
