"""A role with only what a job description needs builds a clean job description and nothing else.

Recruiters bring postings, not hiring kits: a role may have no interview guide, no FAQ, no tools,
no department and no pay table, and every document must then read as if those sections were
never part of the design: no empty heading, no placeholder, no "$0 – $0".
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as Docx

from conftest import FIXTURE_CONTENT, REPO
from pdf_support import squash

SLUG = "barista-trainer"
ROLE = """\
title: Barista Trainer
reviewed: 2026-03-01
employment_type: part-time
locations:
  - mode: on-site
    places: [Lisbon]
job_description:
  about_the_role:
    - |
      You will teach our new baristas to pull a consistent shot.
      Training runs on weekday mornings.
  key_responsibilities:
    - Run two training sessions a week
  show_nice_to_have: false
  sections:
    - heading: Why this role is open
      after: about
      paragraphs: [Our second café opens in March.]
      subsections:
        - heading: The first 90 days
          bullets: [Shadow the head barista, Write the training plan]
qualifications:
  hard_skills:
    - Two years behind a specialty espresso bar
  nice_to_have:
    - Latte art competition experience
compensation:
  currency: EUR
  period: day
  explanation: A day rate for each training day.
  source: {name: Our 2026 pay scale, as_of: 2026-02-01}
  levels:
    - {level: Trainer, min: 180, max: 180}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("minimal")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    (root / "content" / "roles" / f"{SLUG}.yaml").write_text(ROLE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "-f", "pdf,docx", "--role", SLUG,
                           "--brand", "default", "--content", str(root / "content"), "--out", str(root / "out"),
                           "--log-format", "json"], cwd=REPO, capture_output=True, text=True, timeout=300)
    return root / "out", done


def pdf_text(out: Path) -> str:
    path = out / "default" / SLUG / f"{SLUG}-job-description.pdf"
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_builds_a_job_description_in_both_formats_and_no_hiring_guide(built) -> None:
    out, done = built
    assert done.returncode == 0, done.stderr
    listed = {e["path"] for e in json.loads((out / "manifest.json").read_text())["outputs"]}
    assert listed == {f"default/{SLUG}/{SLUG}-job-description.{f}" for f in ("pdf", "docx")}
    assert not list(out.rglob("*hiring-guide*"))
    events = [json.loads(line) for line in done.stdout.splitlines()]
    skipped = {e["target"]: e["error"] for e in events if e.get("status") == "skipped"}
    assert set(skipped) == {f"default/{SLUG}/{SLUG}-hiring-guide.{f}" for f in ("pdf", "docx")}
    assert all("the role has no interview guide" in why for why in skipped.values())
    assert events[-1]["skipped"] == 2


def test_prints_no_empty_section_heading_or_placeholder(built) -> None:
    text = pdf_text(built[0])
    for absent in ("Department", "Not specified", "$0", "€0", "How you work", "Prerequisites", "<<REPLACE>>"):
        assert absent not in text, absent


def test_a_single_figure_band_prints_as_one_amount_with_its_period_and_the_roles_explanation(built) -> None:
    text = " ".join(pdf_text(built[0]).split())
    assert "€180" in text and "€180 – €180" not in text
    assert "per day" in text
    assert "A day rate for each training day." in text


def test_free_sections_follow_the_section_the_author_named(built) -> None:
    text = squash(pdf_text(built[0]))
    order = [squash(s) for s in ("About the role", "Why this role is open", "Our second café opens in March.",
                                 "The first 90 days", "Shadow the head barista", "What you will do")]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_line_breaks_the_author_wrote_are_kept(built) -> None:
    lines = [line.strip() for line in pdf_text(built[0]).splitlines()]
    assert "You will teach our new baristas to pull a consistent shot." in lines
    assert "Training runs on weekday mornings." in lines
    paragraphs = [p.text for p in Docx(str(built[0] / "default" / SLUG / f"{SLUG}-job-description.docx")).paragraphs]
    assert "You will teach our new baristas to pull a consistent shot.\nTraining runs on weekday mornings." in paragraphs


def test_nice_to_haves_can_be_kept_out_of_the_posting(built) -> None:
    assert "Latte art" not in pdf_text(built[0])


def test_the_docx_has_no_heading_without_content(built) -> None:
    doc = Docx(str(built[0] / "default" / SLUG / f"{SLUG}-job-description.docx"))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    for here, after in zip(paragraphs, paragraphs[1:] + [None]):
        if here.style.name.startswith("Heading") and here.style.name != "Heading 1":
            assert after is not None and not (after.style.name.startswith("Heading")
                                              and after.style.name <= here.style.name), here.text


def test_an_undated_role_builds_with_a_warning(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    (tmp_path / "content" / "roles" / f"{SLUG}.yaml").write_text(ROLE.replace("reviewed: 2026-03-01\n", ""),
                                                                 encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "-f", "docx", "--role", SLUG, "--brand",
                           "default", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"content/roles/{SLUG}.yaml:1:1: warning: reviewed: no `reviewed:` date" in done.stderr
