"""What a worker process makes once and every PDF it renders shares: WeasyPrint loaded with the
bundled fonts only, the font configuration, and per set of stylesheets the compiled CSS (with the
brand's fixed values written in for var(), tuning/brand_values).
"""

from __future__ import annotations

import gc
import logging
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import util as multiprocessing_util
from pathlib import Path

from pipeline.render.pdf.fontconfig import use_bundled_fonts_only
from pipeline.render.tuning.native_libraries import found_from_the_loader_cache

use_bundled_fonts_only()
with found_from_the_loader_cache():
    import weasyprint  # noqa: E402, F401  (loads Pango, HarfBuzz and fontconfig)

from weasyprint import CSS  # noqa: E402
from weasyprint.logger import LOGGER as WEASYPRINT_LOGGER  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from pipeline.render.pdf.fetcher import RestrictedFetcher  # noqa: E402
from pipeline.render.tuning import BRAND_VALUES, active  # noqa: E402
from pipeline.render.tuning.brand_values import written_in  # noqa: E402


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """WeasyPrint reports skipped CSS and font fallbacks only as log lines; collect them."""
    handler = _Collect()
    WEASYPRINT_LOGGER.addHandler(handler)
    try:
        yield handler.messages
    finally:
        WEASYPRINT_LOGGER.removeHandler(handler)


def _forget_fonts() -> None:
    """Drop the process's font configuration so WeasyPrint deletes its temporary copies of the
    @font-face files. Registered with multiprocessing's exit hooks, which run in pool workers
    too (they leave through os._exit, which skips atexit)."""
    compiled.cache_clear()
    fonts.cache_clear()
    gc.unfreeze()
    gc.collect()  # the last documents' boxes and styles still point at it, in reference cycles


@lru_cache(maxsize=1)
def fonts() -> FontConfiguration:
    """The process's one font configuration: fontconfig and Pango load the bundled fonts and the
    @font-face copies once, not for every document."""
    multiprocessing_util.Finalize(None, _forget_fonts, exitpriority=0)
    return FontConfiguration()


@lru_cache(maxsize=1)
def freeze_what_lives_on() -> None:
    """Once, after the first document: what the process keeps from then on (modules, WeasyPrint's
    and our compiled CSS, the fonts) is moved out of the cyclic garbage collector's sight. A
    layout makes ~10^6 short-lived objects, and each full collection walked all of that too:
    collections were 8–12 % of a hiring guide's time; this takes ~4 % off it and costs no memory.
    Garbage is collected first, so only live objects are frozen."""
    gc.collect()
    gc.freeze()


DECLARES_CUSTOM_PROPERTY = re.compile(r"--[\w-]*\s*:")
_AT_POSITION = re.compile(r" at \d+:\d+")
"""Where WeasyPrint places a warning: lines move when values are written in for var()."""


@dataclass(frozen=True)
class Compiled:
    sheets: tuple[CSS, ...]
    warnings: tuple[str, ...]
    """What WeasyPrint logged while compiling: it logs a skipped rule or font only then, so the
    lines are kept with the sheets and reported again for every document that uses them."""
    written_in: tuple[CSS, ...] | None = None
    """The same sheets with their fixed brand values written in for var() (tuning/brand_values),
    when there were some and WeasyPrint found nothing more to drop in them."""

    def for_document(self, html: str) -> list[CSS]:
        """The sheets for a document: with the values written in, unless that shortcut is off or
        the document's own markup declares a custom property, which could give a var() another
        value inside it."""
        if self.written_in is None or not active(BRAND_VALUES) or DECLARES_CUSTOM_PROPERTY.search(html):
            return list(self.sheets)
        return list(self.written_in)


def _compile(sources: tuple[str, ...], bases: tuple[str, ...],
             allowed: tuple[Path, ...]) -> tuple[tuple[CSS, ...], list[str]]:
    fetcher = RestrictedFetcher(allowed)
    with weasyprint_warnings() as warnings:
        sheets = tuple(CSS(string=s, base_url=base, url_fetcher=fetcher, font_config=fonts())
                       for s, base in zip(sources, bases, strict=True))
    return sheets, warnings


@lru_cache(maxsize=16)
def compiled(sources: tuple[str, ...], bases: tuple[str, ...], allowed: tuple[Path, ...]) -> Compiled:
    """The stylesheets parsed, their @font-face fonts loaded into the process's font configuration
    (~30 ms a document when both were made per document). Keyed by the CSS text and the folders
    it may read, so a changed stylesheet or another layouts folder compiles afresh; a sheet that
    reads a forbidden file raises, and nothing is kept. Warnings name places in the sheets as
    written. `bases` are where each sheet's relative URLs resolve (stylesheet.stylesheet_bases)."""
    sheets, warnings = _compile(sources, bases, allowed)
    substituted = written_in(sources) if active(BRAND_VALUES) else None
    if substituted is not None:
        faster, more = _compile(tuple(substituted), bases, allowed)
        if Counter(_AT_POSITION.sub("", w) for w in more) == Counter(_AT_POSITION.sub("", w) for w in warnings):
            return Compiled(sheets, tuple(warnings), faster)
    return Compiled(sheets, tuple(warnings))
