"""The law tables `rolepack lint` reads: pay-transparency rules and protected interview questions.

These tests hold the two YAML files to the data contract the lint code relies on, so a typo in a
key, a date written as text or a missing jurisdiction fails here rather than as a silent gap in
a recruiter's lint report. The phrase tests check the protected-question patterns the way the
contract says they are used (lower-case phrases on word boundaries): each must catch the
question it is meant for and leave lawful questions alone.
"""

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "pipeline" / "lint" / "data"

JURISDICTION_REQUIRED = {"id", "name", "areas", "law", "url", "effective", "min_employees", "requires"}
JURISDICTION_OPTIONAL = {"cities", "remote_covered", "notes", "enforced", "binding"}
REQUIRES_FLAGS = {
    "gender_neutral_title",
    "minimum_pay_statement",
    "range",
    "closed_range",
    "benefits",
    "other_compensation",
    "application_deadline",
    "ai_disclosure",
    "existing_vacancy",
    "no_pay_history",
    "pay_before_interview",
}
WIDTH_KEYS = {"amount", "currency", "unless_max_at_least"}
TOPIC_KEYS = {"id", "name", "patterns", "why", "laws"}

AREA_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

EU_MEMBER_STATES = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}

BRIEFED_JURISDICTIONS = {
    "us-co": "US-CO",
    "us-ca": "US-CA",
    "us-wa": "US-WA",
    "us-ny": "US-NY",
    "us-ny-nyc": "US-NY",
    "us-il": "US-IL",
    "us-md": "US-MD",
    "us-mn": "US-MN",
    "us-nj": "US-NJ",
    "us-vt": "US-VT",
    "us-ma": "US-MA",
    "us-hi": "US-HI",
    "us-dc": "US-DC",
    "ca-bc": "CA-BC",
    "ca-on": "CA-ON",
    "eu-pay-transparency-directive": "DE",
}

REQUIRED_TOPICS = {
    "pay-history",
    "age",
    "family",
    "nationality",
    "religion",
    "health-disability",
    "sexual-orientation-gender-identity",
    "race-ethnicity",
    "criminal-record",
}


def _load(name: str) -> dict[str, Any]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def pay_table() -> dict[str, Any]:
    return _load("pay_transparency.yaml")


@pytest.fixture(scope="module")
def jurisdictions(pay_table: dict[str, Any]) -> list[dict[str, Any]]:
    return pay_table["jurisdictions"]


@pytest.fixture(scope="module")
def by_id(jurisdictions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in jurisdictions}


@pytest.fixture(scope="module")
def question_table() -> dict[str, Any]:
    return _load("protected_questions.yaml")


@pytest.fixture(scope="module")
def topics(question_table: dict[str, Any]) -> list[dict[str, Any]]:
    return question_table["topics"]


def _is_plain_date(value: object) -> bool:
    """YAML turns an unquoted ISO date into `date`; a quoted or malformed one stays a string."""
    return type(value) is date


def _topics_matching(text: str, topics: list[dict[str, Any]]) -> set[str]:
    """The contract's matching rule: a lower-case phrase bounded by non-word characters."""
    folded = text.lower().replace("\u2019", "'")
    found = set()
    for topic in topics:
        for pattern in topic["patterns"]:
            if re.search(rf"(?<!\w){re.escape(pattern)}(?!\w)", folded):
                found.add(topic["id"])
    return found


# --- pay_transparency.yaml --------------------------------------------------------------


def test_pay_table_says_what_it_is_and_when_it_was_checked(pay_table: dict[str, Any]) -> None:
    assert isinstance(pay_table["source"], str) and pay_table["source"].strip()
    assert _is_plain_date(pay_table["checked"])
    assert isinstance(pay_table["jurisdictions"], list) and pay_table["jurisdictions"]


def test_every_jurisdiction_has_the_required_keys_and_no_unknown_ones(
    jurisdictions: list[dict[str, Any]],
) -> None:
    for entry in jurisdictions:
        keys = set(entry)
        assert JURISDICTION_REQUIRED <= keys, (entry.get("id"), JURISDICTION_REQUIRED - keys)
        assert keys <= JURISDICTION_REQUIRED | JURISDICTION_OPTIONAL, (entry["id"], keys)


def test_jurisdiction_ids_are_unique_and_kebab_case(jurisdictions: list[dict[str, Any]]) -> None:
    ids = [entry["id"] for entry in jurisdictions]
    assert len(ids) == len(set(ids))
    assert all(KEBAB.match(identifier) for identifier in ids), ids


