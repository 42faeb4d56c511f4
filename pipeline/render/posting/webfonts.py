"""The brand's fonts for the careers site: WOFF2 subsets of the bundled files.

A job page should look like the brand without making a visitor download a print font's every
glyph: each face is cut to the Latin, Greek and Cyrillic blocks, punctuation and currency signs
(any other character falls back to the reader's own fonts), and compressed as WOFF2. The cut is
the same for every catalogue, so the files change only when the bundled fonts do.

Brotli at WOFF2's quality takes 1–16 s of CPU per face, so each result is kept in this user's
temporary folder under the digest of the font's bytes and of the recipe (the ranges, the subsetter's
options, the fontTools and Brotli releases): a face is compressed once per machine, whichever
brand, build, preview or worker asks for it first.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from pipeline.check.brands import LoadedBrand
from pipeline.render.errors import RenderError
from pipeline.render.private_folder import own_folder, write_atomically

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


RECIPE = "subset-v1: layout_features=*, name_IDs=*, notdef_outline, flavor=woff2, no reordering"
"""Changed with `_subset`'s options, so a kept result is never one of another recipe."""


def _key(font: bytes) -> str:
    recipe = f"{RECIPE} {RANGES} fonttools={version('fonttools')} brotli={version('brotli')}"
    return hashlib.sha256(recipe.encode("utf-8") + b"\0" + font).hexdigest()


def woff2(source: Path) -> bytes:
    """The subset of `source` as WOFF2; reproducible (no timestamp is rewritten), and made once per
    machine for the same font bytes."""
    font = source.read_bytes()
    kept = own_folder("webfonts", "woff2") / f"{_key(font)}.woff2"
    try:
        return kept.read_bytes()
    except OSError:
        pass
    try:
        data = _subset(font)
    except Exception as err:  # fontTools says a damaged file in many ways (TTLibError, struct, KeyError …)
        raise RenderError(f"{source} is not a font fontTools can read ({type(err).__name__}: {err}); "
                          "restore the file from the layouts' release") from None
    try:
        write_atomically(kept, data)
    except OSError:  # a full or read-only temporary folder costs the reuse, not the build
        pass
    return data


def _subset(font_bytes: bytes) -> bytes:
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
    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()
