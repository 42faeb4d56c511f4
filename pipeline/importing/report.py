"""What one import did, in words for the author: where each part went and what to check.

What the posting does not state (a contract type nobody wrote down, where the job is, its pay) is
listed first, to confirm; then where each part went, and the judgements (the list that holds the
responsibilities) a person should check before the role is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Notes:
    confirm: list[str] = field(default_factory=list)
    """Facts the posting does not state, written as CONFIRM in the role: listed first."""
    mapped: list[str] = field(default_factory=list)
    """`"What you'll do" → job_description.key_responsibilities (8 items)`."""
    free: list[str] = field(default_factory=list)
    """Sections kept as free sections, with where they print."""
    review: list[str] = field(default_factory=list)
    """Guesses and gaps a person should check."""


def quoted(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
    return f"“{shown}”"


def format_report(source: Path, target: Path, notes: Notes) -> str:
    lines = [f"{source} → {target}"]
    for title, entries in (("to confirm (the posting does not state these; the role is a draft, never built, "
                            "until a person writes them)", notes.confirm), ("mapped", notes.mapped), ("kept as free sections", notes.free),
                           ("review", notes.review)):
        if entries:
            lines.append(f"  {title}:")
            lines += [f"    - {entry}" for entry in entries]
    return "\n".join(lines)
