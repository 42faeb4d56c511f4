"""`rolepack build --executor dask`: rendering on a cluster changes where documents render, nothing else.

A real Dask cluster runs in the test process (a scheduler and two worker processes); every build
is the real command in its own process, as a person or CI would run it against a cluster. A
cluster build writes what a local build writes, byte for byte; a worker killed mid-build costs
nothing but time; a worker that would render differently, a scheduler without workers, or one
that is not there stops the build with a message saying so, before anything is written.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from docx_support import snapshot_sources
from pdf_support import CONTENT, LAYOUTS, REPO, Build, rolepack_build
from pipeline.export.dask_executor import KEY_PREFIX
from pipeline.export.seen import SEEN
from pipeline.export.store import LOCK
from test_build_outputs import entries, sha256

ROLE = "backend-engineer"
FAILED, INVALID = 1, 2
Sources = tuple[Path, Path]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster, set_as_default=False) as client:
        yield client


@pytest.fixture
def address(cluster: LocalCluster, client: Client) -> str:
    """The scheduler's address, once both workers are up (a killed one is restarted by its nanny)."""
    client.wait_for_workers(2, timeout=60)
    return cluster.scheduler_address


@pytest.fixture
def impatient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds wait 2 s, not Dask's default 30 s, for a scheduler or its first worker."""
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    """Content and layouts copied once, so that builds compared with each other read the same files."""
    return snapshot_sources(tmp_path_factory.mktemp("sources"))


