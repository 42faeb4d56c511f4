"""Reading a lint rule's data file: YAML checked against a model, every problem located.

Word lists and law tables are data, kept beside the rules in `data/`, each naming its source,
author, licence and date. They are read with the same reader and messages as content, so a broken
table says `pipeline/lint/data/x.yaml:12:5: jurisdictions[3].effective: …`, not a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from pipeline.check.models import validate_model
from pipeline.problems import ContentError, Problem
from pipeline.lint.rule import Source
from pipeline.source.yaml_reader import read_yaml

DATA = Path(__file__).resolve().parent / "data"
_PACKAGE_ROOT = DATA.parent.parent.parent

Model = TypeVar("Model", bound=BaseModel)


class DataFile(BaseModel):
    """The header every rule data file of rolepack's own starts with."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    source: str
    author: str
    url: str
    licence: str
    date: dt.date
    notes: str | None = None

    def described(self, file: str) -> Source:
        return Source(file, self.source.strip(), self.author, self.licence, self.date, self.url)


def shown(path: Path) -> str:
    """The file as a reader finds it: `pipeline/lint/data/x.yaml` for a bundled one."""
    try:
        return str(path.resolve().relative_to(_PACKAGE_ROOT))
    except ValueError:
        return str(path)


def load(path: Path, model: type[Model]) -> Model:
    """The file's data as `model`, or ContentError naming every problem where it is."""
    if not path.is_file():
        raise ContentError([Problem(shown(path), 1, 1, "", "the lint rule's data file is missing "
                                                           "(it ships with rolepack: reinstall it)")])
    located = read_yaml(path, shown(path))
    value, problems = validate_model(model, located.data, [located])
    if problems:
        raise ContentError(problems)
    return value


def for_language(english: Path, language: str) -> Path | None:
    """A wording rule's list for `language`: `x.yaml` is the English list, `x.<lang>.yaml` another
    language's; None when rolepack has none for it (WORDING_SOURCES says why)."""
    base = language.split("-")[0].lower()
    path = english if base == "en" else english.with_name(f"{english.stem}.{base}{english.suffix}")
    return path if path.is_file() else None


WORDING_SOURCES = DATA / "wording_sources.yaml"


class _Listed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    file: str | None
    basis: str | None = None
    none: str | None = None
    searched: list[str] = []


class _WordingSources(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    checked: dt.date
    rules: dict[str, dict[str, _Listed]]


def unlisted(rule: str) -> list[Source]:
    """For `--explain`: each language a wording rule has no list for, and why, as a source line says it."""
    table = load(WORDING_SOURCES, _WordingSources)
    return [Source(f"none for {language}", " ".join(entry.none.split()), "rolepack's search", "-", table.checked)
            for language, entry in table.rules.get(rule, {}).items() if entry.file is None and entry.none]

