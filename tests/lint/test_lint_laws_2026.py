"""The laws the shipped table gained in December 2026, each firing at its field and passing when met.

Gender-neutral job titles (Germany's AGG, Austria's GlBG, Poland's Labour Code, the EU directive's
Article 5(3)), judged in the role's own language; Austria's statement of the collective-agreement
minimum; the EU directive where a member state has not transposed it (not binding yet: a warning);
a law in force but not yet enforced (Columbus: a warning naming the date enforcement starts).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import rolepack
from test_lint import BAD, content, where, write  # noqa: F401
from test_lint_pay import about

from pipeline.check.catalogue import load_catalogue
from pipeline.lint.engine import lint
from pipeline.lint.rule import Finding
from pipeline.lint.rules import pay_transparency

RULE = pay_transparency.RULE
DAY = dt.date(2026, 12, 7)
"""The day the table was checked: the directive's deadline (2026-06-07) has passed, Columbus's
enforcement (2027-01-01) has not."""


def lint_with(content: Path, rule=RULE) -> list[Finding]:
    return lint(load_catalogue(content, today=DAY), today=DAY, slugs=["bad"], rules={rule.id: rule}).findings


def located(content: Path, line_text: str) -> tuple[int, int]:
    """The line and column of `line_text`'s value in the role written last."""
    lines = (content / "roles" / "bad.yaml").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(line_text))
    return number, lines[number - 1].index(line_text) + len(line_text) + 2


@pytest.mark.parametrize(("language", "place", "law", "title", "neutral"), [
    ("de", "{name: Berlin, country: DE}", "de", "Softwareentwickler", "Softwareentwickler (m/w/d)"),
    ("de", "{name: Wien, country: AT}", "at", "Backend-Entwickler", "Backend-Entwickler*in"),
    ("fr", "{name: Paris, country: FR}", "eu-pay-transparency-directive", "Ingénieur logiciel",
     "Ingénieur logiciel H/F"),
    ("es", "{name: Roma, country: IT}", "it", "Desarrollador Java", "Desarrollador/a Java"),
    ("en", "{name: Warsaw, country: PL}", "pl", "Salesman", "Sales Engineer"),
])
def test_a_title_for_one_gender_is_found_in_the_roles_language(content: Path, language: str, place: str, law: str,
                                                             title: str, neutral: str) -> None:
    role = f"extends: base\nlanguage: {language}\ntitle: {title}\nlocations: [{{mode: on-site, places: [{place}]}}]\n"
    write(content, role)
    found = [f for f in about(lint_with(content, RULE), law) if "every gender" in f.message]
    assert [(f.file, f.line, f.column) for f in found] == [(BAD, 3, 8)], [str(f) for f in found]
    assert found[0].suggestion
    write(content, role.replace(f"title: {title}", f"title: {neutral}"))
    assert not [f for f in about(lint_with(content, RULE), law) if "every gender" in f.message]


def test_an_english_title_in_an_english_posting_needs_no_marker(content: Path) -> None:
    write(content, "extends: base\ntitle: Backend Engineer\nlocations: [{mode: on-site, places: [{name: Berlin, country: DE}]}]\n")
    assert not [f for f in about(lint_with(content, RULE), "de") if "every gender" in f.message]


def test_austria_asks_for_the_collective_agreement_minimum_and_whether_more_is_paid(content: Path) -> None:
    role = """\
        extends: base
        title: Backend-Entwickler (m/w/d)
        language: de
        locations: [{mode: on-site, places: [{name: Wien, country: AT}]}]
        compensation:
          currency: EUR
          period: month
          source: {name: IT-Kollektivvertrag 2026, as_of: 2026-01-01}
          levels: [{level: Senior, min: 4200, max: 5200}]
        """
    write(content, role)
    found = [f for f in about(lint_with(content, RULE), "at") if "minimum pay" in f.message]
    assert where(found) == [(BAD, 5, 1, "error")], [str(f) for f in found]
    assert "whether the employer will pay more" in found[0].message
    write(content, role + "  minimum: {amount: 3900, currency: EUR, basis: 'IT-Kollektivvertrag, ST2', pays_more: true}\n")
    assert not [f for f in about(lint_with(content, RULE), "at") if "minimum pay" in f.message]


def test_the_eu_directive_is_a_warning_where_it_is_not_transposed(content: Path) -> None:
    write(content, "extends: base\nlocations: [{mode: hybrid, places: [{name: Lisbon, country: PT}]}]\n")
    found = about(lint_with(content, RULE), "eu-pay-transparency-directive")
    assert where(found) == [(BAD, 2, 37, "warning")], [str(f) for f in found]
    assert "not binding on employers until the member state transposes it" in found[0].message


