"""Nothing unfit to send is published, and every refusal says exactly why and where.

A scheduled export publishes to a shared drive with nobody watching: an unfinished role, a
placeholder salary or text that runs off the page must stop at the gate with a located message,
and strict mode must decide before anything is written, the same way every time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, outputs, rolepack

INVALID = 2


def write_role(content: Path, name: str, text: str) -> None:
    (content / "roles" / f"{name}.yaml").write_text(text, encoding="utf-8")


class TestErrorsThatStopARole:
    def test_a_pay_figure_of_zero_is_an_error_at_the_figure(self, content: Path) -> None:
        write_role(content, "zero-pay", "extends: support-engineer\ncompensation:\n  levels:\n"
                                        "    - {level: Junior, min: 0, max: 0}\n")
        run = rolepack("validate", "--content", "content")
        assert run.exit_code == INVALID
        assert "content/roles/zero-pay.yaml:4:28: compensation.levels[0].min: a pay figure of 0 is a placeholder, " \
               "not pay; write the band's real figure" in run.problems

    @pytest.mark.parametrize("value", ["'   '", "'...'", "'– –'", "'?!'"])
    def test_text_that_is_only_spaces_or_punctuation_is_an_error(self, content: Path, value: str) -> None:
        write_role(content, "empty-title", f"extends: support-engineer\ntitle: {value}\n")
        run = rolepack("validate", "--content", "content")
        assert run.exit_code == INVALID
        assert any(p.startswith("content/roles/empty-title.yaml:2:8: title: ") for p in run.problems), run.problems


class TestOneBrokenFile:
    """An unreadable role gives one error and one line about who depends on it, however many do."""

    @pytest.mark.parametrize("dependants", [1, 5, 40])
    def test_gives_one_error_and_one_summary_line_whatever_the_catalogue_size(self, content: Path,
                                                                             dependants: int) -> None:
        write_role(content, "platform-engineer", "title: Platform Engineer\ndepartment: [Engineering\n")
        for n in range(dependants):
            write_role(content, f"platform-variant-{n}", f"extends: platform-engineer\ntitle: Variant {n}\n")
            write_role(content, f"platform-grandchild-{n}", f"extends: platform-variant-{n}\ntitle: Grandchild {n}\n")
        related = (content / "roles" / "support-engineer.yaml")
        related.write_text(related.read_text(encoding="utf-8").replace("related_roles:\n", "related_roles:\n  - platform-engineer\n", 1),
                           encoding="utf-8")
        run = rolepack("validate", "--content", "content")
        assert run.exit_code == INVALID
        lines = [line.strip() for line in run.stderr.splitlines()[1:]]
        assert len(lines) == 2, lines
        assert lines[0].startswith("content/roles/platform-engineer.yaml:")
        assert lines[1] == (f"note: content/roles/platform-engineer.yaml could not be read, so {2 * dependants} "
                            f"role{'s that extend' if dependants else ''} it could not be checked: "
                            + ", ".join(sorted([f"platform-grandchild-{n}" for n in range(dependants)]
                                               + [f"platform-variant-{n}" for n in range(dependants)])))
        assert run.stderr.splitlines()[0] == "1 problem in content:"


class TestStrictBuilds:
    """--strict decides before anything is written, and gives the same answer every time."""

    def stale(self, content: Path) -> None:
        path = content / "roles" / "support-engineer.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("as_of: 2026-03-01", "as_of: 2024-03-01"),
                        encoding="utf-8")

    def test_a_strict_build_with_stale_pay_writes_nothing_and_says_how_to_accept_it(self, content: Path,
                                                                                    tmp_path: Path) -> None:
        self.stale(content)
        for _ in range(2):
            run = rolepack("build", "-f", "docx", "--content", "content", "--out", str(tmp_path / "out"), "--strict")
            assert run.exit_code == INVALID
            assert "--allow" in run.stderr and "stale-pay" in run.stderr
            assert not (tmp_path / "out").exists()

    def test_allowing_stale_pay_lets_a_strict_build_through(self, content: Path, tmp_path: Path) -> None:
        self.stale(content)
        run = rolepack("build", "-f", "docx", "--content", "content", "--out", str(tmp_path / "out"), "--strict",
                       "--allow", "stale-pay", "--jobs", "1")
        assert run.exit_code == 0, run.stderr
        assert (tmp_path / "out" / "manifest.json").is_file()

    def test_findings_of_an_up_to_date_output_are_reported_again_and_still_fail_strict(
            self, content: Path, tmp_path: Path) -> None:
        layouts = tmp_path / "layouts"
        shutil.copytree(REPO / "layouts", layouts)
        (layouts / "brands" / "default" / "brand.css").write_text(".summary { colour: red; }\n", encoding="utf-8")
        common = ["build", "-f", "pdf", "--kind", "job-description", "--role", "support-engineer", "--brand",
                  "default", "--content", "content", "--layouts", str(layouts), "--out", str(tmp_path / "out"),
                  "--jobs", "1"]
        first = rolepack(*common)
        assert first.exit_code == 0, first.stderr
        assert "colour" in first.stderr and "[render-warning]" in first.stderr
        outputs_before = outputs(tmp_path / "out")
        for _ in range(2):
            again = rolepack(*common, "--strict")
            assert again.exit_code == INVALID
            assert "colour" in again.stderr
            assert outputs(tmp_path / "out") == outputs_before
        assert "colour" in rolepack(*common).stderr


class TestFindingsThatNeedAPerson:
    """Warnings by default, located at the character; errors under --strict."""

    @pytest.mark.parametrize("line, rule, column", [
        ("title: Rocket 中 Engineer", "U+4E2D", 15),
        ("title: '“Support Engineer”'", "wrapped in “…”", 9),
        ("title: Support <b>Engineer</b>", "<b>", 16),
        ("title: Support " + "x" * 200, "is 200 characters", 16),
    ])
    def test_validate_reports_each_at_its_line_and_column_and_strict_fails(
            self, content: Path, line: str, rule: str, column: int) -> None:
        write_role(content, "odd", f"extends: support-engineer\n{line}\n")
        run = rolepack("validate", "--content", "content")
        assert run.exit_code == 0, run.stderr
        found = [w for w in run.stderr.splitlines() if w.startswith("content/roles/odd.yaml:")]
        assert found, run.stderr
        assert found[0].startswith(f"content/roles/odd.yaml:2:{column}: warning: title: ")
        assert rule in found[0]
        assert rolepack("validate", "--content", "content", "--strict").exit_code == INVALID
