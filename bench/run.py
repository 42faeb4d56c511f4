"""`make bench`: how fast and how lean rolepack is, each figure beside a baseline from the same run.

Machines differ and this one may be shared, so absolute seconds say little on their own: every
figure is the median of several runs, printed with its ratio to a reference measured in the same
run on the same content (a plain WeasyPrint page, python-docx, pandoc, a bare interpreter,
PyYAML, the other executor). The targets are those of issue 7; they are reported (✓/✗), never
asserted, because a benchmark on a busy machine is a measurement, not a test.

The catalogue cases run on copies of the shipped roles (bench/catalogue.py) in a temporary folder:
`--roles` of them for validation and rebuilds, `--cold-roles` for cold builds (about a CPU-second
per PDF, so fewer), 200 for the per-role targets. Results print as tables and go to
bench/results/latest.json (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import cases  # noqa: E402
from cases import (Measure, build_args, changed_case, cold_cases, document_cases, log, memory_baseline,  # noqa: E402
                   noop_case, rolepack_command, startup_cases)
from catalogue import MadeCatalogue, make_catalogue  # noqa: E402
from growth import FINDINGS, POSTING, WORD, growth_cases  # noqa: E402
from scale import scale_cases  # noqa: E402

CASES = ("documents", "startup", "noop", "cold", "dask", "memory", "growth", "scale")
SHIPPED = ROOT / "content"
LARGE = 200
SCALE = 5000
"""The catalogue size of the per-role targets (no-op rebuild and validation)."""


@dataclass(frozen=True)
class Target:
    bound: float
    at_least: bool = False
    on_ratio: bool = False
    """Whether the bound applies to the ratio to the reference rather than to the figure."""

    def met(self, value: float | None, ratio: float | None) -> bool | None:
        measured = ratio if self.on_ratio else value
        if measured is None:
            return None
        return measured >= self.bound if self.at_least else measured <= self.bound

    def text(self, unit: str) -> str:
        sign = "≥" if self.at_least else "≤"
        return f"{sign}{self.bound:.2f}×" if self.on_ratio else f"{sign}{figure(self.bound, unit)}"


@dataclass(frozen=True)
class Row:
    label: str
    key: str
    ref: str | None = None
    """The key of the reference measure; None for a row that is itself a reference."""
    target: Target | None = None
    pair: str | None = None
    """The key of the interleaved pair ratios (cases.paired): the ratio is their median, not the
    ratio of two medians taken minutes apart."""


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def noop_target(roles: int) -> Target:
    """Issue 7: a no-op rebuild in at most 0.3 s plus 3 ms per role."""
    return Target(0.3 + 0.003 * roles)


def sections(args: argparse.Namespace, sizes: dict[str, int]) -> list[tuple[str, list[Row]]]:
    """What the tables show, section by section; rows whose measure was not taken are left out."""
    n, cold, large = sizes.get("catalogue", args.roles), sizes.get("cold", args.cold_roles), sizes.get("large", LARGE)
    scale = sizes.get("scale", args.scale_roles)
    shipped = sizes.get("shipped", 0)
    where = f"role {args.role}, brand {args.brand}, one warm process, {args.repeats} runs"
    per_role = Target(0.005)
    return [
        (f"Single documents ({where})", [
            Row("HTML (Jinja), job description", "html.jd", "a.html.jd"),
            Row("HTML (Jinja), hiring guide", "html.hg", "a.html.hg"),
            Row("job-description PDF", "pdf.jd", "a.jd", Target(1.45, on_ratio=True), "pair.pdf.a.jd"),
            Row("job-description PDF, per page", "pdf.jd.page", "a.jd.page"),
            Row("hiring-guide PDF", "pdf.hg", "a.hg", pair="pair.pdf.a.hg"),
            Row("hiring-guide PDF, per page", "pdf.hg.page", "a.hg.page"),
            Row("job-description DOCX, vs docxtpl", "docx.jd", "d.jd", Target(1.5, on_ratio=True), "pair.docx.d.jd"),
            Row("hiring-guide DOCX, vs docxtpl", "docx.hg", "d.hg", Target(1.5, on_ratio=True), "pair.docx.d.hg"),
            Row("job-description DOCX, vs pandoc less its start-up", "docx.jd", "c.jd", Target(1.0, on_ratio=True),
                "pair.docx.c.jd"),
            Row("hiring-guide DOCX, vs pandoc less its start-up", "docx.hg", "c.hg", pair="pair.docx.c.hg"),
            Row("job-description DOCX alone (no PDF's layout kept), vs docxtpl", "docx.alone.jd", "d.jd",
                pair="pair.docx.alone.d.jd"),
            Row("hiring-guide DOCX alone (no PDF's layout kept), vs docxtpl", "docx.alone.hg", "d.hg",
                pair="pair.docx.alone.d.hg"),
            Row("job-description DOCX, vs python-docx (medians, not paired)", "docx.jd", "b.jd"),
            Row("hiring-guide DOCX, vs python-docx (medians, not paired)", "docx.hg", "b.hg"),
        ]),
        ("Baselines (this run, the same text)", [
            Row("(a) plain HTML from the model, job description", "a.html.jd"),
            Row("(a) plain HTML from the model, hiring guide", "a.html.hg"),
            Row("(a) WeasyPrint, plain HTML, job description", "a.jd"),
            Row("(a) same, per page", "a.jd.page"),
            Row("(a) WeasyPrint, plain HTML, hiring guide", "a.hg"),
            Row("(a) same, per page", "a.hg.page"),
            Row("(b) python-docx from scratch, job description", "b.jd"),
            Row("(b) python-docx from scratch, hiring guide", "b.hg"),
            Row("(c) pandoc, Markdown → DOCX, job description, less its start-up", "c.jd"),
            Row("(c) pandoc, Markdown → DOCX, hiring guide, less its start-up", "c.hg"),
            Row("(c) pandoc's start-up (an empty conversion), taken off each sample above", "c.startup"),
            Row("(d) docxtpl fills a Word template in process, job description", "d.jd"),
            Row("(d) docxtpl fills a Word template in process, hiring guide", "d.hg"),
            Row("python -c pass (interpreter start-up)", "python"),
            Row(f"PyYAML reads the shipped files ({shipped} roles)", "yaml.shipped"),
            Row(f"PyYAML reads the catalogue ({n} roles)", "yaml.catalogue"),
            Row("  same, per role", "yaml.catalogue.role"),
            Row(f"PyYAML reads the catalogue ({large} roles)", "yaml.large"),
            Row("  same, per role", "yaml.large.role"),
            Row(f"  each role from {n} to {large}", "yaml.marginal"),
            Row("peak RSS, WeasyPrint (a) + python-docx (b) alone", "memory.baseline"),
        ]),
        (f"Start-up and validation (subprocess wall time, {args.repeats} runs)", [
            Row("rolepack --help", "help", "python", Target(0.1)),
            Row(f"rolepack validate, shipped ({shipped} roles)", "validate.shipped", "yaml.shipped"),
            Row(f"rolepack validate, {n} roles", "validate.catalogue", "yaml.catalogue"),
            Row("  same, per role", "validate.catalogue.role", "yaml.catalogue.role"),
            Row(f"rolepack validate, {large} roles", "validate.large", "yaml.large"),
            Row("  same, per role", "validate.large.role", "yaml.large.role", per_role),
            Row(f"  each role from {n} to {large} (start-up left out)", "validate.marginal", "yaml.marginal"),
        ]),
        (f"Rebuilds ({args.repeats} runs; the catalogues built once with -f docx, brand {args.brand})", [
            Row(f"no-op rebuild, shipped ({shipped} roles, every brand, pdf+docx)", "noop.shipped",
                "validate.shipped", Target(0.5)),
            Row(f"no-op rebuild, {n} roles", "noop.catalogue", "validate.catalogue", noop_target(n)),
            Row(f"no-op rebuild, {large} roles", "noop.large", "validate.large", noop_target(large)),
            Row(f"one role changed, {n} roles", "changed.catalogue", "noop.catalogue"),
        ]),
        (f"Cold builds ({cold} roles (--cold-roles), brand {args.brand}, pdf+docx, {args.cold_repeats} runs)", [
            Row("--jobs 2, local pool (reference)", "j2"),
            Row("--jobs 1 (speed-up of --jobs 2)", "j1", "j2", Target(1.85, at_least=True, on_ratio=True)),
            Row("Dask LocalCluster, 2 workers × 1 thread", "dask", "j2"),
        ]),
        (f"Growth with hostile input (issue 25; subprocess wall time beyond the same run without the input, "
         f"{args.repeats} runs; ratio 2 is linear, 4 quadratic)", [
            Row(f"job-description PDF: what one {WORD:,}-character word adds", "grow.word.n"),
            Row(f"  what a {2 * WORD:,}-character word adds", "grow.word.2n", "grow.word.n", Target(2.5, on_ratio=True)),
            Row(f"lint of one role: what {FINDINGS:,} findings in one paragraph add", "grow.lint.n"),
            Row(f"  what {2 * FINDINGS:,} findings add", "grow.lint.2n", "grow.lint.n", Target(2.5, on_ratio=True)),
            Row(f"import: what a {POSTING:,}-character text posting adds", "grow.import.n"),
            Row(f"  what {2 * POSTING:,} characters add", "grow.import.2n", "grow.import.n",
                Target(2.5, on_ratio=True)),
        ]),
        (f"At scale ({scale} roles; a validation cache of the benchmark's own; job descriptions as DOCX, "
         f"{args.repeats} runs)", [
            Row("validate, empty cache (every role checked), one run", "scale.validate.cold"),
            Row("  its peak memory (RSS)", "scale.validate.cold.rss", target=Target(300)),
            Row("validate, with the cache of the run before", "scale.validate"),
            Row("  its peak memory (RSS)", "scale.validate.rss", target=Target(300)),
            Row("no-op rebuild", "scale.noop", target=Target(0.6)),
            Row("one role changed: rebuild of its one document", "scale.changed", target=Target(1.5)),
            Row("one role changed, as Markdown (a format that publishes: lint runs)", "scale.published"),
        ]),
        (f"Peak memory (RSS, during the cold builds, median of {args.cold_repeats} runs)", [
            Row("--jobs 1, the one process", "rss.j1.self", "memory.baseline"),
            Row("--jobs 2, main process", "rss.j2.self", "memory.baseline"),
            Row("--jobs 2, largest worker", "rss.j2.children", "memory.baseline", Target(300)),
            Row("Dask, largest worker", "rss.dask.worker", "memory.baseline", Target(300)),
        ]),
    ]


def evaluate(row: Row, measures: dict[str, Measure]) -> dict:
    """One table line as data: the figure, its ratio to the reference, the target and whether it is met."""
    measure = measures[row.key]
    ref = measures.get(row.ref) if row.ref else None
    value = measure.value
    ratio = value / ref.value if value is not None and ref is not None and ref.value else None
    note = f"failed: {measure.error}" if measure.error else measure.note
    if row.pair and (pairs := measures.get(row.pair)) is not None and pairs.value is not None:
        ratio = pairs.value
        note = (note + "; " if note else "") + pairs.note
    if ref is not None and ref.error:
        note = (note + "; " if note else "") + f"reference failed: {ref.error}"
    return {"case": row.label, "key": row.key, "median": value, "unit": measure.unit, "ratio": ratio,
            "reference": row.ref, "target": row.target.text(measure.unit) if row.target else None,
            "met": row.target.met(value, ratio) if row.target else None, "note": note, "runs": len(measure.samples)}


def reference_names(tables: list[tuple[str, list[Row]]]) -> dict[str, str]:
    """What the reference column prints for a measure key: the label of the row that shows it."""
    names: dict[str, str] = {}
    for _, rows in tables:
        for row in rows:
            names.setdefault(row.key, row.label.strip())
    return names


def markdown_table(lines: list[dict], names: dict[str, str]) -> str:
    header = ("case", "median", "ratio", "reference", "target", "met", "note")
    body = []
    for line in lines:
        met = {True: "✓", False: "✗", None: ""}[line["met"]]
        ratio = f"{line['ratio']:.2f}×" if line["ratio"] is not None else ("—" if line["reference"] else "")
        reference = names.get(line["reference"], line["reference"] or "")
        body.append((line["case"], figure(line["median"], line["unit"]), ratio, reference, line["target"] or "",
                     met, line["note"]))
    widths = [max(len(str(r[i])) for r in (header, *body)) for i in range(len(header))]
    fmt = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([fmt(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(fmt, body)])


def machine() -> dict:
    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "cores": os.cpu_count(),
            "usable_cores": usable, "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "platform": platform.platform(),
            "rolepack": installed("rolepack"), "weasyprint": installed("weasyprint"),
            "python-docx": installed("python-docx"), "pypandoc-binary": installed("pypandoc-binary"),
            "distributed": installed("distributed")}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roles", type=int, default=100, help="catalogue size for validation and rebuilds (100)")
    parser.add_argument("--cold-roles", type=int, default=20, help="catalogue size for the cold builds (20)")
    parser.add_argument("--large-roles", type=int, default=LARGE,
                        help=f"catalogue size for the per-role targets ({LARGE}; 0 skips it)")
    parser.add_argument("--scale-roles", type=int, default=SCALE,
                        help=f"catalogue size of the scale targets ({SCALE}; its first build takes minutes)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per case (5)")
    parser.add_argument("--cold-repeats", type=int, default=3, help="runs per cold build (3)")
    parser.add_argument("--pairs", type=int, default=15,
                        help="interleaved pairs behind each single-document ratio a target judges (15)")
    parser.add_argument("--role", default="backend-engineer", help="shipped role of the single-document cases")
    parser.add_argument("--brand", default="default", help="brand of the single documents and catalogue builds")
    parser.add_argument("--cases", default=",".join(CASES), help=f"which cases, comma-separated ({','.join(CASES)})")
    parser.add_argument("--timeout", type=float, default=cases.TIMEOUT,
                        help=f"seconds before a command counts as hung and is stopped ({cases.TIMEOUT:.0f})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary catalogues and builds")
    parser.add_argument("--results", type=Path, default=BENCH / "results" / "latest.json", help="JSON results file")
    args = parser.parse_args(argv)
    args.cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(args.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s) {', '.join(sorted(unknown))}; choose from {', '.join(CASES)}")
    if min(args.roles, args.cold_roles, args.scale_roles, args.repeats, args.cold_repeats) < 1:
        parser.error("--roles, --cold-roles, --scale-roles, --repeats and --cold-repeats must be at least 1")
    return args


def measure_all(args: argparse.Namespace, work: Path) -> tuple[dict[str, Measure], dict[str, int]]:
    """Every selected case, cheapest first, so that a slow or broken one comes last."""
    today = dt.date.today()
    measures: dict[str, Measure] = {}
    shipped_roles = len(list((SHIPPED / "roles").glob("*.yaml")))
    sizes = {"shipped": shipped_roles}
    catalogues: dict[str, MadeCatalogue] = {}
    wanted = set(args.cases)
    large = args.large_roles if args.large_roles and args.large_roles != args.roles else 0
    for name, roles, needed in (("catalogue", args.roles, {"startup", "noop"}), ("large", large, {"startup", "noop"}),
                                ("cold", args.cold_roles, {"cold", "dask"}), ("scale", args.scale_roles, {"scale"})):
        if roles and wanted & needed:
            log(f"making a catalogue of {roles} roles ({name})")
            catalogues[name] = make_catalogue(SHIPPED, work / f"content-{name}", roles, today=today)
            sizes[name] = roles

    if "documents" in wanted:
        measures |= document_cases(SHIPPED, args.role, args.brand, args.repeats, args.pairs)
    if "startup" in wanted:
        contents = {"shipped": (SHIPPED, shipped_roles)} | {
            name: (c.folder, c.roles) for name, c in catalogues.items() if name != "cold"}
        measures |= startup_cases(contents, args.repeats)
    if "noop" in wanted:
        measures["noop.shipped"] = noop_case("the shipped content", build_args(
            SHIPPED, work / "build-shipped", "pdf,docx", brand=None), args.repeats)
        for name in ("catalogue", "large"):
            if name in catalogues:
                folder = catalogues[name].folder
                docx = build_args(folder, work / f"build-{name}", "docx", brand=args.brand)
                # The untimed first build runs in one process: a pool recycles its workers after
                # RECYCLE_AFTER documents, which deadlocks on Python < 3.13 (CPython gh-115634).
                measures[f"noop.{name}"] = noop_case(f"{catalogues[name].roles} roles", docx, args.repeats,
                                                     first=("--jobs", "1"))
                if name == "catalogue" and measures["noop.catalogue"].error is None:
                    measures["changed.catalogue"] = changed_case(catalogues[name], docx, args.repeats)
    if "growth" in wanted:
        measures |= growth_cases(SHIPPED, work, args.repeats)
    if "scale" in wanted:
        measures |= scale_cases(catalogues["scale"], work, args.repeats)
    if "memory" in wanted:
        measures["memory.baseline"] = memory_baseline(SHIPPED, args.role, args.cold_repeats)
    if {"cold", "dask"} & wanted:
        measures |= cold_cases(catalogues["cold"], work, args.cold_repeats, dask="dask" in wanted,
                               local="cold" in wanted)
    return measures, sizes


def report(args: argparse.Namespace, measures: dict[str, Measure], sizes: dict[str, int], info: dict) -> dict:
    """Print the tables; return everything for the JSON file."""
    tables = sections(args, sizes)
    names = reference_names(tables)
    options = (f"--roles {args.roles} --cold-roles {args.cold_roles} --large-roles {args.large_roles} "
               f"--repeats {args.repeats} --cold-repeats {args.cold_repeats} --role {args.role} --brand {args.brand}"
               + (f" --cases {','.join(args.cases)}" if set(args.cases) != set(CASES) else ""))
    print(f"rolepack bench · rolepack {info['rolepack']} · {info['date']} · {info['cores']} cores "
          f"({info['usable_cores']} usable) · load average {' '.join(map(str, info['load_before']))} before, "
          f"{' '.join(map(str, info['load_average']))} after")
    print(f"Python {info['python']}, WeasyPrint {info['weasyprint']}, python-docx {info['python-docx']}, "
          f"pypandoc-binary {info['pypandoc-binary']}, distributed {info['distributed']}")
    print(f"options: {options}")
    print("Medians; ratio = figure ÷ reference, both measured in this run on the same content; where a row "
          "says so, the median of interleaved pair ratios (A, B, A, B …). Targets reported, not asserted.")
    out = []
    for title, rows in tables:
        lines = [evaluate(row, measures) for row in rows if row.key in measures]
        if not lines:
            continue
        print(f"\n### {title}\n")
        print(markdown_table(lines, names))
        out.append({"section": title, "rows": lines})
    met = [line["met"] for section in out for line in section["rows"] if line["met"] is not None]
    print(f"\ntargets met: {sum(met)} of {len(met)}")
    return {"machine": info, "options": options, "sections": out,
            "measures": {k: m.to_json() for k, m in sorted(measures.items())}}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    cases.TIMEOUT = args.timeout
    before = [round(x, 2) for x in os.getloadavg()]
    work = Path(tempfile.mkdtemp(prefix="rolepack-bench-"))
    os.environ["ROLEPACK_CACHE"] = str(work / "cache")  # the validation cache of this run, never the user's
    log(f"rolepack bench in {work}; commands: {' '.join(rolepack_command())}")
    try:
        measures, sizes = measure_all(args, work)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results = report(args, measures, sizes, machine() | {"load_before": before})
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"results in {args.results}")


if __name__ == "__main__":
    main()
