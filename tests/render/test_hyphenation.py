"""Hyphenation breaks ordinary words by the role's language, and never names, addresses or headings.

A reader copying `talent@tide-` / `water.example` from a PDF, or seeing a person's name split, loses
trust in the document; so the lines the shipped build breaks with a hyphen are read back and the
word they split is checked against what must stay whole.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest

from docx_support import REPO
from pdf_support import DOCS, company_field, lines, pages_text, pdf_path
from pipeline.source.markdown import inline

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


ADDRESSES = ("bewerbungen@frischekiste.example", "https://frischekiste.example/karriere")


def _narrow_lines(tmp_path: Path, paragraph: str, name: str) -> list[str]:
    """The lines of `paragraph` (HTML) set in German by the layouts' stylesheet, at widths from 40 to
    120 mm, so that the address falls at a line's end at some of them."""
    from weasyprint import CSS, HTML

    widths = "".join(f"<p style=\"width: {w}mm\">{paragraph}</p>" for w in range(40, 121, 4))
    pdf = tmp_path / f"{name}.pdf"  # a name of its own: pdf_support keeps each file's text
    HTML(string=f'<html lang="de"><body>{widths}</body></html>').write_pdf(
        pdf, stylesheets=[CSS(filename=str(REPO / "layouts" / "css" / "document.css"))])
    return [line for page in pages_text(pdf, raw=True) for line in lines(page)]


def _split(rows: list[str], address: str) -> list[str]:
    return [here for here in rows if WORD.search(here) and any(here.endswith(address[:n] + "-")
                                                                for n in range(2, len(address)))]


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_typed_as_text_is_never_hyphenated(tmp_path: Path, address: str) -> None:
    text = f"Schick deine Unterlagen an {address} oder ruf uns an."
    marked = _narrow_lines(tmp_path, str(inline(text)), "marked")
    assert _split(marked, address) == []
    assert address in "".join(marked), "a line may end inside the address only where it has a break of its own"
    # the same words without the mark are hyphenated inside the address: the check above can fail
    assert _split(_narrow_lines(tmp_path, escape(text), "unmarked"), address)
