"""A role's state, and the one gate before anything is published.

`state:` is draft, review, approved (the default) or closed; a posting whose closing date has passed
is closed by the build's date (SOURCE_DATE_EPOCH, else today). Publishing formats (the careers site,
JSON-LD, Markdown) are made only for approved, open roles that lint finds no error in; a closed
role's job page says it is closed (noindex) and it leaves the index, the sitemap and the feeds, while
its PDF and DOCX stay for the record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import rolepack, with_demo_brands

PUBLISH = ["-f", "html,jsonld,md,docx", "--kind", "job-description"]
"""The job description's DOCX stands for print: made in milliseconds, where a PDF takes a second (and
a packet's DOCX lays the packet out for its contents' page numbers)."""


def set_state(content: Path, role: str, state: str) -> None:
    file = content / "roles" / f"{role}.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("\ntitle:", f"\nstate: {state}\ntitle:", 1), encoding="utf-8")


def built(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"
            and not p.name.startswith(".") and "/assets/" not in str(p)}


def index(out: Path) -> str:
    return (out / "default" / "site" / "index.html").read_text(encoding="utf-8")


def build(out: Path, *extra: str):
    return rolepack("build", "--content", "content", "--out", str(out), "--brand", "default", *PUBLISH, *extra)


def test_an_approved_role_is_published_everywhere(content: Path, tmp_path: Path) -> None:
    run = build(tmp_path / "out")
    assert run.exit_code == 0, run.stderr
    files = built(tmp_path / "out")
    assert {"default/site/support-engineer.html", "default/support-engineer/support-engineer-job-description.jsonld",
            "default/support-engineer/support-engineer-job-description.md",
            "default/support-engineer/support-engineer-job-description.docx"} <= files
    assert "support-engineer.html" in index(tmp_path / "out")


def test_a_role_in_review_is_neither_printed_nor_published_outside_a_drafts_build(content: Path, tmp_path: Path) -> None:
    set_state(content, "support-engineer", "review")
    run = build(tmp_path / "out")
    assert run.exit_code == 0, run.stderr
    files = built(tmp_path / "out")
    assert not [f for f in files if "support-engineer" in f and "senior" not in f]
    assert ("withheld default/site/support-engineer.html: the role is in review; it is published once approved "
            "(state: approved)") in run.stderr
    assert "support-engineer.html" not in index(tmp_path / "out").replace("senior-support-engineer.html", "")
    assert ", withheld 4, " in run.stdout


@pytest.mark.parametrize("how", ["by hand", "by its closing date"])
def test_a_closed_role_leaves_the_site_and_feeds_and_keeps_its_print(content: Path, tmp_path: Path,
                                                                     monkeypatch, how: str) -> None:
    out = tmp_path / "out"
    with_demo_brands(content)  # a brand with the careers site's address, so there is a sitemap
    assert build(out).exit_code == 0
    if how == "by hand":
        set_state(content, "support-engineer", "closed")
    else:
        file = content / "roles" / "support-engineer.yaml"
        file.write_text(file.read_text(encoding="utf-8").replace(
            "\ntitle:", "\nposting: {closes: 2026-05-31}\ntitle:", 1), encoding="utf-8")  # the tests' today: 2026-06-01
    run = build(out)
    assert run.exit_code == 0, run.stderr
    files = built(out)
    assert "default/support-engineer/support-engineer-job-description.docx" in files
    assert "default/support-engineer/support-engineer-job-description.jsonld" not in files
    assert "default/support-engineer/support-engineer-job-description.md" not in files
    page = (out / "default" / "site" / "support-engineer.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert "This position is closed and no longer accepts applications." in page
    assert "application/ld+json" not in page
    assert 'href="support-engineer.html"' not in index(out)
    sitemap = (out / "default" / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "support-engineer.html" not in sitemap.replace("senior-support-engineer.html", "")
    assert "removed" in run.stdout and ", removed 0," not in run.stdout


def test_the_build_date_judges_a_closing_date(content: Path, tmp_path: Path, monkeypatch) -> None:
    file = content / "roles" / "support-engineer.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace(
        "\ntitle:", "\nposting: {closes: 2026-05-31}\ntitle:", 1), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1779926400")  # 2026-05-28: still open that day
    run = build(tmp_path / "out")
    assert run.exit_code == 0, run.stderr
    assert "default/support-engineer/support-engineer-job-description.jsonld" in built(tmp_path / "out")


def test_a_closed_page_is_in_the_role_s_language(content: Path, tmp_path: Path) -> None:
    file = content / "roles" / "support-engineer.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("\ntitle:", "\nstate: closed\nlanguage: fr\ntitle:", 1),
                    encoding="utf-8")
    run = rolepack("build", "--content", "content", "--out", str(tmp_path / "out"), "--brand", "default",
                   "-f", "html", "--role", "support-engineer")
    assert run.exit_code == 0, run.stderr
    page = (tmp_path / "out" / "default" / "site" / "support-engineer.html").read_text(encoding="utf-8")
    assert "Cette offre est clôturée : elle n’accepte plus de candidatures." in page
    assert "no longer accepts" not in page


DENVER = """\
extends: support-engineer
title: Support Engineer, Denver
posting: {closes: 2026-07-31}
locations:
  - mode: on-site
    places:
      - {name: Denver, country: US, region: CO}
