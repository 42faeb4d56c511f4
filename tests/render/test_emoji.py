"""Emoji a recruiter types print as glyphs from the bundled Noto Emoji, never as empty boxes.

A role extending the fixture's support-engineer carries emoji in its title (the cover's and the
posting's h1), in a heading of its own section and in bullets, including a ZWJ sequence (👩‍💻), a
VS16 presentation sequence (❤️) and a flag (🇵🇹). It is built through the real command, once per
brand, and each PDF is read back two ways:

- the text, as poppler's `pdftotext` reads it, holds every emoji (a reader can copy it out);
- every glyph the page draws is a real one. Each text-showing operator's codes are followed through
  the font's Encoding CMap (WeasyPrint writes a custom one when a .notdef is drawn) and its
  CIDToGIDMap to a glyph id in the embedded font program, and ToUnicode says which characters that
  glyph stands for. A glyph that stands for visible characters must not be glyph 0 and must have
  an outline in the embedded subset. Glyph 0 has to be checked by id: WeasyPrint embeds .notdef
  *with* its outline (a box) when a character is missing, so "has ink" alone would pass it.

The text check alone would not do: ToUnicode maps a .notdef to the character it replaced, so
pdftotext reads a box back as the right character. A role with a character no bundled font has
(a CJK ideograph) proves the glyph check does see a .notdef.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from conftest import FIXTURE_CONTENT, REPO, rolepack, with_demo_brands
from pdf_support import Build, family_of, pages_text, pdf_path, pdffonts, rolepack_build, squash

SLUG = "emoji-support-engineer"
BRANDS = ("default", "harbor")
KINDS = ("job-description", "hiring-guide")
VS16 = "\ufe0f"
ZWJ = "\u200d"

TITLE = "🚀 Support Engineer 🌍"
HEADING = f"Why we care 💡 ❤{VS16} 🇵🇹"
EMOJI = ("🚀", "✅", "🌍", "💡", f"👩{ZWJ}💻", f"❤{VS16}", "🇵🇹")
"""As typed. ❤️ is a text-default heart made an emoji by VS16; 👩‍💻 is woman + ZWJ + laptop,
drawn as one ligature glyph; 🇵🇹 is two regional indicators, drawn as one flag glyph."""

ROLE = f"""\
slug: {SLUG}
extends: support-engineer
title: "{TITLE}"
job_description:
  summary: "Help customers get unstuck ✅"
  about_the_role:
    - "You answer technical questions from customers 💡"
  key_responsibilities:
    - "Answer tickets 🚀 fast"
    - "Reproduce bugs ✅ and write them up"
    - "Pair with engineers 👩{ZWJ}💻 every week"
    - "Care for customers ❤{VS16} in Lisbon 🇵🇹"
  sections:
    - heading: "{HEADING}"
      bullets:
        - "Remote across the world 🌍"
        - "Women in engineering 👩{ZWJ}💻"
