"""The official occupation code lists a role's `occupation:` is checked against, and a proposal of
codes from a job title for a person to confirm.

Three lists ship as data, each file's header naming its publisher, version, licence and the copy it
was taken from: O*NET-SOC 2019 (O*NET 30.1, USDOL/ETA, CC BY 4.0), ISCO-08 at every level (the
ILO), and ESCO v1.2.0 occupations with their ISCO-08 group (the European Commission). They are read
once per process, only when a role names a code or an import asks for a proposal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ONET, ISCO, ESCO = DATA / "onet-soc-2019.tsv", DATA / "isco-08.tsv", DATA / "esco-occupations.tsv"
ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$")


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


@cache
def onet() -> dict[str, str]:
    """O*NET-SOC 2019 code → title."""
    return {code: title for code, title in _rows(ONET)}


@cache
def isco() -> dict[str, str]:
    """ISCO-08 code (1 to 4 digits) → title."""
    return {code: title for code, title in _rows(ISCO)}


@cache
def esco() -> dict[str, tuple[str, str]]:
    """ESCO occupation URI → (English label, ISCO-08 unit group)."""
    return {uri: (label, group) for uri, label, group in _rows(ESCO)}


@dataclass(frozen=True)
class Proposal:
    system: str
    code: str
    title: str


_LEVELS = frozenset({"senior", "junior", "lead", "staff", "principal", "sr", "jr", "mid", "level", "i", "ii", "iii",
                     "iv", "intern", "graduate", "trainee", "associate", "head", "remote", "hybrid"})
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> frozenset[str]:
    """A title's words that name the work: lower case, singular, without level or bracketed markers."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text.casefold()).replace("-", "")
    return frozenset(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in _WORD.findall(bare)) - _LEVELS


def propose(title: str) -> list[Proposal]:
    """The codes whose English names share most of `title`'s words (at least half of all the words
    of both), best first: an ESCO occupation with its ISCO-08 group, and an O*NET-SOC occupation.
    Nothing when no name is close: a proposal is for a person to confirm, never a guess to print."""
    wanted = _words(title)
    if not wanted:
        return []

    def best(names: dict[str, str]) -> tuple[str, str] | None:
        scored = []
        for code, name in names.items():
            words = _words(name)
            overlap = len(wanted & words) / len(wanted | words) if words else 0.0
            if overlap >= 0.5:
                scored.append((-overlap, len(name), code, name))
        return (min(scored)[2], min(scored)[3]) if scored else None

    found = []
    if (match := best({uri: label for uri, (label, _) in esco().items()})) is not None:
        uri, label = match
        group = esco()[uri][1]
        found += [Proposal("esco", uri, label), Proposal("isco", group, isco().get(group, ""))]
    if (match := best(onet())) is not None:
        found.append(Proposal("onet", *match))
    return found
