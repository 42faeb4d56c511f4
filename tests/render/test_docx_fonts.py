"""The fonts a Word draft carries: obfuscated as ECMA-376 says, TrueType outlines with the metrics
of the face they come from, and never a face whose licence bits forbid embedding."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import RecordingPen
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont

from conftest import REPO
from pipeline.check.brands import load_brand
from pipeline.render.docx import fonts
from pipeline.render.docx.styles import styled_document
from pipeline.render.font_cut import in_ranges

INTER = REPO / "layouts" / "fonts" / "Inter" / "Inter-Regular.otf"


def test_obfuscation_follows_the_standards_example() -> None:
    """ECMA-376 Part 1, §17.8.1: the key 001B70DC-AA60-4AD5-90EC-18A0948E1EAE is used last byte first,
    over bytes 0–15 and again over 16–31; nothing after byte 31 changes."""
    key = "{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}"
    reversed_key = bytes.fromhex("AE1E8E94A018EC90D54A60AADC701B00")
    data = bytes(32) + b"rest of the font"
    assert fonts.obfuscate(data, key) == reversed_key * 2 + b"rest of the font"
    assert fonts.obfuscate(fonts.obfuscate(data, key), key) == data


def test_the_key_is_a_guid_made_from_the_face_so_the_same_face_gives_the_same_bytes() -> None:
    key = fonts.font_key(b"one face")
    assert key == fonts.font_key(b"one face") != fonts.font_key(b"another face")
    assert [len(group) for group in key.strip("{}").split("-")] == [8, 4, 4, 4, 12]


def test_a_postscript_face_becomes_truetype_with_the_same_advances() -> None:
    """Word embeds TrueType outlines only; converting must not move a single line break. (The cut is
    the one kept on this machine, made by this recipe: the same bytes a draft embeds.)"""
    converted = TTFont(io.BytesIO(fonts.truetype(INTER, in_ranges())))
    source = TTFont(str(INTER))
    assert "glyf" in converted and "CFF " not in converted and "CFF " in source
    cmap, source_cmap = converted.getBestCmap(), source.getBestCmap()
    assert set(cmap) == {c for c in source_cmap if c in set(in_ranges())}
    for code in map(ord, "Backend Engineer — Zürich, Ωμέγα, Ярослав 1 234,50 €"):
        assert converted["hmtx"][cmap[code]][0] == source["hmtx"][source_cmap[code]][0], chr(code)
    for letter in "BeÅ&":
        pen = RecordingPen()
        source.getGlyphSet()[source_cmap[ord(letter)]].draw(pen)
        contours = sum(1 for operator, _ in pen.value if operator == "closePath")
        assert converted["glyf"][cmap[ord(letter)]].numberOfContours == contours, letter


def _embedded(brand) -> list[str]:
    """The families `fonts.embed` puts into a draft whose one paragraph is set in the body font."""
    doc = styled_document(brand, "en")
    doc.add_paragraph("Backend Engineer")
    fonts.embed(doc, brand)
    table = doc.part.part_related_by(RT.FONT_TABLE).element
    return [entry.get(qn("w:name")) for entry in table.findall(qn("w:font")) if entry.find(qn("w:embedRegular")) is not None]


def test_a_face_whose_licence_forbids_embedding_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    brand = load_brand(REPO / "layouts", "default")
    assert _embedded(brand) == ["Inter"]
    real = fonts.truetype

    def restricted(source: Path, unicodes) -> bytes:
        font = TTFont(io.BytesIO(real(source, unicodes)))
        font["OS/2"].fsType = 0x0002  # "Restricted License embedding"
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()

    monkeypatch.setattr(fonts, "truetype", restricted)
    monkeypatch.setattr(fonts, "_prepared", {})  # faces this process prepared before
    assert _embedded(brand) == []
