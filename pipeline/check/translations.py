"""Company text a role would print in another language than its own (the `untranslated` warning),
and a register the layouts cannot print.

A French posting that says "Rémunération" and then an English paragraph reads as a mistake to every
candidate, so each company text a role prints must have a version in the role's language. The
build prints the company's own language where one is missing, and says so here; `--strict` fails.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from pipeline.check.role_checks import RoleFacts
from pipeline.problems import Problem, dotted
from pipeline.schema import CompanyFile
from pipeline.schema.values import base_language
from pipeline.source.extends import chain_origin
from pipeline.source.languages import missing_catalogue
from pipeline.source.yaml_reader import Located


def untranslated(company: CompanyFile, source: Located, roles: Mapping[str, RoleFacts]) -> list[Problem]:
    """One warning per company field and language that some role prints without a version in its language."""
    missing: dict[tuple[tuple[str, ...], str], list[str]] = defaultdict(list)
    lacking: dict[str, list[tuple[str, ...]]] = {}  # by language: thousands of roles share a few
    for slug, role in roles.items():
        if role.language not in lacking:
            lacking[role.language] = company.untranslated(role.language)
        for path in lacking[role.language]:
            if _prints(role, path):
                missing[path, role.language].append(slug)
    found = []
    for (path, language), slugs in sorted(missing.items()):
        shown = ", ".join(slugs[:3]) + (f" and {len(slugs) - 3} more" if len(slugs) > 3 else "")
        found.append(Problem(*chain_origin([source], path, key=True), dotted(path),
                             f"has no '{language}' version, so {shown} would print it in another language; "
                             f"write it per language ({language}: …) or accept it with --allow untranslated",
                             severity="warning", rule="untranslated"))
    return found


def _prints(role: RoleFacts, path: tuple[str, ...]) -> bool:
    """Whether the role's documents print the company's text at `path` (not the role's own version)."""
    if path[0] in role.own_company:
        return False
    if path[0] == "interviewer_guidance":
        return role.interviews
    return path[0] != "pay_note" or role.paid


def register_problems(company: CompanyFile, source: Located, layouts: Path, languages: set[str]) -> list[Problem]:
    """A register chosen for a language whose layouts have no catalogue in it (French `tu`, say)."""
    found = []
    for language, register in company.registers.items():
        used = any(lang == language or base_language(lang) == language for lang in languages)
        if used and (why := missing_catalogue(layouts, language, register)) is not None:
            found.append(Problem(*chain_origin([source], ("register", language)), f"register.{language}", why))
    return found
