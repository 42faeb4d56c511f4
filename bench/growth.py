"""How cost grows with hostile input (issue 25, class 4): each case at a size and at twice it.

Each case runs three times over in the same way (a fresh subprocess, the same content folder but
for the one thing that grows): without it, at a size, and at twice that size. What the growing
input adds is the run less the run without it, rank for rank (cases.marginal), so start-up drops
out; the ratio of what twice the input adds to what the input adds is about 2 when the cost is
linear and 4 when it is quadratic.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from cases import Measure, log, marginal, repeated, rolepack_command

WORD = 50_000
"""Characters of one unbreakable word in the job description (20,000 took 20 s of layout before,
and 100,000 did not finish)."""
FINDINGS = 20_000
"""Lint findings in one paragraph ("rockstar ninja" repeated): 12,000 took 235 s before."""
POSTING = 250_000
"""Characters of a plain-text posting to import (the limit is a role file's 1 MiB)."""
ROLE = "backend-engineer"
SUMMARY = "  summary: "


def growth_cases(shipped: Path, work: Path, repeats: int) -> dict[str, Measure]:
    """`grow.<case>.n` and `grow.<case>.2n`: what the long word, lint's findings and an imported
    posting add at a size and at twice it, beyond the same run without them."""
    raw: dict[str, Measure] = {}
    for size in (0, 1, 2):
        content = _content(shipped, work / f"growth-{size}", word=WORD * size, findings=FINDINGS * size)
        log(f"growth ×{size}: a {WORD * size:,}-character word, {FINDINGS * size:,} findings, "
            f"a {POSTING * size:,}-character posting")
        raw[f"word.{size}"] = repeated(
            [*rolepack_command(), "build", "--content", str(content), "--out", str(work / f"growth-out-{size}"),
             "-f", "pdf", "--role", ROLE, "--kind", "job-description", "--brand", "default", "--force", "--quiet"],
            repeats)
        raw[f"lint.{size}"] = repeated(
            [*rolepack_command(), "lint", "--content", str(content), "--role", "qa-engineer", "--format", "json"],
            repeats, ok_codes=(0, 1))
        posting = work / f"posting-{size}.txt"
        posting.write_text(_posting(POSTING * size), encoding="utf-8")
        raw[f"import.{size}"] = repeated(
            [*rolepack_command(), "import", str(posting), "--content", str(content), "--force"], repeats)
    return {f"grow.{case}.{name}": marginal(raw[f"{case}.0"], raw[f"{case}.{size}"], 1)
            for case in ("word", "lint", "import") for size, name in ((1, "n"), (2, "2n"))}


def _content(shipped: Path, folder: Path, *, word: int, findings: int) -> Path:
    """A copy of the shipped content, approvals not required, whose ROLE's summary holds one
    `word`-character word and whose qa-engineer's summary holds `findings` lint findings."""
    shutil.copytree(shipped, folder)
    settings = folder / "rolepack.yaml"  # an edited role waits for approval again: build it without asking for one
    settings.write_text("".join(line for line in settings.read_text(encoding="utf-8").splitlines(keepends=True)
                                if not line.startswith("approvals:")), encoding="utf-8")
    (folder / "approvals.yaml").unlink()
    findings_text = " ".join(["We test what we ship."] + ["rockstar ninja"] * (findings // 2))
    for slug, text in ((ROLE, f"Our word: {'x' * word}."), ("qa-engineer", findings_text)):
        file = folder / "roles" / f"{slug}.yaml"
        lines = file.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(SUMMARY))
        end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith("    "))
        lines[at:end] = [f'{SUMMARY}"{text}"']
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _posting(characters: int) -> str:
    """A plain-text posting of about `characters` characters: a title, headings and paragraphs."""
    paragraph = ("You will design, build and run the services our customers rely on, with a team that "
                 "reviews every change and shares the on-call rota fairly. ")
    sections = ["Widget Engineer", "", "About the role", "", "You keep our widgets running.", ""]
    while sum(len(s) for s in sections) < characters:
        sections += ["About the role", "", paragraph * 8, "", "What you will do", "", f"- {paragraph}", ""]
    return "\n".join(sections)
