"""Issue 24's catalogue targets at scale: what validation and a rebuild cost when one role changed.

A catalogue of `--scale-roles` copies (5,000 by default) is validated with an empty validation
cache (every role checked), then with the cache of that run, measuring wall time and the peak
memory of the process. Its job descriptions are then built as DOCX (a format that publishes nothing,
so no lint runs; the first build takes minutes) and rebuilt after one role's summary was edited
(one document outdated), then with nothing changed, the way a nightly build finds it; and the same
edit rebuilt as Markdown, a format that publishes, so lint runs. The cache lives in the benchmark's
own folder, never the user's.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from cases import Measure, build_args, changed_case, log, rolepack_command, run
from catalogue import MadeCatalogue

FORMAT = ("docx", "--kind", "job-description")
RACY_SECONDS = 2.1
"""pipeline.source.digests.RACY_NS, and a little: how long after a change a file's status is trusted."""


def _validate(folder: Path, repeats: int) -> tuple[Measure, Measure]:
    samples, peaks = [], []
    for _ in range(repeats):
        done = run(["cli", "validate", "--content", str(folder)], peak=True)
        if (failure := done.failure()) is not None or not done.peak:
            return Measure(error=failure or "no record"), Measure(unit="MiB", error=failure or "no record")
        samples.append(done.seconds)
        peaks.append(done.peak["self_mib"])
    return Measure(samples), Measure(peaks, unit="MiB")


def scale_cases(catalogue: MadeCatalogue, work: Path, repeats: int) -> dict[str, Measure]:
    cache = work / "scale-cache"
    before = os.environ.get("ROLEPACK_CACHE")
    os.environ["ROLEPACK_CACHE"] = str(cache)  # the child processes inherit it
    try:
        return _measure(catalogue, work, cache, repeats)
    finally:
        if before is None:
            del os.environ["ROLEPACK_CACHE"]
        else:
            os.environ["ROLEPACK_CACHE"] = before
        shutil.rmtree(cache, ignore_errors=True)


def _measure(catalogue: MadeCatalogue, work: Path, cache: Path, repeats: int) -> dict[str, Measure]:
    n = catalogue.roles
    measures: dict[str, Measure] = {}
    shutil.rmtree(cache, ignore_errors=True)
    log(f"scale: validate {n} roles with an empty cache")
    measures["scale.validate.cold"], measures["scale.validate.cold.rss"] = _validate(catalogue.folder, 1)
    log(f"scale: validate {n} roles, {repeats} runs with the cache")
    measures["scale.validate"], measures["scale.validate.rss"] = _validate(catalogue.folder, repeats)

    args = build_args(catalogue.folder, work / "build-scale", ",".join(FORMAT[:1]), *FORMAT[1:])
    log(f"scale: first build of {n} job descriptions as DOCX (not timed)")
    first = run([*rolepack_command(), *args])
    if (failure := first.failure()) is not None:
        return measures | {"scale.noop": Measure(error=failure), "scale.changed": Measure(error=failure)}
    measures["scale.changed"] = changed_case(catalogue, args, repeats, pause=RACY_SECONDS, stamp=1000)

    # A nightly no-op comes long after the last change: past the few seconds in which a file's status
    # is not trusted, and after one build that verified the outputs (as the first night after a change).
    time.sleep(RACY_SECONDS)
    log(f"scale: {repeats} no-op rebuilds")
    noop = []
    for i in range(repeats + 1):
        done = run([*rolepack_command(), *args])
        if (failure := done.failure()) is not None:
            return measures | {"scale.noop": Measure(error=failure)}
        if i:
            noop.append(done.seconds)
    measures["scale.noop"] = Measure(noop, note=f"{n} documents; the first no-op after the change not timed")
    measures["scale.published"] = _published(catalogue, work, repeats)
    return measures


def _published(catalogue: MadeCatalogue, work: Path, repeats: int) -> Measure:
    """A format that publishes (Markdown) holds back any role lint finds an error in, so it lints
    every role it builds: the first build lints the catalogue (minutes, not timed), and a one-role
    edit must then lint that role alone (lint/kept)."""
    args = build_args(catalogue.folder, work / "build-scale-md", "md", "--kind", "job-description")
    log(f"scale: first build of {catalogue.roles} job descriptions as Markdown, linting every role (not timed)")
    if (failure := run([*rolepack_command(), *args]).failure()) is not None:
        return Measure(error=failure)
    return changed_case(catalogue, args, repeats, pause=RACY_SECONDS, stamp=2000, note=", lint included")
