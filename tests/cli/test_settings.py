"""A content folder's rolepack.yaml: the rules its team accepts, with a reason, and its defaults.

An accepted rule prints its reason once as a note in place of its warnings, and --strict does not
fail on it; `build` takes its formats, brands and output folder from the file when the command line
names none; a mistake in the file is located like any other content problem.
"""

from __future__ import annotations

from pathlib import Path

from conftest import rolepack, with_demo_brands

REASON = "No newer public salary release exists for these occupations yet."


def stale(content: Path) -> None:
    """Make the fixture's pay data more than a year old."""
    for role in (content / "roles").glob("*.yaml"):
        text = role.read_text(encoding="utf-8")
        role.write_text(text.replace("as_of: 2026-", "as_of: 2024-"), encoding="utf-8")


def test_an_accepted_rule_prints_its_reason_once_and_does_not_fail_strict(content: Path) -> None:
    stale(content)
    before = rolepack("validate", "--content", "content", "--strict")
    assert before.exit_code == 2 and "stale-pay" in before.stderr
    (content / "rolepack.yaml").write_text(f"allow:\n  stale-pay: {REASON}\n", encoding="utf-8")
    after = rolepack("validate", "--content", "content", "--strict")
    assert after.exit_code == 0, after.stderr
    assert after.stderr.splitlines() == [f"note: 1 stale-pay warning accepted by content/rolepack.yaml: {REASON}"]


def test_a_mistake_in_the_settings_is_located(content: Path) -> None:
    (content / "rolepack.yaml").write_text("allow:\n  stale-pay: ok\nformat: [pdf]\n", encoding="utf-8")
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == 2
    assert [line.split(": ")[0] for line in run.problems] == ["content/rolepack.yaml:2:14", "content/rolepack.yaml:3:1"]
    assert "allow.stale-pay" in run.problems[0] and "format" in run.problems[1]


def test_build_takes_its_formats_brands_and_folder_from_the_settings(content: Path, tmp_path: Path) -> None:
    with_demo_brands(content)
    (content / "rolepack.yaml").write_text("formats: [md]\nbrands: [harbor]\nout: published\n", encoding="utf-8")
    run = rolepack("build", "--content", "content", "--kind", "job-description", "--role", "support-engineer")
    assert run.exit_code == 0, run.stderr
    made = sorted(p.relative_to(tmp_path / "published").as_posix() for p in (tmp_path / "published").rglob("*.md"))
    assert made == ["harbor/support-engineer/support-engineer-job-description.md"]
    named = rolepack("build", "--content", "content", "--kind", "job-description", "--role", "support-engineer",
                     "-f", "jsonld", "--out", "elsewhere")
    assert named.exit_code == 0 and list((tmp_path / "elsewhere").rglob("*.jsonld"))
