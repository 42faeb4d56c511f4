"""Reading the value of a labelled line: pay figures, a location and its work mode, a contract type.

Each reader returns None when the value does not say what its label promises ("Salary:
competitive", "Télétravail : à discuter"); the line is then kept as text, so nothing is lost to a
guess. What is read is returned with the remarks an author should check (a `$` read as US dollars,
a figure rounded, a mode assumed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.schema.currencies import ISO_4217
from pipeline.importing.places import is_area, resolve
from pipeline.importing.text import fold
from pipeline.importing.vocabulary import vocabulary

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f\u2009.,’']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_THOUSANDS = r"\s?[kK](?![^\W\d_])"
_RANGE_WORDS = r"-|–|—|to|à|a|au|bis|hasta|y|and|et|und"


@lru_cache(maxsize=1)
def _amounts() -> re.Pattern[str]:
    """A figure or a range of two, each with an optional currency sign or code before or after it."""
    signs = sorted(vocabulary().currency_signs, key=len, reverse=True)
    currency = "|".join([re.escape(s) for s in signs] + [rf"\b{code}\b" for code in sorted(ISO_4217)])

    def amount(p: str) -> str:
        return (rf"(?:(?P<{p}c1>{currency})\s?)?(?P<{p}n>{_NUMBER})(?P<{p}k>{_THOUSANDS})?"
                rf"(?:\s?(?P<{p}c2>{currency}))?")

    return re.compile(rf"{amount('a')}(?:\s*(?:{_RANGE_WORDS})\s*{amount('b')})?")


@dataclass(frozen=True)
class Pay:
    currency: str | None
    period: str | None
    minimum: int
    maximum: int
    remarks: tuple[str, ...] = ()
    bound: str | None = None
    """"min" ("from €42,000") or "max" ("up to 48.000 €"): one figure that is a bound, the other end unstated."""

    @property
    def usable(self) -> bool:
        """Enough to print: a currency, and a period, or a figure so large it can only be yearly."""
        return self.currency is not None and (self.period is not None or self.minimum >= YEARLY_AT_LEAST)


YEARLY_AT_LEAST = 10_000
"""A pay figure with no period word at or above this is read as yearly (and flagged)."""


def _figure(digits: str, thousands: bool) -> float:
    parts = re.split(r"\D", digits)
    if len(parts) > 1 and len(parts[-1]) in (1, 2):
        value = float(f"{''.join(parts[:-1])}.{parts[-1]}")
    else:
        value = float("".join(parts))
    return value * 1000 if thousands else value


def _currency(text: str, signs: list[str]) -> tuple[str | None, list[str]]:
    """The ISO code the figures' own signs name, else any code, sign or word in the text."""
    vocab = vocabulary()
    candidates = [s for s in signs if s] + re.findall(r"\b[A-Z]{3}\b", text)
    candidates += [s for s in sorted(vocab.currency_signs, key=len, reverse=True) if s in text]
    for sign in candidates:
        code = vocab.currency_signs.get(sign, sign)
        if code in ISO_4217:
            remarks = [f"read “{sign}” as {code}"] if sign in vocab.ambiguous_signs else []
            return code, remarks
    words = vocab.currency_words.find(text)
    return (words[0][0], []) if words else (None, [])


def read_pay(text: str, *, period: str | None = None) -> Pay | None:
    """The figures of a pay line ("€55,000–€65,000 per year", "45 000 € – 55 000 € brut annuel").

    `period` is what the label says ("Day rate:"); a period word in the value wins over it. A single
    figure is both min and max.
    """
    match = _amounts().search(text)
    if match is None:
        return None
    low = _figure(match["an"], bool(match["ak"]))
    high = _figure(match["bn"], bool(match["bk"])) if match["bn"] else low
    if match["bk"] and not match["ak"] and low < 1000:
        low *= 1000  # "55–65k": the k belongs to both
    if low <= 0 or high <= 0:
        return None
    remarks = []
    if low != int(low) or high != int(high):
        remarks.append(f"rounded {low:g}–{high:g} to whole units")
    currency, said = _currency(text, [match[g] for g in ("ac1", "ac2", "bc1", "bc2") if match[g]])
    periods = vocabulary().periods.find(text[match.end():] + " " + text[:match.start()])
    bound = None
    if not match["bn"]:
        tail = f" {fold(text[:match.start()])}"
        bound = next((kind for phrase, kind in vocabulary().pay_bounds.table.items() if tail.endswith(f" {phrase}")), None)
        remarks.append(f"one figure, the {bound}imum: the other end is left to confirm" if bound
                       else "one figure, so min = max")
    return Pay(currency, periods[0][0] if periods else period, round(low), round(high), tuple(said + remarks), bound)


