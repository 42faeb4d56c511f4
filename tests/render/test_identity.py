"""A brand is the company's own look unless it says it is an agency: the running header and the
PDF's author carry the company's name; an agency's documents carry its own, after the company's."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import FIXTURE_CONTENT, REPO, rolepack, with_demo_brands, without_approvals
from docx_support import Package
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


def test_content_without_brands_of_its_own_prints_its_company_alone_in_the_house_style(tmp_path: Path) -> None:
    """No logo, footer, name or address of any other company reaches a company that has no brand yet."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    out = tmp_path / "out"
    run = rolepack("build", "-f", "pdf,docx,html,jsonld,md", "--kind", "job-description", "--role", "support-engineer",
                   "--content", str(content), "--out", str(out), "--quiet")
    assert run.exit_code == 0, run.stderr
    role = out / "default" / "support-engineer"
    pdf = role / "support-engineer-job-description.pdf"
    docx = Package(role / "support-engineer-job-description.docx")
    texts = {
        "pdf": subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout,
        "docx": "".join(docx.raw[name].decode() for name in docx.xml_parts if name.startswith("word/")),
        "html": (out / "default" / "site" / "support-engineer.html").read_text(encoding="utf-8"),
        "jsonld": (role / "support-engineer-job-description.jsonld").read_text(encoding="utf-8"),
        "md": (role / "support-engineer-job-description.md").read_text(encoding="utf-8"),
    }
    for name, text in texts.items():
        assert not re.search(r"Tidewater|Harbor|House style|\.example/", text), name
    assert "Example Co" in texts["pdf"] and "EXAMPLE CO" in texts["docx"]
    assert docx.parts_under("word/media/") == []
    assert [line.strip() for line in texts["pdf"].splitlines() if line.strip()][-1] == "Page 1 of 1"  # no footer text
    header = lxml_html.fromstring(texts["html"]).xpath("//header[@class='site-header']//a[@class='brand']")[0]
    assert header.text_content() == "Example Co" and not header.xpath(".//img")
    assert "logo" not in json.loads(texts["jsonld"])["hiringOrganization"]
    assert not list((out / "default" / "site" / "assets").glob("logo.*"))


def test_a_logo_needs_its_description_and_a_description_its_logo(tmp_path: Path) -> None:
    from pipeline.check.brands import load_brand
    from pipeline.problems import ContentError

    brand = with_demo_brands(tmp_path) / "brands" / "default" / "brand.yaml"
    brand.write_text(re.sub(r"(?m)^logo_alt:.*\n", "", brand.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_brand(REPO / "layouts", "default", tmp_path)
    assert "give logo and logo_alt together" in str(refused.value)