def test_names_and_laws_are_non_empty_text(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        assert isinstance(entry["name"], str) and entry["name"].strip(), entry["id"]
        assert isinstance(entry["law"], str) and entry["law"].strip(), entry["id"]
        assert isinstance(entry.get("notes", ""), str), entry["id"]


def test_areas_are_iso_country_or_subdivision_codes(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        areas = entry["areas"]
        assert isinstance(areas, list) and areas, entry["id"]
        assert all(isinstance(code, str) and AREA_CODE.match(code) for code in areas), entry["id"]
        assert len(areas) == len(set(areas)), entry["id"]


def test_cities_when_given_are_a_list_of_names(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        cities = entry.get("cities", [])
        assert isinstance(cities, list), entry["id"]
        assert all(isinstance(city, str) and city.strip() for city in cities), entry["id"]


def test_effective_dates_are_iso_dates(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        assert _is_plain_date(entry["effective"]), (entry["id"], entry["effective"])


def test_entries_in_force_after_the_check_date_say_they_are_future_dated(
    pay_table: dict[str, Any], jurisdictions: list[dict[str, Any]]
) -> None:
    for entry in jurisdictions:
        if entry["effective"] > pay_table["checked"]:
            assert "future-dated" in entry.get("notes", "").lower(), entry["id"]


def test_min_employees_is_a_non_negative_whole_number(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        count = entry["min_employees"]
        assert type(count) is int and count >= 0, (entry["id"], count)


def test_remote_covered_is_a_boolean_when_given(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        if "remote_covered" in entry:
            assert isinstance(entry["remote_covered"], bool), entry["id"]


def test_requires_uses_only_contract_keys(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        requires = entry["requires"]
        assert isinstance(requires, dict) and requires, entry["id"]
        assert set(requires) <= REQUIRES_FLAGS | {"max_width"}, (entry["id"], set(requires))
        for key, value in requires.items():
            if key != "max_width":
                assert value is True, (entry["id"], key, value)


def test_a_width_cap_names_its_amount_currency_and_exemption(
    jurisdictions: list[dict[str, Any]],
) -> None:
    for entry in jurisdictions:
        width = entry["requires"].get("max_width")
        if width is None:
            continue
        assert set(width) == WIDTH_KEYS, entry["id"]
        assert type(width["amount"]) is int and width["amount"] > 0
        assert type(width["unless_max_at_least"]) is int and width["unless_max_at_least"] > 0
        assert re.fullmatch(r"[A-Z]{3}", width["currency"])


def test_range_shape_rules_only_appear_where_a_range_is_required(
    jurisdictions: list[dict[str, Any]],
) -> None:
    for entry in jurisdictions:
        requires = entry["requires"]
        if "closed_range" in requires or "max_width" in requires:
            assert requires.get("range") is True, entry["id"]


def test_every_url_is_https(jurisdictions: list[dict[str, Any]]) -> None:
    for entry in jurisdictions:
        url = entry["url"]
        assert isinstance(url, str) and url.startswith("https://") and " " not in url, entry["id"]


@pytest.mark.parametrize(("jurisdiction_id", "area"), sorted(BRIEFED_JURISDICTIONS.items()))
def test_each_briefed_jurisdiction_is_present_in_its_area(
    by_id: dict[str, dict[str, Any]], jurisdiction_id: str, area: str
) -> None:
    assert jurisdiction_id in by_id
    assert area in by_id[jurisdiction_id]["areas"]


def test_new_york_city_rule_is_limited_to_the_five_boroughs(
    by_id: dict[str, dict[str, Any]],
) -> None:
    cities = {city.lower() for city in by_id["us-ny-nyc"]["cities"]}
    assert {"new york city", "brooklyn", "queens", "manhattan", "staten island"} <= cities
    assert not by_id["us-ny"].get("cities")


def test_each_eu_member_state_is_covered_once_by_the_directive_or_its_own_law(
    by_id: dict[str, dict[str, Any]], jurisdictions: list[dict[str, Any]],
) -> None:
    """A member state that transposed Directive 2023/970 has its own entry with the Article 5
    duties; the directive's entry covers the rest, as a law that does not bind employers yet."""
    directive = by_id["eu-pay-transparency-directive"]
    assert directive["effective"] == date(2026, 6, 7)
    assert directive["binding"] is False
    assert directive["requires"]["pay_before_interview"] is True
    assert "transpos" in directive["notes"].lower()
    national = [entry for entry in jurisdictions if entry is not directive and len(entry["areas"]) == 1
                and entry["areas"][0] in EU_MEMBER_STATES and not entry.get("cities")
                and {"pay_before_interview", "range"} & set(entry["requires"])]
    covered = [area for entry in [directive, *national] for area in entry["areas"]]
    assert sorted(covered) == sorted(EU_MEMBER_STATES), sorted(covered)


def test_ontario_caps_ranges_at_50000_dollars_and_asks_about_ai_and_vacancies(
    by_id: dict[str, dict[str, Any]],
) -> None:
    ontario = by_id["ca-on"]
    assert ontario["requires"]["max_width"]["amount"] == 50000
    assert ontario["requires"]["max_width"]["currency"] == "CAD"
    assert ontario["requires"]["max_width"]["unless_max_at_least"] > 200000
    assert ontario["requires"]["ai_disclosure"] is True
    assert ontario["requires"]["existing_vacancy"] is True
    assert ontario["min_employees"] == 25
    assert ontario["effective"] == date(2026, 1, 1)


def test_colorado_alone_asks_for_the_application_deadline(
    jurisdictions: list[dict[str, Any]],
) -> None:
    asking = [entry["id"] for entry in jurisdictions if "application_deadline" in entry["requires"]]
    assert asking == ["us-co"]


@pytest.mark.parametrize(
    ("jurisdiction_id", "threshold"),
    [
        ("us-ca", 15), ("us-wa", 15), ("us-ny", 4), ("us-il", 15), ("us-md", 1), ("us-mn", 30),
        ("us-nj", 10), ("us-vt", 5), ("us-ma", 25), ("us-hi", 50), ("us-dc", 1), ("ca-bc", 1),
    ],
)
def test_employer_size_thresholds_match_the_statutes(
    by_id: dict[str, dict[str, Any]], jurisdiction_id: str, threshold: int
) -> None:
    assert by_id[jurisdiction_id]["min_employees"] == threshold


# --- protected_questions.yaml ------------------------------------------------------------


def test_question_table_says_what_it_is_and_when_it_was_checked(
    question_table: dict[str, Any],
) -> None:
    assert isinstance(question_table["source"], str) and question_table["source"].strip()
    assert _is_plain_date(question_table["checked"])
    assert isinstance(question_table["topics"], list) and question_table["topics"]


def test_every_topic_has_exactly_the_contract_keys(topics: list[dict[str, Any]]) -> None:
    for topic in topics:
        assert set(topic) == TOPIC_KEYS, (topic.get("id"), set(topic))
        assert isinstance(topic["name"], str) and topic["name"].strip()
        assert isinstance(topic["why"], str) and topic["why"].strip()


def test_topic_ids_are_unique_and_cover_the_required_topics(topics: list[dict[str, Any]]) -> None:
    ids = [topic["id"] for topic in topics]
    assert len(ids) == len(set(ids))
    assert all(KEBAB.match(identifier) for identifier in ids)
    assert REQUIRED_TOPICS <= set(ids)


def test_every_topic_cites_at_least_one_law(topics: list[dict[str, Any]]) -> None:
    for topic in topics:
        laws = topic["laws"]
        assert isinstance(laws, list) and laws, topic["id"]
        assert all(isinstance(law, str) and law.strip() for law in laws), topic["id"]


def test_patterns_are_lower_case_phrases_not_bare_words(topics: list[dict[str, Any]]) -> None:
    for topic in topics:
        patterns = topic["patterns"]
        assert isinstance(patterns, list) and patterns, topic["id"]
        for pattern in patterns:
            assert isinstance(pattern, str), (topic["id"], pattern)
            assert pattern == pattern.lower() == pattern.strip(), (topic["id"], pattern)
            assert len(pattern.split()) >= 2, (topic["id"], pattern)


def test_no_pattern_is_listed_twice_across_topics(topics: list[dict[str, Any]]) -> None:
    every = [pattern for topic in topics for pattern in topic["patterns"]]
    repeated = {pattern for pattern in every if every.count(pattern) > 1}
    assert not repeated


@pytest.mark.parametrize(
    ("question", "topic_id"),
    [
        ("What is your current salary?", "pay-history"),
        ("How much do you earn at the moment?", "pay-history"),
        ("Was verdienen Sie aktuell?", "pay-history"),
        ("How old are you?", "age"),
        ("Quel âge avez-vous ?", "age"),
        ("Wie alt sind Sie?", "age"),
        ("Do you have children?", "family"),
        ("Are you planning to have a family soon?", "family"),
        ("Haben Sie Kinder?", "family"),
        ("¿Está casada?", "family"),
        ("Where are you from originally?", "nationality"),
        ("What is your nationality?", "nationality"),
        ("D’où venez-vous ?", "nationality"),
        ("What religion are you?", "religion"),
        ("Do you have any medical conditions we should know about?", "health-disability"),
        ("Sind Sie schwerbehindert?", "health-disability"),
        ("Are you gay?", "sexual-orientation-gender-identity"),
        ("What is your ethnicity?", "race-ethnicity"),
        ("Have you ever been convicted of a crime?", "criminal-record"),
    ],
)
def test_a_protected_question_is_caught_by_its_topic(
    topics: list[dict[str, Any]], question: str, topic_id: str
) -> None:
    assert topic_id in _topics_matching(question, topics)


@pytest.mark.parametrize(
    "question",
    [
        "Are you legally authorized to work in the United States?",
        "Are you authorised to work in the UK without sponsorship?",
        "Are you 18 or over?",
        "What are your salary expectations for this role?",
        "What is your salary expectation?",
        "Our current salary bands are published on the careers site.",
        "We never ask about salary history.",
        "Can you perform the essential functions of this job, with or without reasonable accommodation?",
        "Do you need any adjustments for the interview?",
        "Tell me about your experience working in a family business.",
        "Does anyone in your family work here?",
        "Can you work weekends and public holidays when the rota needs it?",
        "Which languages do you speak fluently?",
        "Are you expecting any other offers?",
        "Wie sind Ihre Gehaltsvorstellungen?",
        "Quelles sont vos prétentions salariales ?",
        "¿Cuáles son sus expectativas salariales?",
        "Sind Sie bereit, am Wochenende zu arbeiten?",
    ],
)
def test_a_lawful_question_triggers_no_topic(topics: list[dict[str, Any]], question: str) -> None:
    assert _topics_matching(question, topics) == set()
