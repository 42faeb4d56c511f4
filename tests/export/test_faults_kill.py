"""A build killed with SIGKILL at any moment publishes nothing torn, and the next build repairs it.

Each round changes the content (the base role, so every document changes, or one role, so most
are up to date and the write phase is most of what happens), starts `rolepack build` as a real
process and kills it: at a random time spread over the measured length of an unkilled build, or
at the n-th file event of its write phase (inotify tells the test the moment a temporary file
appears or a file is renamed into place). After the kill, every output is byte for byte the
complete file of the previous build or of a fresh build of the new content, the manifest is
one of those two builds' manifests, and a new manifest only ever sits beside new files. Then an
unkilled build (of the new content, or now and then of the old one, as when an edit is reverted)
must finish and leave exactly that content's complete, consistent set.

A worker killed on a Dask cluster either costs only time or fails the build with its reason,
the previous outputs intact.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dask
import pytest

from fault_support import (LONG, SEED, FolderEvents, build_command, children, manifest_problems, published, run,
                           outlived, set_content, small_catalogue, start, temporaries)
from pipeline.export.store import RECORD, STATE

KILLS = 60 if LONG else 3
SCOPE = () if LONG else ("--kind", "job-description")
"""The short run builds the job descriptions only (8 documents): the hiring guides are most of the time."""
STATES = ("A", "B", "C")


class Reference:
    """A complete, unkilled build of one content state: its published files by sha256, and how long it took."""

    def __init__(self, out: Path, seconds: float) -> None:
        self.out = out
        self.files = published(out)
        self.seconds = seconds


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Reference]]:
    """The content folder and a reference build of each state of it. B and C are each built from a
    copy of A, as a nightly build finds the folder, with the workers a killed build has, which also
    measures how long such a build takes."""
    root = tmp_path_factory.mktemp("kills")
    content = small_catalogue(root)
    references: dict[str, Reference] = {}
    for state in STATES:
        set_content(content, state)
        out = root / f"reference-{state}"
        if state != "A":
            shutil.copytree(references["A"].out, out, copy_function=shutil.copy2)
        started = time.monotonic()
        done = run(build_command(content, out, *SCOPE, jobs=1 if state == "A" else 2))
        assert done.returncode == 0, done.stderr
        references[state] = Reference(out, time.monotonic() - started)
        assert not manifest_problems(out) and not temporaries(out)
    set_content(content, "A")
    return content, references


def kill_at_a_time(command: list[str], after: float) -> tuple[bool, set[int]]:
    """Start the build and SIGKILL it `after` seconds later; (killed, the workers it had started)."""
    build = start(command, subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + after
    while build.poll() is None and time.monotonic() < deadline:
        workers |= children(build.pid)
        time.sleep(min(0.02, max(0.0, deadline - time.monotonic())))
    return _kill(build, workers)


def kill_at_a_file_event(command: list[str], out: Path, event: int) -> tuple[bool, set[int]]:
    """Start the build and SIGKILL it as the `event`-th temporary file or rename appears in `out`."""
    watch = FolderEvents(out)
    try:
        build = start(command, subprocess.DEVNULL)
        workers: set[int] = set()
        seen = 0
        while build.poll() is None:
            workers |= children(build.pid)
            seen += len(watch.names(0.02))
            if seen >= event:
                break
        return _kill(build, workers)
    finally:
        watch.close()


def _kill(build, workers: set[int]) -> tuple[bool, set[int]]:
    killed = build.poll() is None
    if killed:
        os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=60)
    return killed, workers


def damage(out: Path, old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Every way `out` is not made of complete files of the `old` and `new` builds."""
    now = published(out)
    problems = [f"{path}: lost" for path in sorted(set(old) - set(now))]
    problems += [f"{path}: not a file of either build" for path, digest in now.items()
                 if digest not in (old.get(path), new.get(path))]
    if now.get("manifest.json") == new["manifest.json"]:
        problems += [f"{path}: the new manifest lists the new file, the old one is on disk"
                     for path, digest in now.items() if digest != new.get(path)]
    return problems


def phase(out: Path, old: dict[str, str]) -> str:
    """Where the kill landed, from what it left: nothing written yet (start-up or rendering),
    finished documents staged beside their targets while others render, files moved into place but
    not the manifest, or the manifest written too."""
    now = published(out)
    if now.get("manifest.json") != old["manifest.json"]:
        return "write, manifest written"
    if now != old:
        return "write, before the manifest"
    if temporaries(out):
        return "render, documents staged"
    return "render"


