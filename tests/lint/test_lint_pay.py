"""Lint rules about pay: pay-transparency (the law tables) and stale-pay (validate's own rule).

The pay-transparency tests that hold for both tables run on the tests' small table and on the
shipped one (their Colorado and Ontario entries require the same); those that need a made-up
jurisdiction (a city, a law not yet in force) run on the small table only.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path

import pytest
from test_lint import BAD, FIXTURE_LAWS, FIXTURE_TOPICS, content, lint_with, where, write  # noqa: F401

from pipeline.problems import ContentError
from pipeline.lint.rule import Finding, Rule
from pipeline.lint.laws import PAY_TRANSPARENCY, PROTECTED_QUESTIONS, pay_laws, protected_topics
from pipeline.lint.rules import pay_transparency, rules

TABLES = {"test table": (FIXTURE_LAWS, FIXTURE_TOPICS), "shipped table": (PAY_TRANSPARENCY, PROTECTED_QUESTIONS)}


def pay_rule(laws: Path, topics: Path) -> Rule:
    return dataclasses.replace(pay_transparency.RULE, check=partial(pay_transparency.findings, laws=pay_laws(laws),
                                                                    topics=protected_topics(topics)))


@pytest.fixture(params=list(TABLES))
def both(request: pytest.FixtureRequest) -> Rule:
    return pay_rule(*TABLES[request.param])


@pytest.fixture
def test_table() -> Rule:
    return pay_rule(FIXTURE_LAWS, FIXTURE_TOPICS)


def about(found: list[Finding], jurisdiction: str) -> list[Finding]:
    return [f for f in found if f"({jurisdiction})" in f.message]


# Loading the tables

def test_the_shipped_tables_load() -> None:
    assert {"us-co", "ca-on"} <= {j.id for j in pay_laws().jurisdictions}
    assert protected_topics().topic("pay-history") is not None


def test_a_table_that_breaks_the_format_is_refused_with_each_problem_located(tmp_path: Path) -> None:
    table = tmp_path / "laws.yaml"
    table.write_text("source: x\nchecked: 2026-12-01\njurisdictions:\n"
                     "  - {id: us-co, name: Colorado, areas: [US-XX], law: Act, url: https://x.example,\n"
                     "     effective: 2021-13-01, min_employees: 1, requires: {range: yes, salary: true}}\n")
    with pytest.raises(ContentError) as err:
        pay_laws(table)
    assert [(p.line, p.column) for p in err.value.problems] == [(5, 17)]
    assert "is read as a date, but it is not one" in str(err.value)
    table.write_text(table.read_text().replace("2021-13-01", "2021-01-01"))
    with pytest.raises(ContentError) as err:
        pay_laws(table)
    problems = {(p.line, p.column, p.path) for p in err.value.problems}
    assert problems == {(4, 41, "jurisdictions[0].areas[0]"), (5, 65, "jurisdictions[0].requires.range"),
                        (5, 70, "jurisdictions[0].requires.salary")}


# Which laws apply

def test_a_remote_role_hiring_anywhere_in_a_country_gets_its_laws_at_the_hires_in_entry(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        locations:
          - mode: remote
            hires_in: [PT, US]
        compensation:
          currency: USD
          source: {name: Survey, as_of: 2026-03-01}
          levels: [{level: Mid, min: 90000, max: 110000}]
        """)
    found = about(lint_with(content, both), "us-co")
    assert where(found) == [(BAD, 4, 20, "error"), (BAD, 5, 1, "error")]
    deadline, other_pay = found
    assert deadline.message.startswith("Colorado (us-co): ")
    assert "in force since 2021-01-01: the posting must say when applications close" in deadline.message
    assert deadline.message.endswith("(applies through remote hires in US)")
    assert deadline.suggestion == "closes: YYYY-MM-DD, under posting"
    assert "must describe other pay" in other_pay.message