def withheld(text: str) -> bool:
    """Whether a pay line withholds its figures on purpose ("Competitive salary, DOE")."""
    words = fold(text)
    return any(f" {phrase} " in f" {words} " for phrase in vocabulary().pay_withheld)


@dataclass(frozen=True)
class Place:
    mode: str
    places: tuple[str, ...] = ()
    note: str | None = None
    guessed: bool = False
    """No mode word was found; on-site is assumed."""


_ALTERNATIVES = re.compile(r"\s*(?:[/|]|\s(?:or|ou|oder|o)\s)\s*")
"""What separates options ("Berlin or remote", "Lisbon / Porto")."""
_QUALIFIERS = re.compile(r"\s*(?:[,;·•]|\s[-–—]\s|\s(?:y|et|and|und)\s)\s*")
"""What separates the parts of one option ("Remote, Europe", "Hybrid – Lisbon")."""


def _modes(text: str) -> list[str]:
    found = list(dict.fromkeys(mode for mode, _ in vocabulary().modes.find(text)))
    return ["hybrid"] if "hybrid" in found else found


def _is_place(part: str) -> bool:
    """Whether a piece of a location value names somewhere, once its mode words and fillers are gone."""
    vocab = vocabulary()
    used = {word for _, phrase in vocab.modes.find(part) for word in phrase.split()}
    return any(w not in used and w not in vocab.fillers for w in fold(part).split())


def _without_mode(part: str) -> str:
    """A place as written, less the mode words it opens with ("remote within the UK" → "within the UK")."""
    words = part.split()
    for n in range(len(words), 0, -1):
        if fold(" ".join(words[:n])) in vocabulary().modes.table:
            return " ".join(words[n:])
    return part


def _work_mode(value: str, label: str) -> list[Place] | None:
    """A `Télétravail : 2 jours par semaine` value: the mode it names, read with its label."""
    vocab = vocabulary()
    said = fold(value)
    if said in vocab.negations:
        return [Place("on-site")]
    modes = _modes(f"{label} {value}")
    if _modes(value) or said in vocab.affirmations or modes == ["hybrid"]:
        return [Place(mode, note=None if said in vocab.affirmations else value) for mode in modes] or None
    return None


_TRAVEL = re.compile(
    r"[,;(]?\s*\b(?:with\s+(?:[\w-]+\s+){0,2}(?:trips?|travel)|(?:occasional|regular|some|frequent|quarterly|monthly)"
    r"\s+(?:trips?|travel)|travel\s+to|déplacements?|Reisetätigkeit|Dienstreisen|viajes?)\b.*$", re.IGNORECASE)
"""Where a location value starts talking about travel ("…, with quarterly trips to Chicago, IL"):
a trip is not a place, so the rest is the location's note."""


def _masked(value: str) -> str:
    """`value` with every separator inside parentheses blanked, so options split outside them only."""
    return re.sub(r"\([^)]*\)", lambda m: re.sub(r"[/|,;]|\b(?:or|ou|oder|o|and|et|und|y)\b",
                                                  lambda n: "\0" * len(n.group()), m.group()), value)


def _split(value: str, pattern: re.Pattern[str]) -> list[str]:
    masked, out, start = _masked(value), [], 0
    for match in pattern.finditer(masked):
        out.append(value[start:match.start()])
        start = match.end()
    return out + [value[start:]]


