"""`make bench`: how fast and how lean rendering is, as ratios to a baseline measured in the same run.

Machines differ, so absolute seconds say little. The baseline is WeasyPrint turning a one-paragraph
HTML page into a PDF, on this machine, now; every figure is the median of several runs divided by
the baseline's median. Results print as a table and go to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.check.brands import load_brand  # noqa: E402
from pipeline.check.catalogue import load_catalogue  # noqa: E402
from pipeline.render.docx.writer import DocxJob, render_docx  # noqa: E402
from pipeline.render.html import Document, render_html  # noqa: E402
from pipeline.render.pdf import PdfJob, render_pdf  # noqa: E402

LAYOUTS = ROOT / "layouts"
BASELINE_HTML = "<!DOCTYPE html><html lang='en'><head><title>Baseline</title></head><body><p>Hello.</p></body></html>"


def timed(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median seconds over `repeats` runs, and the peak Python heap (MiB) of one traced run."""
    work()  # warm caches (fonts, templates) so every repeat measures the same thing
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(samples), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--role", default="backend-engineer")
    args = parser.parse_args()

    today = dt.date.today()
    catalogue = load_catalogue(ROOT / "content", today=today)
    brand = load_brand(LAYOUTS, "default")
    titles = {slug: r.title for slug, r in catalogue.roles.items()}
    role = catalogue.roles[args.role]
    issued = role.compensation.source.as_of

    def html(kind: str) -> str:
        return render_html(Document(kind, role, catalogue.company, brand, issued, titles), LAYOUTS)  # type: ignore[arg-type]

    jd, guide = html("job-description"), html("hiring-guide")
    cases: dict[str, Callable[[], object]] = {
        "baseline: WeasyPrint, one-paragraph page": lambda: render_pdf(PdfJob(BASELINE_HTML, brand, LAYOUTS, (LAYOUTS,))),
        "load and validate all content": lambda: load_catalogue(ROOT / "content", today=today),
        "HTML, job description": lambda: html("job-description"),
        "HTML, hiring guide": lambda: html("hiring-guide"),
        "PDF, job description": lambda: render_pdf(PdfJob(jd, brand, LAYOUTS, (LAYOUTS,))),
        "PDF, hiring guide": lambda: render_pdf(PdfJob(guide, brand, LAYOUTS, (LAYOUTS,))),
        "DOCX, job description": lambda: render_docx(DocxJob(jd, brand, LAYOUTS, "job-description", issued)),
        "DOCX, hiring guide": lambda: render_docx(DocxJob(guide, brand, LAYOUTS, "hiring-guide", issued)),
    }
    results = {}
    for name, work in cases.items():
        seconds, peak = timed(work, args.repeats)
        results[name] = {"median_s": seconds, "peak_heap_mib": peak}
    base = results["baseline: WeasyPrint, one-paragraph page"]
    print(f"rolepack bench: role {args.role}, {args.repeats} runs each, medians; ratios to the baseline")
    print(f"{'case':44} {'time ×':>8} {'heap ×':>8} {'median ms':>10} {'heap MiB':>9}")
    for name, r in results.items():
        r["time_ratio"] = r["median_s"] / base["median_s"]
        r["heap_ratio"] = r["peak_heap_mib"] / base["peak_heap_mib"]
        print(f"{name:44} {r['time_ratio']:8.2f} {r['heap_ratio']:8.2f} {r['median_s'] * 1000:10.1f} "
              f"{r['peak_heap_mib']:9.1f}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"role": args.role, "repeats": args.repeats, "cases": results},
                                                indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
