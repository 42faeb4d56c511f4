"""A layout, a brand stylesheet or a role's text cannot make a PDF read or send anything it should not.

Each attack is made on a copy of layouts/ (or of content/) and built for one role into an output
folder that already holds a good build. The build must fail with exit code 2, name the URL and
the file that referenced it, and leave every file of the earlier output exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import demo_content_without_brands, outputs, with_demo_brands, without_approvals
from pdf_support import CONTENT, LAYOUTS, Build, pages_text, pdf_path, rolepack_build, squash

INVALID = 2
ROLE = "backend-engineer"
BRAND = "default"


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    copy = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, copy)
    return with_demo_brands(copy).resolve()


def insert_into_head(layouts: Path, markup: str) -> Path:
    base = layouts / "base.html.j2"
    text = base.read_text(encoding="utf-8")
    assert "<title>" in text
    base.write_text(text.replace("<title>", markup + "<title>", 1), encoding="utf-8")
    return base


def add_brand_css(layouts: Path, css: str) -> Path:
    sheet = layouts / "brands" / BRAND / "brand.css"
    previous = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
    sheet.write_text(css + "\n" + previous, encoding="utf-8")
    return sheet


def build_one_role(out: Path, layouts: Path) -> Build:
    """The role built with the brands of `layouts` (the demo content's own brands left out)."""
    content = demo_content_without_brands(layouts.parent / "content")
    return rolepack_build(out, "--role", ROLE, "--brand", BRAND, layouts=layouts, content=content)


def assert_refused(run: Build, url: str, referrer: Path, out: Path, before: dict) -> None:
    assert run.exit_code == INVALID, run.stdout + run.stderr
    assert url in run.stderr, run.stderr
    assert str(referrer) in run.stderr, run.stderr
    assert outputs(out) == before, "the output folder changed"


class TestLayoutsCannotReachOutside:
    def test_an_attachment_of_a_local_file_fails_the_build(self, previous: Path, layouts: Path) -> None:
        layout = insert_into_head(layouts, '<link rel="attachment" href="file:///etc/passwd">')
        before = outputs(previous)
        assert_refused(build_one_role(previous, layouts), "file:///etc/passwd", layout, previous, before)

    def test_a_stylesheet_from_the_network_fails_the_build(self, previous: Path, layouts: Path) -> None:
        layout = insert_into_head(layouts, '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">')
        before = outputs(previous)
        assert_refused(build_one_role(previous, layouts), "http://127.0.0.1:9/x.css", layout, previous, before)

    def test_a_brand_stylesheet_importing_from_the_network_fails_the_build(self, previous: Path,
                                                                          layouts: Path) -> None:
        sheet = add_brand_css(layouts, '@import url("http://127.0.0.1:9/x.css");')
        before = outputs(previous)
        assert_refused(build_one_role(previous, layouts), "http://127.0.0.1:9/x.css", sheet, previous, before)

    def test_a_brand_font_from_the_network_fails_the_build(self, previous: Path, layouts: Path) -> None:
        sheet = add_brand_css(layouts, '@font-face { font-family: "Remote"; src: url(https://example.com/f.woff); }\n'
                                       'html { font-family: "Remote", "Inter"; }')
        before = outputs(previous)
        assert_refused(build_one_role(previous, layouts), "https://example.com/f.woff", sheet, previous, before)

    def test_a_base_url_at_the_file_system_root_cannot_reach_etc_passwd(self, previous: Path,
                                                                         layouts: Path) -> None:
        layout = insert_into_head(layouts, '<base href="file:///"><link rel="stylesheet" href="etc/passwd">')
        before = outputs(previous)
        assert_refused(build_one_role(previous, layouts), "file:///etc/passwd", layout, previous, before)

    def test_a_base_url_at_the_file_system_root_cannot_attach_etc_passwd(self, previous: Path,
                                                                         layouts: Path) -> None:
        """The first file the base tag sends outside the layouts stops the build, whichever it is."""
        insert_into_head(layouts, '<base href="file:///"><link rel="attachment" href="etc/passwd">')
        before = outputs(previous)
        run = build_one_role(previous, layouts)
        assert run.exit_code == INVALID, run.stdout + run.stderr
        assert "forbidden resource file:///" in run.stderr
        assert f"(referenced in {layouts}/" in run.stderr
        assert str(layouts) + "/" not in run.stderr.split("forbidden resource ", 1)[1].split(" ", 1)[0]
        assert outputs(previous) == before

    def test_a_symlinked_logo_pointing_outside_fails_the_build(self, previous: Path, layouts: Path,
                                                                tmp_path: Path) -> None:
        outside = tmp_path / "elsewhere" / "logo.svg"
        outside.parent.mkdir()
        logo = layouts / "brands" / BRAND / "logo.svg"
        shutil.copy(logo, outside)
        logo.unlink()
        logo.symlink_to(outside)
        before = outputs(previous)
        run = build_one_role(previous, layouts)
        assert_refused(run, logo.as_uri(), layouts / "brands" / BRAND / "brand.yaml", previous, before)

    def test_a_symlinked_font_folder_pointing_outside_fails_the_build(self, previous: Path, layouts: Path,
                                                                       tmp_path: Path) -> None:
        fonts = layouts / "fonts" / "Inter"
        outside = tmp_path / "elsewhere" / "Inter"
        shutil.move(fonts, outside)
        fonts.symlink_to(outside, target_is_directory=True)
        before = outputs(previous)
        run = build_one_role(previous, layouts)
        assert run.exit_code == INVALID, run.stdout + run.stderr
        assert f"forbidden resource {fonts.as_uri()}/Inter-" in run.stderr
        assert f"(referenced in {layouts}/" in run.stderr
        assert outputs(previous) == before


MARKUP = "Marker <script>alert(1)</script> and {{ 7*7 }} end."


@pytest.fixture(scope="module")
def literal(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The role built with MARKUP as its summary and in front of its first key responsibility."""
    root = tmp_path_factory.mktemp("literal")
    content = root / "content"
    without_approvals(shutil.copytree(CONTENT, content))
    role = content / "roles" / f"{ROLE}.yaml"
    text = role.read_text(encoding="utf-8")
    rows = text.splitlines()
    summary = next(line for line in rows if line.startswith("  summary: "))
    duties = rows.index("  key_responsibilities:")
    first_duty = rows[duties + 1]
    assert first_duty.startswith("    - ") and not first_duty.endswith((">-", "|")), first_duty
    text = text.replace(summary, f'  summary: "{MARKUP}"', 1)
    text = text.replace(first_duty, f'    - "Duty {MARKUP}"', 1)
    role.write_text(text, encoding="utf-8")
    run = rolepack_build(root / "out", "--role", ROLE, "--brand", BRAND, content=content)
    assert run.exit_code == 0, run.stderr
    return run


class TestContentIsPrintedAsText:
    @pytest.mark.parametrize("kind", ["job-description", "hiring-guide"])
    def test_markup_and_template_syntax_in_a_summary_print_as_typed(self, literal: Build, kind: str) -> None:
        text = squash("".join(pages_text(pdf_path(literal.out, BRAND, ROLE, kind))))
        assert squash(MARKUP) in text
        assert squash("and 49 end") not in text

    def test_markup_and_template_syntax_in_a_list_item_print_as_typed(self, literal: Build) -> None:
        text = squash("".join(pages_text(pdf_path(literal.out, BRAND, ROLE, "job-description"))))
        assert squash("Duty " + MARKUP) in text
        assert squash("Duty Marker and 49 end") not in text