def _joined(places: list[str]) -> list[str]:
    """"Denver", "CO" → "Denver, CO": a state, province or country after a place qualifies it."""
    out: list[str] = []
    for place in places:
        if out and is_area(place):
            out[-1] = f"{out[-1]}, {place}"
        else:
            out.append(place)
    return out


def read_locations(value: str, *, work_mode: bool = False, label: str = "") -> list[Place] | None:
    """Locations from a `Location:` value ("Lyon (hybride, 2 jours de télétravail par semaine)").

    Options ("Berlin or remote") become one location each; a place named without a mode joins the
    option that has one that is not remote, else its mode is unknown (`guessed`: the import asks a
    person). Words in parentheses are places of their option when they are few and name no mode
    ("Remote (Europe)"), else its note; after a place, words in parentheses that name no place
    rolepack can find say where in it ("Hamburg (Schanzenviertel)"): a note. A travel remark ("with
    quarterly trips to Chicago") is a note, never a place. A `work_mode` value gives a mode only,
    and one that names none is not read.
    """
    if work_mode:
        return _work_mode(value, label)
    travel = _TRAVEL.search(value)
    remark = travel.group(0).strip(" ,;(") if travel else None
    value = value[:travel.start()] if travel else value
    entries: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    unplaced: list[str] = []
    unplaced_remarks: list[str] = []
    for option in _split(value, _ALTERNATIVES):
        outside = re.sub(r"\([^)]*\)", " ", option)
        places = _joined([_without_mode(p.strip()) for p in _QUALIFIERS.split(outside) if _is_place(p)])
        modes = _modes(outside) or [m for aside in re.findall(r"\(([^)]*)\)", option) for m in _modes(aside)][:1]
        asides: list[str] = []
        remarks: list[str] = []
        for aside in re.findall(r"\(([^)]*)\)", option):
            if _modes(aside) or len(aside.split()) > 4:
                if _is_place(aside) and modes:  # "(hybrid, 3 days in office)": the mode is printed already
                    notes.setdefault(modes[0], []).append(_without_mode(aside.strip()).lstrip(" ,;:–-") or aside.strip())
            elif places and not any(is_area(p.strip()) or resolve(p.strip()) for p in aside.split(",") if p.strip()):
                remarks.append(aside.strip())  # "Hamburg (Schanzenviertel)": where in the place, not another place
            else:
                asides += _joined([p.strip() for p in aside.split(",") if p.strip()])
        if modes:
            for mode in modes:
                entries.setdefault(mode, [])
            sited = next((m for m in modes if m != "remote"), modes[0])
            entries[sited] += places + asides
            notes.setdefault(sited, []).extend(remarks)
        else:
            unplaced += places + asides
            unplaced_remarks += remarks
    if not entries and not unplaced:
        return None
    guessed = False
    if unplaced:
        sited = next((m for m in entries if m != "remote"), None)
        if sited is None:
            entries, sited, guessed = {"on-site": [], **entries}, "on-site", True
        entries[sited] += unplaced
        notes.setdefault(sited, []).extend(unplaced_remarks)
    first = next(iter(entries))
    if remark:
        notes.setdefault(first, []).append(remark)
    return [Place(mode, tuple(places), "; ".join(notes.get(mode, [])) or None, guessed and mode == "on-site")
            for mode, places in entries.items()]


def read_employment(text: str) -> tuple[str, str] | None:
    """The contract type `text` names and the words it was read from; the most specific wins."""
    vocab = vocabulary()
    found = dict(reversed(vocab.employment_types.find(text)))
    for kind in vocab.employment_order:
        if kind in found:
            return kind, found[kind]
    return None


def read_mode(text: str) -> tuple[str, str] | None:
    """The work mode prose names ("a fully remote role") and the words, for when no line is labelled."""
    found = vocabulary().modes.find(text)
    modes = _modes(text)
    if not modes:
        return None
    return modes[0], next(phrase for mode, phrase in found if mode == modes[0])
