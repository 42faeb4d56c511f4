"""An interview kit per stage: `build --kind interview-kit` makes one PDF and one DOCX per stage of
the role's interview plan, each with that stage's questions and scorecard only; kits are internal
(never on the careers site) and built only when asked for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from conftest import TESTS, rolepack, snapshot
from pdf_support import pages_text, pdfinfo, squash

PANEL = TESTS / "fixtures" / "interviews" / "platform-engineer.yaml"
KITS = {"screen": "Recruiter screen", "infrastructure-design": "Infrastructure design",
        "incident-review": "Incident review"}


@pytest.fixture
def panel(content: Path) -> Path:
    shutil.copy(PANEL, content / "roles" / PANEL.name)
    return content


def kit(out: Path, stage: str, extension: str = "pdf") -> Path:
    return out / "default" / "platform-engineer" / f"platform-engineer-interview-kit-{stage}.{extension}"


def test_a_kit_per_stage_named_by_its_key_with_its_own_questions_and_scorecard(panel: Path, workdir: Path) -> None:
    run = rolepack("build", "--kind", "interview-kit", "--role", "platform-engineer", "-f", "pdf,docx",
                   "--brand", "default", "--out", "out")
    assert run.exit_code == 0, run.stderr
    made = sorted(p.name for p in (workdir / "out" / "default" / "platform-engineer").iterdir())
    assert made == sorted(f"platform-engineer-interview-kit-{key}.{ext}" for key in KITS for ext in ("docx", "pdf"))
    design = squash(" ".join(pages_text(kit(workdir / "out", "infrastructure-design"))))
    assert squash("Design a deployment pipeline for forty services") in design
    assert squash("A deploy doubled the error rate") in design  # operations is assessed here too
    assert squash("a change you had to explain") not in design  # communication is the other stages'
    assert squash("stage 2 of 3") in design and squash("Two platform engineers") in design
    assert squash("Systems design") in design and squash("A design others adopt") in design  # its anchors
    assert squash("Changes minds") not in design  # communication's anchors are not in this kit
    screen = squash(" ".join(pages_text(kit(workdir / "out", "screen"))))
    assert squash("a change you had to explain") in screen and squash("Design a deployment") not in screen
    assert pdfinfo(kit(workdir / "out", "screen"))["Tagged"] == "yes"
    words = "\n".join(p.text for p in Document(str(kit(workdir / "out", "incident-review", "docx"))).paragraphs)
    assert "Incident review" in words and "A deploy doubled the error rate" in words
    assert "Design a deployment pipeline" not in words


def test_the_scorecard_rates_attributes_first_and_the_overall_recommendation_last(panel: Path, workdir: Path) -> None:
    assert rolepack("build", "--kind", "interview-kit", "--role", "platform-engineer", "--brand", "default",
                    "--out", "out").exit_code == 0
    text = squash(pages_text(kit(workdir / "out", "infrastructure-design"))[-1])
    for earlier, later in (("Candidate", "Systems design"), ("Systems design", "Operations"),
                           ("Operations", "Overall recommendation")):
        assert text.index(squash(earlier)) < text.index(squash(later)), (earlier, later)
    assert all(squash(label) in text for label in ("1 · Strong no", "2 · Lean no", "3 · Lean yes", "4 · Strong yes"))


def test_a_stage_without_questions_is_reported_not_printed_empty(panel: Path, workdir: Path) -> None:
    role = panel / "roles" / "platform-engineer.yaml"
    role.write_text(role.read_text().replace("      focus: [operations, communication]",
                                             "      focus: [security]"))
    run = rolepack("build", "--kind", "interview-kit", "--role", "platform-engineer", "--brand", "default",
                   "--out", "out")
    assert run.exit_code == 0, run.stderr
    assert not kit(workdir / "out", "incident-review").exists()
    assert kit(workdir / "out", "screen").exists()
    assert "platform-engineer-interview-kit-incident-review.pdf" in run.stderr
    assert "the stage 'Incident review' has no question on the attributes it assesses (security)" in run.stderr


def test_two_stages_with_one_name_must_be_told_apart(panel: Path, workdir: Path) -> None:
    role = panel / "roles" / "platform-engineer.yaml"
    role.write_text(role.read_text().replace("name: Incident review", "name: Infrastructure design"))
    run = rolepack("validate")
    assert run.exit_code == 2
    assert any("platform-engineer.yaml" in line and "give one of them its own `id:`" in line for line in run.problems), run.stderr


def test_kits_are_built_only_when_asked_and_a_default_build_leaves_them(panel: Path, workdir: Path) -> None:
    assert rolepack("build", "--role", "platform-engineer", "--brand", "default", "--out", "out").exit_code == 0
    assert not list((workdir / "out").rglob("*interview-kit*"))
    assert rolepack("build", "--kind", "interview-kit", "--role", "platform-engineer", "--brand", "default",
                    "--out", "out").exit_code == 0
    kits = {p: p.read_bytes() for p in (workdir / "out").rglob("*interview-kit*")}
    assert len(kits) == 3
    assert rolepack("build", "--role", "platform-engineer", "--brand", "default", "--out", "out").exit_code == 0
    assert {p: p.read_bytes() for p in (workdir / "out").rglob("*interview-kit*")} == kits


def test_a_kit_of_a_stage_gone_and_of_a_role_gone_is_removed(panel: Path, workdir: Path) -> None:
    assert rolepack("build", "--kind", "interview-kit", "--role", "platform-engineer", "--brand", "default",
                    "--out", "out").exit_code == 0
    role = panel / "roles" / "platform-engineer.yaml"
    role.write_text(role.read_text().replace("name: Incident review", "name: Outage review"))
    run = rolepack("build", "--kind", "interview-kit", "--role", "platform-engineer", "--brand", "default",
                   "--out", "out")
    assert run.exit_code == 0, run.stderr
    assert not kit(workdir / "out", "incident-review").exists() and kit(workdir / "out", "outage-review").exists()
    role.unlink()
    assert rolepack("build", "--brand", "default", "-f", "pdf", "--kind", "job-description",
                    "--out", "out").exit_code == 0  # any build of the brand and format: the role is gone
    assert not list((workdir / "out").rglob("platform-engineer*"))


def test_no_web_format_makes_kits() -> None:
    """What keeps kits off the careers site, feeds and JSON-LD: only the print formats make them."""
    from pipeline.render.formats import formats

    assert sorted(name for name, f in formats().items() if "interview-kit" in f.kinds) == ["docx", "pdf"]
    assert not [name for name, f in formats().items() if f.publishes and "interview-kit" in f.kinds]


@pytest.mark.long  # make test checks the format registry (the test above)
def test_kits_never_reach_the_careers_site(panel: Path, workdir: Path) -> None:
    run = rolepack("build", "--kind", "job-description,interview-kit", "-f", "html,md,jsonld,pdf",
                   "--role", "platform-engineer", "--brand", "default", "--out", "out")
    assert run.exit_code == 0, run.stderr
    site = snapshot(workdir / "out" / "default" / "site")
    assert site and not [name for name in site if "interview-kit" in name]
    assert all(b"Design a deployment pipeline" not in data for _, data in site.values())
    published = [p for p in (workdir / "out").rglob("*interview-kit*") if p.suffix not in (".pdf",)]
    assert published == []


def test_the_content_settings_can_make_kits_part_of_every_build(panel: Path, workdir: Path) -> None:
    (panel / "rolepack.yaml").write_text("kinds: [hiring-guide, interview-kit]\n")
    run = rolepack("build", "--role", "platform-engineer", "--brand", "default", "--out", "out")
    assert run.exit_code == 0, run.stderr
    made = sorted(p.name for p in (workdir / "out" / "default" / "platform-engineer").iterdir())
    assert made == sorted(["platform-engineer-hiring-guide.pdf"]
                          + [f"platform-engineer-interview-kit-{key}.pdf" for key in KITS])
    (panel / "rolepack.yaml").write_text("kinds: [interview-kits]\n")
    run = rolepack("build", "--brand", "default", "--out", "out")
    assert run.exit_code == 2 and "unknown kind 'interview-kits'" in run.stderr


def test_a_kit_sent_to_merge_is_refused_with_where_edits_go(panel: Path, workdir: Path) -> None:
    assert rolepack("build", "--kind", "interview-kit", "--role", "platform-engineer", "-f", "docx",
                    "--brand", "default", "--out", "out").exit_code == 0
    run = rolepack("merge", str(kit(workdir / "out", "screen", "docx")))
    assert run.exit_code == 2
    assert "it is an interview kit, whose edits do not come back into the role" in run.stderr + run.stdout
