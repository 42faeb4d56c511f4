"""`validate` checks everything `build` checks, brands included, and gives the same answer under
--strict: a folder that validates builds, and one that does not build does not validate.

Each case breaks one thing in a copy of the fixture content and the shipped layouts, then asks
both commands (build as DOCX, the quickest format, into a folder that must stay empty).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, rolepack, with_demo_brands

ROLE = "support-engineer"


def brand_colour(value: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        brand = folder / "layouts" / "brands" / "default" / "brand.yaml"
        text, count = re.subn(r'(?m)^  accent: "#[0-9a-f]{6}"$', f'  accent: "{value}"', brand.read_text())
        assert count == 1
        brand.write_text(text)
    return change


def brand_font(folder: Path) -> None:
    brand = folder / "layouts" / "brands" / "harbor" / "brand.yaml"
    text, count = re.subn(r"(?m)^  body: .*$", "  body: Comic Sans Unbundled", brand.read_text())
    assert count == 1
    brand.write_text(text)


def undated(folder: Path) -> None:
    role = folder / "content" / "roles" / f"{ROLE}.yaml"
    text, count = re.subn(r"(?m)^reviewed: .*\n", "", role.read_text())
    assert count == 1
    role.write_text(text)


def unchanged(folder: Path) -> None:
    pass


@pytest.fixture
def folder(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with_demo_brands(shutil.copytree(REPO / "layouts", workdir / "layouts"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return workdir


def both(folder: Path, *strict: str) -> tuple[object, object]:
    validate = rolepack("validate", "--content", "content", "--layouts", "layouts", *strict)
    # The job description's DOCX stands for a build: made in milliseconds from the same checks.
    build = rolepack("build", "-f", "docx", "--kind", "job-description", "--content", "content", "--layouts", "layouts",
                     "--out", str(folder / "out"), *strict)
    return validate, build


@pytest.mark.parametrize("change, strict, code, says", [
    (unchanged, "", 0, ""),
    (brand_colour("dark green"), "", 2, "layouts/brands/default/brand.yaml:"),
    (brand_font, "", 2, "layouts/brands/harbor/brand.yaml:"),
    (undated, "", 0, "no `reviewed:` date"),
    (undated, "--strict", 2, "no `reviewed:` date"),
    (brand_colour("#e0f0f0"), "--strict", 2, "contrast"),
], ids=["valid", "a colour that is not one", "a font that is not bundled", "an undated role",
        "an undated role under --strict", "a faint colour under --strict"])
def test_validate_and_build_give_the_same_answer(folder: Path, change: Callable[[Path], None], strict: str,
                                                code: int, says: str) -> None:
    change(folder)
    validate, build = both(folder, *([strict] if strict else []))
    assert (validate.exit_code, build.exit_code) == (code, code), validate.stderr + build.stderr
    assert says in validate.stderr and says in build.stderr
    if code:
        assert not (folder / "out").exists() or not any((folder / "out").rglob("*.docx"))


def test_errors_are_marked_and_come_before_the_warnings_under_their_own_heading(tmp_path: Path, monkeypatch) -> None:
    """Every located error line says `error:`; the heading that counts errors holds errors only, and a
    warning about another role sits under its own heading, after them."""
    shutil.copytree(REPO / "tests" / "fixtures" / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    variant = tmp_path / "content" / "roles" / "senior-support-engineer.yaml"
    variant.write_text(variant.read_text().replace("title: Senior Support Engineer\n",
                                                   "title: Senior Support Engineer\nheadcount: 3\n"))
    parent = tmp_path / "content" / "roles" / f"{ROLE}.yaml"
    parent.write_text(parent.read_text().replace("    as_of: 2026-03-01", "    as_of: 2020-01-01"))
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert lines[0] == "1 problem in content:"
    assert re.fullmatch(r"  content/roles/senior-support-engineer\.yaml:5:1: error: headcount: unknown key .*", lines[1])
    assert lines[2] == "and 1 warning:"
    assert lines[3].startswith("  warning: salary data of 1 role is more than 12 months old")
