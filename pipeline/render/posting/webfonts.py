"""The brand's fonts for the careers site: WOFF2 subsets of the bundled files.

A job page should look like the brand without making a visitor download a print font's every
glyph: each face is cut to `font_cut.RANGES` and compressed as WOFF2. The cut is the same for every
catalogue, so the files change only when the bundled fonts do. Brotli at WOFF2's quality takes 1–16 s
of CPU per face, so each result is kept once per machine (`font_cut.kept`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.brands import LoadedBrand
from pipeline.render.font_cut import RANGES, cut, in_ranges, kept
from pipeline.source.digests import library_version


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
    return [WebFace(f.family, f.file, f.weight, f.style) for f in brand.text_faces]


RECIPE = "subset-v1: layout_features=*, name_IDs=*, notdef_outline, flavor=woff2, no reordering"
"""Changed with `_subset`'s options, so a kept result is never one of another recipe."""


def woff2(source: Path) -> bytes:
    """The subset of `source` as WOFF2; reproducible, and made once per machine for the same font bytes."""
    return kept(source, "woff2", f"{RECIPE} {RANGES} brotli={library_version('brotli')}", lambda font: _subset(font))


def _subset(font_bytes: bytes) -> bytes:
    font = cut(font_bytes, in_ranges(), all_features=True)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()
