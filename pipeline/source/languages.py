"""Which languages the layouts can print: one gettext catalogue per language, found where the
layouts are read.

Checking content asks whether a role's language has a catalogue before anything renders;
rendering (render/locales) compiles the same file. English is the source language and needs none.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.schema.values import base_language

SOURCE_LANGUAGE = "en"
CATALOGUE = Path("LC_MESSAGES") / "messages.po"
"""A language's catalogue in the formal register (German Sie, Spanish usted, French vous): the default."""
REGISTERS = {"formal": CATALOGUE.name, "informal": "messages.informal.po"}
"""The catalogue file of each register, side by side in the language's LC_MESSAGES folder."""


def catalogue_path(layouts: Path, language: str, register: str = "formal") -> Path:
    return layouts / "locales" / base_language(language) / CATALOGUE.parent / REGISTERS[register]


def available(layouts: Path) -> list[str]:
    """The languages the layouts can print: English and every language with a catalogue."""
    found = sorted(p.parent.parent.name for p in (layouts / "locales").glob(f"*/{CATALOGUE.as_posix()}"))
    return [SOURCE_LANGUAGE] + [lang for lang in found if lang != SOURCE_LANGUAGE]


def missing_catalogue(layouts: Path, language: str, register: str = "formal") -> str | None:
    """Why `language` cannot be printed in `register`, or None when it can."""
    if base_language(language) == SOURCE_LANGUAGE or catalogue_path(layouts, language, register).is_file():
        return None
    if register != "formal" and catalogue_path(layouts, language).is_file():
        return (f"there is no {register} catalogue for '{language}' (the layouts address its readers formally); "
                f"choose `formal` for it, or add {catalogue_path(layouts, language, register)}")
    return (f"there is no catalogue for language '{language}' in {layouts / 'locales'} "
            f"(languages: {', '.join(available(layouts))}); add {catalogue_path(layouts, language)}")