"""

UNBUNDLED = "中"
"""U+4E2D: CJK is not bundled (README, Brands), so this prints as .notdef in every brand."""


def printed(text: str) -> str:
    """The text as the PDF gives it back: VS16 only picks a presentation and has no glyph of its
    own, so HarfBuzz folds it into the base glyph and ToUnicode maps that glyph to the base alone."""
    return text.replace(VS16, "")


# --- building -------------------------------------------------------------------------------------

def write_content(root: Path, role: str, slug: str) -> Path:
    content = root / "content"
    with_demo_brands(shutil.copytree(FIXTURE_CONTENT, content))  # two brands, two sets of fonts
    (content / "roles" / f"{slug}.yaml").write_text(role, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def emoji_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_content(tmp_path_factory.mktemp("emoji"), ROLE, SLUG)


_BUILDS: dict[str, Build] = {}


@pytest.fixture(scope="module", params=BRANDS)
def built(request, emoji_content: Path, tmp_path_factory: pytest.TempPathFactory):
    """`python -m pipeline build -f pdf --role emoji-support-engineer --brand BRAND` in a subprocess."""
    brand = request.param
    if brand not in _BUILDS:
        out = tmp_path_factory.mktemp(f"emoji-{brand}") / "out"
        _BUILDS[brand] = rolepack_build(out, "--role", SLUG, "--brand", brand, content=emoji_content)
    build = _BUILDS[brand]
    assert build.exit_code == 0, build.stderr
    return brand, build


# --- reading the glyphs a PDF draws ---------------------------------------------------------------

@dataclass(frozen=True)
class Glyph:
    font: str  # the PDF's BaseFont, subset tag included
    text: str  # what ToUnicode says the glyph stands for
    gid: int  # the glyph id in the embedded font program
    inked: bool  # the glyph has an outline in that program


def _hex(token: str) -> bytes:
    return bytes.fromhex(token)


def _to_unicode(cmap: str) -> dict[int, str]:
    codes: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            codes[int(src, 16)] = _hex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])", block):
            targets = re.findall(r"<([0-9a-fA-F]+)>", dst)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                if dst.startswith("["):
                    codes[code] = _hex(targets[i]).decode("utf-16-be")
                else:  # the last UTF-16 unit counts up
                    first = _hex(targets[0])
                    unit = int.from_bytes(first[-2:], "big") + i
                    codes[code] = (first[:-2] + unit.to_bytes(2, "big")).decode("utf-16-be")
    return codes


def _encoding(encoding) -> dict[int, int] | None:
    """Code → CID from an embedded Encoding CMap; None for Identity-H (code = CID)."""
    if isinstance(encoding, pikepdf.Name):
        assert encoding == "/Identity-H", f"unexpected encoding {encoding}"
        return None
    cmap = encoding.read_bytes().decode("latin-1")
    cids: dict[int, int] = {}
    for block in re.findall(r"begincidchar(.*?)endcidchar", cmap, re.S):
        for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
            cids[int(code, 16)] = int(cid)
    for block in re.findall(r"begincidrange(.*?)endcidrange", cmap, re.S):
        for lo, hi, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cids[code] = int(cid) + i
    return cids


class _Font:
    """One Type 0 font of the PDF: its codes followed to glyph ids, text and outlines."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        assert font.Subtype == "/Type0", f"{font.get('/BaseFont')} is not a Type 0 font"
        self.name = str(font.BaseFont)
        descendant = font.DescendantFonts[0]
        self.encoding = _encoding(font.Encoding)
        self.to_unicode = _to_unicode(font.ToUnicode.read_bytes().decode("latin-1"))
        cid_to_gid = descendant.get("/CIDToGIDMap", pikepdf.Name.Identity)
        self.cid_to_gid = None if isinstance(cid_to_gid, pikepdf.Name) else cid_to_gid.read_bytes()
        descriptor = descendant.FontDescriptor
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        assert program is not None, f"{self.name} is not embedded"
        self.program = TTFont(io.BytesIO(program.read_bytes()))
        self.glyph_set = self.program.getGlyphSet()
        self.order = self.program.getGlyphOrder()

    def glyph(self, code: int) -> Glyph:
        cid = code if self.encoding is None else self.encoding[code]
        if self.cid_to_gid is None:  # Identity; for CFF (CIDFontType0) the CID is the glyph id
            gid = cid
        else:
            gid = int.from_bytes(self.cid_to_gid[2 * cid:2 * cid + 2], "big")
        inked = False
        if gid < len(self.order):
            pen = BoundsPen(self.glyph_set)
            self.glyph_set[self.order[gid]].draw(pen)
            inked = pen.bounds is not None
        return Glyph(self.name, self.to_unicode.get(code, ""), gid, inked)


def _strings(operands, operator: str) -> list[bytes]:
    if operator == "TJ":
        return [bytes(item) for item in operands[0] if isinstance(item, pikepdf.String)]
    if operator in ("Tj", "'", '"'):
        return [bytes(operands[-1])]
    return []


def _walk(stream, resources, fonts: dict, glyphs: list[Glyph]) -> None:
    current = None
    for operands, operator in pikepdf.parse_content_stream(stream):
        operator = str(operator)
        if operator == "Tf":
            font = resources.Font[operands[0]]
            key = font.objgen
            if key not in fonts:
                fonts[key] = _Font(font)
            current = fonts[key]
        elif operator == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.Subtype == "/Form":
                _walk(xobject, xobject.get("/Resources", resources), fonts, glyphs)
        else:
            for string in _strings(operands, operator):
                assert current is not None, f"{operator} before any Tf"
                glyphs += [current.glyph(int.from_bytes(string[i:i + 2], "big")) for i in range(0, len(string), 2)]


def drawn_glyphs(path: Path) -> list[Glyph]:
    """Every glyph the PDF's pages draw, in content order."""
    glyphs: list[Glyph] = []
    fonts: dict = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            _walk(page.obj, page.Resources, fonts, glyphs)
    return glyphs