def test_an_office_place_selects_its_region_and_a_missing_pay_points_at_the_place(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        posting: {closes: 2026-07-31}
        locations:
          - mode: on-site
            places:
              - {name: Denver, country: US, region: CO}
        """)
    found = about(lint_with(content, both), "us-co")
    assert where(found) == [(BAD, 6, 9, "error")] * 2
    assert ["must state the pay" in f.message for f in found] == [False, True]
    assert found[0].message.endswith("(applies through Denver (US-CO))")


def test_undisclosed_pay_points_at_disclosed(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        posting: {closes: 2026-07-31}
        locations: [{mode: hybrid, places: [{name: Denver, country: US, region: CO}]}]
        compensation:
          disclosed: false
          bonus: None.
        """)
    found = about(lint_with(content, both), "us-co")
    assert where(found) == [(BAD, 5, 14, "error")]


def test_ontario_wants_its_range_in_canadian_dollars(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        locations: [{mode: on-site, places: [{name: Toronto, country: CA, region: ON}]}]
        posting: {ai_screening: We do not use AI to screen applicants., existing_vacancy: true}
        compensation:
          currency: USD
          source: {name: Survey, as_of: 2026-03-01}
          levels: [{level: Mid, min: 90000, max: 110000}]
        """)
    found = about(lint_with(content, both), "ca-on")
    assert where(found) == [(BAD, 5, 13, "warning")]
    assert "state the range in CAD" in found[0].message


def test_ontario_caps_the_width_of_a_range_unless_its_top_is_high(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        locations: [{mode: on-site, places: [{name: Toronto, country: CA, region: ON}]}]
        posting: {ai_screening: We do not use AI to screen applicants., existing_vacancy: true}
        compensation:
          currency: CAD
          source: {name: Survey, as_of: 2026-03-01}
          levels:
            - {level: Junior, min: 70000, max: 90000}
            - {level: Senior, min: 100000, max: 130000}
        """)
    found = about(lint_with(content, both), "ca-on")
    assert where(found) == [(BAD, 8, 5, "error")]
    assert "the posted range CAD 70,000–130,000 is 60,000 wide, more than the 50,000 allowed" in found[0].message
    write(content, (content / "roles" / "bad.yaml").read_text().replace("max: 130000", "max: 210000"))
    assert about(lint_with(content, both), "ca-on") == []


def test_posted_levels_narrow_the_range_a_posting_states(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        locations: [{mode: on-site, places: [{name: Toronto, country: CA, region: ON}]}]
        posting: {ai_screening: We do not use AI to screen applicants., existing_vacancy: true}
        compensation:
          currency: CAD
          source: {name: Survey, as_of: 2026-03-01}
          posted_levels: [Senior]
          levels:
            - {level: Junior, min: 70000, max: 90000}
            - {level: Senior, min: 100000, max: 130000}
        """)
    assert about(lint_with(content, both), "ca-on") == []


def test_ontario_disclosures_point_at_the_posting_when_it_is_written(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        locations: [{mode: on-site, places: [{name: Toronto, country: CA, region: ON}]}]
        posting:
          closes: 2026-07-31
        compensation:
          currency: CAD
          source: {name: Survey, as_of: 2026-03-01}
          levels: [{level: Mid, min: 90000, max: 110000}]
        """)
    found = about(lint_with(content, both), "ca-on")
    assert where(found) == [(BAD, 3, 1, "error")] * 2
    assert [f.suggestion for f in found] == ["ai_screening: We do not use AI to screen or select applicants.",
                                             "existing_vacancy: true"]


def test_a_smaller_company_than_a_law_covers_is_left_out(content: Path, both: Rule) -> None:
    write(content, "extends: base\nlocations: [{mode: on-site, places: [{name: Toronto, country: CA, region: ON}]}]\n")
    assert about(lint_with(content, both), "ca-on")
    company = content / "company.yaml"
    company.write_text(company.read_text().replace("headcount: 40", "headcount: 10"))
    assert about(lint_with(content, both), "ca-on") == []


def test_without_a_headcount_every_law_applies_and_an_info_says_so(content: Path, both: Rule) -> None:
    company = content / "company.yaml"
    company.write_text(company.read_text().replace("headcount: 40\n", ""))
    write(content, "extends: base\nlocations: [{mode: on-site, places: [{name: Toronto, country: CA, region: ON}]}]\n")
    found = lint_with(content, both)
    info = [f for f in found if f.severity == "info"]
    assert where(info) == [("content/company.yaml", 2, 1, "info")]
    assert info[0].message.startswith("company.yaml gives no headcount")
    assert about(found, "ca-on")


