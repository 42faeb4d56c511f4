"""`rolepack validate`: every problem in the content, each at its file, line, column and key path.

Each broken file under tests/broken/ breaks one rule. Most extend the valid fixture role
`support-engineer` and write only the broken part, so the rest of the role stays valid and the
report has nothing in it but the rule under test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, add_broken, rolepack, snapshot

INVALID = 2


def validate(*extra: str):
    return rolepack("validate", "--content", "content", *extra)


def test_valid_content_passes_and_says_how_many_roles(content: Path) -> None:
    run = validate("--strict")
    assert (run.exit_code, run.stdout, run.stderr) == (0, "2 roles and the company file are valid.\n", "")


def test_a_failure_prints_a_header_and_one_indented_line_per_problem(content: Path) -> None:
    add_broken(content, "wrong-type")
    run = validate()
    assert run.exit_code == INVALID
    assert run.stderr == (
        "1 problem in content:\n"
        "  content/roles/wrong-type.yaml:7:7: error: qualifications.hard_skills[2]: expected text, got a list\n")
    assert run.stdout == ""


ONE_FILE_RULES = [
    pytest.param("wrong-type", [
        "content/roles/wrong-type.yaml:7:7: qualifications.hard_skills[2]: expected text, got a list",
    ], id="a list where text belongs is reported at the item"),
    pytest.param("unknown-key", [
        "content/roles/unknown-key.yaml:4:3: job_description.sumary: unknown key 'sumary' (did you mean 'summary'?)",
    ], id="an unknown key is reported at the key with the nearest known key"),
    pytest.param("missing-key", [
        "content/roles/missing-key.yaml:2:1: title: missing required key 'title'",
    ], id="a missing required key is reported at the mapping that lacks it"),
    pytest.param("syntax-error", [
        "content/roles/syntax-error.yaml:3:24: YAML syntax error: put the text in quotes (\"...\"), because ': ' "
        "inside unquoted text starts a new key",
    ], id="a YAML syntax error is reported where the mistake is, with the fix"),
    pytest.param("empty", [
        "content/roles/empty.yaml:1:1: the file is empty; expected a mapping of keys",
    ], id="an empty file is reported"),
    pytest.param("prose", [
        "content/roles/prose.yaml:1:1: expected a mapping of keys (like `title: ...`) at the top of the file, got text",
    ], id="plain prose is not a role"),
    pytest.param("top-level-list", [
        "content/roles/top-level-list.yaml:1:1: expected a mapping of keys (like `title: ...`) at the top of the file, "
        "got a list",
    ], id="a list at the top is not a role"),
    pytest.param("not-utf8", [
        "content/roles/not-utf8.yaml:3:11: the file is not UTF-8 text (byte 0xe9); save it as UTF-8",
    ], id="a file that is not UTF-8 is reported at the first bad byte"),
    pytest.param("duplicate-key", [
        "content/roles/duplicate-key.yaml:4:1: title: duplicate key 'title' (first defined at line 2)",
    ], id="a duplicate key is reported at the second one, naming the first"),
    pytest.param("alias-bomb", [
        "content/roles/alias-bomb.yaml:7:1: f: expands to more than 100,000 values through aliases (an alias bomb); "
        "write the content out plainly",
    ], id="an alias bomb is stopped at the key that explodes"),
    pytest.param("yes-no-keys", [
        "content/roles/yes-no-keys.yaml:4:5: faq[0].answer: missing required key 'answer'",
        "content/roles/yes-no-keys.yaml:5:5: faq[0].yes: unknown key 'yes'; known keys: answer, question",
        "content/roles/yes-no-keys.yaml:6:5: faq[0].no: unknown key 'no'; known keys: answer, question",
    ], id="yes and no are text, as in YAML 1.2, so they are unknown keys"),
    pytest.param("merge-key", [
        "content/roles/merge-key.yaml:3:1: YAML merge keys (<<) are not supported; use `extends` to vary a role",
    ], id="a YAML merge key points the author to extends"),
    pytest.param("not-a-date", [
        "content/roles/not-a-date.yaml:5:12: compensation.source.as_of: '2026-02-30' is read as a date, but it is "
        "not one (day is out of range for month); write a real date as YYYY-MM-DD, or quote the text",
    ], id="an impossible date is reported, not crashed on"),
    pytest.param("extends-missing", [
        "content/roles/extends-missing.yaml:2:10: extends: extends 'suport-engineer', which is not a role "
        "(did you mean 'support-engineer'?)",
    ], id="extends naming no role is one problem, not a flood of missing keys"),
    pytest.param("extends-a-list", [
        "content/roles/extends-a-list.yaml:2:10: extends: expected the slug of a role, got a list",
    ], id="extends that is not text is one problem"),
    pytest.param("extends-itself", [
        "content/roles/extends-itself.yaml:1:10: extends: a role cannot extend itself",
    ], id="a role extending itself is reported"),
    pytest.param("extends-cycle", [
        "content/roles/loop-a.yaml:2:10: extends: extends forms a cycle: loop-a -> loop-b -> loop-a",
        "content/roles/loop-b.yaml:1:10: extends: extends forms a cycle: loop-b -> loop-a -> loop-b",
    ], id="an extends cycle is reported in every role on it"),
    pytest.param("duplicate-slug", [
        "content/roles/night-b.yaml:1:7: slug: 'night-support' is already the slug of content/roles/night-a.yaml",
    ], id="two files with one slug are reported at the second"),
    pytest.param("min-over-max", [
        "content/roles/min-over-max.yaml:4:7: compensation.levels[0]: min (65000) is more than max (50000)",
    ], id="a pay band whose min exceeds its max is reported at the band"),
    pytest.param("unknown-currency", [
        "content/roles/unknown-currency.yaml:4:13: compensation.currency: 'XYZ' is not an ISO 4217 currency code",
    ], id="a currency outside ISO 4217 is reported at the code"),
    pytest.param("salary-from-the-future", [
        "content/roles/salary-from-the-future.yaml:5:12: compensation.source.as_of: 2026-07-01 is in the future",
    ], id="salary data dated after today is reported"),
    pytest.param("reviewed-in-the-future", [
        "content/roles/reviewed-in-the-future.yaml:3:11: reviewed: 2026-12-24 is in the future",
    ], id="a review date after today is reported"),
    pytest.param("bad-slug", [
        "content/roles/bad-slug.yaml:1:7: slug: must use only lowercase letters, digits and single hyphens "
        "(like `backend-engineer`); got 'Night_Support'",
    ], id="a slug with capitals or underscores is reported"),
    pytest.param("related-missing", [
        "content/roles/related-missing.yaml:4:5: related_roles[1]: 'senior-suport-engineer' is not a role "
        "(did you mean 'senior-support-engineer'?)",
    ], id="a related role that does not exist is reported at the item"),
    pytest.param("related-to-itself", [
        "content/roles/related-to-itself.yaml:3:5: related_roles[0]: a role cannot be related to itself",
    ], id="a role listing itself as related is reported"),
    pytest.param("undefined-attribute", [
        "content/roles/undefined-attribute.yaml:8:32: interview.stages[0].focus[1]: 'empathi' is not an attribute "
        "in interview.scorecard (did you mean 'empathy'?)",
        "content/roles/undefined-attribute.yaml:11:18: interview.questions[0].attribute: 'patience' is not an "
        "attribute in interview.scorecard (the scorecard defines: troubleshooting, empathy)",
    ], id="each reference to an undefined scorecard attribute is reported where it is made"),
]


@pytest.mark.parametrize(("broken", "expected"), ONE_FILE_RULES)
def test_a_broken_role_is_reported_exactly(content: Path, broken: str, expected: list[str]) -> None:
    add_broken(content, broken)
    run = validate()
    assert run.exit_code == INVALID
    assert run.problems == expected
    assert isinstance(run.exception, SystemExit), run.exception  # an exit, never a crash
    assert "Traceback" not in run.stderr


def test_all_problems_of_a_file_are_reported_in_one_run(content: Path) -> None:
    add_broken(content, "three-problems")
    run = validate()
    assert run.exit_code == INVALID
    assert run.stderr.splitlines()[0] == "3 problems in content:"
    assert run.problems == [
        "content/roles/three-problems.yaml:3:1: titel: unknown key 'titel' (did you mean 'title'?)",
        "content/roles/three-problems.yaml:4:13: department: expected text, got a number",
        "content/roles/three-problems.yaml:6:13: compensation.currency: must be a three-letter ISO 4217 code "
        "such as USD or EUR; got 'EURO'",
    ]


def test_problems_in_different_files_are_reported_together(content: Path) -> None:
    for broken in ("wrong-type", "duplicate-key", "extends-missing"):
        add_broken(content, broken)
    (content / "company.yaml").write_text(
        (content / "company.yaml").read_text(encoding="utf-8").replace("equal_opportunity:", "equal_oportunity:"), encoding="utf-8")
    run = validate()
    assert run.exit_code == INVALID
    assert [line.split(":")[0] for line in run.problems] == [
        "content/company.yaml", "content/company.yaml",
        "content/roles/duplicate-key.yaml", "content/roles/extends-missing.yaml", "content/roles/wrong-type.yaml",
    ]
    assert run.problems[:2] == [
        "content/company.yaml:2:1: equal_opportunity: missing required key 'equal_opportunity'",
        "content/company.yaml:8:1: equal_oportunity: unknown key 'equal_oportunity' (did you mean 'equal_opportunity'?)",
    ]


def test_a_file_over_one_mebibyte_is_refused_before_parsing(content: Path) -> None:
    filler = "# " + "x" * 97 + "\n"
    (content / "roles" / "huge.yaml").write_text("extends: support-engineer\n" + filler * 10_500, encoding="utf-8")
    run = validate()
    assert run.exit_code == INVALID
    assert run.problems == ["content/roles/huge.yaml:1:1: the file is 1,050,026 bytes; the limit is 1,048,576"]


def test_nesting_too_deep_for_the_parser_is_reported_where_it_passes_the_limit(content: Path) -> None:
    (content / "roles" / "deep.yaml").write_text("[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    run = validate()
    assert run.exit_code == INVALID
    assert run.problems == ["content/roles/deep.yaml:1:66: nested more than 64 levels deep; "
                            "write the content out plainly"]


def test_nesting_deeper_than_the_limit_is_reported_at_the_innermost_value(content: Path) -> None:
    (content / "roles" / "deep.yaml").write_text("extends: support-engineer\nfaq: " + "[" * 70 + "]" * 70 + "\n",
                                                 encoding="utf-8")
    run = validate()
    assert run.exit_code == INVALID
    assert run.problems == ["content/roles/deep.yaml:2:70: faq: nested more than 64 levels deep; "
                            "write the content out plainly"]


def test_a_missing_company_file_and_roles_folder_are_reported(workdir: Path) -> None:
    (workdir / "content" / "company.yaml").unlink()
    (workdir / "empty").mkdir()
    assert validate().problems == ["content/company.yaml:1:1: the shared company file is missing"]
    run = rolepack("validate", "--content", "empty")
    assert run.problems == ["empty/company.yaml:1:1: the shared company file is missing",
                            "empty/roles:1:1: the roles folder is missing"]


def test_a_content_folder_that_does_not_exist_is_one_problem(workdir: Path) -> None:
    run = rolepack("validate", "--content", "nowhere")
    assert run.exit_code == INVALID
    assert run.problems == ["nowhere:1:1: there is no content folder here"]


def test_a_role_extending_a_role_with_a_broken_extends_is_reported_once(content: Path) -> None:
    add_broken(content, "extends-missing")
    (content / "roles" / "child.yaml").write_text("extends: extends-missing\n", encoding="utf-8")
    assert validate().problems == [
        "content/roles/child.yaml:1:10: extends: extends 'extends-missing', whose own `extends` is broken",
        "content/roles/extends-missing.yaml:2:10: extends: extends 'suport-engineer', which is not a role "
        "(did you mean 'support-engineer'?)",
    ]


def test_a_bad_value_inherited_through_extends_is_reported_once_in_the_file_that_wrote_it(content: Path) -> None:
    parent = content / "roles" / "support-engineer.yaml"
    parent.write_text(parent.read_text(encoding="utf-8").replace("    - HTTP basics", "    - [HTTP basics]"),
                      encoding="utf-8")
    assert validate().problems == [
        "content/roles/support-engineer.yaml:28:7: qualifications.hard_skills[2]: expected text, got a list",
    ]


class TestStaleSalaryData:
    """Salary data older than twelve months is a warning: shown always, a failure only under --strict."""

    def test_passes_without_strict_and_prints_the_warning_once_as_a_summary(self, content: Path) -> None:
        add_broken(content, "stale-salary")
        run = validate()
        assert run.exit_code == 0
        assert run.stderr == ("warning: salary data of 1 role is more than 12 months old (the oldest, 2025-05-31, "
                              "at content/roles/stale-salary.yaml:5:12); refresh it, or accept it with "
                              "--allow stale-pay\n")
        assert run.stdout == "3 roles and the company file are valid.\n"

    def test_fails_under_strict(self, content: Path) -> None:
        add_broken(content, "stale-salary")
        run = validate("--strict")
        assert run.exit_code == INVALID
        assert run.stderr.splitlines()[-1] == (
            "--strict: 1 warning(s) count as failures (accept a rule with --allow: stale-pay)")

    def test_passes_under_strict_when_stale_pay_is_allowed(self, content: Path) -> None:
        add_broken(content, "stale-salary")
        assert validate("--strict", "--allow", "stale-pay").exit_code == 0

    def test_many_stale_roles_give_one_line_naming_the_count_and_the_oldest(self, content: Path) -> None:
        for n, year in enumerate((2023, 2021, 2024)):
            (content / "roles" / f"stale-{n}.yaml").write_text(
                f"extends: support-engineer\ncompensation:\n  source:\n    as_of: {year}-03-01\n", encoding="utf-8")
        run = validate()
        assert run.exit_code == 0
        assert run.stderr.splitlines() == [
            "warning: salary data of 3 roles is more than 12 months old (the oldest, 2021-03-01, at "
            "content/roles/stale-1.yaml:4:12); refresh it, or accept it with --allow stale-pay"]

    def test_exactly_twelve_months_old_is_not_stale(self, content: Path) -> None:
        (content / "roles" / "a-year-old.yaml").write_text(
            "extends: support-engineer\ncompensation:\n  source:\n    as_of: 2025-06-01\n", encoding="utf-8")
        run = validate("--strict")
        assert (run.exit_code, run.stderr) == (0, "")

    def test_is_listed_after_the_errors_under_a_heading_of_its_own(self, content: Path) -> None:
        add_broken(content, "stale-salary")
        add_broken(content, "wrong-type")
        run = validate()
        assert run.exit_code == 2
        assert run.stderr.splitlines() == [
            "1 problem in content:",
            "  content/roles/wrong-type.yaml:7:7: error: qualifications.hard_skills[2]: expected text, got a list",
            "and 1 warning:",
            "  warning: salary data of 1 role is more than 12 months old (the oldest, 2025-05-31, at "
            "content/roles/stale-salary.yaml:5:12); refresh it, or accept it with --allow stale-pay",
        ]


def test_validation_writes_nothing(workdir: Path) -> None:
    before = snapshot(workdir)
    assert validate("--strict").exit_code == 0
    assert snapshot(workdir) == before
    for broken in ("wrong-type", "stale-salary", "extends-cycle"):
        add_broken(workdir / "content", broken)
    before = snapshot(workdir)
    assert validate().exit_code == INVALID
    assert validate("--strict").exit_code == INVALID
    assert snapshot(workdir) == before


@pytest.mark.parametrize("broken", ["alias-bomb", "not-utf8", "not-a-date", "syntax-error", "empty", "prose"])
def test_bad_input_never_prints_a_traceback_from_the_real_command(workdir: Path, broken: str) -> None:
    """Run as a user would, in a new process: the clock is real, so only date-free rules are used here."""
    add_broken(workdir / "content", broken)
    done = subprocess.run([sys.executable, "-m", "pipeline", "validate", "--content", "content"],
                          cwd=workdir, capture_output=True, text=True, timeout=120)
    assert done.returncode == INVALID
    assert "Traceback" not in done.stderr
    assert f"  content/roles/{broken}.yaml:" in done.stderr


def test_the_projects_own_content_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == 0, run.stderr
    assert "problem" not in run.stderr
