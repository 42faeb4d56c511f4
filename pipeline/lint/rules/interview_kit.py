"""`interview-kit`: a scorecard every attribute of which is assessed, and no unlawful question.

An attribute that no stage looks at and no question probes is scored on impressions, which is
where bias gets in. A question about a protected trait (age, family plans, nationality, pay
history, …) is unlawful to ask in many places, whatever the intent: those are errors, citing the
laws from `data/protected_questions.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from pipeline.lint.rule import Hit, Rule, Source, Subject
from pipeline.lint.laws import PROTECTED_QUESTIONS, ProtectedTopics, Topic, described, protected_topics
from pipeline.lint.matching import find
from pipeline.schema.role import InterviewGuide

QUESTION_TEXT = ("question", "good_answer")


@cache
def _table() -> ProtectedTopics:
    return protected_topics()


def _protected_hits(subject: Subject, topic: Topic, path: tuple[str | int, ...], text: str) -> Iterator[Hit]:
    """A hit, at the phrase, for each place `text` (the role's value at `path`) touches `topic`."""
    for match in find(topic.pattern, text):
        yield Hit(subject.where(path, text, match.start()),
                  f"asks about {topic.name.lower()} (“{text[match.start():match.end()]}”): {topic.why.strip()} "
                  f"Unlawful to ask under {'; '.join(topic.laws)}", severity="error", shared=True)


def _coverage(subject: Subject, guide: InterviewGuide) -> Iterator[Hit]:
    staged = {focus for stage in guide.stages for focus in stage.focus}
    asked = {question.attribute for question in guide.questions}
    for i, attribute in enumerate(guide.scorecard):
        where = subject.where(("interview", "scorecard", i, "id"))
        if attribute.id not in staged:
            yield Hit(where, f"“{attribute.name}” is on the scorecard, but no interview stage assesses it, so it "
                             "would be scored on impressions", f"add {attribute.id} to a stage's focus")
        if attribute.id not in asked:
            yield Hit(where, f"“{attribute.name}” is on the scorecard, but no question in the bank probes it",
                      f"a question with attribute: {attribute.id}")


def findings(subject: Subject, table: ProtectedTopics) -> Iterator[Hit]:
    """The rule's hits for `subject`, with the protected topics of `table`."""
    guide = subject.role.interview
    if guide is None:
        return
    yield from _coverage(subject, guide)
    for i, question in enumerate(guide.questions):
        for name in QUESTION_TEXT:
            for topic in table.topics:
                yield from _protected_hits(subject, topic, ("interview", "questions", i, name), getattr(question, name))


def check(subject: Subject) -> Iterator[Hit]:
    return findings(subject, _table())


def _sources() -> list[Source]:
    return [described(PROTECTED_QUESTIONS, _table().source, _table().checked)]


RULE = Rule(
    id="interview-kit",
    severity="warning",
    summary="scorecard attributes no stage or question assesses; questions about protected traits",
    explanation=(
        "Coverage (warning): every scorecard attribute should be the focus of at least one interview stage "
        "(interview.stages[*].focus) and the attribute of at least one question (interview.questions[*].attribute); "
        "otherwise it is scored on impressions. Protected topics (error): a question, or the good answer it looks "
        "for, that contains a phrase of a protected topic (pay history, age, family, nationality, religion, "
        "health, …) as listed in the protected-questions table; matched as whole words in any case. These are "
        "errors because asking them is unlawful in many of the places the role hires, and the message cites the "
        "laws. Roles without an interview guide are not checked."),
    check=check,
    sources=_sources,
)
