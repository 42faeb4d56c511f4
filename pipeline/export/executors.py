"""Where render jobs run: in this process, in a pool of local worker processes, or on a cluster.

Rendering is a pure function from a self-contained job to bytes, so the executors differ only in
where that function runs. Planning and the write phase always stay in the process that runs
`build`, so outputs are written atomically whatever executor rendered them.
"""

from __future__ import annotations

import dataclasses
import importlib
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from pipeline.render.errors import RenderError
from pipeline.render.formats import Rendered, RenderJob, formats

RECYCLE_AFTER = 400
"""Documents a local worker renders before it is replaced. A worker grows by about 0.11 MiB a
document once warm (measured 2026-12-07: 150 MiB after the shipped roles' 32 PDF and DOCX documents,
176 MiB after 256), so 400 keep it near 200 MiB, under the 300 MiB target, while a build of a few
hundred documents keeps its workers from start to end (it was 40: a restart every 40 documents)."""
SECONDS_PER_UNIT = 5e-6
"""Seconds of rendering per character of HTML weighted by its format's cost: 3.3 to 7.2 µs for the
PDFs and DOCX of the shipped roles (measured 2026-12-07), so an estimate, good to a factor of 1.5."""
POOL_PAYS_FROM = 1.4
"""Estimated seconds of rendering below which a pool of workers costs more than it saves: starting
two workers takes about 0.9 s of CPU. Measured 2026-12-07 on 2 cores: 4 job-description PDFs (0.8 s
of work) finished in 2.04 s in this process and 2.26 s in a pool of 2; 8 (1.7 s) in 2.66 s and 2.50 s."""


def estimate(jobs: Sequence[RenderJob]) -> float:
    """The seconds `jobs` take to render, estimated from their HTML and their formats' costs."""
    registry = formats()
    return sum(len(job.html) * registry[job.format].cost for job in jobs) * SECONDS_PER_UNIT


IN_FLIGHT = 2
"""Jobs sent to each local worker ahead of its results: enough to keep it busy, few enough that a
large build holds only a handful of documents' HTML in the pipe."""
WORKER_DIED = "a worker process died while rendering this document"


class ExecutorError(Exception):
    """The executor itself cannot render (a cluster unreachable, a worker that would render differently);
    the message names what and where, for the person running the build."""


@dataclass(frozen=True)
class Outcome:
    path: str
    rendered: Rendered | None
    error: str | None
    seconds: float


def render_job(job: RenderJob) -> Outcome:
    """Render one job; a failure is an outcome to report, never an exception that stops the others."""
    start = time.perf_counter()
    try:
        if not isinstance(job.html, str):  # a cluster's job: its HTML is made here
            job = dataclasses.replace(job, html=job.html.render())
        rendered = formats()[job.format].render(job)
        return Outcome(job.path, rendered, None, time.perf_counter() - start)
    except RenderError as err:
        return Outcome(job.path, None, str(err), time.perf_counter() - start)
    except Exception as err:  # a renderer's own bug must fail this document, not the whole run
        return Outcome(job.path, None, f"internal error in the {job.format} writer: {type(err).__name__}: {err}",
                       time.perf_counter() - start)


def _exit_with_the_build() -> None:
    """Worker initializer: end this worker when the build that started it dies.

    A build killed with SIGKILL cannot shut its pool down, and an idle worker never notices by
    itself (every worker holds the job queue open), so it would wait for its next job forever,
    holding its memory and the build's stdout and stderr open.
    """
    build = multiprocessing.parent_process()
    if build is not None:
        threading.Thread(target=_exit_when_gone, args=(build.sentinel,), daemon=True).start()


def _start_worker(renderers: tuple[str, ...]) -> None:
    """Worker initializer: end with the build, and import the renderers now, while the build
    still renders the jobs' HTML, rather than inside the first job."""
    _exit_with_the_build()
    for module in renderers:
        importlib.import_module(module)


def _exit_when_gone(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


class Executor(Protocol):
    def run(self, jobs: Iterable[RenderJob]) -> Iterator[Outcome]:
        """Each job's outcome, in the order they finish; the jobs may still be being made."""
        ...

    def close(self) -> None: ...


class LocalExecutor:
    """Worker processes on this machine, started once and kept for the whole build.

    Workers are started with `spawn` (a clean interpreter, no state copied from the planner) and
    replaced after RECYCLE_AFTER documents each. CPython before 3.13 hangs when a pool retires a
    worker through `max_tasks_per_child` (python/cpython#115634), so there the pool is replaced
    whole between batches instead. One worker, one job, or less work than a pool pays for
    (POOL_PAYS_FROM) renders in this process.

    Given the number of jobs to `expect`, the seconds of work they are expected to take (`work`) and
    the `renderers` they need, the workers start at once when the work pays for them, and import
    those while the caller prepares the jobs (a second and more of a cold build).
    """

    def __init__(self, workers: int, *, expect: int = 0, work: float = float("inf"),
                 renderers: Sequence[str] = ()) -> None:
        self.workers = max(1, workers)
        self.renderers = tuple(renderers)
        self._pool: ProcessPoolExecutor | None = None
        if self.workers > 1 and expect > 1 and work >= POOL_PAYS_FROM:
            self._pool = self._new_pool(expect)
            for _ in range(min(self.workers, expect)):  # a pool starts a worker per waiting call
                self._pool.submit(os.getpid)

    def _new_pool(self, jobs: int) -> ProcessPoolExecutor:
        options = {"max_tasks_per_child": RECYCLE_AFTER} if sys.version_info >= (3, 13) else {}
        return ProcessPoolExecutor(max_workers=min(self.workers, jobs), mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(self.renderers,), **options)

    def run(self, jobs: Iterable[RenderJob]) -> Iterator[Outcome]:
        """Each job's outcome as it finishes. A pool started ahead is sent each job as soon as the
        caller makes it, a few per worker at a time, so rendering starts with the first document and
        no more than those few wait in memory; otherwise the jobs are weighed first (POOL_PAYS_FROM)."""
        if self._pool is None:
            jobs = list(jobs)
            if self.workers == 1 or len(jobs) <= 1 or estimate(jobs) < POOL_PAYS_FROM:
                for job in jobs:
                    yield render_job(job)
                return
            self._pool = self._new_pool(len(jobs))
        yield from self._stream(iter(jobs))

    def _stream(self, jobs: Iterator[RenderJob]) -> Iterator[Outcome]:
        batch = None if sys.version_info >= (3, 13) else self.workers * RECYCLE_AFTER
        pending: dict[Future, RenderJob] = {}
        sent = 0
        for job in jobs:
            if batch is not None and sent == batch:  # CPython < 3.13 cannot retire one worker: a new pool
                yield from self._finished(pending, every=True)
                self.close()
                self._pool, sent = self._new_pool(self.workers), 0
            while len(pending) >= IN_FLIGHT * self.workers:
                yield from self._finished(pending, every=False)
            try:
                pending[self._pool.submit(render_job, job)] = job  # type: ignore[union-attr]
                sent += 1
            except BrokenProcessPool:
                yield Outcome(job.path, None, WORKER_DIED, 0.0)
        yield from self._finished(pending, every=True)

    def _finished(self, pending: dict[Future, RenderJob], *, every: bool) -> Iterator[Outcome]:
        """The outcomes of the jobs done: all of them (`every`), or at least one."""
        done, _ = wait(list(pending), return_when=ALL_COMPLETED if every else FIRST_COMPLETED)
        for future in done:
            job = pending.pop(future)
            try:
                yield future.result()
            except BrokenProcessPool:
                yield Outcome(job.path, None, WORKER_DIED, 0.0)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
