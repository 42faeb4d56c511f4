"""The words and formats of a role's language: gettext catalogues for the layouts, Babel for the rest.

Every word a layout prints is a message in `layouts/locales/<language>/LC_MESSAGES/messages.po`
(found by source/languages), extracted from the layouts with `pybabel extract` (see `make
messages`); English is the source language and needs no catalogue. Catalogues are compiled in
memory when a document is rendered, so a translator edits one `.po` file and nothing else. Dates, numbers and money are formatted by Babel
with the locale's own conventions (`1 janvier 2026`, `82 460 €`, `$82,460`, `82.460 €`).
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from pipeline.schema.values import base_language
from pipeline.source.languages import SOURCE_LANGUAGE, catalogue_path

if TYPE_CHECKING:  # Babel is loaded when a document is rendered, not when content is only checked
    from babel import Locale
    from babel.support import NullTranslations, Translations


@lru_cache(maxsize=32)
def _compiled(path: Path, stamp: tuple[int, int]) -> Translations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def translations(layouts: Path, language: str, register: str = "formal") -> NullTranslations:
    """The language's messages in `register`, compiled once per process and again when the file changes."""
    from babel.support import NullTranslations

    path = catalogue_path(layouts, language, register)
    if base_language(language) == SOURCE_LANGUAGE or not path.is_file():
        return NullTranslations()
    stat = path.stat()
    return _compiled(path, (stat.st_mtime_ns, stat.st_size))


def babel_locale(language: str) -> Locale:
    """`en` → Babel's `en`, `de-CH` → `de_CH`; a tag Babel does not know falls back to its language."""
    from babel import Locale

    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, LookupError):
        return Locale.parse(base_language(language))


def money(amount: int, currency: str, locale: Locale) -> str:
    """A whole amount in the locale's currency format, without cents: `$82,460`, `82 460 €`."""
    from babel.numbers import parse_pattern

    pattern = parse_pattern(locale.currency_formats["standard"].pattern)
    pattern.frac_prec = (0, 0)
    return pattern.apply(amount, locale, currency=currency, currency_digits=False)


def number(value: int, locale: Locale) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


def long_date(day: dt.date, locale: Locale) -> str:
    """`12 May 2025`-style dates as the locale writes them: `May 12, 2025`, `12 mai 2025`, `12. Mai 2025`.
    French writes the first of a month as an ordinal, `1er mars 2026` (Lexique des règles typographiques
    en usage à l'Imprimerie nationale, "Dates"), which CLDR's pattern `d MMMM y` does not."""
    from babel.dates import format_date

    written = format_date(day, format="long", locale=locale)
    if locale.language == "fr" and day.day == 1 and written.startswith("1 "):
        return "1er" + written[1:]
    return written


SPACED_BEFORE = {":": "\u00a0", ";": "\u202f"}
"""French sets a no-break space before a colon and a narrow no-break space before a semicolon
(Lexique des règles typographiques en usage à l'Imprimerie nationale, "Ponctuation"); the layouts
put no ? or ! after a word of their own."""


def mark(punctuation: str, locale: Locale) -> str:
    """A colon or semicolon the layouts put after a word, as the locale sets it: `:` in English,
    German and Spanish, `\u00a0:` in French."""
    return SPACED_BEFORE.get(punctuation, "") + punctuation if locale.language == "fr" else punctuation


def country(code: str, locale: Locale) -> str:
    """"Canada" for CA, in the document's language."""
    return locale.territories.get(code, code)


def area(code: str, locale: Locale) -> str:
    """"Canada" for CA, "CO, United States" for US-CO: CLDR names countries, not states, so a
    subdivision keeps its code beside its country's name."""
    nation, _, region = code.partition("-")
    return f"{region}, {country(nation, locale)}" if region else country(nation, locale)
