"""Run one piece of work in this (child) process and record its peak memory in a JSON file.

`python bench/child.py RECORD cli ARGS...` runs `rolepack ARGS...` exactly as the installed
command does (the same `pipeline.cli.main`), then writes the peak resident set of this process
(the planner; with `--jobs 1` also the renderer) and of its largest descendant (a pool worker),
each from its own /proc status: peak.py says why not from getrusage.

`python bench/child.py RECORD baselines CONTENT ROLE` renders the baselines of one role instead,
for the memory baseline: WeasyPrint and python-docx alone, with the same content.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from peak import DescendantsPeak, own_peak_mib


def _baselines(content: Path, slug: str) -> None:
    import baselines

    from pipeline.check.catalogue import load_catalogue

    catalogue = load_catalogue(content, today=dt.date.today())
    role = catalogue.roles[slug]
    titles = {s: r.title for s, r in catalogue.roles.items()}
    pdf = baselines.PlainPdf()
    for blocks in (baselines.job_description(role, catalogue.company),
                   baselines.hiring_guide(role, catalogue.company, role.reviewed or role.compensation.source.as_of,
                                          titles)):
        for _ in range(2):  # twice, as a worker renders more than one document
            pdf.render(baselines.to_html(blocks, role.title))
            baselines.python_docx(blocks)


def main() -> None:
    record, mode, *rest = sys.argv[1:]
    code: int | str | None = 0
    children = DescendantsPeak()
    try:
        with children:
            if mode == "cli":
                from pipeline.cli import main as rolepack

                sys.argv = ["rolepack", *rest]
                rolepack()
            elif mode == "baselines":
                _baselines(Path(rest[0]), rest[1])
            else:
                raise SystemExit(f"unknown mode {mode!r}")
    except SystemExit as exit_:
        code = exit_.code
    finally:
        Path(record).write_text(json.dumps({"self_mib": own_peak_mib(), "children_mib": children.peak_mib}),
                                encoding="utf-8")
    sys.exit(code)


if __name__ == "__main__":
    main()
