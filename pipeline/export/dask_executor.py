"""Rendering on a Dask cluster, for when one machine's cores are not enough.

Why Dask: a render job is already a pure, self-contained function call (what the HTML is made from,
brand and paths in, bytes out: the worker makes the HTML, run.py's `html_on_workers`), which is
exactly what Dask's futures schedule across machines, and Dask brings the parts we would otherwise
build: a scheduler to run on any node, workers started by hand, by dask-kubernetes or by
dask-jobqueue (Slurm, PBS), results streamed back as they finish, and tasks of a lost worker
rescheduled on another. Planning, checks and the write phase stay in the process that runs `rolepack
build`, so outputs are written atomically exactly as in a local build; a worker only ever returns
bytes.

Why the workers are checked first: the build decides "up to date" from input keys that include
this machine's engine fingerprint (rolepack's code, the libraries that shape the bytes, the
bundled fonts). A worker on another release would write different bytes under the same key, and
nothing later would notice; so before anything renders, every worker must compute the same
fingerprint and see every folder the jobs read (the layouts, the content's assets), or the build
stops and names it. A worker that joins the cluster after this check is not checked.

Starting the workers: `dask scheduler` on one node, `dask worker tcp://SCHEDULER:8786` on each
node, every one with rolepack installed at the same version (same libraries, same fonts) and with
the layouts and content at the same absolute paths as on the machine that runs the build (a
shared filesystem, or the same checkout at the same path on every node). An adaptive cluster must
keep at least one worker, since workers are checked before any task asks for more.

A document whose worker dies is rendered again on another worker; the scheduler gives up on it
only after `distributed.scheduler.allowed-failures` workers (Dask's default: 3) have died running
it, so keep that setting at 1 or more. How long to wait for the scheduler, and for its first
worker, is Dask's own setting `distributed.comm.timeouts.connect` (for example the environment
variable DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=10s).
"""

from __future__ import annotations

import gc
import itertools
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from pathlib import Path

import dask
from dask.utils import parse_timedelta
from distributed import Client, Future, as_completed
from distributed.scheduler import KilledWorker

from pipeline.export.executors import IN_FLIGHT, ExecutorError, Outcome, render_job
from pipeline.export.engine import engine_fingerprint
from pipeline.render.formats import RenderJob

KEY_PREFIX = "rolepack-render"
"""Task keys read `rolepack-render-<output path>-<id>`: the dashboard groups them, a person can tell which document."""


def worker_view(layouts: str, folders: list[str]) -> tuple[str, list[str]]:
    """Run on each worker: the fingerprint it would render with, and which of the jobs' folders it cannot see."""
    return engine_fingerprint(Path(layouts)), [f for f in folders if not Path(f).is_dir()]


