"""The measurements: each case returns Measures (samples, their median, a note, or why it failed).

A case that fails records its error and the benchmark goes on, so one broken renderer still
leaves a table that says what it could measure. Commands run as subprocesses the way a user runs
them (the installed `rolepack` for start-up figures; `bench/child.py` around the same entry point
where the peak memory of the process and its workers is wanted); single documents are rendered in
this warm process through the format writers, as the build's workers do.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import signal
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import baselines
from catalogue import MadeCatalogue, touch_role
from peak import STATUS, high_water_mib

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LAYOUTS = ROOT / "layouts"
PYTHON = sys.executable
TIMEOUT = 900.0
"""Seconds before a command is given up as hung (run.py's --timeout); the slowest command of the
default options, the first docx build of 200 roles in one process, takes about two minutes."""


def rolepack_command() -> list[str]:
    """The installed console script (what `rolepack --help` start-up means), or the module."""
    script = Path(PYTHON).with_name("rolepack")
    return [str(script)] if script.is_file() else [PYTHON, "-m", "pipeline"]


@dataclass
class Measure:
    samples: list[float] = field(default_factory=list)
    unit: str = "s"
    note: str = ""
    error: str | None = None

    @property
    def value(self) -> float | None:
        return statistics.median(self.samples) if self.samples and self.error is None else None

    def per(self, count: float, unit: str | None = None, note: str = "") -> Measure:
        """The same samples divided by `count` (per page, per role)."""
        return Measure([s / count for s in self.samples], unit or self.unit, note or self.note, self.error)

    def to_json(self) -> dict:
        return asdict(self) | {"median": self.value}


def log(message: str) -> None:
    """Progress on stderr, so a long run is never silent and stdout stays the table."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _short(error: BaseException | str) -> str:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[-3:])[:300] if lines else "failed"


def timed(work: Callable[[], object], repeats: int, note: str = "") -> Measure:
    """Median wall time of `work` in this process, after one untimed run that warms the caches
    (fonts, templates, imports), so that every sample measures the same steady state."""
    try:
        work()
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            work()
            samples.append(time.perf_counter() - start)
        return Measure(samples, note=note)
    except Exception as err:  # a renderer being changed elsewhere must not stop the other cases
        return Measure(error=_short(err))


def paired(work: Callable[[], object], reference: Callable[[], object], pairs: int,
           less: float = 0.0) -> tuple[Measure, Measure, Measure]:
    """`work` and `reference` timed in turns (A, B, A, B, …) after one untimed run of each, so that
    a machine growing busier or quieter slows both alike: the samples of each, and the ratio of each
    pair, whose median is the figure a target is judged on. `less` is taken off each reference
    sample (a process start-up, to compare the work alone)."""
    try:
        work()
        reference()
        ours, theirs = [], []
        for _ in range(pairs):
            start = time.perf_counter()
            work()
            middle = time.perf_counter()
            reference()
            ours.append(middle - start)
            theirs.append(max(time.perf_counter() - middle - less, 1e-6))
        ratio = Measure([a / b for a, b in zip(ours, theirs)], unit="×", note=f"median of {pairs} pair ratios")
        return Measure(ours), Measure(theirs), ratio
    except Exception as err:
        failed = Measure(error=_short(err))
        return failed, failed, failed


# --- subprocesses -----------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    code: int
    stdout: str
    stderr: str
    peak: dict | None = None

    def counts(self) -> tuple[int, int] | None:
        """(built, unchanged) from the build's closing summary line."""
        found = re.search(r"built (\d+), unchanged (\d+)", self.stdout)
        return (int(found[1]), int(found[2])) if found else None

    def failure(self) -> str | None:
        return None if self.code == 0 else _short(self.stderr or self.stdout or f"exit code {self.code}")


def users_environment() -> dict[str, str]:
    """The commands' environment: this process's as it stands now (the cases set ROLEPACK_CACHE for
    their own children), but with Python's bytecode cache on, as a user's runs have it. A machine
    that sets PYTHONDONTWRITEBYTECODE (this project's sandbox does) would otherwise have every timed
    run compile rolepack's modules again, 50-100 ms of a one-role rebuild, and the untimed first run
    below would not leave the .pyc files it is there to leave."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str], *, peak: bool = False, timeout: float | None = None) -> Run:
    """Wall time of one command. With `peak`, `command` is child.py's (mode and arguments): it runs
    in bench/child.py, which records the peak memory of the process and of its largest child.

    The command gets its own process group, so that a hung build is stopped with its workers
    after `timeout` seconds and the benchmark goes on to the next case."""
    record = Path(tempfile.mkstemp(prefix="rolepack-bench-", suffix=".json")[1]) if peak else None
    full = [PYTHON, str(BENCH / "child.py"), str(record), *command] if record else command
    limit = timeout or TIMEOUT
    start = time.perf_counter()
    process = subprocess.Popen(full, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, env=users_environment())
    try:
        stdout, stderr = process.communicate(timeout=limit)
        result = Run(time.perf_counter() - start, process.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        result = Run(time.perf_counter() - start, -1, "", f"no result after {limit:.0f} s, stopped (hung?)")
    if record is not None:
        if record.stat().st_size:
            result.peak = json.loads(record.read_text(encoding="utf-8"))
        record.unlink(missing_ok=True)
    return result


def repeated(command: list[str], repeats: int, *, warm_up: bool = True, ok_codes: tuple[int, ...] = (0,)) -> Measure:
    """Median wall time of a command over `repeats` runs (after one untimed run: .pyc files and
    the page cache, which a user's second run has too); `ok_codes` are the exit codes of a run
    that did its work (lint exits 1 when it finds something)."""
    samples = []
    for i in range(repeats + (1 if warm_up else 0)):
        done = run(command)
        if done.code not in ok_codes:
            return Measure(error=done.failure() or f"exit code {done.code}")
        if i or not warm_up:
            samples.append(done.seconds)
    return Measure(samples)


# --- single documents, in this warm process -----------------------------------------------------------

def _pages(pdf: bytes) -> int | None:
    """The page count, through pypdf (installed with `.[test]`); the pages sit in compressed object
    streams, so without a PDF reader there is no honest count."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


def document_cases(content: Path, slug: str, brand_name: str, repeats: int, pairs: int = 15) -> dict[str, Measure]:
    """Our HTML, PDF and DOCX of one role's two documents, and the baselines of the same text; each
    ratio a target judges is the median of `pairs` interleaved pairs (`paired`)."""
    from pipeline.check.brands import load_brand
    from pipeline.check.catalogue import load_catalogue
    from pipeline.export.run import issued_date, role_data
    from pipeline.render.formats import RenderJob, formats
    from pipeline.render.html import Document, render_html
    from pipeline.render.pdf.fontconfig import bundle_digest
    from pipeline.render.pdf.pages import layout_key
    from pipeline.render.private_folder import own_folder
    from pipeline.render.stylesheet import stylesheets

    catalogue = load_catalogue(content, today=dt.date.today())
    brand = load_brand(LAYOUTS, brand_name, content)  # the content's own brands, as a build would
    role = catalogue.roles[slug]
    titles = {s: r.title for s, r in catalogue.roles.items()}
    issued = issued_date(catalogue, slug, None)
    data = role_data(catalogue, slug)
    registry = formats()
    plain_pdf, pandoc, template = baselines.PlainPdf(), baselines.Pandoc(), baselines.Docxtpl()
    startup = timed(pandoc.startup, repeats)
    results: dict[str, Measure] = {"c.startup": startup}
    blocks = {"jd": baselines.job_description(role, catalogue.company),
              "hg": baselines.hiring_guide(role, catalogue.company, issued, titles)}
    for short, kind in (("jd", "job-description"), ("hg", "hiring-guide")):
        log(f"documents: {kind} of {slug}")
        doc = Document(kind, role, catalogue.company, brand, issued, titles)  # type: ignore[arg-type]
        results[f"html.{short}"] = timed(lambda: render_html(doc, LAYOUTS), repeats)
        html = render_html(doc, LAYOUTS)

        def job(fmt: str, html: str = html, kind: str = kind) -> RenderJob:
            return RenderJob(f"{brand_name}/{slug}/{slug}-{kind}.{fmt}", slug, kind, fmt, html, brand, LAYOUTS,
                             (LAYOUTS, content / "assets", content / "brands"), issued, (), data)

        page = baselines.to_html(blocks[short], role.title, role.language)
        markdown = baselines.to_markdown(blocks[short])
        pdf, docx = (lambda: registry["pdf"].render(job("pdf"))), (lambda: registry["docx"].render(job("docx")))
        results[f"pdf.{short}"], results[f"a.{short}"], results[f"pair.pdf.a.{short}"] = paired(
            pdf, lambda p=page: plain_pdf.render(p), pairs)
        results[f"docx.{short}"], results[f"d.{short}"], results[f"pair.docx.d.{short}"] = paired(
            docx, lambda b=blocks[short]: template.render(b), pairs)
        _, results[f"c.{short}"], results[f"pair.docx.c.{short}"] = paired(
            docx, lambda m=markdown: pandoc.render(m), pairs, less=startup.value or 0.0)
        # The rows above find the layout their PDF kept, as a build of both formats does; a build of
        # DOCX alone lays each document out first (pipeline/render/pdf/pages.py).
        kept = own_folder("pages", "layouts") / f"{layout_key(html, stylesheets(brand, LAYOUTS), bundle_digest())}.json"

        def docx_alone(job=job, kept: Path = kept) -> object:
            kept.unlink(missing_ok=True)
            return registry["docx"].render(job("docx"))

        results[f"docx.alone.{short}"], _, results[f"pair.docx.alone.d.{short}"] = paired(
            docx_alone, lambda b=blocks[short]: template.render(b), pairs)
        results[f"a.html.{short}"] = timed(lambda b=blocks[short]: baselines.to_html(b, role.title), repeats)
        results[f"b.{short}"] = timed(lambda b=blocks[short]: baselines.python_docx(b), repeats)
        counted = {}
        for key, make in ((f"pdf.{short}", lambda: registry["pdf"].render(job("pdf")).data),
                          (f"a.{short}", lambda p=page: plain_pdf.render(p))):
            counted[key] = _pages(make()) if results[key].error is None else None
            if counted[key]:
                results[key].note = f"{counted[key]} pages"
        if counted[f"pdf.{short}"] and counted[f"pdf.{short}"] == counted[f"a.{short}"]:  # per page only alike
            for key in counted:
                results[f"{key}.page"] = results[key].per(counted[key], note=f"{counted[key]} pages")
    shutil.rmtree(pandoc.folder, ignore_errors=True)
    return results


# --- start-up and validation ------------------------------------------------------------------------

YAML_FLOOR = ("import pathlib, sys, yaml\n"
              "loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n"
              "folder = pathlib.Path(sys.argv[1])\n"
              "for path in [folder / 'company.yaml', *sorted((folder / 'roles').glob('*.yaml'))]:\n"
              "    yaml.load(path.read_text(encoding='utf-8'), Loader=loader)\n")
"""Reading the same files with PyYAML (libyaml where installed) and nothing else: the floor of validation."""


def startup_cases(contents: dict[str, tuple[Path, int]], repeats: int) -> dict[str, Measure]:
    """`rolepack --help` against a bare interpreter; `rolepack validate` of each content folder
    against parsing the same YAML, also per role."""
    rolepack = rolepack_command()
    log("start-up: python -c pass, rolepack --help")
    results = {"python": repeated([PYTHON, "-c", "pass"], repeats), "help": repeated([*rolepack, "--help"], repeats)}
    for name, (folder, roles) in contents.items():
        log(f"start-up: rolepack validate, {name} ({roles} roles)")
        results[f"validate.{name}"] = repeated([*rolepack, "validate", "--content", str(folder)], repeats)
        results[f"validate.{name}.role"] = results[f"validate.{name}"].per(roles)
        results[f"yaml.{name}"] = repeated([PYTHON, "-c", YAML_FLOOR, str(folder)], repeats)
        results[f"yaml.{name}.role"] = results[f"yaml.{name}"].per(roles)
    if "catalogue" in contents and "large" in contents:
        added = contents["large"][1] - contents["catalogue"][1]
        for what in ("validate", "yaml"):
            results[f"{what}.marginal"] = marginal(results[f"{what}.catalogue"], results[f"{what}.large"], added)
    return results


def marginal(smaller: Measure, larger: Measure, added: int) -> Measure:
    """What each added role costs: the larger catalogue's runs less the smaller's, rank for rank
    (so the median is the difference of the medians), divided by the roles added. The start-up
    both pay once drops out."""
    error = smaller.error or larger.error
    pairs = zip(sorted(smaller.samples), sorted(larger.samples))
    return Measure([(big - small) / added for small, big in pairs], smaller.unit, error=error)


# --- builds -------------------------------------------------------------------------------------------

def build_args(folder: Path, out: Path, formats: str, *extra: str, brand: str | None = "default") -> list[str]:
    return ["build", "--content", str(folder), "--out", str(out), "-f", formats, "--quiet",
            *(["--brand", brand] if brand else []), *extra]


def noop_case(name: str, args: list[str], repeats: int, *, first: tuple[str, ...] = ()) -> Measure:
    """Build once (not timed; `first` adds options to that build only), then time the same command
    with everything up to date. A run that rebuilt anything is noted: the inputs changed
    under the benchmark (someone editing the code or layouts), so that sample is not a no-op."""
    log(f"no-op: first build of {name} (not timed)")
    built = run([*rolepack_command(), *args, *first])
    if (failure := built.failure()) is not None:
        return Measure(error=f"the first build failed: {failure}")
    log(f"no-op: {repeats} up-to-date rebuilds of {name}")
    samples, rebuilt, documents = [], 0, sum(built.counts() or (0, 0))
    for i in range(repeats + 1):
        done = run([*rolepack_command(), *args])
        if (failure := done.failure()) is not None:
            return Measure(error=failure)
        rebuilt += (done.counts() or (0, 0))[0]
        if i:
            samples.append(done.seconds)
    note = f"{documents} documents" + (f"; {rebuilt} rebuilt during the runs: not all no-ops" if rebuilt else "")
    return Measure(samples, note=note)


def changed_case(catalogue: MadeCatalogue, args: list[str], repeats: int, *, pause: float = 0.0, stamp: int = 1,
                 note: str = "") -> Measure:
    """One role's summary edited, then a rebuild (after a first build of the catalogue), the first
    run not timed; `pause` seconds before each edit, as an author saves a file some time after the
    last build (the scale case waits out the time a file's status is not trusted)."""
    slug = (catalogue.independent or catalogue.slugs)[0]
    log(f"one role changed: {slug}, {repeats} rebuilds")
    samples, built = [], set()
    for i in range(repeats + 1):
        time.sleep(pause)
        touch_role(catalogue, slug, stamp + i)
        done = run([*rolepack_command(), *args])
        if (failure := done.failure()) is not None:
            return Measure(error=failure)
        built.add((done.counts() or (-1, 0))[0])
        if i:
            samples.append(done.seconds)
    return Measure(samples, note=f"{slug}: {'/'.join(map(str, sorted(built)))} documents rebuilt{note}")


@contextmanager
def dask_cluster() -> Iterator[object]:
    """A local two-worker Dask cluster, one thread each, as in the spec; quiet, without a dashboard."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _worker_peak_mib(client) -> float:
    """The largest peak resident set among the cluster's workers, each read from its own /proc
    status (peak.py: getrusage's would be at least the benchmark's size, which started them)."""
    statuses = client.run(STATUS.read_text)
    return max(high_water_mib(text) or 0.0 for text in statuses.values())


def cold_cases(catalogue: MadeCatalogue, work: Path, repeats: int, *, dask: bool,
               local: bool = True) -> dict[str, Measure]:
    """Cold builds (empty output folder) of the catalogue, pdf and docx, one brand: --jobs 1,
    --jobs 2, and a two-worker Dask cluster. The local modes take turns run by run, so a noisy
    neighbour slows them alike; they run before the cluster starts, since its idle scheduler and
    workers are a neighbour of their own that slows a build using both cores more than one using
    one (--jobs 2 took 19.7 s beside it, 18.6 s without). Dask workers are restarted before each
    of its runs, so that they start as cold as the local pool's (imports, fonts), and the ratio
    is the executor's own."""
    results: dict[str, Measure] = {}
    peaks: dict[str, list[float]] = {}
    local_modes = {"j1": ["--jobs", "1"], "j2": ["--jobs", "2"]} if local else {}
    results |= {mode: Measure() for mode in local_modes}
    for rep in range(repeats):
        for mode, extra in local_modes.items():
            if results[mode].error is None:
                log(f"cold build, {mode}, run {rep + 1} of {repeats} ({catalogue.roles} roles)")
                _cold_run(catalogue, work / f"cold-{mode}", extra, results[mode], peaks, mode, None,
                          _limit(results.get("j1")))
    if dask:
        with ExitStack() as stack:
            try:
                client = stack.enter_context(dask_cluster())
            except Exception as err:  # Dask missing or failing to start: the local cases still count
                results["dask"] = Measure(error=f"no Dask cluster: {_short(err)}")
            else:
                results["dask"] = Measure()
                extra = ["--executor", "dask", "--scheduler", client.scheduler.address]
                for rep in range(repeats):
                    log(f"cold build, dask, run {rep + 1} of {repeats} ({catalogue.roles} roles)")
                    _cold_run(catalogue, work / "cold-dask", extra, results["dask"], peaks, "dask", client,
                              _limit(results.get("j1")))
                    if results["dask"].error is not None:
                        break
    for key, samples in peaks.items():
        results[f"rss.{key}"] = Measure(samples, unit="MiB")
    for key in ("j1.self", "j2.self", "j2.children", "dask.worker"):
        mode = key.split(".")[0]
        if f"rss.{key}" not in results and mode in results:
            results[f"rss.{key}"] = Measure(unit="MiB", error=results[mode].error or "not measured")
    return results


def _limit(sequential: Measure | None) -> float | None:
    """How long a parallel build may take before it counts as hung: three times the one-process
    build of the same catalogue (a deadlocked pool never finishes; a slow one is not this slow)."""
    return max(120.0, 3 * max(sequential.samples)) if sequential and sequential.samples else None


def _cold_run(catalogue: MadeCatalogue, out: Path, extra: list[str], measure: Measure,
              peaks: dict[str, list[float]], mode: str, client, timeout: float | None) -> None:
    """One cold build into an empty folder: its time into `measure`, its peak memory into `peaks`."""
    if client is not None:
        client.restart()
    shutil.rmtree(out, ignore_errors=True)
    done = run(["cli", *build_args(catalogue.folder, out, "pdf,docx", *extra)], peak=True, timeout=timeout)
    shutil.rmtree(out, ignore_errors=True)
    if (failure := done.failure()) is not None:
        measure.error = failure
        return
    measure.samples.append(done.seconds)
    measure.note = f"{(done.counts() or (0, 0))[0]} documents"
    if done.peak:
        peaks.setdefault(f"{mode}.self", []).append(done.peak["self_mib"])
        peaks.setdefault(f"{mode}.children", []).append(done.peak["children_mib"])
    if client is not None:
        peaks.setdefault("dask.worker", []).append(_worker_peak_mib(client))


def memory_baseline(content: Path, slug: str, repeats: int) -> Measure:
    """Peak resident set of a process that renders the role's two documents with the baselines
    (a) and (b) twice: WeasyPrint and python-docx alone, on the same text."""
    log("memory baseline: WeasyPrint and python-docx alone")
    samples = []
    for _ in range(repeats):
        done = run(["baselines", str(content), slug], peak=True)
        if (failure := done.failure()) is not None or not done.peak:
            return Measure(unit="MiB", error=failure or "no record")
        samples.append(done.peak["self_mib"])
    return Measure(samples, unit="MiB")
