"""`pay-transparency`: what the laws of the places a role is posted in require the posting to show.

A role's locations select the jurisdictions of `data/pay_transparency.yaml`: an office or a hybrid
place by its country and region (and city, for a city's own law), a remote location by the
countries and regions it hires in (every jurisdiction there that reaches remote jobs). The company's
headcount leaves out laws for larger employers. Each duty the content does not meet is an error
naming the jurisdiction, the law and the date it took effect, at the field to fix, or at the
location entry that brought the law in when the field is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.lint.rule import Hit, Rule, Severity, Source, Subject, Where
from pipeline.lint.laws import (PAY_TRANSPARENCY, PROTECTED_QUESTIONS, Jurisdiction, PayLaws, ProtectedTopics,
                                described, pay_laws, protected_topics)
from pipeline.lint.data_files import shown
from pipeline.lint.matching import find
from pipeline.lint.titles import title_problem, titles
from pipeline.schema.role import Bands, Location, Role
from pipeline.source.yaml_reader import DataPath

PAY_HISTORY = "pay-history"
"""The protected-questions topic whose phrases ask for pay history."""


@dataclass(frozen=True)
class Selected:
    """A jurisdiction whose law applies, and the location entry that brought it in."""

    jurisdiction: Jurisdiction
    path: DataPath
    how: str
    area: str
    """The place's or the remote hiring area's code: which of the role's bands a posting there states."""


def _remote_areas(code: str, jurisdiction: Jurisdiction) -> bool:
    """Whether a remote hire living anywhere in `code` ("US", "US-CO") may work under `jurisdiction`."""
    country = code.split("-")[0]
    if "-" in code:
        return any(area in (code, country) for area in jurisdiction.areas)
    return any(area == code or area.startswith(code + "-") for area in jurisdiction.areas)


def _selections(location: Location, at: DataPath, laws: PayLaws) -> Iterator[Selected]:
    remote = location.mode == "remote"
    for j, place in enumerate(location.places):
        if place.area is None:
            continue
        for law in laws.jurisdictions:
            if ((law.remote_covered or not remote) and law.covers_city(place.name)
                    and any(area in (place.area, place.country) for area in law.areas)):
                yield Selected(law, at + ("places", j), f"{place.name} ({place.area})", place.area)
    for k, code in enumerate(location.hires_in):
        for law in laws.jurisdictions:
            if law.remote_covered and _remote_areas(code, law):
                yield Selected(law, at + ("hires_in", k), f"remote hires in {code}", code)


def selected(role: Role, laws: PayLaws) -> list[Selected]:
    """The jurisdictions the role's locations select, each with the first entry that selects it."""
    found: dict[str, Selected] = {}
    for i, location in enumerate(role.locations):
        for selection in _selections(location, ("locations", i), laws):
            found.setdefault(selection.jurisdiction.id, selection)
    return list(found.values())


def binding(law: Jurisdiction, today: dt.date) -> bool:
    """Whether breaking `law` costs an employer today: in force, binding, and enforced."""
    return law.binding and law.effective <= today and (law.enforced is None or law.enforced <= today)


def standing(law: Jurisdiction, today: dt.date) -> str:
    """Where the law stands today, as a finding cites it."""
    if law.effective > today:
        return f"in force from {law.effective.isoformat()}"
    if not law.binding:
        return (f"in force since {law.effective.isoformat()} but not binding on employers until the member state "
                "transposes it; comply now, as the national law will ask the same")
    if law.enforced is not None and law.enforced > today:
        return f"in force since {law.effective.isoformat()}, enforced from {law.enforced.isoformat()}"
    return f"in force since {law.effective.isoformat()}"


