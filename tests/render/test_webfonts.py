"""A web font is compressed once per machine: the WOFF2 subset of a face is kept under the digest
of its bytes and of the recipe, and given again to any build, brand or process that asks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import REPO
from pipeline.render import font_cut
from pipeline.render.posting import webfonts

FACE = REPO / "layouts" / "fonts" / "NotoSans" / "NotoSansHebrew-Regular.ttf"
"""A small face: the tests are about keeping, not about compressing."""


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory of the test's own, so the kept fonts start empty."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    return tmp_path


def test_a_face_is_subset_once_and_the_second_ask_gets_the_same_bytes(private_tmp: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first = webfonts.woff2(FACE)
    assert first[:4] == b"wOF2"
    monkeypatch.setattr(webfonts, "_subset", lambda font: pytest.fail("the face was compressed again"))
    copy = private_tmp / "elsewhere" / "Same.ttf"
    copy.parent.mkdir()
    shutil.copy(FACE, copy)
    assert webfonts.woff2(FACE) == first
    assert webfonts.woff2(copy) == first  # keyed by the bytes, not the path


def test_other_bytes_or_another_recipe_are_compressed_afresh(private_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    webfonts.woff2(FACE)
    calls: list[int] = []
    subset = webfonts._subset
    monkeypatch.setattr(webfonts, "_subset", lambda font: calls.append(1) or subset(font))
    monkeypatch.setattr(webfonts, "RECIPE", webfonts.RECIPE + " (changed)")
    webfonts.woff2(FACE)
    assert calls == [1]


def test_the_kept_subset_covers_the_ranges_and_nothing_else(private_tmp: Path) -> None:
    webfonts.woff2(FACE)
    kept = webfonts.woff2(FACE)
    (private_tmp / "face.woff2").write_bytes(kept)
    covered = set(TTFont(str(private_tmp / "face.woff2")).getBestCmap())
    source = set(TTFont(str(FACE)).getBestCmap())
    in_ranges = {code for code in source if any(low <= code <= high for low, high in webfonts.RANGES)}
    assert covered == in_ranges and in_ranges
    assert any(0x0590 <= code <= 0x05FF for code in source)  # the Hebrew it had is cut


def test_a_temporary_folder_that_cannot_be_written_costs_the_reuse_not_the_font(private_tmp: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(font_cut, "write_atomically", refuse)
    assert webfonts.woff2(FACE)[:4] == b"wOF2"
