"""Which language a posting is written in: `--language`, else its text's, else what the file declares.

The text is read by langdetect (a port of Google's language-detection, pure Python, its profiles
of 55 languages shipped in the package: nothing is downloaded at run time), seeded so that the
same text always gives the same answer. The text comes first because a file's declared language
is often a template's default (a French posting in a Word file whose styles say en-US); the
declaration is used when the text is too short to tell.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.importing.blocks import Document, Item, ListBlock
from pipeline.importing.text import plain

SURE = 0.90
MIN_LETTERS = 40
SAMPLE_CHARS = 20_000
FALLBACK = "en"
LANGUAGE_CODE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
"""As the role model writes it: `fr`, or `fr-CA`."""


@lru_cache(maxsize=1)
def _factory():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def _texts(items: tuple[Item, ...]) -> list[str]:
    return [t for item in items for t in [item.text, *_texts(item.children)]]


def document_text(document: Document) -> str:
    parts = [t for b in document.blocks for t in (_texts(b.items) if isinstance(b, ListBlock) else [b.text])]
    return plain("\n".join(parts))[:SAMPLE_CHARS]


def detect(text: str) -> tuple[str, float] | None:
    """The most likely two-letter language of `text` and its probability, or None for too little text."""
    from langdetect.lang_detect_exception import LangDetectException

    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return None
    detector = _factory().create()
    detector.append(re.sub(r"https?://\S+|\S+@\S+", " ", text))
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    return best.lang.split("-")[0], best.prob


def _declared(value: str | None) -> str | None:
    code = (value or "").strip().replace("_", "-").split("-")[0].lower()
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def choose_language(document: Document, given: str | None) -> tuple[str, str | None]:
    """The language to write, and a note for the report when it is not certain."""
    if given is not None:
        return given, None
    declared = _declared(document.language)
    detected = detect(document_text(document))
    if detected is not None and detected[1] >= SURE:
        if declared is not None and declared != detected[0]:
            return detected[0], (f"the file declares the language “{document.language}”, but its text reads as "
                                 f"{detected[0]}; {detected[0]} was written")
        return detected[0], None
    if declared is not None:
        return declared, f"the language {declared} is the one the file declares; the text was too short to tell"
    if detected is not None:
        return detected[0], f"the language {detected[0]} is a guess ({detected[1]:.0%} sure); check it"
    return FALLBACK, f"the text is too short to tell its language; {FALLBACK} was written (use --language)"