class _Duties:
    """Checks one selected jurisdiction's duties against one role; each yields hits."""

    def __init__(self, subject: Subject, selection: Selected, topics: ProtectedTopics) -> None:
        self.subject, self.selection, self.topics = subject, selection, topics
        law = selection.jurisdiction
        self.severity: Severity = "error" if binding(law, subject.today) else "warning"
        self.cited = f"{law.name} ({law.id}): {law.law}, {standing(law, subject.today)}"

    def _missing_at(self, path: DataPath) -> Where:
        """The field's own place, its written parent's key, or else the location entry that selected the law."""
        if any(path[:1] in located.values for located in self.subject.chain):
            if any(path in located.values for located in self.subject.chain):
                return self.subject.where(path)
            return self.subject.key_where(path)
        return self.subject.where(self.selection.path)

    def hit(self, path: DataPath, duty: str, suggestion: str | None = None, *,
            severity: Severity | None = None) -> Hit:
        return Hit(self._missing_at(path), f"{self.cited}: {duty} (applies through {self.selection.how})",
                   suggestion, severity or self.severity)

    def range(self) -> Iterator[Hit]:
        pay = self.subject.role.compensation
        if pay is None or not pay.disclosed or not pay.posted:
            yield self.hit(("compensation", "disclosed") if pay is not None else ("compensation",),
                           "the posting must state the pay (a range, or a fixed figure)",
                           "compensation: with levels, currency and source")

    def _bands(self) -> tuple[Bands, DataPath] | None:
        """The bands a posting in this jurisdiction states, and where they are written."""
        pay = self.subject.role.compensation
        if pay is None or not pay.disclosed:
            return None
        bands = pay.for_area(self.selection.area)
        at = ("compensation",) if bands is pay else ("compensation", "local", pay.local.index(bands))
        return bands, at

    def max_width(self) -> Iterator[Hit]:
        found, cap = self._bands(), self.selection.jurisdiction.requires.max_width
        if found is None or not found[0].posted or cap is None:
            return
        pay, at = found
        if pay.currency != cap.currency:
            yield self.hit(at + ("currency",),
                           f"a posted range may be at most {cap.currency} {cap.amount:,} wide, and this role's pay "
                           f"is in {pay.currency}, not the local currency: state the range in {cap.currency} for "
                           "postings there (local bands under compensation.local)", severity="warning")
            return
        low, high = min(b.min for b in pay.posted), max(b.max for b in pay.posted)
        exempt = cap.unless_max_at_least is not None and high >= cap.unless_max_at_least
        if high - low > cap.amount and not exempt:
            field = "posted_levels" if pay.posted_levels else "levels"
            yield self.hit(at + (field,),
                           f"the posted range {pay.currency} {low:,}–{high:,} is {high - low:,} wide, more than the "
                           f"{cap.amount:,} allowed", "posted_levels: the levels this posting is for")

    def benefits(self) -> Iterator[Hit]:
        company = self.subject.role.company
        benefits = company.benefits if company is not None and company.benefits is not None else self.subject.company.benefits
        if not benefits and not self.subject.role.job_description.perks:
            yield self.hit(("job_description", "perks"), "the posting must describe the benefits",
                           "benefits: in company.yaml, or job_description.perks")

    def other_compensation(self) -> Iterator[Hit]:
        pay = self.subject.role.compensation
        if pay is None or (pay.bonus is None and pay.equity is None):
            yield self.hit(("compensation", "bonus"), "the posting must describe other pay (bonus, commission, "
                           "equity), or say there is none", "bonus: There is no bonus or commission.")

    def application_deadline(self) -> Iterator[Hit]:
        if self.subject.role.posting.closes is None:
            yield self.hit(("posting", "closes"), "the posting must say when applications close",
                           "closes: YYYY-MM-DD, under posting")

    def ai_disclosure(self) -> Iterator[Hit]:
        if self.subject.role.posting.ai_screening is None:
            yield self.hit(("posting", "ai_screening"), "the posting must say whether AI is used to screen, assess "
                           "or select applicants", "ai_screening: We do not use AI to screen or select applicants.")

    def existing_vacancy(self) -> Iterator[Hit]:
        if self.subject.role.posting.existing_vacancy is None:
            yield self.hit(("posting", "existing_vacancy"), "the posting must say whether it is for a position "
                           "open now", "existing_vacancy: true")

    def pay_before_interview(self) -> Iterator[Hit]:
        pay = self.subject.role.compensation
        if pay is None or not pay.disclosed:
            yield self.hit(("compensation", "disclosed") if pay is not None else ("compensation",),
                           "applicants must be told the pay range before the interview; the posting states none, "
                           "so make sure the first conversation does", "compensation: with levels, currency and source",
                           severity="warning")

    def gender_neutral_title(self) -> Iterator[Hit]:
        if (problem := title_problem(self.subject.role.title, self.subject.role.language, titles())) is not None:
            yield self.hit(("title",), f"the job title must address applicants of every gender: {problem.why}",
                           problem.suggestion)

    def minimum_pay_statement(self) -> Iterator[Hit]:
        pay = self.subject.role.compensation
        if pay is None or pay.minimum is None:
            yield self.hit(("compensation", "minimum") if pay is not None else ("compensation",),
                           "the advertisement must state the minimum pay the collective agreement or the law sets "
                           "for the job, and whether the employer will pay more",
                           "minimum: {amount: N, period: month, basis: the collective agreement, pays_more: true}")

    def all(self) -> Iterator[Hit]:
        requires = self.selection.jurisdiction.requires
        checks = {"range": self.range, "benefits": self.benefits, "other_compensation": self.other_compensation,
                  "application_deadline": self.application_deadline, "ai_disclosure": self.ai_disclosure,
                  "existing_vacancy": self.existing_vacancy, "pay_before_interview": self.pay_before_interview,
                  "gender_neutral_title": self.gender_neutral_title,
                  "minimum_pay_statement": self.minimum_pay_statement}
        for name, run in checks.items():
            if getattr(requires, name):
                yield from run()
        yield from self.max_width()


