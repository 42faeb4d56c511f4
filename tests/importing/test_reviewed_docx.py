"""Importing a Word document someone reviewed: tracked changes read as accepted, text in content
controls kept, and the report saying so.

python-docx's paragraphs skip `w:ins` and `w:sdt`; a posting whose last reviewer inserted a
sentence would lose it and keep the words they deleted. The importer reads the document as it
reads with every change accepted, and says whose changes those were.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import yaml
from docx.oxml import parse_xml

from conftest import REPO
from pipeline.importing import import_files

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TODAY = dt.date(2026, 12, 6)


def reviewed_posting(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Warehouse Planner", level=1)
    document.add_heading("What you will do", level=2)
    first = document.add_paragraph("Plan the week's picking waves.", style="List Bullet")
    first._p.append(parse_xml(
        f'<w:ins {W} w:id="1" w:author="Dana Reyes" w:date="2026-12-03T10:42:00Z">'
        '<w:r><w:t xml:space="preserve"> Adjust them daily with the shift leads.</w:t></w:r></w:ins>'))
    second = document.add_paragraph("", style="List Bullet")
    second._p.append(parse_xml(
        f'<w:del {W} w:id="2" w:author="Dana Reyes" w:date="2026-12-03T10:43:00Z">'
        '<w:r><w:delText>Drive a forklift when short-staffed.</w:delText></w:r></w:del>'))
    second._p.get_or_add_pPr().append(parse_xml(
        f'<w:rPr {W}><w:del w:id="3" w:author="Dana Reyes" w:date="2026-12-03T10:43:00Z"/></w:rPr>'))
    document.add_paragraph("Report stock levels to purchasing every Monday.", style="List Bullet")
    document.element.body.insert(len(document.element.body) - 1, parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:tag w:val="benefits"/></w:sdtPr><w:sdtContent>'
        '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Benefits</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>Thirty days of paid holiday.</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>'))
    document.save(path)
    return path


def test_tracked_changes_import_as_accepted_and_the_report_names_their_author(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    result = import_files([reviewed_posting(tmp_path / "planner.docx")], content, language="en", force=False,
                          today=TODAY)
    assert result.errors == []
    role = yaml.safe_load(result.written[0].read_text(encoding="utf-8"))
    assert role["job_description"]["key_responsibilities"] == [
        "Plan the week's picking waves. Adjust them daily with the shift leads.",
        "Report stock levels to purchasing every Monday."]
    assert "forklift" not in result.written[0].read_text(encoding="utf-8")
    assert "Thirty days of paid holiday." in result.written[0].read_text(encoding="utf-8")
    assert ("tracked changes by Dana Reyes: 1 insertion(s) kept and 1 deletion(s) left out"
            in result.reports[0])
