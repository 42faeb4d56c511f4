"""A name given on the command line checked against the names that exist, with a near-miss hint.

Its own module, light on imports, because every build checks its options this way before the
no-op shortcut, which must not pay for loading what a real build needs."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.problems import did_you_mean


class RequestError(Exception):
    """A name the build does not know (a format, a role, a brand), said in one line with the choices."""


def choose(values: Sequence[str], known: Sequence[str], what: str) -> list[str]:
    """Repeated and comma-separated values as one list, each one checked against `known`."""
    items = list(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))
    for item in items:
        if item not in known:
            raise RequestError(f"unknown {what} '{item}'{did_you_mean(item, list(known))}; choose {', '.join(known)}")
    return items
