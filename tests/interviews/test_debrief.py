"""`rolepack debrief`: the panel's filled scorecards in, a debrief out, every number checked; forms
of another role or candidate, half-filled and unreadable ones set aside or flagged, each named; and
the candidate's data kept out of content/, the build and the output's records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, TESTS, rolepack, snapshot
from docx_support import ooxml_problems
from form_support import fill_docx, fill_pdf, scorecard
from pdf_support import pages_text, squash

PANEL = TESTS / "fixtures" / "interviews" / "platform-engineer.yaml"
FRENCH = TESTS / "fixtures" / "interviews" / "ingenieur-plateforme.yaml"
ROLE = "platform-engineer"


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture role's kits, PDF and DOCX, built once for the module (the panel's forms come from them)."""
    folder = tmp_path_factory.mktemp("kits")
    shutil.copytree(FIXTURE_CONTENT, folder / "content")
    shutil.copy(PANEL, folder / "content" / "roles" / PANEL.name)
    shutil.copy(FRENCH, folder / "content" / "roles" / FRENCH.name)
    run = rolepack("build", "--kind", "interview-kit", "-f", "pdf,docx", "--brand", "default",
                   "--content", str(folder / "content"), "--out", str(folder / "out"))
    assert run.exit_code == 0, run.stderr
    return folder / "out" / "default"


@pytest.fixture
def role(content: Path) -> Path:
    """The panel role in the working copy of the content, which `debrief` reads."""
    shutil.copy(PANEL, content / "roles" / PANEL.name)
    return content / "roles" / PANEL.name


def kit(kits: Path, stage: str, extension: str = "pdf", role: str = ROLE) -> Path:
    return kits / role / f"{role}-interview-kit-{stage}.{extension}"


def filled_pdf(kits: Path, folder: Path, stage: str, name: str, **card) -> Path:
    texts, choices = scorecard(ROLE, stage, **card)
    return fill_pdf(kit(kits, stage), folder / name, texts, choices)


