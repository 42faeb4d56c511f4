"""Drafts come back: a hiring manager's Word edits, tracked changes and comments merged into the role.

Drafts are built once per module from a copy of the demo content (and a French role); each test
then edits a draft as Word or LibreOffice would (tests/draft_support.py), merges it into a fresh copy
of the same content, and checks the exact YAML that results: the lines no edit touched are
byte-identical, because the expected text is the original with only the edited lines replaced.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import REPO, rolepack, snapshot, without_approvals
from draft_support import Edits, libreoffice_resave
from pipeline import cli

FRENCH = REPO / "tests" / "fixtures" / "drafts" / "ingenieur-support.yaml"
DANA = ("Dana Reyes", "2026-12-03T10:42:00Z")
SAM = ("Sam Okafor", "2026-12-03T11:00:00Z")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """content/ as the drafts were built from it, and the drafts in out/<brand>/<role>/."""
    root = tmp_path_factory.mktemp("drafts")
    without_approvals(shutil.copytree(REPO / "content", root / "content"))
    shutil.copy(FRENCH, root / "content" / "roles")
    for role, brands in (("backend-engineer", ("default", "harbor")), ("senior-backend-engineer", ("default",)),
                         ("ingenieur-support", ("default",))):
        args = ["build", "-f", "docx", "--content", str(root / "content"), "--out", str(root / "out"), "--role", role]
        for brand in brands:
            args += ["--brand", brand]
        result = rolepack(*args)
        assert result.exit_code == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def site(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the content the drafts were built from, as the working directory."""
    shutil.copytree(built / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def draft(built: Path, role: str = "backend-engineer", kind: str = "job-description", brand: str = "default") -> Path:
    return built / "out" / brand / role / f"{role}-{kind}.docx"


def role_file(site: Path, role: str = "backend-engineer") -> Path:
    return site / "content" / "roles" / f"{role}.yaml"


def merge(*args: str) -> tuple[int, str]:
    result = rolepack("merge", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    """`text` with each old line block replaced: the expected file, every other byte the original's."""
    for old, new in pairs:
        assert text.count(old) == 1, f"{old!r} is not once in the file"
        text = text.replace(old, new)
    return text


# The six edits of the issue, and what each must do to backend-engineer.yaml -----------------------

REWORDED = "Put security controls in place, from sign-in to how we handle sensitive fields."
ADDED = "Mentor newer engineers through code review and pairing."
EQUITY = "Every hire receives stock options that vest over four years."
EQUITY_WAS = ("Stock options at every level, vesting over four years with a one-year cliff; grant size rises with "
              "level and is stated in writing with the offer.")
ABOUT = "You will also help us choose what to build next."


def six_edits_yaml(original: str, *, comment: str = "") -> str:
    return replaced(
        original,
        ("    - Build and evolve the backend services and APIs behind our product, designed to cope with growth.\n",
         "    - Build and evolve the backend services and APIs behind our product, designed to cope with growth."
         + (f"  # {comment}" if comment else "") + "\n"),
        ("    - Put security and data-protection controls in place, from authentication to the handling of sensitive fields.\n",
         f"    - {REWORDED}\n"),
        ("    - Investigate production problems, ship fixes and follow up so the same issue does not return.\n", ""),
        ("    - Track how services perform in production and make improvements based on what the metrics show.\n",
         "    - Track how services perform in production and make improvements based on what the metrics show.\n"
         f"    - {ADDED}\n"),
        ("      min: 105210\n      max: 135980\n", "      min: 106000\n      max: 136000\n"),
        ("  equity: >-\n    Stock options at every level, vesting over four years with a one-year cliff; grant size rises\n"
         "    with level and is stated in writing with the offer.\n", f"  equity: >-\n    {EQUITY}\n"),
        ("      help shape its architecture.\n  key_responsibilities:\n",
         f"      help shape its architecture.\n    - {ABOUT}\n  key_responsibilities:\n"),
    )


def direct_six(source: Path, target: Path) -> Path:
    edits = Edits(source)
    edits.retype("Put security and data-protection", REWORDED)
    edits.type_after("Track how services perform", ADDED)
    edits.delete("Investigate production problems")
    edits.retype("$105,210 – $135,980", "$106,000 – $136,000")
    edits.retype("Stock options at every level", EQUITY, old=EQUITY_WAS)
    edits.type_after("As the platform grows", ABOUT)
    return edits.save(target)


def tracked_six(source: Path, target: Path) -> Path:
    edits = Edits(source)
    edits.track_replace("Put security and data-protection", REWORDED, *DANA)
    edits.track_type_after("Track how services perform", ADDED, *DANA)
    edits.track_delete("Investigate production problems", *DANA)
    edits.track_replace("$105,210 – $135,980", "$106,000 – $136,000", *DANA)
    edits.track_replace("Stock options at every level", EQUITY, *SAM, old=EQUITY_WAS)
    edits.track_type_after("As the platform grows", ABOUT, *SAM)
    edits.comment("Build and evolve the backend services", "Can we say which services?", *SAM)
    return edits.save(target)


# An unedited draft ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["job-description", "hiring-guide"])
@pytest.mark.parametrize("brand", ["default", "harbor"])
def test_an_unedited_draft_has_nothing_to_merge(built, site, kind, brand):
    code, out = merge(str(draft(built, kind=kind, brand=brand)))
    assert code == 0, out
    assert "No edits: the draft says what the role says." in out


def test_an_unedited_draft_saved_by_libreoffice_has_nothing_to_merge(built, site, tmp_path):
    for kind in ("job-description", "hiring-guide"):
        saved = libreoffice_resave(draft(built, kind=kind), tmp_path / "saved")
        code, out = merge(str(saved))
        assert code == 0, out
        assert "No edits" in out, out


def test_every_docx_records_its_role_digest_and_where_each_piece_came_from(built):
    with zipfile.ZipFile(draft(built)) as package:
        records = [package.read(n) for n in package.namelist() if n.startswith("customXml/item") and "Props" not in n
                   and b"urn:rolepack:draft:1" in package.read(n)]
        body = package.read("word/document.xml")
    assert len(records) == 1
    assert b'role="backend-engineer"' in records[0] and b'kind="job-description"' in records[0]
    assert b'source="role:job_description.key_responsibilities.2"' in records[0]
    assert b'source="pay:compensation.levels.1"' in records[0]
    assert b'w:name="_rp' in body


# The six edits --------------------------------------------------------------------------------

def test_six_direct_edits_merge_into_exactly_those_lines(built, site, tmp_path):
    edited = direct_six(draft(built), tmp_path / "edited.docx")
    original = role_file(site).read_text(encoding="utf-8")

    code, out = merge(str(edited))
    assert code == 0, out
    assert role_file(site).read_text(encoding="utf-8") == original, "merge without --apply wrote"
    assert "job_description.key_responsibilities[2]" in out and f"+ {REWORDED}" in out
    assert "compensation.levels[1]" in out

    code, out = merge(str(edited), "--apply")
    assert code == 0, out
    assert role_file(site).read_text(encoding="utf-8") == six_edits_yaml(original)


def test_tracked_changes_wait_for_acceptance_and_comments_are_kept(built, site, tmp_path):
    edited = tracked_six(draft(built), tmp_path / "tracked.docx")
    original = role_file(site).read_text(encoding="utf-8")

    code, out = merge(str(edited), "--apply")
    assert code == 1, out
    assert role_file(site).read_text(encoding="utf-8") == replaced(original, (  # the comment, and no change
        "    - Build and evolve the backend services and APIs behind our product, designed to cope with growth.\n",
        "    - Build and evolve the backend services and APIs behind our product, designed to cope with growth."
        "  # Sam Okafor, 2026-12-03 11:00: Can we say which services?\n"))
    assert "by Dana Reyes, 2026-12-03 10:42" in out and "by Sam Okafor, 2026-12-03 11:00" in out
    assert "C1  Sam Okafor, 2026-12-03 11:00 on “Build and evolve the backend services" in out
    assert "Can we say which services?" in out

    code, out = merge(str(edited), "--accept", "all", "--apply")
    assert code == 0, out
    assert role_file(site).read_text(encoding="utf-8") == six_edits_yaml(
        original, comment="Sam Okafor, 2026-12-03 11:00: Can we say which services?")


def test_accepting_one_tracked_change_applies_it_alone_and_leaves_the_rest_open(built, site, tmp_path):
    edited = tracked_six(draft(built), tmp_path / "tracked.docx")
    original = role_file(site).read_text(encoding="utf-8")
    _, out = merge(str(edited))
    equity = next(line.split()[0] for line in out.splitlines() if "compensation.equity by" in line)

    code, out = merge(str(edited), "--accept", equity, "--reject", "T1", "--apply")
    assert code == 1, out  # four tracked changes still open
    assert role_file(site).read_text(encoding="utf-8") == replaced(
        original,
        ("  equity: >-\n    Stock options at every level, vesting over four years with a one-year cliff; grant size rises\n"
         "    with level and is stated in writing with the offer.\n", f"  equity: >-\n    {EQUITY}\n"),
        ("    - Build and evolve the backend services and APIs behind our product, designed to cope with growth.\n",
         "    - Build and evolve the backend services and APIs behind our product, designed to cope with growth."
         "  # Sam Okafor, 2026-12-03 11:00: Can we say which services?\n"))


@pytest.mark.parametrize("when", ["before editing", "after editing"])
def test_a_draft_saved_by_libreoffice_merges_the_same(built, site, tmp_path, when):
    original = role_file(site).read_text(encoding="utf-8")
    if when == "before editing":
        resaved = libreoffice_resave(draft(built), tmp_path / "lo")
        edited = direct_six(resaved, tmp_path / "edited.docx")
    else:
        edited = libreoffice_resave(direct_six(draft(built), tmp_path / "edited.docx"), tmp_path / "lo")
    code, out = merge(str(edited), "--apply")
    assert code == 0, out
    assert role_file(site).read_text(encoding="utf-8") == six_edits_yaml(original)


@pytest.mark.long  # make test re-saves edited and unedited drafts through LibreOffice above
def test_tracked_changes_and_comments_survive_a_libreoffice_save(built, site, tmp_path):
    edited = libreoffice_resave(tracked_six(draft(built), tmp_path / "tracked.docx"), tmp_path / "lo")
    original = role_file(site).read_text(encoding="utf-8")
    code, out = merge(str(edited), "--accept", "all", "--apply")
    assert code == 0, out
    assert role_file(site).read_text(encoding="utf-8") == six_edits_yaml(
        original, comment="Sam Okafor, 2026-12-03 11:00: Can we say which services?")


def test_the_other_brand_s_draft_merges_the_same(built, site, tmp_path):
    original = role_file(site).read_text(encoding="utf-8")
    edited = direct_six(draft(built, brand="harbor"), tmp_path / "edited.docx")
    code, out = merge(str(edited), "--apply")
    assert code == 0, out
    assert role_file(site).read_text(encoding="utf-8") == six_edits_yaml(original)


def test_a_french_draft_merges_french_amounts_and_text(built, site, tmp_path):
    edits = Edits(draft(built, role="ingenieur-support"))
    edits.retype("Rédiger et tenir à jour", "Rédiger les articles d'aide et les relire chaque trimestre.")
    edits.retype("38\u202f000", "39\u202f000\u00a0€ – 47\u202f000\u00a0€")
    edits.type_after("Bases du protocole HTTP", "Notions de réseau")
    edited = edits.save(tmp_path / "fr.docx")
    original = role_file(site, "ingenieur-support").read_text(encoding="utf-8")
    code, out = merge(str(edited), "--apply")
    assert code == 0, out
    assert role_file(site, "ingenieur-support").read_text(encoding="utf-8") == replaced(
        original,
        ("    - Rédiger et tenir à jour les articles d'aide.\n",
         "    - Rédiger les articles d'aide et les relire chaque trimestre.\n"),
        ("      min: 38000\n      max: 46000\n", "      min: 39000\n      max: 47000\n"),
        ("    - Bases du protocole HTTP\n", "    - Bases du protocole HTTP\n    - Notions de réseau\n"))


def test_a_hiring_guide_merges_into_the_interview_kit_never_the_job_description(built, site, tmp_path):
    edits = Edits(draft(built, kind="hiring-guide"))
    edits.retype("Design an API for creating payments", "Design an API for payments that never charges twice.",
                 old="Design an API for creating payments so that a retried request never charges a customer twice.")
    edited = edits.save(tmp_path / "guide.docx")
    original = role_file(site).read_text(encoding="utf-8")
    code, out = merge(str(edited), "--apply")
    assert code == 0, out
    assert "interview.questions[1].question" in out
    assert role_file(site).read_text(encoding="utf-8") == replaced(original, (
        "    - question: Design an API for creating payments so that a retried request never charges a customer twice.\n",
        "    - question: Design an API for payments that never charges twice.\n"))


def test_enter_inside_a_bullet_makes_a_new_item_and_keeps_both_halves(built, site, tmp_path):
    edits = Edits(draft(built))
    edits.split("Write code that is readable", "so the next person")
    edits.retype("Write code that is readable", "Write code that is readable and tested.")
    edits.retype("so the next person can change it safely.", "Document it so the next person can change it safely.")
    original = role_file(site).read_text(encoding="utf-8")
    code, out = merge(str(edits.save(tmp_path / "split.docx")), "--apply")
    assert code == 0, out
    assert role_file(site).read_text(encoding="utf-8") == replaced(original, (
        "    - Write code that is readable, tested and documented, so the next person can change it safely.\n",
        "    - Write code that is readable and tested.\n    - Document it so the next person can change it safely.\n"))


def test_text_typed_at_either_end_of_a_paragraph_belongs_to_its_field(built, site, tmp_path):
    """Word and LibreOffice put what is typed at a bookmark's very end or start outside it."""
    edits = Edits(draft(built))
    edits.type_at_end("Review teammates' changes", " Pairing counts too.")
    edits.type_at_start("Model data and tune schemas", "Always: ")
    edits.type_at_end("Stock options at every level", " Ask us about refreshers.")  # not alone in its paragraph
    original = role_file(site).read_text(encoding="utf-8")
    code, out = merge(str(edits.save(tmp_path / "ends.docx")), "--apply")
    assert code == 1, out  # the sentence after the equity and bonus spans sits outside both: reported, not guessed
    assert "+ Ask us about refreshers." in out
    assert role_file(site).read_text(encoding="utf-8") == replaced(original, (
        "    - Review teammates' changes and take an active part in technical and design discussions.\n",
        "    - Review teammates' changes and take an active part in technical and design discussions. Pairing counts too.\n"), (
        "    - Model data and tune schemas and queries so that pages and background jobs stay fast.\n",
        "    - 'Always: Model data and tune schemas and queries so that pages and background jobs stay fast.'\n"))


def test_a_moved_item_is_reported_with_the_new_order_and_the_other_edits_merge(built, site, tmp_path):
    edits = Edits(draft(built))
    edits.move_after("Build and evolve the backend services", "Model data and tune schemas")
    edits.retype("Put security and data-protection", REWORDED)
    code, out = merge(str(edits.save(tmp_path / "moved.docx")), "--apply")
    assert code == 1, out
    assert "job_description.key_responsibilities: items moved [open]" in out
    assert "- [0] [1] [2] [3] [4] [5] [6] [7]" in out and "+ [1] [0] [2] [3] [4] [5] [6] [7]" in out
    assert f"    - {REWORDED}\n" in role_file(site).read_text(encoding="utf-8")


# Three ways -----------------------------------------------------------------------------------

def test_a_role_changed_since_the_draft_merges_edits_to_other_fields(built, site, tmp_path):
    file = role_file(site)
    ours = file.read_text(encoding="utf-8").replace(
        "    - Model data and tune schemas and queries so that pages and background jobs stay fast.\n",
        "    - Model data and tune schemas, indexes and queries so that pages and jobs stay fast.\n")
    file.write_text(ours, encoding="utf-8")
    edits = Edits(draft(built))
    edits.retype("Put security and data-protection", REWORDED)
    code, out = merge(str(edits.save(tmp_path / "e.docx")), "--apply")
    assert code == 0, out
    assert "the role has changed since" in out
    assert file.read_text(encoding="utf-8") == replaced(
        ours, ("    - Put security and data-protection controls in place, from authentication to the handling of "
               "sensitive fields.\n", f"    - {REWORDED}\n"))


def test_a_field_changed_on_both_sides_is_a_conflict_shown_three_ways_and_not_applied(built, site, tmp_path):
    file = role_file(site)
    ours = file.read_text(encoding="utf-8").replace(
        "    - Put security and data-protection controls in place, from authentication to the handling of sensitive fields.\n",
        "    - Own security and data protection, from authentication to sensitive fields.\n")
    file.write_text(ours, encoding="utf-8")
    edits = Edits(draft(built))
    edits.retype("Put security and data-protection", REWORDED)
    edits.type_after("Track how services perform", ADDED)
    code, out = merge(str(edits.save(tmp_path / "e.docx")), "--apply")
    assert code == 1, out
    assert "CONFLICT" in out
    assert "- Put security and data-protection controls in place" in out  # the base
    assert f"+ {REWORDED}" in out  # the draft
    assert "now in backend-engineer.yaml: Own security and data protection" in out  # the content now
    assert file.read_text(encoding="utf-8") == replaced(ours, (
        "    - Track how services perform in production and make improvements based on what the metrics show.\n",
        "    - Track how services perform in production and make improvements based on what the metrics show.\n"
        f"    - {ADDED}\n"))


# What the role file cannot take alone ---------------------------------------------------------

def test_company_text_and_inherited_fields_are_proposals_left_open(built, site, tmp_path):
    edits = Edits(draft(built, role="senior-backend-engineer"))
    edits.retype("Tidewater Software builds", "Tidewater Software designs", old="Tidewater Software builds")
    edited = edits.save(tmp_path / "senior.docx")
    before = snapshot(site / "content")
    code, out = merge(str(edited), "--apply")
    assert code == 1, out
    assert "company text (company.yaml: about[0])" in out
    assert snapshot(site / "content") == before


def test_an_edit_to_a_field_a_variant_inherits_is_left_open_naming_the_parent(built, site, tmp_path):
    edits = Edits(draft(built, role="senior-backend-engineer"))
    department = edits.body.xpath("//w:p[.//w:t[. = 'Engineering']]", namespaces={"w": edits.root.nsmap["w"]})
    assert len(department) == 1
    next(t for t in department[0].iter() if t.text == "Engineering").text = "Platform Engineering"
    edits.retype("Own the architecture of one or more", "Own the architecture of two core backend domains.")
    edited = edits.save(tmp_path / "senior.docx")
    code, out = merge(str(edited), "--apply")
    assert code == 1, out
    assert "this role inherits department from content/roles/backend-engineer.yaml" in out
    changed = role_file(site, "senior-backend-engineer").read_text(encoding="utf-8")
    assert "    - Own the architecture of two core backend domains.\n" in changed
    assert "department" not in changed


def test_text_typed_outside_any_field_is_reported_under_its_heading_not_dropped(built, site, tmp_path):
    edits = Edits(draft(built))
    edits.type_after("How to apply", "We reply to every application within ten working days.", plain=True)
    edited = edits.save(tmp_path / "free.docx")
    code, out = merge(str(edited), "--apply")
    assert code == 1, out
    assert "new text under “How to apply”" in out
    assert "+ We reply to every application within ten working days." in out
    assert "job_description.sections" in out


def test_a_pay_cell_that_cannot_be_read_as_a_band_is_left_open(built, site, tmp_path):
    edits = Edits(draft(built))
    edits.retype("$105,210 – $135,980", "$140,000 – $120,000")
    edited = edits.save(tmp_path / "bad.docx")
    before = snapshot(site / "content")
    code, out = merge(str(edited), "--apply")
    assert code == 1, out
    assert "first amount is above its second" in out
    assert snapshot(site / "content") == before


def test_a_merge_whose_result_would_not_validate_writes_nothing(built, site, tmp_path):
    edits = Edits(draft(built))
    title = edits.body.xpath("//w:p[normalize-space(.) = 'Backend Engineer']", namespaces={"w": edits.root.nsmap["w"]})
    assert len(title) == 1
    for t in title[0].iter("{%s}t" % edits.root.nsmap["w"]):
        t.text = ""
    edited = edits.save(tmp_path / "bad.docx")
    before = snapshot(site / "content")
    code, out = merge(str(edited), "--apply")
    assert code == 2, out
    assert "the merged role would not validate, so nothing was written" in out
    assert snapshot(site / "content") == before


# Bad drafts -----------------------------------------------------------------------------------

def _record_edited(source: Path, target: Path, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(source) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    for name, data in parts.items():
        if name.startswith("customXml/item") and "Props" not in name and b"urn:rolepack:draft:1" in data:
            assert old in data
            parts[name] = data.replace(old, new)
    with zipfile.ZipFile(target, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return target


def _foreign(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Backend Engineer")
    document.save(path)
    return path


@pytest.mark.parametrize("case, says", [
    ("not rolepack's", "carries no rolepack record"),
    ("a path that does not exist", "a field a role does not have"),
    ("a path outside the role", "not a content field"),
    ("a corrupt zip", "not a Word document"),
    ("a role that is gone", "which content no longer has"),
])
def test_a_bad_draft_is_a_clear_error_and_nothing_is_written(built, site, tmp_path, case, says):
    source = draft(built)
    if case == "not rolepack's":
        bad = _foreign(tmp_path / "other.docx")
    elif case == "a path that does not exist":
        bad = _record_edited(source, tmp_path / "t.docx", b'source="role:job_description.summary"',
                             b'source="role:job_description.salary_secret"')
    elif case == "a path outside the role":
        bad = _record_edited(source, tmp_path / "t.docx", b'source="role:job_description.summary"',
                             b'source="role:../../etc/passwd"')
    elif case == "a corrupt zip":
        bad = tmp_path / "corrupt.docx"
        bad.write_bytes(source.read_bytes()[:2000])
    else:
        bad = _record_edited(source, tmp_path / "t.docx", b'role="backend-engineer"', b'role="retired-engineer"')
    before = snapshot(site / "content")
    code, out = merge(str(bad), "--apply")
    assert code == 2, out
    assert out.startswith(f"error: {bad}: "), out
    assert says in out, out
    assert snapshot(site / "content") == before


def test_import_refuses_a_draft_rolepack_wrote_and_names_merge(built, site):
    before = snapshot(site / "content")
    result = rolepack("import", str(draft(built)))
    assert result.exit_code == 2
    assert "rolepack merge" in result.stdout + result.stderr
    assert snapshot(site / "content") == before


def test_merge_help_lists_its_exit_codes():
    result = rolepack("merge", "--help")
    assert result.exit_code == 0
    assert "Exit codes: 0 merged" in result.stdout
    assert cli.app is not None
