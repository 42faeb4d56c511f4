"""Rendering the slow documents (web fonts, PDF, DOCX) in a worker process the preview can stop at once.

In the server's own process, a WOFF2 compression or a PDF layout holds the interpreter for seconds:
the page rebuilds would wait for it, and so would the exit after Ctrl-C. A spawned worker renders
the engine's jobs instead (`pipeline.export.executors.render_job`, as `rolepack build` does) and is
killed, not waited for, when the preview stops.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Iterator, Sequence
from multiprocessing.pool import Pool

from pipeline.export.executors import RECYCLE_AFTER, ExecutorError, Outcome, render_job
from pipeline.render.formats import RenderJob


def _ignore_interrupts() -> None:
    """Ctrl-C in a terminal reaches the whole process group; the preview itself stops the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Workers:
    """One worker process, started on first use; `stop` kills it (the next build starts another),
    `close` kills it for good."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: Pool | None = None
        self._closed = False

    def executor(self) -> _Borrowed:
        """An executor for one build: it renders here, and its `close` leaves the worker running."""
        return _Borrowed(self)

    def run(self, jobs: Sequence[RenderJob]) -> Iterator[Outcome]:
        with self._lock:
            if self._closed:
                raise ExecutorError("the preview is stopping")
            if self._pool is None:
                self._pool = multiprocessing.get_context("spawn").Pool(
                    1, initializer=_ignore_interrupts, maxtasksperchild=RECYCLE_AFTER)
            pool = self._pool
        yield from pool.imap_unordered(render_job, jobs)

    def stop(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.stop()


class _Borrowed:
    def __init__(self, workers: Workers) -> None:
        self._workers = workers

    def run(self, jobs: Sequence[RenderJob]) -> Iterator[Outcome]:
        return self._workers.run(jobs)

    def close(self) -> None:
        """The build is done with it; the worker stays for the next one."""