class DaskExecutor:
    """Render jobs as tasks on the Dask cluster whose scheduler listens at `address`."""

    def __init__(self, address: str, layouts: Path) -> None:
        self.address = address
        self.layouts = layouts
        self.timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), "s")
        self._client = self._connect()

    def run(self, jobs: Iterable[RenderJob]) -> Iterator[Outcome]:
        """Each job's outcome as its task finishes, once every worker is known to render as this
        machine would. Each job is sent as soon as the build makes it, and no more than IN_FLIGHT
        per worker thread wait on the cluster, so the client holds a bounded number of documents
        (their jobs going out, their bytes coming back) however large the catalogue."""
        jobs = iter(jobs)
        first = next(jobs, None)
        if first is None:
            return
        self._check_workers([first])  # every job of a build reads the same layouts and folders
        limit = IN_FLIGHT * max(1, sum(self._client.nthreads().values()))
        running = as_completed(loop=self._client.loop)
        paths: dict[str, str] = {}
        for job in itertools.chain([first], jobs):
            while running.count() >= limit:
                yield from self._finished(running.next_batch(block=True), paths)
            future = self._client.submit(render_job, job, key=f"{KEY_PREFIX}-{job.path}-{uuid.uuid4().hex}", pure=False)
            paths[future.key] = job.path
            running.add(future)
            if running.has_ready():
                yield from self._finished(running.next_batch(block=False), paths)
        for future in running:
            yield from self._finished([future], paths)

    def _finished(self, futures: Iterable[Future], paths: dict[str, str]) -> Iterator[Outcome]:
        for future in futures:
            yield self._outcome(future, paths.pop(future.key))
            future.release()  # the bytes are here now; a worker need not keep them

    def close(self) -> None:
        """Disconnect; the cluster stays up for the next build."""
        self._client.close()

    def _connect(self) -> Client:
        client = self._client_within_deadline()
        try:
            client.wait_for_workers(1, timeout=self.timeout)
        except TimeoutError:
            client.close()
            raise ExecutorError(f"the Dask scheduler at {self.address} has no workers (waited {self.timeout:g} s); "
                                f"start `dask worker {self.address}` on each node") from None
        return client

    def _client_within_deadline(self) -> Client:
        """A client of the scheduler, or ExecutorError within twice the connect timeout.

        Dask's own timeout covers reaching the address, not what answers there: a service that is
        not a Dask scheduler may say nothing (an HTTP server waits for a request, and the client
        for its handshake, forever) or send bytes that read as a frame of many gigabytes
        (MemoryError). So the client is made on a thread of its own, given a deadline, and any
        failure is said as one line."""
        made: dict[str, object] = {}

        def connect() -> None:
            try:
                made["client"] = Client(self.address, timeout=self.timeout, set_as_default=False)
            except BaseException as err:  # noqa: BLE001 — whatever it is, the build reports it
                made["error"] = err.with_traceback(None)
                # A client that failed half-way closes itself when collected; here, while its loop
                # still runs, not at exit (where it waits out a timeout and prints a traceback).
                gc.collect()

        thread = threading.Thread(target=connect, name="rolepack-dask-connect", daemon=True)
        thread.start()
        thread.join(2 * self.timeout)
        if "client" in made:
            return made["client"]  # type: ignore[return-value]
        err = made.get("error")
        if err is None:
            raise ExecutorError(f"the service at {self.address} did not answer as a Dask scheduler within "
                                f"{2 * self.timeout:g} s (is `dask scheduler` running there, and the address right?)")
        if isinstance(err, (OSError, ValueError)):
            raise ExecutorError(f"cannot reach the Dask scheduler at {self.address}: {err} "
                                "(is `dask scheduler` running there, and the address right?)")
        raise ExecutorError(f"the service at {self.address} is not a Dask scheduler ({type(err).__name__} "
                            "while greeting it); check the address")

    def _check_workers(self, jobs: Sequence[RenderJob]) -> None:
        """ExecutorError naming every worker that would render differently from this machine, or not at all."""
        folders = sorted({str(self.layouts)} | {str(f) for job in jobs for f in job.allowed if f.is_dir()})
        expected = engine_fingerprint(self.layouts)
        views = self._client.run(worker_view, str(self.layouts), folders, on_error="return")
        names = {address: info.get("name") for address, info in self._client.scheduler_info()["workers"].items()}
        refused = [f"worker {names.get(address, address)} ({address}): {problem}"
                   for address, view in sorted(views.items())
                   if (problem := _refusal(view, expected)) is not None]
        if refused:
            raise ExecutorError(f"{len(refused)} of {len(views)} Dask workers at {self.address} would not render "
                                "what this machine renders, so nothing was rendered:\n  " + "\n  ".join(refused))

    def _outcome(self, future: Future, path: str) -> Outcome:
        """The worker's outcome; a task the cluster could not finish is this document's failure."""
        try:
            return future.result()
        except KilledWorker as err:
            return Outcome(path, None, f"{err.allowed_failures + 1} Dask workers died while rendering this document "
                                       "(distributed.scheduler.allowed-failures)", 0.0)
        except CancelledError:
            raise ExecutorError(f"the Dask scheduler at {self.address} dropped the build while rendering {path} "
                                "(restarted, or the connection was lost)") from None
        except Exception as err:  # render_job reports a renderer's failure itself; this is the cluster's
            return Outcome(path, None, f"the Dask cluster could not run this job: {type(err).__name__}: {err}", 0.0)


def _refusal(view: tuple[str, list[str]] | BaseException, expected: str) -> str | None:
    """Why a worker may not render for this build, if it may not."""
    if isinstance(view, BaseException):
        return f"cannot run rolepack ({type(view).__name__}: {view}); install the same rolepack there"
    fingerprint, missing = view
    if missing:
        return f"cannot see {', '.join(missing)} (jobs read these paths; mount or check them out at the same place)"
    if fingerprint != expected:
        return (f"renders with engine {fingerprint[:12]}, this machine with {expected[:12]} "
                "(install the same rolepack version, libraries and fonts)")
    return None
