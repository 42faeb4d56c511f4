"""Hardening, round two (issue 25), class 5 (first part): a logo is checked for what it would cost
and fetch before any renderer sees it: an SVG's <use> fan-out and processing instructions, a PNG's
pixel count."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from pipeline.check.brands import MAX_SVG_ELEMENTS, logo_problem

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>'


def fan_out(levels: int, width: int = 10) -> str:
    """Each level a group of `width` uses of the level below: width ** levels circles drawn."""
    parts = ['<defs><circle id="l0" r="1"/>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(width))
        parts.append(f'<g id="l{level}">{uses}</g>')
    return "".join(parts) + f'</defs><use xlink:href="#l{levels}"/>'


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


@pytest.mark.parametrize(("name", "data", "why"), [
    ("fan-out.svg", SVG.format(fan_out(9)).encode(), "elements once its <use> references are followed (at most 20,000)"),
    ("loop.svg", SVG.format('<g id="a"><use xlink:href="#a"/></g>').encode(), "refers to itself through <use>"),
    ("stylesheet.svg", b'<?xml-stylesheet href="http://127.0.0.1:9/x.css"?>' + SVG.format("").encode(),
     "holds a processing instruction (<?xml-stylesheet"),
    ("inside.svg", SVG.format('<?fetch http://127.0.0.1:9/?>').encode(), "holds a processing instruction (<?fetch"),
    ("huge.png", png(30_000, 30_000), "is 30,000 × 30,000 pixels, more than the 16,777,216 a logo may have"),
    ("headless.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is not a PNG image"),
], ids=lambda v: v if isinstance(v, str) and v.endswith(("svg", "png")) else "")
def test_a_logo_that_would_cost_or_fetch_is_refused(tmp_path: Path, name: str, data: bytes, why: str) -> None:
    logo = tmp_path / name
    logo.write_bytes(data)
    problem = logo_problem(logo)
    assert problem is not None and why in problem, problem


@pytest.mark.parametrize("data", [SVG.format(fan_out(3)).encode(), png(600, 600)], ids=["small-fan-out", "png"])
def test_a_logo_within_the_bounds_passes(tmp_path: Path, data: bytes) -> None:
    logo = tmp_path / ("logo.svg" if data.startswith(b"<svg") else "logo.png")
    logo.write_bytes(data)
    assert logo_problem(logo) is None
    assert MAX_SVG_ELEMENTS > 10 ** 3


@pytest.mark.parametrize("character", ["\u202e", "\u202d", "\u2067"])
def test_a_character_that_reorders_text_is_an_error_where_it_is_written(workdir: Path, character: str) -> None:
    from conftest import rolepack

    role = workdir / "content" / "roles" / "support-engineer.yaml"
    shown = character.encode("unicode_escape").decode()
    role.write_text(role.read_text().replace("title: Support Engineer", f'title: "Support {shown}Engineer"'))
    run = rolepack("validate")
    assert run.exit_code == 2
    assert any(line.startswith("content/roles/support-engineer.yaml:4:8: title:") and "Trojan Source" in line
               for line in run.problems), run.stderr


def test_an_html_posting_nested_past_the_parsers_limit_is_refused_not_cut_short(workdir: Path) -> None:
    from conftest import rolepack

    page = workdir / "deep.html"
    page.write_text("<html><body><h1>Deep role</h1>" + "<div>" * 300 + "<p>What you will do</p>" + "</div>" * 300
                    + "<p>More text after the nesting.</p></body></html>")
    before = sorted(p.name for p in (workdir / "content" / "roles").iterdir())
    run = rolepack("import", str(page))
    assert run.exit_code == 2
    assert "nested more than 255 levels deep" in run.stderr and "deep.html" in run.stderr
    assert sorted(p.name for p in (workdir / "content" / "roles").iterdir()) == before
