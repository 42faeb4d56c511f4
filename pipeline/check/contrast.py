"""Whether a brand's colours can be read where the layouts print them, by WCAG 2.2 level AA.

The formulas are the W3C's, from Web Content Accessibility Guidelines (WCAG) 2.2, W3C
Recommendation of 5 October 2023 (https://www.w3.org/TR/2023/REC-WCAG22-20231005/):
relative luminance (#dfn-relative-luminance; its threshold 0.04045 was 0.03928 before May 2021,
which the W3C notes makes no practical difference) and contrast ratio (#dfn-contrast-ratio).
Success criterion 1.4.3 Contrast (Minimum) asks 4.5:1 for text and 3:1 for large-scale text (at
least 18 pt, or 14 pt bold: 24 px, or 18.66 px bold).

PAIRS lists what layouts/css/document.css prints: each foreground colour on each background it is
set on. Every pair is text at body size somewhere, so every pair needs 4.5:1. None earns the
large-text 3:1: `primary` also prints the company name, question text and table row headings at
about 10 pt, and even an h2 in the job description (1.45em × 0.9em of a 9.5 pt base) is under 14 pt.
Borders, rules and list bullets are not text, so they are not checked here.
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WHITE = "#ffffff"
TEXT = 4.5
"""SC 1.4.3's minimum for text below large scale."""


@dataclass(frozen=True)
class Pair:
    """A foreground printed on a background: brand colour names, or "white"."""

    foreground: str
    background: str
    needs: float

    @property
    def adjusted(self) -> str:
        """The brand colour to change when the pair fails: the one that is not white, else the text."""
        return self.background if self.foreground == "white" else self.foreground

    @property
    def kept(self) -> str:
        """The other colour of the pair, which a suggestion for `adjusted` is measured against."""
        return self.foreground if self.adjusted == self.background else self.background


PAIRS: tuple[Pair, ...] = (
    Pair("text", "white", TEXT),  # body text
    Pair("text", "surface", TEXT),  # the facts box, question boxes, zebra table rows
    Pair("muted", "white", TEXT),  # page headers and footers, summary, notes, sources
    Pair("muted", "surface", TEXT),  # the labels in the facts box
    Pair("primary", "white", TEXT),  # headings, the company name, table row headings
    Pair("primary", "surface", TEXT),  # question text in question boxes, tool categories in zebra rows
    Pair("accent", "white", TEXT),  # links, chapter numbers in the contents
    Pair("accent", "surface", TEXT),  # links in question boxes and in the interview plan's zebra rows
    Pair("white", "primary", TEXT),  # table header rows, the cover band's kicker
    Pair("white", "accent", TEXT),  # question-kind badges
)


@dataclass(frozen=True)
class Failure:
    pair: Pair
    ratio: float
    suggestion: str | None
    """The nearest shade of the adjusted colour that passes, or None when no shade of its hue does."""


def _channels(colour: str) -> tuple[float, float, float]:
    """`#rrggbb` as three sRGB values from 0 to 1."""
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return red, green, blue


def _hex(channels: Sequence[float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in channels)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """0 for black to 1 for white, as WCAG 2.2 defines it for sRGB."""
    r, g, b = (_linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same luminance) to 21 (black and white); the order of the colours does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def nearest_passing(colour: str, others: Sequence[tuple[str, float]]) -> str | None:
    """The shade of `colour` closest in lightness (same hue and saturation, lightness moved in steps
    of 0.1%) that has at least the needed ratio with every (other colour, needed ratio); None when
    no shade has, as when one neighbour asks for a darker colour and another for a lighter one."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*_channels(colour))
    for step in range(1, 1001):
        for moved in (lightness - step / 1000, lightness + step / 1000):
            candidate = _hex(colorsys.hls_to_rgb(hue, min(max(moved, 0.0), 1.0), saturation))
            if all(contrast_ratio(candidate, other) >= needs for other, needs in others):
                return candidate
    return None


def failures(colours: Mapping[str, str]) -> list[Failure]:
    """Each pair in PAIRS that `colours` (name → `#rrggbb`) prints below its needed ratio.

    The suggestion for a colour keeps every pair it is adjusted in passing, so the two warnings of
    one colour (on white and on surface) name the same shade; when no shade satisfies all of them,
    it is the nearest that satisfies the failing pair.
    """
    value = {**colours, "white": WHITE}
    found = []
    for pair in PAIRS:
        ratio = contrast_ratio(value[pair.foreground], value[pair.background])
        if ratio >= pair.needs:
            continue
        colour = value[pair.adjusted]
        every = [(value[p.kept], p.needs) for p in PAIRS if p.adjusted == pair.adjusted]
        suggestion = nearest_passing(colour, every) or nearest_passing(colour, [(value[pair.kept], pair.needs)])
        found.append(Failure(pair, ratio, suggestion))
    return found