def findings(subject: Subject, laws: PayLaws, topics: ProtectedTopics) -> Iterator[Hit]:
    """The rule's hits for `subject`, with the laws of `laws` and the pay-history phrases of `topics`."""
    chosen = selected(subject.role, laws)
    headcount = subject.company.headcount
    if headcount is None and any(s.jurisdiction.min_employees > 1 for s in chosen):
        yield Hit(subject.company_where(()), "company.yaml gives no headcount, so every pay-transparency law is "
                  "applied whatever the size of employer it covers", "headcount: the number of employees worldwide",
                  "info", shared=True)
    applying = [s for s in chosen if headcount is None or headcount >= s.jurisdiction.min_employees]
    for selection in applying:
        yield from _Duties(subject, selection, topics).all()
    yield from _pay_history(subject, [s.jurisdiction for s in applying if s.jurisdiction.requires.no_pay_history],
                            topics)


def _pay_history(subject: Subject, laws: list[Jurisdiction], topics: ProtectedTopics) -> Iterator[Hit]:
    """A question about pay history, anywhere in what a candidate reads (a "tell us your current
    salary" under requirements asks as much as one under how to apply) or in the interview
    questions, once for every law that bans it where the role is posted: one finding naming them
    all, not the same line for each state."""
    topic = topics.topic(PAY_HISTORY)
    if topic is None or not laws:
        return
    in_force = [law for law in laws if binding(law, subject.today)]
    cited = "; ".join(f"{law.name} ({law.id}): {law.law}" for law in (in_force or laws))
    role = subject.role
    texts = [(passage.path, passage.text) for passage in subject.posting if not passage.company]
    if role.interview is not None:
        texts += [(("interview", "questions", i, "question"), q.question) for i, q in enumerate(role.interview.questions)]
    for path, text in texts:
        for match in find(topic.pattern, text) if text is not None else ():
            yield Hit(subject.where(path, text, match.start()),
                      f"employers may not ask applicants about their pay history (“{text[match.start():match.end()]}”) "
                      f"where this role is posted: {cited}", "ask what they expect to earn",
                      "error" if in_force else "warning", shared=True)


@cache
def _tables() -> tuple[PayLaws, ProtectedTopics]:
    return pay_laws(), protected_topics()


def check(subject: Subject) -> Iterator[Hit]:
    return findings(subject, *_tables())


def _sources() -> list[Source]:
    laws, topics = _tables()
    cited = [Source(f"{shown(PAY_TRANSPARENCY)}: {law.id}", f"{law.name}: {law.law}, {standing(law, laws.checked)}",
                    "the law's official text or regulator", "public law", laws.checked, law.url)
             for law in laws.jurisdictions]
    return [described(PAY_TRANSPARENCY, laws.source, laws.checked), *cited,
            described(PROTECTED_QUESTIONS, topics.source, topics.checked)]


RULE = Rule(
    id="pay-transparency",
    severity="error",
    summary="what the pay-transparency laws of the role's locations require the posting to show",
    explanation=(
        "Jurisdictions come from the role's locations: an on-site or hybrid place with `country` (and `region`) "
        "selects the laws of that country and region, and a city's own law (New York City) when the place's name "
        "is that city; a remote location selects, for each code in `hires_in`, every law of that country (\"US\") "
        "or region (\"US-CO\") that reaches remote jobs (remote_covered), and its places with codes likewise. "
        "company.yaml's `headcount` leaves out laws for larger employers than the company (without it every law "
        "applies, and an info finding says to set it). For each law, the posting must meet what it requires: "
        "range (disclosed pay with posted levels; a band whose min equals its max is a fixed figure, which "
        "counts), closed_range (always met: every band has a min and a max), max_width (the posted range, lowest "
        "min to highest max, compared in the table's currency; pay in another currency is a warning that the "
        "range is not stated in the local currency), benefits (company benefits or job_description.perks), "
        "other_compensation (compensation.bonus or equity), application_deadline (posting.closes), ai_disclosure "
        "(posting.ai_screening), existing_vacancy (posting.existing_vacancy), no_pay_history (no pay-history "
        "phrase of the protected-questions table in how_to_apply or an interview question) and "
        "pay_before_interview (EU: undisclosed pay is a warning, since telling applicants before the interview "
        "also complies), gender_neutral_title (the title addresses every gender in the role's language: a marker "
        "such as (m/w/d), H/F or (k/m), an inclusive spelling such as Entwickler*in, or a noun with no gender; an "
        "English title unless it uses a gendered noun such as chairman) and minimum_pay_statement (Austria: "
        "compensation.minimum, the collective-agreement or statutory minimum and whether more is paid). A duty not "
        "met is an error, because the posting would be unlawful where it is posted; a law not yet in force, in "
        "force but not yet enforced (its `enforced` date), or not binding on employers (an EU directive a member "
        "state has not transposed) is a warning that says so. Each finding names the jurisdiction, the law and its "
        "effective date, and points at the field to fix, or at the location entry that selected the law."),
    check=check,
    sources=_sources,
)