def test_a_transposed_directive_binds_through_the_national_law(content: Path) -> None:
    write(content, "extends: base\nlocations: [{mode: hybrid, places: [{name: Milano, country: IT}]}]\n")
    found = about(lint_with(content, RULE), "it")
    assert found and "error" in {f.severity for f in found}, [str(f) for f in found]
    assert not about(lint_with(content, RULE), "eu-pay-transparency-directive")


def test_a_law_in_force_but_not_yet_enforced_warns_with_the_date_enforcement_starts(content: Path) -> None:
    write(content, "extends: base\nlocations: [{mode: on-site, places: [{name: Columbus, country: US, region: OH}]}]\n")
    found = about(lint_with(content, RULE), "us-oh-columbus")
    assert where(found) == [(BAD, 2, 38, "warning")], [str(f) for f in found]
    assert "enforced from 2027-01-01" in found[0].message
    write(content, "extends: base\nlocations: [{mode: on-site, places: [{name: Columbus, country: US, region: OH}]}]\n"
                   "compensation: {currency: USD, source: {name: Survey, as_of: 2026-03-01}, "
                   "levels: [{level: Mid, min: 90000, max: 110000}]}\n")
    assert about(lint_with(content, RULE), "us-oh-columbus") == []


def test_the_minimum_is_printed_in_the_roles_language(content: Path, tmp_path: Path) -> None:
    write(content, """\
        extends: base
        title: Backend-Entwickler (m/w/d)
        language: de
        locations: [{mode: on-site, places: [{name: Wien, country: AT}]}]
        compensation:
          disclosed: false
          minimum: {amount: 3900, currency: EUR, basis: 'dem IT-Kollektivvertrag (ST2)', pays_more: true}
        """)
    run = rolepack("build", "-f", "html", "--role", "bad", "--content", str(content), "--out", str(tmp_path / "out"))
    assert run.exit_code == 0, run.stderr
    page = " ".join((tmp_path / "out" / "default" / "site" / "bad.html").read_text(encoding="utf-8").split())
    assert ("Das Mindestgehalt für diese Stelle laut dem IT-Kollektivvertrag (ST2) beträgt 3.900 € brutto pro Monat. "
            "Wir sind bereit, je nach Erfahrung und Qualifikation mehr zu bezahlen.") in page, page[page.find("Mindest") - 200:]


NEW = [("pl", "Warsaw", "PL", None, "warning"), ("mt", "Valletta", "MT", None, "warning"),
       ("it", "Milano", "IT", None, "error"), ("lt", "Vilnius", "LT", None, "error"),
       ("sk", "Bratislava", "SK", None, "error"), ("gr", "Athens", "GR", None, "warning"),
       ("nl", "Amsterdam", "NL", None, "warning"), ("eu-pay-transparency-directive", "Lisbon", "PT", None, "warning"),
       ("us-oh-cleveland", "Cleveland", "US", "OH", "error"), ("us-oh-columbus", "Columbus", "US", "OH", "warning"),
       ("us-de", "Wilmington", "US", "DE", "warning")]
"""Each jurisdiction the table gained or re-checked: a place there, and the severity its duties have
on the day the table was checked (the Netherlands and Delaware not yet in force, the directive not
binding where it is not transposed, Columbus not yet enforced; pay before the interview, where that is
the duty, is always a warning, since telling applicants before the interview also complies)."""

PAID = ("compensation: {currency: EUR, source: {name: Survey, as_of: 2026-03-01}, bonus: There is no bonus., "
        "levels: [{level: Mid, min: 50000, max: 60000}]}\n")


@pytest.mark.parametrize(("law", "city", "country", "region", "severity"), NEW, ids=[n[0] for n in NEW])
def test_each_new_jurisdiction_fires_at_the_place_that_brings_it_in_and_passes_when_met(
        content: Path, law: str, city: str, country: str, region: str | None, severity: str) -> None:
    place = f"{{name: {city}, country: {country}" + (f", region: {region}" if region else "") + "}"
    role = f"extends: base\nlocations: [{{mode: on-site, places: [{place}]}}]\n"
    write(content, role)
    found = about(lint_with(content), law)
    assert found and {(f.file, f.line, f.column, f.severity) for f in found} == {(BAD, 2, 38, severity)}, [
        str(f) for f in found]
    write(content, role + PAID + "job_description:\n  perks: [A laptop]\n")
    assert about(lint_with(content), law) == []