compensation: null
"""


def test_a_role_lint_finds_unlawful_is_not_published_unless_its_rule_is_accepted(content: Path, tmp_path: Path) -> None:
    (content / "roles" / "denver-support.yaml").write_text(DENVER, encoding="utf-8")
    run = build(tmp_path / "out", "--strict", "--allow", "stale-pay")
    assert run.exit_code == 0, run.stderr
    files = built(tmp_path / "out")
    assert "default/denver-support/denver-support-job-description.docx" in files
    assert "default/site/denver-support.html" not in files
    assert "default/denver-support/denver-support-job-description.jsonld" not in files
    held = [line for line in run.stderr.splitlines() if line.startswith("withheld default/site/denver-support.html")]
    assert len(held) == 1 and "lint finds" in held[0] and "(pay-transparency)" in held[0], run.stderr
    assert "content/roles/denver-support.yaml:" in held[0]
    assert "denver-support" not in index(tmp_path / "out")

    run = build(tmp_path / "out", "--allow", "pay-transparency")
    assert run.exit_code == 0, run.stderr
    assert "default/site/denver-support.html" in built(tmp_path / "out")


def test_json_logs_carry_each_withheld_document(content: Path, tmp_path: Path) -> None:
    set_state(content, "support-engineer", "review")
    run = build(tmp_path / "out", "--log-format", "json")
    events = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    held = [e for e in events if e.get("status") == "withheld"]
    assert {e["target"] for e in held} == {"default/site/support-engineer.html",
                                           "default/support-engineer/support-engineer-job-description.jsonld",
                                           "default/support-engineer/support-engineer-job-description.md",
                                           "default/support-engineer/support-engineer-job-description.docx"}
    assert next(e for e in events if e["event"] == "summary")["withheld"] == 4


def test_a_variant_does_not_inherit_its_parent_s_state(content: Path, tmp_path: Path) -> None:
    set_state(content, "support-engineer", "review")
    run = build(tmp_path / "out")
    assert run.exit_code == 0, run.stderr
    assert "default/site/senior-support-engineer.html" in built(tmp_path / "out")


def test_a_role_in_review_prints_only_in_a_drafts_build_marked_draft_on_every_page(content: Path, tmp_path: Path) -> None:
    import subprocess
    import zipfile

    set_state(content, "support-engineer", "review")
    out = tmp_path / "out"
    run = rolepack("build", "--content", "content", "--out", str(out), "--brand", "default", "-f", "pdf,docx,html",
                   "--kind", "job-description")
    assert run.exit_code == 0, run.stderr
    assert not [f for f in built(out) if "/support-engineer/" in f]
    assert "its authors see it with `build --drafts`" in run.stderr

    run = rolepack("build", "--content", "content", "--out", str(out), "--brand", "default", "-f", "pdf,docx,html",
                   "--kind", "job-description", "--drafts")
    assert run.exit_code == 0, run.stderr
    assert built(out / "drafts") == {"default/support-engineer/support-engineer-job-description.pdf",
                                     "default/support-engineer/support-engineer-job-description.docx"}
    pdf = out / "drafts" / "default" / "support-engineer" / "support-engineer-job-description.pdf"
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                                  check=True).stdout.splitlines() if line.startswith("Pages:")))
    for number in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "DRAFT" in text, f"page {number} does not say DRAFT"
    with zipfile.ZipFile(out / "drafts" / "default" / "support-engineer" / "support-engineer-job-description.docx") as docx:
        headers = [docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header")]
    assert len([h for h in headers if "DRAFT" in h]) == 2  # the first page's header and every other page's

    run = rolepack("build", "--content", "content", "--out", str(out), "--brand", "default", "--drafts",
                   "--role", "senior-support-engineer")
    assert run.exit_code == 2 and "is approved, so a drafts build does not make it" in run.stderr


def test_the_docx_pages_are_headed_by_the_company_not_the_brand(content: Path, tmp_path: Path) -> None:
    import zipfile

    run = rolepack("build", "--content", "content", "--out", str(tmp_path / "out"), "--brand", "default", "-f", "docx",
                   "--kind", "job-description", "--role", "support-engineer")
    assert run.exit_code == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "out" / "default" / "support-engineer" / "support-engineer-job-description.docx") as docx:
        headers = " ".join(docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header"))
    assert "EXAMPLE CO" in headers and "TIDEWATER" not in headers


def test_an_email_of_a_role_in_review_attaches_the_draft_marked_draft(content: Path, tmp_path: Path) -> None:
    import email
    import io
    import zipfile

    set_state(content, "support-engineer", "review")
    run = rolepack("email", "support-engineer", "--to", "lead@example.com", "--content", "content",
                   "--out", str(tmp_path / "out"))
    assert run.exit_code == 0, run.stderr
    message = email.message_from_bytes((tmp_path / "out" / "default" / "support-engineer" /
                                        "support-engineer-draft.eml").read_bytes())
    [attachment] = [part for part in message.walk() if part.get_filename()]
    with zipfile.ZipFile(io.BytesIO(attachment.get_payload(decode=True))) as docx:
        assert any(b"DRAFT" in docx.read(n) for n in docx.namelist() if n.startswith("word/header"))