def _visible(text: str) -> bool:
    """Whether the characters need ink: not spaces, nor joiners and selectors (format, Cf)."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" and not 0xFE00 <= ord(c) <= 0xFE0F
               for c in text)


def boxes(glyphs: list[Glyph]) -> list[Glyph]:
    """Glyphs that print as .notdef (glyph 0) or as nothing where characters should show."""
    return [g for g in glyphs if g.gid == 0 or (_visible(g.text) and not g.inked)]


def _is_emoji(char: str) -> bool:
    return ord(char) >= 0x1F000 or 0x2600 <= ord(char) <= 0x27BF


# --- the PDFs -------------------------------------------------------------------------------------

def test_the_build_reports_no_notdef(built) -> None:
    _, build = built
    assert ".notdef" not in build.stderr, build.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_the_text_holds_every_emoji(built, kind: str) -> None:
    brand, build = built
    text = squash("".join(pages_text(pdf_path(build.out, brand, SLUG, kind))))
    assert squash(printed(TITLE)) in text
    assert [e for e in EMOJI if printed(e) not in text] == []
    if kind == "job-description":
        assert squash(printed(HEADING)) in text


@pytest.mark.parametrize("kind", KINDS)
def test_every_emoji_is_drawn_with_a_real_glyph(built, kind: str) -> None:
    brand, build = built
    path = pdf_path(build.out, brand, SLUG, kind)
    glyphs = drawn_glyphs(path)
    assert boxes(glyphs) == []
    drawn = "".join(g.text for g in glyphs)
    assert [e for e in EMOJI if printed(e) not in drawn] == []
    emoji_fonts = {family_of(g.font.split("+", 1)[-1]) for g in glyphs if any(map(_is_emoji, g.text))}
    assert "Noto Emoji" in emoji_fonts
    assert None not in emoji_fonts, f"emoji drawn with a font that is not bundled: {emoji_fonts}"
    assert "Noto Emoji" in {family_of(row.name) for row in pdffonts(path)}


def test_the_glyph_check_sees_a_notdef(tmp_path: Path) -> None:
    """The same check on a posting with a character no bundled font has finds exactly that one."""
    role = f"slug: no-font\nextends: support-engineer\ntitle: Support Engineer {UNBUNDLED} 🚀\n"
    content = write_content(tmp_path, role, "no-font")
    build = rolepack_build(tmp_path / "out", "--role", "no-font", "--brand", "default",
                           "--kind", "job-description", content=content)
    assert build.exit_code == 0, build.stderr
    assert ".notdef" in build.stderr  # WeasyPrint's own word for it, reported as a render warning
    found = boxes(drawn_glyphs(pdf_path(build.out, "default", "no-font", "job-description")))
    assert {g.text for g in found} == {UNBUNDLED}
    assert {g.gid for g in found} == {0}


# --- validate and the DOCX ------------------------------------------------------------------------

def test_every_brand_s_fonts_cover_the_emoji() -> None:
    from pipeline.check.fitness import font_coverage

    coverage = font_coverage(REPO / "layouts", REPO / "content")
    assert sorted(coverage) == sorted(BRANDS)
    for brand, fonts in coverage.items():
        assert [f"U+{ord(c):04X}" for e in EMOJI for c in e if ord(c) not in fonts] == [], brand


def test_validate_finds_no_uncovered_emoji(content: Path) -> None:
    (content / "roles" / f"{SLUG}.yaml").write_text(ROLE, encoding="utf-8")
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == 0, run.stderr
    ours = [line for line in run.stderr.splitlines() if line.startswith(f"content/roles/{SLUG}.yaml:")]
    assert [line for line in ours if "no bundled font" in line] == []
    assert [line for line in ours if line.startswith(f"content/roles/{SLUG}.yaml:3:")] == []  # the title


def test_validate_accepts_zwj_and_vs16_inside_emoji(content: Path) -> None:
    (content / "roles" / f"{SLUG}.yaml").write_text(ROLE, encoding="utf-8")
    run = rolepack("validate", "--content", "content")
    assert [line for line in run.stderr.splitlines() if line.startswith(f"content/roles/{SLUG}.yaml:")] == []


def test_the_docx_keeps_the_emoji_as_typed(emoji_content: Path, tmp_path: Path) -> None:
    """Word picks its own emoji font; the document only has to carry the characters unchanged."""
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "-f", "docx", "--kind", "job-description",
                           "--role", SLUG, "--brand", "default", "--content", str(emoji_content), "--out", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    docx = out / "default" / SLUG / f"{SLUG}-job-description.docx"
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert TITLE in xml and HEADING in xml
    assert [e for e in EMOJI if e not in xml] == []