@pytest.fixture
def panel(kits: Path, role: Path, tmp_path: Path) -> list[Path]:
    """The screen and the design interview filled as PDFs, the design's second interviewer in Word."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    screen = filled_pdf(kits, inbox, "screen", "screen.pdf", candidate="Ana Ruiz", interviewer="Lee Wu",
                        ratings={"communication": "lean_yes"}, evidence={"communication": "Explained a migration."},
                        overall="lean_yes")
    design_a = filled_pdf(kits, inbox, "infrastructure-design", "design-kofi.pdf", candidate="ana ruiz",
                          interviewer="Kofi Mensah", ratings={"design": "strong_yes", "operations": "lean_yes"},
                          evidence={"design": "Separated build from release.", "operations": "Rolled back first."},
                          overall="strong_yes")
    texts, _ = scorecard(ROLE, "infrastructure-design", candidate="Ana  Ruiz", interviewer="Mia Berg",
                         ratings={}, evidence={"design": "One pipeline for all teams.", "operations": "Rollback plan."})
    design_b = fill_docx(kit(kits, "infrastructure-design", "docx"), inbox / "design-mia.docx", texts, {
        f"{ROLE}/infrastructure-design/rating/design": ["lean_no"],
        f"{ROLE}/infrastructure-design/rating/operations": ["lean_yes"],
        f"{ROLE}/infrastructure-design/overall": ["lean_no"]})
    return [screen, design_a, design_b]


def test_the_debrief_sets_the_panel_side_by_side_with_every_number(panel: list[Path], workdir: Path) -> None:
    before = snapshot(workdir)
    run = rolepack("debrief", ROLE, "--candidate", "Ana Ruiz", *map(str, panel), "-f", "md,pdf,docx")
    assert run.exit_code == 0, run.stdout + run.stderr
    folder = workdir / "debriefs" / ROLE
    assert sorted(p.name for p in folder.iterdir()) == [f"{ROLE}-debrief-ana-ruiz.{e}" for e in ("docx", "md", "pdf")]
    md = (folder / f"{ROLE}-debrief-ana-ruiz.md").read_text()
    assert ooxml_problems(folder / f"{ROLE}-debrief-ana-ruiz.docx") == []
    # Ratings in interview-plan order; spread; mean; the 4-against-2 disagreement flagged.
    assert "| Systems design (weight 3) | 4 · 2 | 2 | 3 | **Ratings differ by 2 steps: discuss first** |" in md
    assert "| Operations (weight 2) | 3 · 3 | 0 | 3 |  |" in md
    assert "| Communication | 3 | 0 | 3 |  |" in md
    assert "| Security | – | – | – | Nobody assessed it |" in md
    # Weighted: (3×3 + 2×3 + 1×3) / 6 = 3; Security, not rated, does not count.
    assert "**Weighted summary: 3 of 4.**" in md and "not a decision" in md
    assert "No scorecard from these stages: Incident review." in md
    assert "67 % of the stages have a scorecard, below the 90 %" in md
    assert "Nobody assessed: Security." in md
    assert "| Lee Wu | Recruiter screen | 3 · Lean yes |" in md
    assert "| Kofi Mensah | Infrastructure design | 4 · Strong yes |" in md
    assert "| Mia Berg | Infrastructure design | 2 · Lean no |" in md
    assert "| Kofi Mensah | Infrastructure design | 4 · Strong yes | Separated build from release. |" in md
    assert "| Mia Berg | Infrastructure design | 2 · Lean no | One pipeline for all teams. |" in md
    assert md.count("# Ana Ruiz") == 1  # the name as the panel typed it
    pdf = squash(" ".join(pages_text(folder / f"{ROLE}-debrief-ana-ruiz.pdf")))
    assert squash("Ratings differ by 2 steps: discuss first") in pdf and squash("One pipeline for all teams.") in pdf
    after = {path: value for path, value in snapshot(workdir).items() if not path.startswith("debriefs/")}
    assert after == before  # the debrief's folder is the only thing written: not content/, no build, no log
    assert f"delete {Path('debriefs') / ROLE}" in run.stdout


def test_forms_of_another_role_or_candidate_or_half_filled_are_named_and_the_rest_builds(
        panel: list[Path], kits: Path, tmp_path: Path, workdir: Path) -> None:
    other_role = fill_pdf(kit(kits, "support-scenario", role="support-engineer"), tmp_path / "other-role.pdf",
                          *scorecard("support-engineer", "support-scenario", candidate="Ana Ruiz", interviewer="X",
                                     ratings={"empathy": "lean_yes"}, overall="lean_yes"))
    other_candidate = filled_pdf(kits, tmp_path, "incident-review", "other-candidate.pdf", candidate="Bo Chen",
                                 interviewer="Sam", ratings={"operations": "lean_yes"}, overall="lean_yes")
    half = filled_pdf(kits, tmp_path, "incident-review", "half.pdf", candidate="Ana Ruiz", interviewer="",
                      ratings={"operations": "lean_no"})
    unreadable = tmp_path / "notes.pdf"
    unreadable.write_text("not a form")
    run = rolepack("debrief", ROLE, "--candidate", "Ana Ruiz", *map(str, panel), str(other_role),
                   str(other_candidate), str(half), str(unreadable), "-f", "md")
    assert run.exit_code == 1, run.stdout + run.stderr
    assert f"{other_role}: it is a scorecard for the role 'support-engineer', not '{ROLE}'" in run.stderr
    assert f"{other_candidate}: it is the scorecard of another candidate" in run.stderr
    assert "Bo Chen" not in run.stderr + run.stdout  # another candidate's name is not repeated anywhere
    assert f"{unreadable}: it is neither a PDF nor a Word document" in run.stderr
    assert (f"{half}: lacks evidence for its Operations rating; a rating for Communication; an overall "
            "recommendation; the interviewer's name") in run.stderr
    md = (workdir / "debriefs" / ROLE / f"{ROLE}-debrief-ana-ruiz.md").read_text()
    assert "Bo Chen" not in md
    assert "| Operations (weight 2) | 3 · 3 · 2 | 1 | 2.7 |  |" in md  # the half-filled form's rating counts
    assert "No scorecard from these stages" not in md  # the incident review is in, if only in part
    assert "Set aside: other-role.pdf: it is a scorecard for another role." in md
    assert "An interviewer (Incident review) left out evidence for the Operations rating; a rating for Communication" in md


def test_no_usable_scorecard_writes_nothing(kits: Path, role: Path, workdir: Path) -> None:
    empty = kit(kits, "screen")
    run = rolepack("debrief", ROLE, "--candidate", "Ana Ruiz", str(empty))
    assert run.exit_code == 2
    assert "it does not name the candidate" in run.stderr and "no debrief was written" in run.stderr
    assert not (workdir / "debriefs").exists()


def test_a_stage_the_role_no_longer_has_is_named(panel: list[Path], workdir: Path) -> None:
    file = workdir / "content" / "roles" / "platform-engineer.yaml"
    file.write_text(file.read_text().replace("id: screen", "id: phone-screen"))
    run = rolepack("debrief", ROLE, "--candidate", "Ana Ruiz", *map(str, panel), "-f", "md")
    assert run.exit_code == 1
    assert "it is the scorecard of a stage 'screen' that the role does not have" in run.stderr


def test_a_french_role_gets_its_debrief_in_french(kits: Path, content: Path, tmp_path: Path, workdir: Path) -> None:
    shutil.copy(FRENCH, content / "roles" / FRENCH.name)
    role = "ingenieur-plateforme"
    texts, choices = scorecard(role, "conception", candidate="Léa Martin", interviewer="Karim Benali",
                               ratings={"conception": "strong_yes", "exploitation": "lean_yes"},
                               evidence={"conception": "Retour arrière par équipe."}, overall="strong_yes")
    first = fill_pdf(kit(kits, "conception", role=role), tmp_path / "c.pdf", texts, choices)
    texts, _ = scorecard(role, "incident", candidate="Léa Martin", interviewer="Chloé Durand", ratings={})
    second = fill_docx(kit(kits, "incident", "docx", role=role), tmp_path / "i.docx", texts,
                       {f"{role}/incident/rating/exploitation": ["strong_no"], f"{role}/incident/overall": ["lean_no"]})
    run = rolepack("debrief", role, "--candidate", "lea martin", str(first), str(second), "-f", "md")
    assert run.exit_code == 1, run.stdout + run.stderr  # the incident review's form lacks a rating and evidence
    md = (workdir / "debriefs" / role / f"{role}-debrief-lea-martin.md").read_text()
    assert "# Léa Martin" in md
    assert "| Conception de systèmes (coefficient 2) | 4 | 0 | 4 |  |" in md
    assert "| Exploitation | 3 · 1 | 2 | 2 | **Écart de 2 points : à discuter en premier** |" in md
    assert "| Communication | – | – | – | Non évalué |" in md
    assert "**Synthèse pondérée : 3,3 sur 4.**" in md  # (2 × 4 + 1 × 2) / 3
    assert "| Chloé Durand | Revue d’incident | 2 · Plutôt non |" in md
    for english in ("Nobody", "Ratings", "Weighted", "left out", "Stage", "Evidence"):
        assert english not in md


def test_a_debrief_folder_that_cannot_be_written_is_one_line(panel: list[Path], workdir: Path) -> None:
    (workdir / "debriefs").write_text("a file where the folder should be")
    run = rolepack("debrief", ROLE, "--candidate", "Ana Ruiz", *map(str, panel), "-f", "md")
    assert run.exit_code == 1 and isinstance(run.exception, SystemExit), run.exception
    assert run.stderr.startswith("error: ") and "debriefs" in run.stderr
