"""The commands an author uses around the content: --help, list, schema and new."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, add_broken, rolepack, snapshot
from pipeline.source.scaffold import PLACEHOLDER, SCHEMA_LINE

INVALID = 2
ARCHETYPE = REPO / "content" / "archetypes" / "role.yaml"


class TestHelp:
    def test_lists_every_command(self) -> None:
        run = rolepack("--help")
        assert run.exit_code == 0
        for command in ("validate", "list", "schema", "new", "build"):
            assert f" {command} " in run.stdout

    def test_each_command_has_help_with_an_example(self) -> None:
        for command in ("validate", "list", "schema", "new", "build"):
            run = rolepack(command, "--help")
            assert run.exit_code == 0
            assert "rolepack " + command in run.stdout.replace("\n", " "), command

    @pytest.mark.parametrize("args", [["--help"], ["validate", "--content", "tests/fixtures/content"]],
                             ids=["help", "validate"])
    def test_does_not_import_the_renderers(self, args: list[str]) -> None:
        """WeasyPrint and python-docx take seconds to import; only `build` may pay for them."""
        program = (
            "import sys\n"
            "from typer.testing import CliRunner\n"
            "from pipeline.cli import app\n"
            f"result = CliRunner().invoke(app, {args!r})\n"
            "assert result.exit_code == 0, result.output\n"
            "heavy = sorted({name.split('.')[0] for name in sys.modules} & {'weasyprint', 'docx'})\n"
            "assert not heavy, heavy\n"
        )
        done = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr


class TestSchema:
    @pytest.mark.parametrize("kind", ["role", "company", "brand", "settings"])
    def test_the_checked_in_schema_is_what_the_models_produce(self, kind: str) -> None:
        """Regenerate with `make schema` when a model changes."""
        run = rolepack("schema", kind)
        assert run.exit_code == 0
        checked_in = (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert run.stdout == checked_in, f"schema/{kind}.schema.json is stale; run `make schema`"

    def test_an_unknown_kind_is_refused(self) -> None:
        run = rolepack("schema", "team")
        assert (run.exit_code, run.stdout, run.stderr) == (
            INVALID, "", "unknown schema 'team': choose role, company, brand or settings\n")


class TestList:
    def test_shows_each_role_with_its_status_and_title(self, content: Path) -> None:
        run = rolepack("list", "--content", "content")
        assert run.exit_code == 0
        assert run.stdout.splitlines() == [
            "senior-support-engineer  valid    Senior Support Engineer",
            "support-engineer         valid    Support Engineer",
        ]

    def test_marks_broken_roles_invalid_and_still_names_them(self, content: Path) -> None:
        for broken in ("syntax-error", "three-problems", "extends-cycle"):
            add_broken(content, broken)
        (content / "roles" / "loop-a.yaml").write_text("title: Loop A\nextends: loop-b\n", encoding="utf-8")
        run = rolepack("list", "--content", "content")
        assert run.exit_code == 0
        assert run.stdout.splitlines() == [
            "loop-a                   invalid  Loop A",
            "loop-b                   invalid  (no title)",
            "senior-support-engineer  valid    Senior Support Engineer",
            "support-engineer         valid    Support Engineer",
            "syntax-error             invalid  (unreadable)",
            "three-problems           invalid  (no title)",
        ]

    def test_marks_a_draft_as_a_draft_whatever_it_lacks(self, content: Path) -> None:
        (content / "roles" / "night-support.yaml").write_text(
            "state: draft\nextends: support-engineer\ntitle: Night Support\ndepartment: <<REPLACE>>\n", encoding="utf-8")
        run = rolepack("list", "--content", "content")
        assert run.exit_code == 0
        assert run.stdout.splitlines()[0] == "night-support            draft    Night Support"

    def test_marks_every_role_invalid_when_the_company_file_is(self, content: Path) -> None:
        (content / "company.yaml").write_text("name: Example Co\n", encoding="utf-8")
        run = rolepack("list", "--content", "content")
        assert [line.split()[1] for line in run.stdout.splitlines()] == ["invalid", "invalid"]


def with_archetype(content: Path) -> Path:
    """Put the project's own archetype into the test content, where `rolepack new` looks for it."""
    (content / "archetypes").mkdir()
    return Path(shutil.copy(ARCHETYPE, content / "archetypes" / "role.yaml"))


