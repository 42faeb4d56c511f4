"""A brand is the company's own look unless it says it is an agency: the running header and the
PDF's author carry the company's name; an agency's documents carry its own, after the company's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import REPO, without_approvals
from pdf_support import rolepack_build


def test_a_company_brand_heads_pages_with_the_company_and_an_agency_with_itself(tmp_path: Path) -> None:
    content = tmp_path / "content"
    without_approvals(shutil.copytree(REPO / "content", content))
    company = content / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8").replace("name: Tidewater Software", "name: Acme Demo", 1),
                       encoding="utf-8")
    build = rolepack_build(tmp_path / "out", "--role", "backend-engineer", "--kind", "job-description", content=content)
    assert build.exit_code == 0, build.stderr
    for brand, header, author in (("default", "ACME DEMO", "Acme Demo"),
                                  ("harbor", "HARBOR TALENT PARTNERS", "Harbor Talent Partners")):
        pdf = tmp_path / "out" / brand / "backend-engineer" / "backend-engineer-job-description.pdf"
        second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert second.splitlines()[0] == header
        assert f"Author:          {author}" in info
    first = subprocess.run(["pdftotext", "-l", "1", str(tmp_path / "out" / "harbor" / "backend-engineer" /
                                                     "backend-engineer-job-description.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Acme Demo · with Harbor Talent Partners" in first
