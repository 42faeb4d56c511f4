"""Hardening, round two (issue 25), classes 1 and 3 and the terminal rule:

1. every name from the file system that becomes a slug (a role file without `slug:`) is checked
   like `slug:`, and rolepack's own names (site, index, assets, feeds, drafts) are refused;
3. every file rolepack reads is a regular file, asked before a byte is read: a FIFO, a folder, a
   dangling link or a link loop named `*.yaml` is a located problem, never a hang or a traceback;
and whatever the commands print from data reaches the terminal with its control characters escaped.

Each case is one row of a catalogue grouped by class; each class also has a property test that
generates names of its kind (Hypothesis).
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_CONTENT, rolepack, snapshot

EXAMPLES = int(os.environ.get("ROLEPACK_FUZZ_EXAMPLES") or 8)
"""Examples each property tries: a few in make test, as many as `ROLEPACK_FUZZ_EXAMPLES` asks otherwise."""
from pipeline.schema.values import RESERVED_SLUGS
from pipeline.problems import UNSAFE

ROLE = FIXTURE_CONTENT / "roles" / "support-engineer.yaml"
RAW = UNSAFE  # the characters that must never reach the terminal raw


def unslugged(text: str = "") -> str:
    """The fixture role without its `slug:` (so its file name is its slug), and without the link
    to its variant, which these tests leave out."""
    text = text or ROLE.read_text()
    return re.sub(r"(?m)^slug: .*\n", "", text).replace("related_roles:\n  - senior-support-engineer\n", "")


def problems_for(run, file: str) -> list[str]:
    return [line for line in run.problems if line.startswith(file)]


# Class 1: names from the file system ---------------------------------------------------------

NAME_CASES = [
    ("...", "is not a slug"),
    ("x\x1b]0;owned\x07", "is not a slug"),
    ("line\nbreak", "is not a slug"),
    ("Mini", "is not a slug"),
    ("a" * 250, "is 250 characters long"),
    ("b" * 65, "is 65 characters long; a slug has at most 64"),
    *[(name, "is a name rolepack keeps for its own files") for name in sorted(RESERVED_SLUGS)],
]


@pytest.mark.parametrize(("stem", "why"), NAME_CASES, ids=lambda v: repr(v)[:20])
def test_a_role_file_name_that_is_no_slug_is_refused_located(workdir: Path, stem: str, why: str) -> None:
    roles = workdir / "content" / "roles"
    (roles / "senior-support-engineer.yaml").unlink()
    (roles / "support-engineer.yaml").write_text(unslugged())
    try:
        (roles / f"{stem}.yaml").write_text(unslugged())
    except OSError as err:  # a name this file system refuses cannot reach rolepack at all
        pytest.skip(f"the file system refuses the name: {err}")
    before = snapshot(workdir)
    run = rolepack("validate")
    assert run.exit_code == 2 and run.exception is None or isinstance(run.exception, SystemExit)
    found = [line for line in run.problems if ":1:1: the file name" in line]
    assert len(found) == 1 and why in found[0], run.stderr
    assert not RAW.search(run.stderr + run.stdout)
    build = rolepack("build", "--keep-going", "-f", "md,html", "--out", "out")
    assert build.exit_code == 1, build.stderr
    assert not RAW.search(build.stderr + build.stdout)
    written = set(snapshot(workdir)) - set(before)
    assert all(path.startswith("out/") for path in written), sorted(written)
    assert not [p for p in written if f"{stem}-job-description" in p]  # the refused role made nothing


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_a_reserved_slug_written_in_the_file_is_refused_at_its_line(workdir: Path, slug: str) -> None:
    role = workdir / "content" / "roles" / "support-engineer.yaml"
    role.write_text(role.read_text().replace("slug: support-engineer", f"slug: {slug}"))
    run = rolepack("validate")
    assert run.exit_code == 2
    assert any(line.startswith("content/roles/support-engineer.yaml:2:7: slug:") and "keeps for its own files" in line
               for line in run.problems), run.stderr


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(stem=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=40))
@example(stem="\u2028")  # Unicode's line separator, which split the message in two (found by this test in CI)
@example(stem="a\u2029b")
def test_any_file_name_is_a_valid_slug_or_one_located_problem(workdir: Path, stem: str) -> None:
    roles = workdir / "content" / "roles"
    for old in roles.glob("*.yaml"):
        old.unlink()
    try:
        (roles / f"{stem}.yaml").write_text(unslugged())
    except (OSError, UnicodeEncodeError):
        return
    run = rolepack("validate")
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    assert not RAW.search(run.stderr + run.stdout)
    named = [line for line in run.problems if "the file name" in line]
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem) and len(stem) <= 64 and stem not in RESERVED_SLUGS:
        assert named == [], run.stderr
    else:
        assert len(named) == 1 and run.exit_code == 2, run.stderr


# Class 3: special files ------------------------------------------------------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _dangling(path: Path) -> None:
    path.symlink_to("nowhere.yaml")


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


SPECIAL = [("fifo", _fifo, "it is a named pipe (FIFO), not a file"), ("folder", _folder, "it is a folder, not a file"),
           ("dangling", _dangling, "it is a symbolic link to nowhere.yaml, which does not exist"),
           ("loop", _loop, "it is a symbolic link that loops back on itself")]


@pytest.mark.parametrize(("name", "make", "why"), SPECIAL, ids=[s[0] for s in SPECIAL])
def test_a_special_file_named_like_a_role_is_a_located_problem_and_the_rest_builds(
        workdir: Path, name: str, make, why: str) -> None:
    make(workdir / "content" / "roles" / f"{name}.yaml")
    line = f"content/roles/{name}.yaml:1:1: cannot be read: {why}"
    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(60)  # a FIFO opened for reading waits for a writer: fail instead of hanging the suite
    try:
        _every_command_reports(workdir, name, line)
    finally:
        signal.alarm(0)


def _hung(signum, frame) -> None:
    raise TimeoutError("the command waited on the special file")


def _every_command_reports(workdir: Path, name: str, line: str) -> None:
    for command in (("validate",), ("list",)):
        run = rolepack(*command)
        assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
        if command == ("validate",):
            assert line in run.problems, run.stderr
        else:
            assert re.search(rf"(?m)^{name}\s+invalid\s+\(unreadable\)$", run.stdout), run.stdout
    build = rolepack("build", "--keep-going", "-f", "md", "--out", "out")
    assert build.exit_code == 1 and build.exception is None or isinstance(build.exception, SystemExit)
    assert line in build.problems
    assert (workdir / "out" / "default" / "support-engineer" / "support-engineer-job-description.md").is_file()


@pytest.mark.parametrize(("name", "make", "why"), SPECIAL[:2], ids=[s[0] for s in SPECIAL[:2]])
def test_a_special_company_file_is_a_located_problem(workdir: Path, name: str, make, why: str) -> None:
    company = workdir / "content" / "company.yaml"
    company.unlink()
    make(company)
    run = rolepack("validate")
    assert run.exit_code == 2
    assert f"content/company.yaml:1:1: cannot be read: {why}" in run.problems, run.stderr


# The terminal ----------------------------------------------------------------------------------

@pytest.mark.parametrize("character", ["\u202e", "\x1b", "\x9b", "\u2066", "\x07"])
def test_text_from_content_prints_its_control_characters_escaped(workdir: Path, character: str) -> None:
    role = workdir / "content" / "roles" / "support-engineer.yaml"
    shown = character.encode("unicode_escape").decode()  # also YAML's escape for it, in double quotes
    role.write_text(role.read_text().replace("title: Support Engineer", f'title: "Support{shown}Engineer"'))
    for command in (("list",), ("validate",)):
        run = rolepack(*command)
        output = run.stdout + run.stderr
        assert character not in output
        if command == ("list",):
            assert f"Support{shown}Engineer" in output  # the title, as read, shown with its escape
