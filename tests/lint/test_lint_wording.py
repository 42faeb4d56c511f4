"""Lint rules about the words of a posting: gender-coded, exclusionary-language, structure.

Each bad example is a small role that `extends` the clean fixture role; each finding is checked at
the exact line and column of the word in the file that wrote it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_lint import BAD, LINT_FIXTURES, content, lint_with, where, write  # noqa: F401  (content is a fixture)

from pipeline.lint.rules import rules

GENDER = rules()["gender-coded"]
EXCLUSIONARY = rules()["exclusionary-language"]
STRUCTURE = rules()["structure"]


# gender-coded

PLAIN = (LINT_FIXTURES / "roles" / "plain.yaml").read_text(encoding="utf-8")
"""A role in words with no gender coding: one masculine-coded word added makes it lean masculine."""


def coded(content: Path, text: str) -> list:
    """The per-word gender-coded findings of a role `bad` written as `text` beside the plain role."""
    write(content, PLAIN, "plain")
    write(content, text)
    return [f for f in lint_with(content, GENDER) if not f.message.startswith("the posting")]


def test_a_balanced_posting_gets_no_finding_for_its_masculine_words(content: Path) -> None:
    """The study measured the balance of the whole advertisement: one "driven" among many words of
    support and sharing does not make a posting read as meant for men."""
    write(content, "extends: base\njob_description:\n  summary: You are driven by curiosity.\n")
    assert lint_with(content, GENDER) == []


def test_a_masculine_coded_word_in_a_folded_paragraph_is_found_on_its_own_line(content: Path) -> None:
    found = coded(content, """\
        extends: plain
        job_description:
          about_the_role:
            - >-
              You will answer questions from customers by email and chat,
              and you are driven by curiosity about how our tools work.
        """)
    assert where(found) == [(BAD, 6, 19, "warning")]
    assert found[0].message == "“driven” is masculine-coded (stem “driven”), in a posting that leans masculine"
    assert found[0].suggestion == "motivated"


def test_a_word_after_an_escape_in_a_quoted_string_is_placed_where_it_is_written(content: Path) -> None:
    found = coded(content, 'extends: plain\njob_description:\n  summary: "Caf\\u00e9 help for a competitive market."\n')
    assert where(found) == [(BAD, 3, 34, "warning")]


def test_spaces_the_model_strips_from_a_value_do_not_shift_the_column(content: Path) -> None:
    assert where(coded(content, "extends: plain\njob_description:\n  summary: '   A competitive team.'\n")) == [(BAD, 3, 18, "warning")]


def test_every_word_of_a_stem_counts_but_words_that_name_the_work_do_not(content: Path) -> None:
    found = coded(content, """\
        extends: plain
        job_description:
          key_responsibilities:
            - Lead the analysis of incidents, and be analytical about leadership.
        """)
    assert [f.message.split("”")[0][1:] for f in found] == ["Lead", "analytical", "leadership"]
    assert where(found) == [(BAD, 4, 7, "warning"), (BAD, 4, 46, "warning"), (BAD, 4, 63, "warning")]


def test_a_hyphenated_stem_counts_the_whole_word_and_other_hyphenated_words_part_by_part(content: Path) -> None:
    found = coded(content, """\
        extends: plain
        job_description:
          key_responsibilities:
            - Be self-confident and data-driven, with event-driven systems.
        """)
    assert [f.message.split("”")[0][1:] for f in found] == ["self-confident", "driven"]
    assert [f.column for f in found] == [10, 34]


def test_a_posting_that_leans_masculine_gets_a_summary_with_its_score_and_words(content: Path) -> None:
    write(content, """\
        slug: bad
        title: Team Lead
        employment_type: full-time
        locations: [{mode: remote}]
        job_description:
          about_the_role: [An ambitious, competitive and decisive leader.]
          key_responsibilities: [Support the team.]
        qualifications:
          prerequisites: [Confident in front of customers.]
        """)
    found = lint_with(content, GENDER)
    summary = [f for f in found if f.message.startswith("the posting")]
    assert len(found) == 1 + 6, "the summary, and each masculine-coded word"
    assert where(summary) == [(BAD, 5, 1, "warning")]
    assert summary[0].message == (
        "the posting is strongly masculine-coded (score -5: 6 masculine-coded words, 1 feminine-coded): "
        "masculine lead, ambitious, competitive, decisive, leader, confident; feminine support")


def test_masculine_words_in_the_company_text_count_for_the_posting_that_prints_them(content: Path) -> None:
    write(content, """\
        name: Example Co
        about: [We are a competitive team.]
        equal_opportunity: Example Co is an equal-opportunity employer.
        contact: {name: Sam Recruiter, email: sam@example.com}
        """, "company.yaml")
    found = coded(content, "extends: plain\n")
    assert where(found) == [("content/company.yaml", 2, 18, "warning")]
    assert found[0].role is None


def test_company_text_a_role_overrides_is_found_in_the_role(content: Path) -> None:
    found = coded(content, "extends: plain\ncompany:\n  about: [We are a competitive team.]\n")
    assert where(found) == [(BAD, 3, 20, "warning")]
    assert found[0].role == "bad"


def test_a_role_in_another_language_is_not_checked_against_english_stems(content: Path) -> None:
    write(content, "extends: base\nlanguage: fr\ntitle: Responsable support, leader\n")
    assert lint_with(content, GENDER) == []


# exclusionary-language

def test_a_buzzword_title_is_found_written_any_way(content: Path) -> None:
    write(content, """\
        extends: base
        title: Support Rock-Star
        job_description:
          summary: Our rockstar ROCK STAR.
        """)
    found = lint_with(content, EXCLUSIONARY)
    assert where(found) == [(BAD, 2, 16, "warning"), (BAD, 4, 16, "warning"), (BAD, 4, 25, "warning")]
    assert {f.suggestion for f in found} == {"experienced support specialist"}


@pytest.mark.parametrize(("language", "summary", "phrase", "suggestion"), [
    ("de", "Sie verstärken ein junges Team in Wien.", "junges Team", "engagiertes Team"),
    ("fr", "Vous rejoignez une équipe jeune et dynamique.", "équipe jeune et dynamique", "équipe motivée"),
    ("es", "Buscamos gente joven para el equipo.", "gente joven", "personas candidatas"),
])
def test_a_posting_in_another_language_is_checked_against_its_own_list(content: Path, language: str, summary: str,
                                                                       phrase: str, suggestion: str) -> None:
    write(content, f"extends: base\nlanguage: {language}\njob_description:\n  summary: {summary}\n")
    found = lint_with(content, EXCLUSIONARY)
    column = len("  summary: ") + summary.index(phrase) + 1
    assert where(found) == [(BAD, 4, column, "warning")], [str(f) for f in found]
    assert found[0].message.startswith(f"“{phrase}”") and found[0].suggestion == suggestion
    write(content, f"extends: base\nlanguage: {language}\njob_description:\n  summary: {summary.replace(phrase, 'x')}\n")
    assert lint_with(content, EXCLUSIONARY) == []


def test_a_language_without_a_list_gets_no_finding_and_explain_says_why(content: Path) -> None:
    write(content, "extends: base\nlanguage: pl\njob_description:\n  summary: Young and dynamic rock star.\n")
    assert lint_with(content, EXCLUSIONARY) == []
    shown = [source.file for source in EXCLUSIONARY.sources()]
    assert "none for pl" in shown and "pipeline/lint/data/exclusionary_language.fr.yaml" in shown
    assert "none for de" in [source.file for source in GENDER.sources()]


def test_native_english_speaker_suggests_fluent_english(content: Path) -> None:
    write(content, """\
        extends: base
        qualifications:
          prerequisites:
            - 'A native English speaker, or close to it.'
        """)
    found = lint_with(content, EXCLUSIONARY)
    assert where(found) == [(BAD, 4, 10, "warning")]
    assert found[0].message.startswith("“native English speaker” (age and national origin):")
    assert found[0].suggestion == "fluent English"


def test_he_for_the_candidate_is_found_but_not_inside_other_words(content: Path) -> None:
    write(content, """\
        extends: base
        job_description:
          summary: He will help the team, and his or her work matters. Whatever it takes.
        """)
    found = lint_with(content, EXCLUSIONARY)
    assert [(f.column, f.suggestion) for f in found] == [(12, "they"), (39, "their"), (64, "say what the role needs")]


def test_everyday_engineering_words_of_joblint_lists_are_not_flagged(content: Path) -> None:
    write(content, """\
        extends: base
        job_description:
          summary: Tune the connection pool, handle failures, and aim for the top of the coffee chart.
        """)
    assert lint_with(content, EXCLUSIONARY) == []


# structure

def test_a_short_job_description_is_a_warning_at_its_key(content: Path) -> None:
    write(content, """\
        extends: base
        job_description:
          about_the_role: [You answer questions.]
          key_responsibilities: [Answer tickets.]
          perks: []
        qualifications:
          prerequisites: [Two years in support.]
          hard_skills: []
          nice_to_have: []
        """)
    found = lint_with(content, STRUCTURE)
    assert where(found) == [(BAD, 2, 1, "warning")]
    assert found[0].message.startswith("the job description prints 23 words of the role's own")
    assert "aim for 300–750: say more about the work" in found[0].message


def test_more_than_seven_musts_is_a_warning_at_the_first_one_past_seven(content: Path) -> None:
    musts = "\n".join(f"    - Skill {n} is required." for n in range(1, 9))
    write(content, f"extends: base\nqualifications:\n  prerequisites:\n    - A degree is not required.\n{musts}\n")
    found = lint_with(content, STRUCTURE)
    assert where(found) == [(BAD, 12, 18, "warning")]
    assert found[0].message.startswith("8 requirements are phrased as musts (“required”), more than 7")


def test_seven_musts_and_a_negated_one_are_fine(content: Path) -> None:
    musts = "\n".join(f"    - You must know tool {n}." for n in range(1, 8))
    write(content, f"extends: base\nqualifications:\n  hard_skills:\n    - SQL isn't strictly required.\n{musts}\n")
    assert lint_with(content, STRUCTURE) == []


def test_the_ideal_candidate_suggests_you(content: Path) -> None:
    write(content, """\
        extends: base
        job_description:
          how_to_apply: >-
            Send your CV. We will call
            the successful candidate within a week.
        """)
    found = lint_with(content, STRUCTURE)
    assert where(found) == [(BAD, 5, 5, "warning")]
    assert found[0].suggestion == "you"


HARD = ("Notwithstanding organisational considerations, the incumbent's responsibilities encompass comprehensive "
        "administrative coordination, interdepartmental communication facilitation, and continuous operational "
        "optimisation initiatives.")


def test_text_that_reads_as_very_difficult_gets_its_flesch_score(content: Path) -> None:
    write(content, f"extends: base\njob_description:\n  about_the_role:\n    - {HARD}\n    - {HARD}\n")
    found = [f for f in lint_with(content, STRUCTURE) if "Flesch" in f.message]
    assert where(found) == [(BAD, 2, 1, "warning")]
    assert found[0].message.startswith("Flesch reading ease ")
    assert float(found[0].message.split()[3].rstrip(",")) < 30


def test_readability_is_not_scored_in_other_languages(content: Path) -> None:
    write(content, f"extends: base\nlanguage: de\njob_description:\n  about_the_role:\n    - {HARD}\n")
    assert not [f for f in lint_with(content, STRUCTURE) if "Flesch" in f.message]


def test_a_suggestion_names_the_roles_own_field_not_an_engineer(content: Path) -> None:
    """A marketing role is told to hire an experienced director of content, not an engineer."""
    write(content, """\
        extends: base
        title: Director of Content Strategy ✍️
        job_description:
          summary: You will lead a team of writing rock stars.
        """)
    found = lint_with(content, EXCLUSIONARY)
    assert {f.suggestion for f in found} == {"experienced director of content strategy"}
