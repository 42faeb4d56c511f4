"""Validators the content models share for values that leave the document they are written in:
a title that becomes an email subject, an address that becomes a link.

They add to the fields' declared types without changing them, so the JSON Schemas stay as they are,
and each says what is wrong in an author's words rather than "does not have the expected form".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pydantic import AfterValidator, BeforeValidator

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""What Python, email headers or a PDF viewer would take as the end of a line."""


def _one_line(text: str) -> str:
    if any(char in LINE_BREAKS for char in text):
        raise ValueError("must be one line: it names the documents and the email that sends them; "
                         "remove the line break")
    return text


OneLine = AfterValidator(_one_line)
"""Text that heads documents and goes into email headers, where a line break would start a new header."""


def web_address(*schemes: str) -> BeforeValidator:
    """An address written with one of `schemes` (`https`, `http`), with nothing a link could not
    hold: checked before the field's pattern, which stays what the JSON Schema says."""
    prefixes = tuple(f"{scheme}://" for scheme in schemes)
    shown = " or ".join(prefixes)

    def check(value: object) -> object:
        if not isinstance(value, str):
            return value  # the field's own type says what it expected
        if not value.startswith(prefixes) or value in prefixes:
            raise ValueError(f"must be an {shown} address; got {value!r}")
        if any(unicodedata.category(char)[0] in "CZ" for char in value):
            raise ValueError(f"must be an {shown} address without spaces or control characters; got {value!r}")
        return value

    return BeforeValidator(check)


ONE_LANGUAGE, PER_LANGUAGE = "written in one language", "written per language"
ITEM, NESTED_ITEM = "an item", "an item with items under it"
UNDEFINED_ATTRIBUTE = "undefined_attribute"
"""The error type of a question or stage naming a scorecard attribute the role does not define."""
SHAPE_TAGS = frozenset({ONE_LANGUAGE, PER_LANGUAGE, ITEM, NESTED_ITEM})
"""The names of the shapes a field may be written in (a company text once or per language, a list
item alone or with items under it). Validation errors carry them in their location; check/models
drops them, so a problem is located where the author wrote it."""


def base_language(tag: str) -> str:
    """`fr-CA` → `fr`: catalogues and company texts are per language; regional formats still come from the full tag."""
    return tag.split("-")[0].lower()


def anchor(text: str) -> str:
    """An id or file-name part for `text` that is safe in HTML, CSS selectors and paths: ASCII letters,
    digits and dashes ("Lisbon" → "lisbon", "São Paulo" → "sao-paulo"); text with no Latin letters
    gets a short digest so that two names never share one."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words) if words else "x" + hashlib.sha256(text.encode()).hexdigest()[:8]


SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_LENGTH = 64
RESERVED_SLUGS = frozenset({"site", "index", "assets", "feeds", "drafts"})
"""Names a role cannot take: its folder or page would land on the careers site's own (`site/`,
`site/index.html`, `site/assets/`, `site/feeds/`) or on a drafts build's (`OUT/drafts`)."""


def slug_problem(name: str) -> str | None:
    """Why `name` cannot name a role (its folder and files), or None: the one rule for a `slug:` and
    for a role file's name, which is its slug when it has none."""
    if not re.fullmatch(SLUG_PATTERN, name):
        return ("is not a slug: use lower-case letters, digits and single dashes "
                "(backend-engineer), nothing else")
    if len(name) > SLUG_LENGTH:
        return f"is {len(name)} characters long; a slug has at most {SLUG_LENGTH}"
    if name in RESERVED_SLUGS:
        return (f"is a name rolepack keeps for its own files ({', '.join(sorted(RESERVED_SLUGS))}); "
                "choose another, e.g. " + f"{name}-role")
    return None


def _role_slug(name: str) -> str:
    if name in RESERVED_SLUGS:
        raise ValueError(slug_problem(name))
    return name


RoleSlug = AfterValidator(_role_slug)
"""A role's own slug: a slug that is not one of the reserved names."""


REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""The bidirectional embeddings, overrides and isolates: they change the order in which a reader sees
the characters around them ("Trojan Source", CVE-2021-42574)."""


def _in_its_own_order(text: str) -> str:
    if (found := REORDERING.search(text)) is not None:
        raise ValueError(f"holds U+{ord(found.group()):04X} {unicodedata.name(found.group())}, which shows the text "
                         "around it in another order than the file holds (a \"Trojan Source\" character); delete it")
    return text


InItsOwnOrder = AfterValidator(_in_its_own_order)
"""Text a reader sees in the order it is written: no bidirectional override, embedding or isolate."""
