"""Builds started together on one output folder take turns, or stop naming the one that holds it.

Two or three real `rolepack build` processes start at the same moment on a folder holding the
previous build, the content changed since. With `--wait` they run one after another: the first
renders every changed document and the others find them up to date. Without it, the first to
take the lock builds and every other stops at once with exit 1, naming that build's process id.
Either way the folder ends as one complete, consistent build, and a lock whose build was
SIGKILLed, even while another build was waiting for it, blocks nobody.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fault_support import LONG, build_command, waits_on_lock, manifest_problems, published, run, set_content, small_catalogue, start, \
    temporaries
from pipeline.export.store import LOCK

SCOPE = ("--kind", "job-description")
RACES = 10 if LONG else 1
"""How often each start-together case is run: a race that goes wrong one time in ten shows in the long run."""
COUNTS = [2, 3] if LONG else [3]
"""Builds started together: three in the short run, two and three in the long one."""
DOCUMENTS = 8
SUMMARY = re.compile(r": built (\d+), unchanged (\d+), removed 0, skipped 0, failed 0 in ")


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("concurrency")
    content = small_catalogue(root)
    built = {}
    for state in ("A", "B"):
        set_content(content, state)
        built[state] = root / f"reference-{state}"
        done = run(build_command(content, built[state], *SCOPE, jobs=1))
        assert done.returncode == 0, done.stderr
    set_content(content, "A")
    return content, built


@pytest.fixture
def site(references: tuple[Path, dict[str, Path]], tmp_path: Path) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """(content changed to state B, a folder holding state A's build, what a complete build of B publishes)."""
    content, built = references
    out = tmp_path / "out"
    previous_build(out, built["A"])
    set_content(content, "B")
    try:
        yield content, out, published(built["B"])
    finally:
        set_content(content, "A")


def previous_build(out: Path, reference: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(reference, out, copy_function=shutil.copy2)


def together(commands: list[list[str]]) -> list[tuple[int, int, str, str]]:
    """Start every command at once; (pid, exit code, stdout, stderr) of each."""
    builds = [start(command) for command in commands]
    outputs = [b.communicate(timeout=300) for b in builds]
    return [(b.pid, b.returncode, *output) for b, output in zip(builds, outputs)]


def summary(stdout: str) -> tuple[int, int] | None:
    found = SUMMARY.search(stdout)
    return (int(found[1]), int(found[2])) if found else None


def assert_one_complete_build(out: Path, expected: dict[str, str]) -> None:
    assert published(out) == expected
    assert not manifest_problems(out) and not temporaries(out)


@pytest.mark.parametrize("count", COUNTS)
def test_builds_started_together_with_wait_run_one_after_another(site, references, count: int) -> None:
    content, out, expected = site
    for _ in range(RACES):
        previous_build(out, references[1]["A"])
        results = together([build_command(content, out, *SCOPE, "--wait", "120", jobs=1)] * count)
        for _, code, stdout, stderr in results:
            assert code == 0, stderr
            assert "Traceback" not in stderr
        assert sorted(summary(stdout) for _, _, stdout, _ in results) == \
            [(0, DOCUMENTS)] * (count - 1) + [(DOCUMENTS, 0)], "one build renders, the others find it done"
        assert_one_complete_build(out, expected)


@pytest.mark.parametrize("count", COUNTS)
def test_builds_started_together_without_wait_stop_naming_the_build_that_holds_the_folder(
        site, references, count: int) -> None:
    content, out, expected = site
    for _ in range(RACES):
        previous_build(out, references[1]["A"])
        results = together([build_command(content, out, *SCOPE, jobs=1)] * count)
        winners = [r for r in results if r[1] == 0]
        assert len(winners) == 1, [r[1:] for r in results]
        holder = winners[0][0]
        assert summary(winners[0][2]) == (DOCUMENTS, 0)
        for _, code, _, stderr in (r for r in results if r[1] != 0):
            assert code == 1, stderr
            assert stderr.strip() == (f"error: another build (process {holder}) is using {out}; gave up after "
                                      "waiting 0 s (use --wait SECONDS to wait longer)"), stderr
        assert_one_complete_build(out, expected)


def holding(build: subprocess.Popen, out: Path) -> None:
    """Wait until `build` holds the folder (its process id is in the lock file)."""
    deadline = time.monotonic() + 60
    while (out / LOCK).read_text().strip() != str(build.pid):
        assert build.poll() is None and time.monotonic() < deadline, "the build never took the lock"
        time.sleep(0.01)


def test_a_lock_left_by_a_sigkilled_build_does_not_block_the_next_build(site) -> None:
    content, out, expected = site
    killed = start(build_command(content, out, *SCOPE, jobs=1), subprocess.DEVNULL)
    holding(killed, out)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    assert (out / LOCK).read_text().strip() == str(killed.pid), "the lock file still names the dead build"
    done = run(build_command(content, out, *SCOPE, jobs=1))
    assert done.returncode == 0, done.stderr
    assert_one_complete_build(out, expected)


def test_a_build_waiting_for_one_that_is_sigkilled_takes_over_and_finishes(site) -> None:
    content, out, expected = site
    first = start(build_command(content, out, *SCOPE, jobs=1), subprocess.DEVNULL)
    holding(first, out)
    waiting = start(build_command(content, out, *SCOPE, "--wait", "120", jobs=1))
    assert waits_on_lock(waiting.pid, out), "the second build never reached the lock"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=60)
    stdout, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert summary(stdout) is not None, stdout
    assert_one_complete_build(out, expected)