@pytest.fixture(scope="module")
def local(sources: Sources, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The same documents built on this machine, in one process, for comparison."""
    done = build(tmp_path_factory.mktemp("local") / "out", "--jobs", "1", sources=sources)
    assert done.exit_code == 0, done.stderr
    return done


def build(out: Path, *args: str, sources: Sources = (CONTENT, LAYOUTS)) -> Build:
    """One role, both brands, PDF (rolepack_build's) and DOCX: eight documents, the two hiring-guide
    PDFs slow enough (seconds) to be caught rendering."""
    content, layouts = sources
    return rolepack_build(out, "--format", "docx", "--role", ROLE, *args, content=content, layouts=layouts)


def on(address: str) -> tuple[str, ...]:
    return ("--executor", "dask", "--scheduler", address)


def files(out: Path) -> dict[str, bytes]:
    """Every file a build leaves in `out` (the lock, which only ever holds a process id, and the
    statuses this machine saw, aside)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in (LOCK, SEEN)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kill_the_first_worker_seen_rendering(client: Client, stop: threading.Event) -> str | None:
    """SIGKILL a worker's process as soon as it is executing a render task; that task's key, or None if none ran."""
    pids = client.run(os.getpid)
    while not stop.wait(0.05):
        # a lambda travels by value, so the workers need not import this test module
        executing = client.run(lambda dask_worker: [str(ts.key) for ts in dask_worker.state.executing],
                               on_error="return")
        for address, keys in executing.items():
            rendering = [k for k in keys if k.startswith(KEY_PREFIX)] if isinstance(keys, list) else []
            if rendering and address in pids:
                os.kill(pids[address], signal.SIGKILL)
                return rendering[0]
    return None


@contextmanager
def a_worker_on_another_release(client: Client, address: str, into: Path) -> Iterator[str]:
    """A worker running its own copy of rolepack that differs by one comment, as a node left on an
    older release would: its engine fingerprint differs and nothing else does. Its name, while it runs."""
    name = "other-release"
    copy = into / name
    shutil.copytree(REPO / "pipeline", copy / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "pipeline" / "__init__.py", "a", encoding="utf-8") as init:
        init.write("# another release\n")
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--name", name,
                               "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                              cwd=into, env={**os.environ, "PYTHONPATH": str(copy)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: name in worker_names(client), f"worker {name} to join")
        yield name
        worker.terminate()
        worker.wait(timeout=30)
        wait_until(lambda: name not in worker_names(client), f"worker {name} to leave")
    finally:
        worker.kill()
        worker.wait(timeout=30)


def worker_names(client: Client) -> set[str]:
    return {str(w["name"]) for w in client.scheduler_info()["workers"].values()}


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


class TestABuildOnACluster:
    def test_writes_the_same_files_and_the_same_manifest_as_a_local_build(
            self, address: str, sources: Sources, local: Build, tmp_path: Path) -> None:
        done = build(tmp_path / "out", *on(address), sources=sources)
        assert done.exit_code == 0, done.stderr
        assert files(done.out) == files(local.out)

    @pytest.mark.long  # make test kills a Dask worker in tests/export/test_faults_kill.py
    def test_survives_a_worker_killed_mid_document_and_still_writes_every_file_correctly(
            self, address: str, client: Client, sources: Sources, local: Build, tmp_path: Path) -> None:
        stop = threading.Event()
        with ThreadPoolExecutor(1) as watcher:
            killed = watcher.submit(kill_the_first_worker_seen_rendering, client, stop)
            done = build(tmp_path / "out", *on(address), sources=sources)
            stop.set()
        assert killed.result() is not None, "no worker was seen rendering, so none was killed"
        assert done.exit_code == 0, done.stderr
        for path, entry in entries(done.out).items():
            assert sha256(done.out / path) == entry["sha256"], path
        assert files(done.out) == files(local.out)


def build_counting_held_tasks(address: str, out: Path, client_html: bool = True) -> tuple[int, list[int], int]:
    """Every shipped role's job description, Markdown and DOCX, of both brands built on the cluster, with the
    number of render tasks the build's client holds each time a document comes back; and the cap.
    With `client_html` False, the build's process cannot make a role document's HTML."""
    import datetime as dt

    from pipeline.export.dask_executor import DaskExecutor
    from pipeline.export.executors import IN_FLIGHT
    from pipeline.export.request import build_request, load_for_build
    from pipeline.export.run import build as run_build

    held: list[int] = []
    cap: list[int] = []

    class Counting(DaskExecutor):
        def run(self, jobs):
            cap.append(IN_FLIGHT * sum(self._client.nthreads().values()))
            for outcome in super().run(jobs):
                held.append(sum(1 for key in self._client.futures if str(key).startswith(KEY_PREFIX)))
                yield outcome

    today = dt.date(2026, 12, 7)
    loaded = load_for_build(CONTENT, LAYOUTS, today=today, keep_going=False)
    request = build_request(loaded, LAYOUTS, CONTENT, out, formats=["md", "docx"],
                            kinds=["job-description"], executor=lambda: Counting(address, LAYOUTS),
                            today=today, jobs=1, html_on_workers=True)
    with pytest.MonkeyPatch.context() as patch:
        if not client_html:  # the workers import their own render_html; this process's is gone
            patch.setattr("pipeline.export.run.render_html", None)
        report = run_build(request)
    assert not report.failed, report.failed
    return len(report.built), held, cap[0]


class TestTheClientHoldsABoundedNumberOfDocuments:
    """The build sends each document as it is made and keeps at most IN_FLIGHT per worker thread on
    the cluster: what the client holds does not grow with the catalogue (ten thousand documents'
    HTML and bytes would be a gigabyte)."""

    def test_on_two_workers(self, address: str, tmp_path: Path) -> None:
        built, held, cap = build_counting_held_tasks(address, tmp_path / "out", client_html=False)
        assert built == len(held) > 3 * cap, "enough documents to overflow the cap if everything were sent at once"
        assert 2 <= max(held) <= cap, held


def test_a_cluster_job_carries_what_its_html_is_made_from(sources: Sources, tmp_path: Path) -> None:
    """A role's document goes to the cluster as what its HTML is made from: the role, its company,
    its brand and only its related roles' titles, not the catalogue's; the worker makes the build's
    HTML from it, so the files are the same (TestABuildOnACluster). The role as JSON goes only with
    an archival PDF, the one document that carries it."""
    import datetime as dt

    from pipeline.export.request import build_request, load_for_build
    from pipeline.export.run import _jobs
    from pipeline.render.html import HtmlRecipe

    content, layouts = sources
    loaded = load_for_build(content, layouts, today=dt.date(2026, 12, 7), keep_going=False)
    sent = {}
    for on_workers, variant in ((False, "pdf/ua-1"), (True, "pdf/ua-1"), (True, "pdf/a-3b")):
        request = build_request(loaded, layouts, content, tmp_path / "out", formats=["pdf", "docx"], roles=[ROLE],
                                today=dt.date(2026, 12, 7), options={"pdf_variant": variant},
                                html_on_workers=on_workers)
        sent[on_workers, variant] = {job.path: job for job in _jobs(request, request.targets, {})}
    assert len(sent[False, "pdf/ua-1"]) == 8
    for path, local_job in sent[False, "pdf/ua-1"].items():
        recipe = sent[True, "pdf/ua-1"][path].html
        assert isinstance(recipe, HtmlRecipe) and isinstance(local_job.html, str)
        assert recipe.render() == local_job.html
        assert set(recipe.document.related_titles) == set(recipe.document.role.related_roles)
        assert local_job.data == sent[True, "pdf/ua-1"][path].data == b""
        archival = sent[True, "pdf/a-3b"][path].data
        assert json.loads(archival)["role"]["slug"] == ROLE if path.endswith(".pdf") else archival == b""


class TestABuildThatCannotUseTheCluster:
    def test_stops_naming_a_worker_on_another_release_and_writes_nothing(self, address: str, client: Client,
                                                                         tmp_path: Path) -> None:
        with a_worker_on_another_release(client, address, tmp_path) as name:
            done = build(tmp_path / "out", *on(address))
        assert done.exit_code == FAILED, done.stderr
        assert "1 of 3 Dask workers" in done.stderr
        assert f"worker {name} (tcp://" in done.stderr and "engine" in done.stderr
        assert files(done.out) == {}

    @pytest.mark.usefixtures("impatient")
    def test_stops_when_the_scheduler_has_no_workers_and_writes_nothing(self, tmp_path: Path) -> None:
        with LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as empty:
            done = build(tmp_path / "out", *on(empty.scheduler_address))
        assert done.exit_code == FAILED, done.stderr
        assert f"the Dask scheduler at {empty.scheduler_address} has no workers" in done.stderr
        assert files(done.out) == {}

    @pytest.mark.usefixtures("impatient")
    def test_stops_when_the_scheduler_cannot_be_reached_and_writes_nothing(self, tmp_path: Path) -> None:
        address = f"tcp://127.0.0.1:{free_port()}"
        done = build(tmp_path / "out", *on(address))
        assert done.exit_code == FAILED, done.stderr
        assert f"cannot reach the Dask scheduler at {address}" in done.stderr
        assert "Traceback" not in done.stderr
        assert files(done.out) == {}

    def test_needs_a_scheduler_address(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("ROLEPACK_DASK_SCHEDULER", raising=False)
        done = build(tmp_path / "out", "--executor", "dask")
        assert done.exit_code == INVALID
        assert "--executor dask needs --scheduler" in done.stderr
        assert not done.out.exists()
