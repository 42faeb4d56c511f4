"""Issue 24's catalogue targets at scale: what validation and a rebuild cost when one role changed.

A catalogue of `--scale-roles` copies (5,000 by default) is validated with an empty validation
cache (every role checked), then with the cache of that run, measuring wall time and the peak
memory of the process. Its job descriptions are then built as DOCX (a format that publishes nothing,
so no lint runs; the first build takes minutes), and
rebuilt with nothing changed and after one role's summary was edited (one document outdated).
The cache lives in the benchmark's own folder, never the user's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cases import Measure, build_args, log, rolepack_command, run
from catalogue import MadeCatalogue, touch_role

FORMAT = ("docx", "--kind", "job-description")


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
    noop, changed, rebuilt = [], [], set()
    slug = (catalogue.independent or catalogue.slugs)[0]
    log(f"scale: {repeats} no-op rebuilds and {repeats} rebuilds after editing {slug}")
    for i in range(repeats + 1):
        done = run([*rolepack_command(), *args])
        if (failure := done.failure()) is not None:
            return measures | {"scale.noop": Measure(error=failure)}
        if i:
            noop.append(done.seconds)
        touch_role(catalogue, slug, 1000 + i)
        done = run([*rolepack_command(), *args])
        if (failure := done.failure()) is not None:
            return measures | {"scale.changed": Measure(error=failure)}
        rebuilt.add((done.counts() or (-1, 0))[0])
        if i:
            changed.append(done.seconds)
    measures["scale.noop"] = Measure(noop, note=f"{n} documents")
    measures["scale.changed"] = Measure(changed, note=f"{slug}: {'/'.join(map(str, sorted(rebuilt)))} documents rebuilt")
    return measures
