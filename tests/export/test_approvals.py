"""Approvals: who approved which content, an edit that lapses them, and `status`.

`rolepack approve` appends a line to content/approvals.yaml with the digest of the role as it stands
(its parents and the company text it prints included). A content folder whose rolepack.yaml asks for
approvals publishes a role only with all of them current; any edit to what they covered puts the
role back in review, named in `status` and in the build's withheld lines.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import rolepack


def require(content: Path, *parts: str) -> None:
    (content / "rolepack.yaml").write_text(f"approvals: [{', '.join(parts)}]\n", encoding="utf-8")


def status_of(slug: str) -> str:
    run = rolepack("status", "--content", "content")
    assert run.exit_code == 0, run.stderr
    return next(line for line in run.stdout.splitlines() if line.startswith(slug + " "))


def site_page_built(tmp_path: Path, slug: str) -> bool:
    run = rolepack("build", "--content", "content", "--out", str(tmp_path / "out"), "--brand", "default",
                   "-f", "html", "--allow", "pay-transparency")
    assert run.exit_code == 0, run.stderr
    return (tmp_path / "out" / "default" / "site" / f"{slug}.html").is_file()


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_role_is_published_once_every_required_approval_is_in(content: Path, tmp_path: Path) -> None:
    require(content, "hiring-manager", "recruiter")
    assert "waiting for approval by hiring-manager, recruiter" in status_of("support-engineer")
    assert not site_page_built(tmp_path, "support-engineer")

    run = rolepack("approve", "support-engineer", "--by", "Priya Shah", "--as", "hiring-manager", "--content", "content")
    assert run.exit_code == 0, run.stderr
    assert "Still waiting for: recruiter." in run.stdout
    assert not site_page_built(tmp_path, "support-engineer")

    assert rolepack("approve", "support-engineer", "--by", "Sam Okafor", "--as", "recruiter",
                    "--content", "content").exit_code == 0
    line = status_of("support-engineer")
    assert " approved " in line and "Priya Shah (hiring-manager) on 2026-06-01" in line
    assert site_page_built(tmp_path, "support-engineer")
    recorded = yaml.safe_load((content / "approvals.yaml").read_text(encoding="utf-8"))["approvals"]
    assert [(a["role"], a["by"], a["as"]) for a in recorded] == [
        ("support-engineer", "Priya Shah", "hiring-manager"), ("support-engineer", "Sam Okafor", "recruiter")]


def test_the_last_approval_moves_a_role_in_review_to_approved_in_its_file(content: Path) -> None:
    require(content, "hiring-manager")
    role = content / "roles" / "support-engineer.yaml"
    edit(role, "\ntitle:", "\nstate: review\ntitle:")
    before = role.read_text(encoding="utf-8")
    run = rolepack("approve", "support-engineer", "--by", "Priya Shah", "--content", "content")
    assert run.exit_code == 0, run.stderr
    assert role.read_text(encoding="utf-8") == before.replace("\nstate: review\n", "\nstate: approved\n")


def test_an_edit_to_the_role_its_parent_or_the_company_text_lapses_the_approval(content: Path) -> None:
    require(content, "hiring-manager")
    for slug in ("support-engineer", "senior-support-engineer"):
        assert rolepack("approve", slug, "--by", "Priya Shah", "--content", "content").exit_code == 0
    assert " approved " in status_of("senior-support-engineer")

    edit(content / "roles" / "support-engineer.yaml", "Help customers get unstuck.", "Help customers get going again.")
    for slug in ("support-engineer", "senior-support-engineer"):  # the variant prints its parent's summary
        assert "changed (job_description) since Priya Shah (hiring-manager) approved it on 2026-06-01" in status_of(slug)

    assert rolepack("approve", "support-engineer", "--by", "Priya Shah", "--content", "content").exit_code == 0
    assert " approved " in status_of("support-engineer")
    company = content / "company.yaml"
    text = company.read_text(encoding="utf-8")
    company.write_text(text.replace("name: Example Co", "name: Example Company", 1), encoding="utf-8")
    assert "changed (company) since" in status_of("support-engineer")


def test_approving_again_what_is_already_approved_records_nothing(content: Path) -> None:
    assert rolepack("approve", "support-engineer", "--by", "Priya Shah", "--content", "content").exit_code == 0
    run = rolepack("approve", "support-engineer", "--by", "Priya Shah", "--content", "content")
    assert "already approved" in run.stdout
    assert (content / "approvals.yaml").read_text(encoding="utf-8").count("support-engineer") == 1


def test_a_draft_or_an_unknown_role_cannot_be_approved(content: Path) -> None:
    edit(content / "roles" / "support-engineer.yaml", "\ntitle:", "\nstate: draft\ntitle:")
    run = rolepack("approve", "support-engineer", "--by", "Priya Shah", "--content", "content")
    assert run.exit_code == 2 and "is a draft" in run.stderr
    run = rolepack("approve", "suport-engineer", "--by", "Priya Shah", "--content", "content")
    assert run.exit_code == 2 and "no role 'suport-engineer' (did you mean 'senior-support-engineer'?)" in run.stderr  # the other is a draft
    assert not (content / "approvals.yaml").exists()


def test_a_damaged_approvals_file_is_a_located_error(content: Path) -> None:
    (content / "approvals.yaml").write_text("approvals:\n  - {role: support-engineer, by: P, as: Boss, on: soon}\n",
                                            encoding="utf-8")
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == 2
    assert any(p.startswith("content/approvals.yaml:2:") for p in run.problems), run.stderr


def test_status_lists_every_state(content: Path) -> None:
    edit(content / "roles" / "senior-support-engineer.yaml", "\ntitle:", "\nstate: closed\ntitle:")
    (content / "roles" / "night-support.yaml").write_text("state: draft\nextends: support-engineer\ntitle: <<REPLACE>>\n",
                                                          encoding="utf-8")
    run = rolepack("status", "--content", "content")
    assert run.exit_code == 0, run.stderr
    states = {line.split()[0]: line.split()[1] for line in run.stdout.splitlines()[:-1]}
    assert states == {"night-support": "draft", "senior-support-engineer": "closed", "support-engineer": "approved"}
    assert run.stdout.splitlines()[-1] == "1 approved, 1 draft, 1 closed"


def test_an_edit_after_approval_keeps_the_approved_documents_until_it_is_approved(content: Path, tmp_path: Path) -> None:
    require(content, "hiring-manager")
    assert rolepack("approve", "support-engineer", "--by", "Priya Shah", "--content", "content").exit_code == 0
    out = tmp_path / "out"
    args = ("build", "--content", "content", "--out", str(out), "--brand", "default", "-f", "docx,html",
            "--kind", "job-description", "--role", "support-engineer", "--allow", "pay-transparency")
    assert rolepack(*args).exit_code == 0
    approved = {p: p.read_bytes() for p in out.rglob("support-engineer*") if p.is_file()}
    assert len(approved) == 2

    edit(content / "roles" / "support-engineer.yaml", "Help customers get unstuck.", "Help customers, fast.")
    run = rolepack(*args)
    assert run.exit_code == 0, run.stderr
    assert ("withheld default/site/support-engineer.html: the role is waiting for approval by hiring-manager; "
            "the content changed (job_description) since Priya Shah (hiring-manager) approved it") in run.stderr
    assert {p: p.read_bytes() for p in out.rglob("support-engineer*") if p.is_file()} == approved