class TestArchetype:
    def test_starts_with_the_schema_line_for_the_editor(self) -> None:
        first = ARCHETYPE.read_text(encoding="utf-8").splitlines()[0]
        assert first == SCHEMA_LINE == "# yaml-language-server: $schema=../../schema/role.schema.json"
        assert (ARCHETYPE.parent / "../../schema/role.schema.json").resolve().is_file()

    def test_marks_its_text_as_placeholder(self) -> None:
        assert ARCHETYPE.read_text(encoding="utf-8").count(PLACEHOLDER) > 10

    def test_is_not_read_as_a_role(self, content: Path) -> None:
        with_archetype(content)
        run = rolepack("validate", "--content", "content", "--strict")
        assert (run.exit_code, run.stdout) == (0, "2 roles and the company file are valid.\n")


class TestNew:
    def test_copies_the_archetype_and_fills_in_only_the_slug_and_title(self, content: Path) -> None:
        archetype = with_archetype(content).read_text(encoding="utf-8")
        run = rolepack("new", "platform-engineer", "--content", "content")
        assert (run.exit_code, run.stdout, run.stderr) == (0, "created content/roles/platform-engineer.yaml\n", "")
        created = (content / "roles" / "platform-engineer.yaml").read_text(encoding="utf-8")
        expected = archetype.replace("\nslug: new-role\n", "\nslug: platform-engineer\n").replace(
            "\ntitle: New Role\n", "\ntitle: Platform Engineer\n")
        assert created == expected != archetype
        assert created.splitlines()[0] == SCHEMA_LINE

    def test_the_new_role_is_a_draft_set_aside_with_what_is_left_located(self, content: Path) -> None:
        with_archetype(content)
        rolepack("new", "platform-engineer", "--content", "content")
        run = rolepack("validate", "--content", "content", "--strict")
        assert run.exit_code == 0, run.stderr
        assert run.stdout == "2 roles and the company file are valid; 1 draft set aside.\n"
        notes = [line for line in run.stderr.splitlines() if "a draft (state: draft)" in line]
        assert len(notes) == 1
        assert notes[0].startswith("note: content/roles/platform-engineer.yaml: a draft (state: draft), so it is "
                                   "not built or published;")
        assert "the first at content/roles/platform-engineer.yaml:" in notes[0]
        assert "department: the placeholder <<REPLACE>> from `rolepack new` is still here" in notes[0]

    def test_a_new_role_marked_for_review_fails_validation_until_its_placeholders_are_replaced(self, content: Path) -> None:
        with_archetype(content)
        rolepack("new", "platform-engineer", "--content", "content")
        created = content / "roles" / "platform-engineer.yaml"
        created.write_text(created.read_text(encoding="utf-8").replace("\nstate: draft", "\nstate: review"),
                           encoding="utf-8")
        run = rolepack("validate", "--content", "content")
        assert run.exit_code == INVALID
        placeholder_errors = [line for line in run.problems if PLACEHOLDER in line]
        assert len(placeholder_errors) == 1
        assert placeholder_errors[0].startswith("content/roles/platform-engineer.yaml:")
        assert "department: the placeholder <<REPLACE>> from `rolepack new` is still here" in placeholder_errors[0]

    def test_a_draft_is_not_built_and_never_stops_the_other_roles(self, content: Path, tmp_path: Path) -> None:
        with_archetype(content)
        rolepack("new", "platform-engineer", "--content", "content")
        run = rolepack("build", "--content", "content", "--out", str(tmp_path / "out"), "-f", "docx")
        assert run.exit_code == 0, run.stderr
        built = sorted(p.name for p in (tmp_path / "out").rglob("*.docx"))
        assert built and not [name for name in built if "platform" in name]
        alone = rolepack("build", "--content", "content", "--out", str(tmp_path / "out"), "--role", "platform-engineer")
        assert alone.exit_code == INVALID
        assert "'platform-engineer' is a draft (state: draft in content/roles/platform-engineer.yaml)" in alone.stderr

    def test_quotes_a_slug_that_yaml_would_read_as_something_else(self, content: Path) -> None:
        with_archetype(content)
        for slug in ("yes", "2024"):
            assert rolepack("new", slug, "--content", "content").exit_code == 0
        text = (content / "roles" / "yes.yaml").read_text(encoding="utf-8")
        assert '\nslug: "yes"\ntitle: "Yes"\n' in text
        run = rolepack("validate", "--content", "content")
        notes = [line for line in run.stderr.splitlines() if "a draft" in line]
        assert len(notes) == 2 and not [n for n in notes if ": slug:" in n or ": title:" in n], notes

    def test_from_writes_a_small_file_that_extends_the_role(self, content: Path) -> None:
        run = rolepack("new", "staff-support-engineer", "--from", "support-engineer", "--content", "content")
        assert (run.exit_code, run.stdout) == (0, "created content/roles/staff-support-engineer.yaml\n")
        assert (content / "roles" / "staff-support-engineer.yaml").read_text(encoding="utf-8") == (
            "# yaml-language-server: $schema=../../schema/role.schema.json\n"
            "# A variant of support-engineer: every key not written here comes from that role. Mappings merge\n"
            "# key by key; a list written here replaces the whole list of support-engineer.\n"
            "slug: staff-support-engineer\n"
            "extends: support-engineer\n"
            "title: Staff Support Engineer\n"
        )
        run = rolepack("validate", "--content", "content", "--strict")
        assert (run.exit_code, run.stdout, run.stderr) == (0, "3 roles and the company file are valid.\n", "")

    def test_from_needs_no_archetype(self, content: Path) -> None:
        assert not (content / "archetypes").exists()
        assert rolepack("new", "night-support", "--from", "support-engineer", "--content", "content").exit_code == 0

    @pytest.mark.parametrize(("args", "message"), [
        pytest.param(["Platform_Engineer"],
                     "error: 'Platform_Engineer' is not a valid slug: use lowercase letters, digits and single "
                     "hyphens, at most 64 characters, like platform-engineer",
                     id="an invalid slug"),
        pytest.param(["platform--engineer"],
                     "error: 'platform--engineer' is not a valid slug: use lowercase letters, digits and single "
                     "hyphens, at most 64 characters, like platform-engineer",
                     id="a slug with a double hyphen"),
        pytest.param(["support-engineer"],
                     "error: content/roles/support-engineer.yaml already exists; choose another slug, or edit that file",
                     id="a file that already exists"),
        pytest.param(["night-support"],
                     "error: the slug 'night-support' is already used by content/roles/night-a.yaml",
                     id="a slug another file already declares"),
        pytest.param(["night-owl", "--from", "suport-engineer"],
                     "error: there is no role 'suport-engineer' to extend (did you mean 'support-engineer'?)",
                     id="an unknown role to extend, with a suggestion"),
        pytest.param(["night-owl", "--from", "barista"],
                     "error: there is no role 'barista' to extend "
                     "(roles: night-support, senior-support-engineer, support-engineer)",
                     id="an unknown role to extend, listing the roles"),
    ])
    def test_refuses_and_writes_nothing(self, workdir: Path, args: list[str], message: str) -> None:
        with_archetype(workdir / "content")
        shutil.copy(REPO / "tests" / "broken" / "duplicate-slug" / "night-a.yaml", workdir / "content" / "roles")
        before = snapshot(workdir)
        run = rolepack("new", *args, "--content", "content")
        assert (run.exit_code, run.stdout, run.stderr) == (INVALID, "", message + "\n")
        assert snapshot(workdir) == before

    def test_refuses_without_an_archetype(self, content: Path) -> None:
        run = rolepack("new", "platform-engineer", "--content", "content")
        assert (run.exit_code, run.stderr) == (
            INVALID, "error: there is no role archetype at content/archetypes/role.yaml to copy\n")
        assert not (content / "roles" / "platform-engineer.yaml").exists()

    def test_refuses_a_content_folder_that_does_not_exist(self, workdir: Path) -> None:
        run = rolepack("new", "platform-engineer", "--content", "nowhere")
        assert (run.exit_code, run.stderr) == (INVALID, "error: there is no content folder at nowhere\n")
        assert not (workdir / "nowhere").exists()


def test_a_role_with_placeholders_left_is_an_error_at_the_first_one(content: Path) -> None:
    add_broken(content, "unfinished")
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == INVALID
    assert run.problems == [
        "content/roles/unfinished.yaml:5:12: job_description.summary: the placeholder <<REPLACE>> from "
        "`rolepack new` is still here (and in 1 more place in this file); write the real content"]
