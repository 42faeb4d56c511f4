"""The text a job description prints, each piece with the path that wrote it.

Read from layouts/partials/job-description-body.html.j2: what a candidate reads is what the
wording rules judge, and only that; a hiring guide's interview notes are not a posting. Company
text is the company file's unless the role overrides that field under `company:`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.schema import Company, Role
from pipeline.schema.role import Nested
from pipeline.source.yaml_reader import DataPath

COMPANY_FIELDS = ("benefits", "about", "accommodations", "equal_opportunity")
"""Company text every job description prints (the pay note only with disclosed pay and no explanation)."""


@dataclass(frozen=True)
class Passage:
    path: DataPath
    """In the merged role, or (company True) in company.yaml."""
    text: str
    company: bool = False


def _texts(value: object, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, path + (i,))
    elif isinstance(value, Nested):  # a list item with items under it
        yield path + ("text",), value.text
        yield from _texts(value.items, path + ("items",))


def _role_texts(role: Role) -> Iterator[tuple[DataPath, str]]:
    jd, q, pay = role.job_description, role.qualifications, role.compensation
    yield ("title",), role.title
    yield from _texts(jd.summary, ("job_description", "summary"))
    for i, location in enumerate(role.locations):
        yield from _texts(location.note, ("locations", i, "note"))
    yield from _texts(jd.about_the_role, ("job_description", "about_the_role"))
    yield from _texts(jd.key_responsibilities, ("job_description", "key_responsibilities"))
    yield from _texts(q.prerequisites, ("qualifications", "prerequisites"))
    yield from _texts(q.hard_skills, ("qualifications", "hard_skills"))
    if not q.prerequisites and not q.hard_skills:
        yield from _texts(q.soft_skills, ("qualifications", "soft_skills"))
    if jd.show_nice_to_have:
        yield from _texts(q.nice_to_have, ("qualifications", "nice_to_have"))
    if pay is not None and pay.disclosed:
        for name in ("equity", "bonus", "explanation"):
            yield from _texts(getattr(pay, name), ("compensation", name))
    yield from _texts(jd.perks, ("job_description", "perks"))
    yield from _texts(jd.how_to_apply, ("job_description", "how_to_apply"))
    for i, section in enumerate(jd.sections):
        at = ("job_description", "sections", i)
        yield from _texts(section.heading, at + ("heading",))
        yield from _texts(section.paragraphs, at + ("paragraphs",))
        yield from _texts(section.bullets, at + ("bullets",))
        yield from _texts(section.closing, at + ("closing",))
        for j, sub in enumerate(section.subsections):
            sub_at = at + ("subsections", j)
            yield from _texts(sub.heading, sub_at + ("heading",))
            yield from _texts(sub.paragraphs, sub_at + ("paragraphs",))
            yield from _texts(sub.bullets, sub_at + ("bullets",))
            yield from _texts(sub.closing, sub_at + ("closing",))


def posting(role: Role, company: Company, origin: Callable[[tuple[str, ...]], DataPath] = lambda path: path) -> list[Passage]:
    """Every piece of text the role's job description prints, the role's own first; `origin` says
    where in company.yaml a company field printed in the role's language is written."""
    passages = [Passage(path, text) for path, text in _role_texts(role)]
    fields = list(COMPANY_FIELDS)
    if role.compensation is not None and role.compensation.disclosed and role.compensation.explanation is None:
        fields.append("pay_note")
    for name in fields:
        override = getattr(role.company, name, None) if role.company is not None else None
        if override is not None:
            passages += [Passage(path, text) for path, text in _texts(override, ("company", name))]
        else:
            passages += [Passage(path, text, company=True) for path, text in _texts(getattr(company, name), origin((name,)))]
    return passages
