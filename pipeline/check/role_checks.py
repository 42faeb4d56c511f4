"""One role checked on its own, and the few facts about it that the checks across roles need.

What is wrong inside a role depends only on its files (and rolepack, and the layouts its text must
print in), so the result can be kept by those files' digests (role_cache) and a catalogue re-checks
only the roles whose files changed. What depends on the day (a date in the future, pay data grown
stale) and on the other roles (related roles, untranslated company text) is worked out on every
run from the facts kept here, so a result kept yesterday is still right today.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pipeline.check.fitness import text_findings
from pipeline.check.models import validate_model
from pipeline.check.unconfirmed import unconfirmed, under
from pipeline.problems import Problem, dotted
from pipeline.schema import Role
from pipeline.schema.role import State, state_on
from pipeline.source.extends import chain_origin, merge_chain
from pipeline.source.languages import missing_catalogue
from pipeline.source.positions import SourceText
from pipeline.source.scaffold import PLACEHOLDER
from pipeline.source.yaml_reader import DataPath, Located

STALE_AFTER_DAYS = 365

Where = tuple[str, int, int]


@dataclass(frozen=True)
class Dated:
    """A date whose problem depends on the day it is checked."""

    path: DataPath
    date: dt.date
    where: Where
    kind: Literal["reviewed", "pay"]


@dataclass(frozen=True)
class RoleFacts:
    """What the checks across roles read of a valid role, so they need not load its model."""

    language: str
    reviewed: dt.date | None
    related: tuple[tuple[str, Where], ...]
    dated: tuple[Dated, ...]
    own_company: frozenset[str]
    """The company texts the role writes its own version of (`company:` in the role)."""
    interviews: bool
    paid: bool
    title: str
    state: State
    closes: dt.date | None

    def state_on(self, day: dt.date) -> State:
        return state_on(self.state, self.closes, day)


@dataclass(frozen=True)
class RoleCheck:
    """What checking one role's merged files found (errors), and its facts when it is valid."""

    problems: tuple[Problem, ...]
    facts: RoleFacts | None


_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, so no PDF structure tree, DOCX or web page can carry them."""


def _link_problem(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme:
        return (f"the link to {url!r} is a {scheme}: address, which a document must not link to; "
                "a link goes only to an https://, http:// or mailto: address")
    return f"the link to {url!r} is not a whole address; write it with https://, http:// or mailto: at the start"


def text_problems(located: Located) -> list[Problem]:
    """Links to anything but https, http or mailto, and characters no document can hold: errors at
    the character, in the file that wrote them (the renderers would print such a link as text, or fail)."""
    source = SourceText(located)
    found = []
    for path, value in located.texts:
        for char in _UNSTORABLE.finditer(value):
            found.append(Problem(located.file, *source.position(path, value, char.start()), dotted(path),
                                 f"U+{ord(char.group()):04X} <control> cannot be stored in a PDF, Word or web document; "
                                 "delete it (it usually comes with pasted text)"))
        if "](" in value:
            from pipeline.source.markdown import links  # markdown-it is loaded only for text with a link in it

            found += [Problem(located.file, *source.position(path, value, link.offset), dotted(path),
                              _link_problem(link.url)) for link in links(value) if not link.safe]
    return found


def file_findings(located: Located, coverage: Mapping[str, Container[int]] | None) -> tuple[Problem, ...]:
    """What is wrong in one file's text wherever it is used (errors and fitness warnings)."""
    return tuple(text_problems(located) + (text_findings(located, coverage) if coverage is not None else []))


def _placeholder_problem(located: Located) -> Problem | None:
    """A role still holding the archetype's markers is unfinished: it must not validate or build."""
    found = [path for path, value in located.texts if PLACEHOLDER in value]
    if not found:
        return None
    more = len(found) - 1
    others = f" (and in {more} more place{'s' if more != 1 else ''} in this file)" if more else ""
    return Problem(located.file, *located.where(found[0]), dotted(found[0]),
                   f"the placeholder {PLACEHOLDER} from `rolepack new` is still here{others}; write the real content",
                   rule="placeholder")


def pay_dates(role: Role, chain: Sequence[Located]) -> list[Dated]:
    """The dates of the role's salary data (its bands' and each set of local bands'), where written."""
    pay = role.compensation
    if pay is None:
        return []
    sources = [(("compensation",), pay.source)] + [(("compensation", "local", i), local.source)
                                                   for i, local in enumerate(pay.local)]
    found = []
    for at, source in sources:
        if source is not None:
            path = at + ("source", "published" if source.published else "as_of")
            found.append(Dated(path, source.dated, chain_origin(list(chain), path), "pay"))
    return found


def date_problems(dated: Sequence[Dated], today: dt.date) -> list[Problem]:
    """A date in the future (an error), or salary data more than 12 months old (the `stale-pay` warning).

    `rolepack lint` reports the same stale-pay rule per role, from this code.
    """
    found = []
    for date in dated:
        if date.date > today:
            found.append(Problem(*date.where, dotted(date.path), f"{date.date} is in the future"))
        elif date.kind == "pay" and (today - date.date).days > STALE_AFTER_DAYS:
            found.append(Problem(*date.where, dotted(date.path), f"salary data is from {date.date}, more than 12 "
                                 "months old; refresh it", severity="warning", rule="stale-pay"))
    return found


def pay_date_problems(role: Role, chain: Sequence[Located], today: dt.date) -> list[Problem]:
    return date_problems(pay_dates(role, chain), today)


def _facts(role: Role, chain: list[Located]) -> RoleFacts:
    reviewed = [Dated(("reviewed",), role.reviewed, chain_origin(chain, ("reviewed",)), "reviewed")] \
        if role.reviewed is not None else []
    own = frozenset(name for name in type(role.company).model_fields if getattr(role.company, name) is not None) \
        if role.company is not None else frozenset()
    return RoleFacts(role.language, role.reviewed,
                     tuple((related, chain_origin(chain, ("related_roles", i))) for i, related in enumerate(role.related_roles)),
                     tuple(reviewed + pay_dates(role, chain)), own, role.interview is not None,
                     role.compensation is not None, role.title, role.state, role.posting.closes)


def check_role(slug: str, chain: list[Located], layouts: Path | None) -> tuple[RoleCheck, Role | None]:
    """Validate one role's merged files: what is wrong, its facts and model when it is valid."""
    role, invalid = validate_model(Role, merge_chain(chain), chain)
    if marked := unconfirmed(chain):
        invalid = [p for p in invalid if not under(p, [path for path, _ in marked])] + [p for _, p in marked]
    if (unfinished := _placeholder_problem(chain[-1])) is not None:
        invalid.append(unfinished)
    if role is None:
        return RoleCheck(tuple(invalid), None), None
    role = role.model_copy(update={"slug": slug})
    if layouts is not None and (no_words := missing_catalogue(layouts, role.language)) is not None:
        invalid.append(Problem(*chain_origin(chain, ("language",)), "language", no_words))
    return RoleCheck(tuple(invalid), _facts(role, chain)), role
