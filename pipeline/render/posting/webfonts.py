"""The brand's fonts for the careers site: WOFF2 subsets of the bundled files.

A job page should look like the brand without making a visitor download a print font's every
glyph: each face is cut to the Latin, Greek and Cyrillic blocks, punctuation and currency signs
(any other character falls back to the reader's own fonts), and compressed as WOFF2. The cut is
the same for every catalogue, so the files change only when the bundled fonts do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.brands import LoadedBrand

RANGES = ((0x0020, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1EFF), (0x2000, 0x206F),
          (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2212, 0x2212), (0xFB00, 0xFB06))
"""Basic Latin to Latin Extended-B, Greek, Cyrillic, Latin Extended Additional, punctuation,
currency, letterlike symbols, arrows, the minus sign and the Latin ligatures."""


@dataclass(frozen=True)
class WebFace:
    family: str
    source: Path
    weight: int
    style: str

    @property
    def file(self) -> str:
        return f"{self.source.stem}.woff2"


def web_faces(brand: LoadedBrand) -> list[WebFace]:
    """The faces of the brand's body and heading families: the fallbacks, there for scripts and
    emoji in print, are left to the reader's system on screen."""
    families = {brand.brand.fonts.body, brand.brand.fonts.heading}
    return [WebFace(f.family, f.file, f.weight, f.style) for f in brand.faces if f.family in families]


def woff2(source: Path) -> bytes:
    """The subset of `source` as WOFF2; reproducible (no timestamp is rewritten)."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    # fontTools warns that some bundled fonts carry a creation date near 1904; the date is kept as it
    # is (the bytes stay reproducible), so the warning says nothing a build's reader can act on.
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(source), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()