def test_a_build_killed_at_any_moment_publishes_only_whole_files_and_the_next_build_repairs_them(
        catalogue: tuple[Path, dict[str, Reference]], tmp_path: Path) -> None:
    content, references = catalogue
    rng = random.Random(SEED)
    out = tmp_path / "out"
    shutil.copytree(references["A"].out, out, copy_function=shutil.copy2)
    current, kills, tally, problems = "A", 0, Counter(), []
    started = time.monotonic()
    while kills < KILLS:
        new = rng.choice([s for s in STATES if s != current])
        old_files, new_files = references[current].files, references[new].files
        set_content(content, new)
        if kills % 3 == 0:
            seconds = max(references[s].seconds for s in (current, new) if s != "A")
            how = "timed"
            killed, workers = kill_at_a_time(build_command(content, out, *SCOPE), rng.uniform(0.05, seconds))
        else:  # one job spares the workers' start-up
            changed = max(1, sum(old_files[p] != new_files[p] for p in new_files if p != "manifest.json"))
            how = "at a file event"
            # The first `changed` events are the documents staged while the others render (every
            # third kill lands there); the renames that publish them, the manifest and the state
            # come after (the other third).
            events = (1, changed) if kills % 3 == 2 else (changed + 1, 2 * changed + 6)
            killed, workers = kill_at_a_file_event(build_command(content, out, *SCOPE, jobs=1), out,
                                                   rng.randint(*events))
        if not killed:
            tally["finished before the kill"] += 1
        else:
            kills += 1
            tally[f"{how}: {phase(out, old_files)}"] += 1
            problems += [f"kill {kills} ({current}->{new}, {how}): {p}" for p in damage(out, old_files, new_files)]
            if left := outlived(workers, 10.0):
                problems.append(f"kill {kills}: worker processes {sorted(left)} outlived the killed build")
        repaired = current if rng.random() < 0.25 else new  # now and then the edit is reverted instead
        set_content(content, repaired)
        done = run(build_command(content, out, *SCOPE, jobs=1))
        if done.returncode != 0:
            problems.append(f"after kill {kills}: the next build exited {done.returncode}: {done.stderr.strip()}")
        if published(out) != references[repaired].files:
            problems.append(f"after kill {kills}: the next build did not leave the complete set of content {repaired}")
        problems += [f"after kill {kills}: {p}" for p in manifest_problems(out) + temporaries(out)]
        current = repaired
    report = (f"{kills} kills in {time.monotonic() - started:.0f} s (seed {SEED}): "
              + ", ".join(f"{name} {count}" for name, count in sorted(tally.items())))
    print(f"\n{report}")
    assert not problems, report + "\n" + "\n".join(problems)
    assert any(": render" in name for name in tally) and any("write" in name for name in tally), report


class TestANoOpRecordNeverOutlivesTheOutputsItDescribes:
    """The no-op shortcut trusts `.rolepack-build.json`: a build that changes the outputs must not leave
    an earlier build's record behind, or reverting an edit would keep the edited documents published."""

    def test_a_build_killed_after_its_manifest_then_reverted_rebuilds_the_old_documents(
            self, catalogue: tuple[Path, dict[str, Reference]], tmp_path: Path) -> None:
        content, references = catalogue
        out = tmp_path / "out"
        shutil.copytree(references["A"].out, out, copy_function=shutil.copy2)
        record = (out / RECORD).read_bytes()
        set_content(content, "C")
        try:
            watch = FolderEvents(out)
            build = start(build_command(content, out, *SCOPE, jobs=1), subprocess.DEVNULL)
            names: list[str] = []
            while build.poll() is None and STATE not in names:
                names += watch.names(0.02)
            _kill(build, set())
            watch.close()
            assert published(out) == references["C"].files, "the kill came before the manifest"
            left = (out / RECORD).read_bytes() if (out / RECORD).exists() else None
            assert left in (None, record), "the kill came after the build recorded itself"
            set_content(content, "A")
            done = run(build_command(content, out, *SCOPE, jobs=1))
        finally:
            set_content(content, "A")
        assert done.returncode == 0, done.stderr
        assert published(out) == references["A"].files

    def test_a_forced_build_then_reverted_rebuilds_the_old_documents(
            self, catalogue: tuple[Path, dict[str, Reference]], tmp_path: Path) -> None:
        content, references = catalogue
        out = tmp_path / "out"
        shutil.copytree(references["A"].out, out, copy_function=shutil.copy2)
        set_content(content, "C")
        try:
            forced = run(build_command(content, out, *SCOPE, "--force", jobs=1))
            set_content(content, "A")
            done = run(build_command(content, out, *SCOPE, jobs=1))
        finally:
            set_content(content, "A")
        assert forced.returncode == 0 and done.returncode == 0, forced.stderr + done.stderr
        assert published(out) == references["A"].files


RETRIES = {"dask-default-retries": 3, "no-retries": 0} if LONG else {"no-retries": 0}
"""Dask's allowed-failures; the default (a dead worker's document is rendered again) is also covered by
test_dask_build, so the short run tries only the build that must fail."""


@pytest.mark.parametrize("allowed_failures", list(RETRIES.values()), ids=list(RETRIES))
def test_a_dask_worker_killed_mid_document_costs_time_or_fails_the_build_with_the_old_files_intact(
        catalogue: tuple[Path, dict[str, Reference]], tmp_path: Path, allowed_failures: int) -> None:
    from distributed import Client, LocalCluster

    from test_dask_build import kill_the_first_worker_seen_rendering

    content, references = catalogue
    out = tmp_path / "out"
    shutil.copytree(references["A"].out, out, copy_function=shutil.copy2)
    set_content(content, "B")
    stop = threading.Event()
    try:
        with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}), \
                LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
                Client(cluster, set_as_default=False) as client, ThreadPoolExecutor(1) as watcher:
            client.wait_for_workers(2, timeout=60)
            killed = watcher.submit(kill_the_first_worker_seen_rendering, client, stop)
            done = run(build_command(content, out, *SCOPE, "--executor", "dask",
                                     "--scheduler", cluster.scheduler_address))
            stop.set()
            assert killed.result() is not None, "no worker was seen rendering, so none was killed"
    finally:
        set_content(content, "A")
    assert "Traceback" not in done.stderr
    if allowed_failures:
        assert done.returncode == 0, done.stderr
        assert published(out) == references["B"].files
    else:
        assert done.returncode == 2, done.stderr
        assert "Dask workers died while rendering this document" in done.stderr
        assert published(out) == references["A"].files
    assert not manifest_problems(out) and not temporaries(out)
