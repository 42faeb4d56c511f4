"""Hyphenation breaks ordinary words by the role's language, and never names, addresses or headings.

A reader copying `talent@tide-` / `water.example` from a PDF, or seeing a person's name split, loses
trust in the document; so the lines the shipped build breaks with a hyphen are read back and the
word they split is checked against what must stay whole.
"""

from __future__ import annotations

import re

import pytest

from pdf_support import DOCS, company_field, lines, pages_text, pdf_path

WORD = re.compile(r"(\S+)-$")


def hyphenated_breaks(path) -> list[tuple[str, str, str]]:
    """Every line a hyphen breaks: (the word joined again, the line, the next line)."""
    found = []
    for page in pages_text(path, raw=True):
        rows = lines(page)
        for here, after in zip(rows, rows[1:]):
            if (match := WORD.search(here)) and after:
                found.append((match.group(1) + after.split()[0], here, after))
    return found


@pytest.mark.parametrize("brand, role, kind", [d for d in DOCS if d[2] == "job-description"])
def test_names_addresses_and_the_company_are_never_hyphenated(shipped, brand: str, role: str, kind: str) -> None:
    contact = company_field(role, "contact")
    company = company_field(role, "name")
    whole = [*contact.name.split(), str(contact.email), "http", "www."]
    broken = []
    for word, here, after in hyphenated_breaks(pdf_path(shipped.out, brand, role, kind)):
        if any(part in word for part in whole):
            broken.append(word)
        joined = here[:-1] + after
        if company in joined and company not in here and company not in after:
            broken.append(company)
    assert broken == []


def test_the_shipped_job_descriptions_do_hyphenate_ordinary_words(shipped) -> None:
    """The check above can fail: hyphenation is on, and breaks some words in the shipped set."""
    assert any(hyphenated_breaks(pdf_path(shipped.out, b, r, k)) for b, r, k in DOCS if k == "job-description")
