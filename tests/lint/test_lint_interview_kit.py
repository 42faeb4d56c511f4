"""The interview-kit lint rule: every scorecard attribute assessed, no question about a protected trait."""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path

import pytest
from test_lint import BAD, FIXTURE_TOPICS, content, lint_with, where, write  # noqa: F401

from pipeline.lint.rule import Rule
from pipeline.lint.laws import PROTECTED_QUESTIONS, protected_topics
from pipeline.lint.rules import interview_kit


@pytest.fixture(params=[FIXTURE_TOPICS, PROTECTED_QUESTIONS], ids=["test table", "shipped table"])
def rule(request: pytest.FixtureRequest) -> Rule:
    return dataclasses.replace(interview_kit.RULE, check=partial(interview_kit.findings,
                                                                 table=protected_topics(request.param)))


GUIDE = """\
    extends: base
    interview:
      stages:
        - {name: Scenario, minutes: 45, who: Two engineers, focus: [troubleshooting]}
      questions:
        - question: A customer's export fails. What do you ask first?
          attribute: troubleshooting
          good_answer: Asks for the error.
          red_flags: [Guesses]
      scorecard:
        - id: troubleshooting
          name: Troubleshooting
          anchors: {strong_no: a, lean_no: b, lean_yes: c, strong_yes: d}
        - id: care
          name: Care for customers
          anchors: {strong_no: a, lean_no: b, lean_yes: c, strong_yes: d}
    """


def test_an_attribute_no_stage_or_question_assesses_is_a_warning_at_its_id(content: Path, rule: Rule) -> None:
    write(content, GUIDE)
    found = lint_with(content, rule)
    assert where(found) == [(BAD, 14, 11, "warning")] * 2
    assert [f.suggestion for f in found] == ["add care to a stage's focus", "a question with attribute: care"]
    assert found[0].message == ("“Care for customers” is on the scorecard, but no interview stage assesses it, so it "
                                "would be scored on impressions")


def test_a_question_about_age_is_an_error_at_the_phrase_citing_the_laws(content: Path, rule: Rule) -> None:
    write(content, GUIDE.replace("focus: [troubleshooting]", "focus: [troubleshooting, care]")
          .replace("A customer's export fails. What do you ask first?", "'So, how old are you, roughly?'"))
    found = lint_with(content, rule)
    assert where(found) == [(BAD, 6, 22, "error"), (BAD, 14, 11, "warning")]
    assert found[0].message.startswith("asks about age (“how old are you”): ")
    assert "Age Discrimination in Employment Act" in found[0].message


def test_a_good_answer_that_looks_for_pay_history_is_an_error(content: Path, rule: Rule) -> None:
    write(content, GUIDE.replace("Asks for the error.", ">-\n            Asks for the error and\n"
                                                          "            for your current salary."))
    found = [f for f in lint_with(content, rule) if f.severity == "error"]
    assert where(found) == [(BAD, 10, 13, "error")]
    assert "California Labor Code § 432.3" in found[0].message


def test_a_lawful_question_about_the_right_to_work_is_not_flagged(content: Path, rule: Rule) -> None:
    write(content, GUIDE.replace("A customer's export fails. What do you ask first?",
                                 "Are you authorised to work in Portugal?"))
    assert [f for f in lint_with(content, rule) if f.severity == "error"] == []


def test_a_role_without_an_interview_guide_is_not_checked(content: Path, rule: Rule) -> None:
    write(content, "slug: bad\ntitle: Helper\nemployment_type: full-time\nlocations: [{mode: remote}]\n"
                   "job_description: {about_the_role: [Help.], key_responsibilities: [Help.]}\n"
                   "qualifications: {soft_skills: [Kindness.]}\n")
    assert lint_with(content, rule) == []