def test_asking_for_pay_history_in_how_to_apply_is_an_error_at_the_phrase(content: Path, both: Rule) -> None:
    write(content, """\
        extends: base
        posting: {closes: 2026-07-31}
        locations: [{mode: remote, hires_in: [US-CO]}]
        compensation:
          currency: USD
          source: {name: Survey, as_of: 2026-03-01}
          levels: [{level: Mid, min: 90000, max: 110000}]
          bonus: None.
        job_description:
          how_to_apply: >-
            Send your CV and tell us
            your current salary.
        """)
    found = about(lint_with(content, both), "us-co")
    assert where(found) == [(BAD, 12, 5, "error")]
    assert "may not ask applicants about their pay history (“your current salary”)" in found[0].message
    assert found[0].suggestion == "ask what they expect to earn"


def test_a_city_law_applies_only_in_that_city(content: Path, test_table: Rule) -> None:
    write(content, "extends: base\nlocations: [{mode: hybrid, places: [{name: Brooklyn, country: US, region: NY}]}]\n")
    assert where(about(lint_with(content, test_table), "us-ny-nyc")) == [(BAD, 2, 37, "error")]
    write(content, "extends: base\nlocations: [{mode: hybrid, places: [{name: Albany, country: US, region: NY}]}]\n")
    assert about(lint_with(content, test_table), "us-ny-nyc") == []


def test_a_law_that_does_not_reach_remote_jobs_needs_an_office_there(content: Path, test_table: Rule) -> None:
    write(content, "extends: base\nlocations: [{mode: remote, hires_in: [US]}]\n")
    assert about(lint_with(content, test_table), "us-mn") == []
    write(content, "extends: base\nlocations: [{mode: on-site, places: [{name: Saint Paul, country: US, region: MN}]}]\n")
    assert about(lint_with(content, test_table), "us-mn")


def test_a_law_not_yet_in_force_is_a_warning_with_its_date(content: Path, test_table: Rule) -> None:
    write(content, "extends: base\nlocations: [{mode: remote, hires_in: [US-DE]}]\n")
    found = about(lint_with(content, test_table), "us-de")
    assert where(found) == [(BAD, 2, 39, "warning")]
    assert "in force from 2027-09-26" in found[0].message


def test_an_eu_posting_without_pay_must_give_it_before_the_interview(content: Path, test_table: Rule) -> None:
    write(content, "extends: base\nlocations: [{mode: hybrid, places: [{name: Lisbon, country: PT}]}]\n")
    found = about(lint_with(content, test_table), "eu-directive")
    assert where(found) == [(BAD, 2, 37, "warning")]
    assert "told the pay range before the interview" in found[0].message


# stale-pay

def test_stale_pay_is_validates_rule_reported_at_the_date(content: Path) -> None:
    write(content, """\
        extends: base
        compensation:
          currency: EUR
          source:
            name: Old survey
            as_of: 2024-05-12
          levels: [{level: Mid, min: 40000, max: 50000}]
        """)
    found = lint_with(content, rules()["stale-pay"])
    assert where(found) == [(BAD, 6, 12, "warning")]
    assert found[0].message == ("compensation.source.as_of: salary data is from 2024-05-12, more than 12 months old; "
                                "refresh it")


def test_pay_published_within_a_year_is_not_stale(content: Path) -> None:
    write(content, """\
        extends: base
        compensation:
          currency: EUR
          source: {name: Survey, as_of: 2024-05-12, published: 2026-01-10}
          levels: [{level: Mid, min: 40000, max: 50000}]
        """)
    assert lint_with(content, rules()["stale-pay"]) == []


def test_a_pay_history_question_is_one_finding_naming_every_law_that_bans_it(content: Path) -> None:
    write(content, """\
        extends: base
        posting: {closes: 2026-07-31}
        locations: [{mode: remote, hires_in: [US]}]
        job_description:
          how_to_apply: Send your CV and tell us your current salary.
        """)
    found = [f for f in lint_with(content, rules()["pay-transparency"]) if "pay history" in f.message]
    assert len(found) == 1
    assert all(f"({law})" in found[0].message for law in ("us-ca", "us-co", "us-ny", "us-wa"))
