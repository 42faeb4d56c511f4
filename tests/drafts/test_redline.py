"""`rolepack redline`: the role's document with real tracked changes between two versions.

The content lives in a throwaway git repository: one commit, then edits in the working tree (a
reworded summary, a reworded item, an item removed, an item added). Accepting every tracked change in
the redline must read exactly as the newer version, and rejecting every one exactly as the older;
LibreOffice must open it; `merge` must refuse it, since a redline is for review.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, rolepack, without_approvals
from docx_support import ooxml_problems
from pipeline.drafts.proposals import normal
from pipeline.render.docx.wordml import W, links_of, paragraphs
from pipeline.render.docx.record import pieces_of

ITEM_WAS = "    - Put security and data-protection controls in place, from authentication to the handling of sensitive fields.\n"
ITEM_NOW = "    - Put security controls in place, from sign-in to the handling of sensitive fields.\n"
GONE = "    - Investigate production problems, ship fixes and follow up so the same issue does not return.\n"
AFTER = "    - Track how services perform in production and make improvements based on what the metrics show.\n"
ADDED = "    - Mentor newer engineers through code review and pairing.\n"


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.email=hr@example.com", "-c", "user.name=HR", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    without_approvals(shutil.copytree(REPO / "content", tmp_path / "content"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "as approved")
    role = tmp_path / "content" / "roles" / "backend-engineer.yaml"
    (tmp_path / "approved.yaml").write_text(role.read_text(encoding="utf-8"), encoding="utf-8")
    text = role.read_text(encoding="utf-8")
    text = text.replace(ITEM_WAS, ITEM_NOW).replace(GONE, "").replace(AFTER, AFTER + ADDED)
    text = text.replace("summary: Build and run the APIs", "summary: Design, build and run the APIs")
    role.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def views(docx: Path) -> tuple[list[str], list[str], dict[int, str], dict[int, str]]:
    """The body's paragraphs with every tracked change rejected and accepted, and each piece's text."""
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{{{W}}}body")
        links = links_of(package.read("word/_rels/document.xml.rels"))
    found = paragraphs(body, links)
    rejected = [normal(p.text("before")) for p in found if normal(p.text("before"))]
    accepted = [normal(p.text("after")) for p in found if normal(p.text("after"))]
    return rejected, accepted, pieces_of(found, "before"), pieces_of(found, "after")


def item(line: str) -> str:
    return line.strip()[2:]


@pytest.mark.parametrize("since", ["HEAD", "approved.yaml"])
def test_a_redline_tracks_each_change_and_accepting_all_reads_as_the_newer_version(repo: Path, since: str):
    result = rolepack("redline", "backend-engineer", "--since", since)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "4 change(s) tracked (2 changed, 1 added, 1 removed)" in result.stdout
    redline = repo / "build" / "default" / "backend-engineer" / "backend-engineer-job-description-redline.docx"
    rejected, accepted, _, _ = views(redline)
    assert item(GONE) in rejected and item(GONE) not in accepted
    assert item(ADDED) in accepted and item(ADDED) not in rejected
    assert item(ITEM_WAS) in rejected and item(ITEM_NOW) in accepted
    assert "Design, build and run the APIs" in " ".join(accepted)
    assert "Design, build" not in " ".join(rejected)
    xml = zipfile.ZipFile(redline).read("word/document.xml").decode()
    assert 'w:author="rolepack"' in xml and "<w:delText" in xml
    assert ooxml_problems(redline) == []


def test_accepting_a_redline_gives_the_newer_documents_text_and_rejecting_it_the_older(repo: Path, tmp_path: Path):
    assert rolepack("redline", "backend-engineer", "--since", "HEAD").exit_code == 0
    redline = repo / "build" / "default" / "backend-engineer" / "backend-engineer-job-description-redline.docx"
    assert rolepack("build", "-f", "docx", "--role", "backend-engineer", "--brand", "default",
                    "--out", str(tmp_path / "now")).exit_code == 0
    git(repo, "stash")
    assert rolepack("build", "-f", "docx", "--role", "backend-engineer", "--brand", "default",
                    "--out", str(tmp_path / "then")).exit_code == 0
    git(repo, "stash", "pop")
    rejected, accepted, _, _ = views(redline)
    now, _, _, _ = views(tmp_path / "now" / "default" / "backend-engineer" / "backend-engineer-job-description.docx")
    then, _, _, _ = views(tmp_path / "then" / "default" / "backend-engineer" / "backend-engineer-job-description.docx")
    assert accepted == now
    assert rejected == then


def test_libreoffice_opens_a_redline_and_shows_both_versions(repo: Path):
    assert rolepack("redline", "backend-engineer", "--since", "HEAD").exit_code == 0
    folder = repo / "build" / "default" / "backend-engineer"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{repo}/profile", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(folder), str(folder / "backend-engineer-job-description-redline.docx")],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(folder / "backend-engineer-job-description-redline.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Investigate production problems" in flat and "Mentor newer engineers" in flat


def test_merge_refuses_a_redline(repo: Path):
    assert rolepack("redline", "backend-engineer", "--since", "HEAD").exit_code == 0
    redline = repo / "build" / "default" / "backend-engineer" / "backend-engineer-job-description-redline.docx"
    result = rolepack("merge", str(redline))
    assert result.exit_code == 2
    assert "it is a redline" in result.stdout + result.stderr


@pytest.mark.parametrize("args, says", [
    (["--since", "no-such-revision"], "is neither a role file nor a git revision"),
    (["--since", "HEAD", "--kind", "poster"], "unknown kind 'poster'"),
])
def test_a_redline_that_cannot_be_made_says_why_and_writes_nothing(repo: Path, args, says):
    result = rolepack("redline", "backend-engineer", *args)
    assert result.exit_code == 2
    assert says in result.stdout + result.stderr
    assert not (repo / "build").exists()
