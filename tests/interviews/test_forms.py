"""Scorecards that can be filled in: the PDF's are form fields (radio buttons per attribute, text
fields for evidence and names), the DOCX's content controls; every field is named from the role
(`<role>/<stage>/<field>`), so a filled form reads back without guessing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from conftest import FIXTURE_CONTENT, TESTS, rolepack
from docx_support import ooxml_problems
from form_support import W14, fill_docx, fill_pdf, scorecard, w
from pipeline.interviews.forms import FormError, read_form
from pdf_support import pdfinfo, squash, tool

PANEL = TESTS / "fixtures" / "interviews" / "platform-engineer.yaml"
SCALE = ["strong_no", "lean_no", "lean_yes", "strong_yes"]


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The panel role's kits and hiring guide, PDF and DOCX, built once for the module's readers."""
    folder = tmp_path_factory.mktemp("kits")
    shutil.copytree(FIXTURE_CONTENT, folder / "content")
    shutil.copy(PANEL, folder / "content" / "roles" / PANEL.name)
    run = rolepack("build", "--kind", "interview-kit,hiring-guide", "--role", "platform-engineer", "-f", "pdf,docx",
                   "--brand", "default", "--content", str(folder / "content"), "--out", str(folder / "out"))
    assert run.exit_code == 0, run.stderr
    return folder / "out" / "default" / "platform-engineer"


def test_the_pdf_scorecard_is_a_tagged_form_with_one_radio_group_per_attribute(kits: Path) -> None:
    pdf = kits / "platform-engineer-interview-kit-infrastructure-design.pdf"
    assert pdfinfo(pdf)["Tagged"] == "yes" and pdfinfo(pdf)["Form"] == "AcroForm"
    fields = pypdf.PdfReader(pdf).get_fields()
    base = "platform-engineer/infrastructure-design"
    assert set(fields) == {f"{base}/{name}" for name in (
        "candidate", "interviewer", "date", "overall", "rating/design", "rating/operations",
        "evidence/design", "evidence/operations")}
    for group in ("rating/design", "rating/operations", "overall"):
        field = fields[f"{base}/{group}"]
        assert field["/FT"] == "/Btn" and [str(o) for o in field["/Opt"]] == SCALE
        assert len(field["/Kids"]) == 4  # four buttons, widgets of one group: no field of their own
    assert fields[f"{base}/evidence/design"]["/Ff"] & (1 << 12)  # multi-line
    assert fields[f"{base}/candidate"]["/TU"] == "Candidate"  # its accessible name


def test_a_pdf_filled_as_a_reader_does_reads_back_and_prints_what_was_typed(kits: Path, tmp_path: Path) -> None:
    texts, choices = scorecard("platform-engineer", "infrastructure-design", candidate="Ana Ruiz",
                               interviewer="Kofi Mensah", ratings={"design": "lean_yes", "operations": "strong_no"},
                               evidence={"design": "Separated build from release."}, overall="lean_no")
    filled = fill_pdf(kits / "platform-engineer-interview-kit-infrastructure-design.pdf", tmp_path / "f.pdf",
                      texts, choices)
    form = read_form(filled)
    assert form.values["platform-engineer/infrastructure-design/candidate"] == "Ana Ruiz"
    assert form.values["platform-engineer/infrastructure-design/evidence/design"] == "Separated build from release."
    assert form.choices["platform-engineer/infrastructure-design/rating/design"] == ["lean_yes"]
    assert form.choices["platform-engineer/infrastructure-design/rating/operations"] == ["strong_no"]
    assert form.choices["platform-engineer/infrastructure-design/overall"] == ["lean_no"]
    flat = tmp_path / "printed.pdf"  # poppler draws the fields' appearances into the page, as printing does
    subprocess.run(["pdftocairo", "-pdf", str(filled), str(flat)], check=True)
    printed = squash(tool("pdftotext", str(flat), "-"))
    assert squash("Ana Ruiz") in printed and squash("Separated build from release.") in printed


def test_a_chosen_radio_button_is_drawn(kits: Path, tmp_path: Path) -> None:
    """The chosen button's dot shows: the page differs from the empty form's where the button is."""
    source = kits / "platform-engineer-interview-kit-screen.pdf"
    texts, choices = scorecard("platform-engineer", "screen", candidate="A", interviewer="B",
                               ratings={"communication": "strong_yes"})
    filled = fill_pdf(source, tmp_path / "f.pdf", {}, choices)
    pages = len(pypdf.PdfReader(source).pages)

    def pixels(pdf: Path) -> bytes:
        return subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", str(pages), "-l", str(pages), str(pdf)],
                              check=True, capture_output=True).stdout
    assert pixels(filled) != pixels(source)


def test_the_packet_scorecard_is_a_form_that_asks_for_the_stage(kits: Path) -> None:
    fields = pypdf.PdfReader(kits / "platform-engineer-hiring-guide.pdf").get_fields()
    assert "platform-engineer/*/stage" in fields
    assert {f"platform-engineer/*/rating/{a}" for a in ("design", "operations", "communication", "security")} <= set(fields)


