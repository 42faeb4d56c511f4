"""The date a posting says it was posted ("Posted on 14 March 2022", "Publié le 1er septembre 2023"):
what its pay figures are as of when it has no front matter date.

Only a date the text ties to posting or publishing counts; a start date or a deadline says nothing
about when the pay was set. Month names are Babel's (CLDR) in the four languages the layouts print.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from pipeline.importing.text import fold

LANGUAGES = ("en", "fr", "de", "es")
_POSTED = (r"(?:posted|published|reposted|updated|last updated|publie|publiee|mis a jour|mise a jour|veroffentlicht|"
           r"aktualisiert|publicado|publicada|actualizado|actualizada|fecha de publicacion|date de publication)")


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    from babel import Locale

    names: dict[str, int] = {}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in Locale(language).months["format"][width].items():
                names[fold(name)] = number
    return names


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    month = "|".join(sorted(map(re.escape, _months()), key=len, reverse=True))
    day = r"(?P<d>\d{1,2})(?:er|st|nd|rd|th)?"
    return re.compile(
        rf"\b{_POSTED}\b(?:\s+\w+){{0,3}}?\s+(?:"
        rf"(?P<iso>\d{{4}} \d{{2}} \d{{2}})"
        rf"|{day}\s+(?:de\s+)?(?P<m>{month})\s+(?:de\s+)?(?P<y>\d{{4}})"
        rf"|(?P<m2>{month})\s+(?P<d2>\d{{1,2}})\s+(?P<y2>\d{{4}}))\b")


def posted_date(text: str) -> dt.date | None:
    """The first date `text` says the posting was posted, published or updated on, or None."""
    found = _pattern().search(fold(text))
    if found is None:
        return None
    try:
        if found["iso"]:
            return dt.date(*map(int, found["iso"].split()))
        if found["m"]:
            return dt.date(int(found["y"]), _months()[found["m"]], int(found["d"]))
        return dt.date(int(found["y2"]), _months()[found["m2"]], int(found["d2"]))
    except ValueError:  # "31 February": not a date
        return None
