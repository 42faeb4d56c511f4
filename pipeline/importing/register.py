"""How a posting addresses its reader (German du or Sie, French tu or vous, Spanish tú or usted),
so the report can say when its text and the company's chosen register would disagree on one page.

Counted from the pronouns and possessives each register alone uses; a text with few of either says
nothing. The words are the grammar of each language, not a list from elsewhere.
"""

from __future__ import annotations

import re

_FORMS = {
    "de": (r"\b(?:du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b",
           r"\b(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b"),
    "fr": (r"\b(?:tu|te|toi|ton|ta|tes|t’|t')(?=\W)", r"\b(?:vous|votre|vos)\b"),
    "es": (r"\b(?:tú|tu|tus|te|ti|contigo)\b", r"\b(?:usted|ustedes|su|sus|le)\b"),
}
ENOUGH = 3
"""Fewer uses of the leading register than this, or a lead of less than three to one, say nothing."""


def address(text: str, language: str) -> str | None:
    """"informal" or "formal" when `text` plainly uses one; None when it does not say, or the language has no such choice."""
    forms = _FORMS.get(language.split("-")[0])
    if forms is None:
        return None
    informal = len(re.findall(forms[0], text, flags=re.IGNORECASE if language.startswith("fr") else 0))
    formal = len(re.findall(forms[1], text, flags=re.IGNORECASE if not language.startswith("de") else 0))
    if informal >= ENOUGH and informal >= 3 * formal:
        return "informal"
    if formal >= ENOUGH and formal >= 3 * informal:
        return "formal"
    return None