def test_every_kit_draft_is_valid_ooxml(kits: Path) -> None:
    drafts = sorted(kits.glob("*.docx"))
    assert len(drafts) >= 3
    assert {d.name: ooxml_problems(d) for d in drafts} == {d.name: [] for d in drafts}


def test_a_kit_ends_on_its_scorecard_sheet_with_no_blank_page_after(kits: Path) -> None:
    for draft in sorted(kits.glob("*-interview-kit-*.docx")):
        body = etree.fromstring(subprocess.run(["unzip", "-p", str(draft), "word/document.xml"], check=True,
                                               capture_output=True).stdout).find(w("body"))
        last = body[-2]  # body[-1] is the last section's properties: the scorecard sheet's
        assert last.find(f"{w('pPr')}/{w('sectPr')}") is None, f"{draft.name} ends with an empty section"
        assert "Overall recommendation" in "".join(last.itertext())  # the sheet's last table


def test_the_docx_scorecard_has_content_controls_named_from_the_role(kits: Path) -> None:
    docx = kits / "platform-engineer-interview-kit-infrastructure-design.docx"
    root = etree.fromstring(subprocess.run(["unzip", "-p", str(docx), "word/document.xml"], check=True,
                                           capture_output=True).stdout)
    tags = [t.get(w("val")) for t in root.iter(w("tag"))]
    base = "platform-engineer/infrastructure-design"
    assert [t for t in tags if t.startswith(f"{base}/rating/design=")] == [f"{base}/rating/design={s}" for s in SCALE]
    assert f"{base}/evidence/design" in tags and f"{base}/candidate" in tags
    evidence = next(s for s in root.iter(w("sdt")) if s.find(f"{w('sdtPr')}/{w('tag')}").get(w("val")) == f"{base}/evidence/design")
    assert evidence.find(f"{w('sdtPr')}/{w('text')}").get(w("multiLine")) == "1"
    text = "".join(t.text or "" for t in root.iter(w("t")))
    for label in ("1\u00a0·\u00a0Strong\u00a0no", "2\u00a0·\u00a0Lean\u00a0no", "3\u00a0·\u00a0Lean\u00a0yes"):
        assert label in text  # a rating label never wraps: its spaces do not break
    boxes = [s for s in root.iter(w("sdt")) if s.find(f"{w('sdtPr')}/{{{W14}}}checkbox") is not None]
    assert boxes and all(s.find(f".//{{{W14}}}checked").get(f"{{{W14}}}val") == "0" for s in boxes)


def test_a_docx_filled_as_word_does_reads_back(kits: Path, tmp_path: Path) -> None:
    texts, _ = scorecard("platform-engineer", "screen", candidate="Ana Ruiz", interviewer="Lee Wu",
                         ratings={}, evidence={"communication": "Explained a migration to sales.\nClear."})
    del texts["platform-engineer/screen/date"]  # left as printed
    filled = fill_docx(kits / "platform-engineer-interview-kit-screen.docx", tmp_path / "f.docx", texts,
                       {"platform-engineer/screen/rating/communication": ["lean_yes"],
                        "platform-engineer/screen/overall": ["strong_yes", "lean_yes"]})
    form = read_form(filled)
    assert form.values["platform-engineer/screen/candidate"] == "Ana Ruiz"
    assert form.values["platform-engineer/screen/evidence/communication"] == "Explained a migration to sales.\nClear."
    assert form.values["platform-engineer/screen/date"] == ""  # still its placeholder: empty
    assert form.choices["platform-engineer/screen/rating/communication"] == ["lean_yes"]
    assert sorted(form.choices["platform-engineer/screen/overall"]) == ["lean_yes", "strong_yes"]


@pytest.mark.parametrize("body, why", [
    (b"hello", "neither a PDF nor a Word document"),
    (b"%PDF-1.7\n garbage", "damaged PDF"),
    (b"PK\x03\x04 not a zip", "not a Word document"),
])
def test_a_file_that_is_no_form_is_refused_with_a_reason(tmp_path: Path, body: bytes, why: str) -> None:
    path = tmp_path / "scorecard.pdf"
    path.write_bytes(body)
    with pytest.raises(FormError, match=why):
        read_form(path)


def test_a_docx_scorecard_saved_by_libreoffice_is_refused_with_what_to_do(kits: Path, tmp_path: Path) -> None:
    """LibreOffice 7.4 keeps content controls but drops their tags, so nothing says which field is which."""
    from draft_support import libreoffice_resave

    saved = libreoffice_resave(kits / "platform-engineer-interview-kit-screen.docx", tmp_path / "lo")
    with pytest.raises(FormError, match="lost their names.*LibreOffice does.*fill the PDF scorecard"):
        read_form(saved)
