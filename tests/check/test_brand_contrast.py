"""Brand colours are checked for WCAG 2.2 AA contrast where the layouts print them together.

A pair below 4.5:1 is a warning (rule `contrast`) from validate and build, at the colour to change
in brand.yaml, with the nearest shade of the same hue that passes; --strict fails on it unless
`--allow contrast` accepts it.
"""

from __future__ import annotations

import colorsys
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, rolepack, with_demo_brands
from pipeline.check.brands import contrast_warnings
from pipeline.check.contrast import WHITE, contrast_ratio, failures, nearest_passing, relative_luminance

INVALID = 2
DEFAULT = "layouts/brands/default/brand.yaml"
SHIPPED_DEFAULT = {"primary": "#16324f", "accent": "#0f7a8a", "text": "#1d2733", "muted": "#5b6878",
                   "surface": "#eef3f6"}


@pytest.fixture
def layouts(workdir: Path) -> Path:
    """A copy of the shipped layouts at ./layouts, beside the fixture content."""
    shutil.copytree(REPO / "layouts", workdir / "layouts")
    return with_demo_brands(workdir / "layouts")


def set_colour(layouts: Path, brand: str, name: str, value: str) -> None:
    file = layouts / "brands" / brand / "brand.yaml"
    line = rf'(?m)^  {name}: "#[0-9a-f]{{6}}"$'
    text, count = re.subn(line, f'  {name}: "{value}"', file.read_text(encoding="utf-8"))
    assert count == 1, f"no colours.{name} line in {file}"
    file.write_text(text, encoding="utf-8")


def validate(*extra: str):
    return rolepack("validate", "--content", "content", "--layouts", "layouts", *extra)


def contrast_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "WCAG" in line]


def _hue(colour: str) -> float:
    return colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]


class TestFormula:
    def test_black_on_white_is_21_to_1_in_either_order(self) -> None:
        assert contrast_ratio("#000000", WHITE) == pytest.approx(21.0)
        assert contrast_ratio(WHITE, "#000000") == pytest.approx(21.0)

    def test_777777_on_white_is_just_under_the_4_5_that_text_needs(self) -> None:
        assert contrast_ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.005)
        assert contrast_ratio("#777777", WHITE) < 4.5

    def test_a_colour_on_itself_is_1_to_1(self) -> None:
        assert contrast_ratio("#0f7a8a", "#0f7a8a") == pytest.approx(1.0)

    def test_relative_luminance_runs_from_0_for_black_to_1_for_white(self) -> None:
        assert (relative_luminance("#000000"), relative_luminance(WHITE)) == (0.0, pytest.approx(1.0))

    def test_the_suggested_shade_keeps_the_hue_and_only_just_passes(self) -> None:
        shade = nearest_passing("#9aa5b1", [(WHITE, 4.5)])
        assert shade is not None
        assert 4.5 <= contrast_ratio(shade, WHITE) < 4.6
        assert _hue(shade) == pytest.approx(_hue("#9aa5b1"), abs=0.01)

    def test_no_shade_is_suggested_when_the_neighbours_ask_for_opposite_ones(self) -> None:
        assert nearest_passing("#808080", [(WHITE, 5.0), ("#000000", 5.0)]) is None


class TestPairs:
    def test_colours_never_printed_together_need_no_contrast(self) -> None:
        # primary and accent are never text and background of each other
        assert failures({**SHIPPED_DEFAULT, "accent": SHIPPED_DEFAULT["primary"]}) == []

    def test_on_a_dark_surface_the_text_is_told_to_lighten(self) -> None:
        found = failures({**SHIPPED_DEFAULT, "surface": "#2b3440"})
        text_on_surface = next(f for f in found if (f.pair.foreground, f.pair.background) == ("text", "surface"))
        assert text_on_surface.suggestion is not None
        assert relative_luminance(text_on_surface.suggestion) > relative_luminance("#1d2733")
        assert contrast_ratio(text_on_surface.suggestion, "#2b3440") >= 4.5


def test_the_shipped_brands_pass() -> None:
    assert contrast_warnings(REPO / "layouts") == []


class TestValidate:
    def test_a_faint_colour_is_warned_of_at_its_line_with_the_ratio_and_a_shade_that_passes(self, layouts) -> None:
        set_colour(layouts, "default", "muted", "#9aa5b1")
        run = validate()
        assert run.exit_code == 0
        assert contrast_lines(run.stderr) == [
            f"{DEFAULT}:8:10: warning: muted #9aa5b1 on surface #eef3f6 has contrast 2.2:1; "
            "WCAG 2.2 AA needs 4.5:1 for text: darken it to about #62707f",
            f"{DEFAULT}:8:10: warning: muted #9aa5b1 on white has contrast 2.5:1; "
            "WCAG 2.2 AA needs 4.5:1 for text: darken it to about #62707f",
        ]
        assert contrast_ratio("#62707f", WHITE) >= 4.5 and contrast_ratio("#62707f", "#eef3f6") >= 4.5

    def test_white_text_on_a_light_primary_names_the_primary_to_darken(self, layouts: Path) -> None:
        set_colour(layouts, "harbor", "primary", "#4a90d9")
        lines = contrast_lines(validate().stderr)
        assert "layouts/brands/harbor/brand.yaml:5:12: warning: white on primary #4a90d9 has contrast 3.3:1; " \
               "WCAG 2.2 AA needs 4.5:1 for text: darken it to about #" in "\n".join(lines)

    def test_a_ratio_that_would_round_up_to_the_minimum_is_shown_to_two_places(self, layouts: Path) -> None:
        set_colour(layouts, "default", "muted", "#777777")
        assert any("muted #777777 on white has contrast 4.47:1;" in line for line in contrast_lines(validate().stderr))

    def test_strict_fails_on_a_faint_colour(self, layouts: Path) -> None:
        set_colour(layouts, "default", "muted", "#9aa5b1")
        run = validate("--strict")
        assert run.exit_code == INVALID
        assert "--strict: 2 warning(s) count as failures (accept a rule with --allow: contrast)" in run.stderr

    def test_strict_passes_when_contrast_is_allowed(self, layouts: Path) -> None:
        set_colour(layouts, "default", "muted", "#9aa5b1")
        run = validate("--strict", "--allow", "contrast")
        assert run.exit_code == 0
        assert len(contrast_lines(run.stderr)) == 2


def test_a_strict_build_stops_on_a_faint_colour_before_writing_anything(layouts: Path, workdir: Path) -> None:
    set_colour(layouts, "default", "accent", "#5fc3d1")
    run = rolepack("build", "--content", "content", "--layouts", "layouts", "--out", "out", "--strict")
    assert run.exit_code == INVALID
    assert f"{DEFAULT}:6:11: warning: accent #5fc3d1 on white has contrast" in run.stderr
    assert not list((workdir / "out").rglob("*.pdf"))
