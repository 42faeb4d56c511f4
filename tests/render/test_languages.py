"""Every label in the role's language: catalogues complete and current, no English left in another
language, and dates and money as the locale writes them.

A role's `language` selects the words of every layout. English is the source language; every other
language is one `.po` file under layouts/locales/, extracted from the layouts by pybabel.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import FIXTURE_CONTENT, REPO, rolepack
from pipeline.check.brands import load_brand
from pipeline.check.catalogue import load_catalogue
from pipeline.render.html import BUILD_KINDS, KIT, Document, render_html

LAYOUTS = REPO / "layouts"
LANGUAGES = ("fr", "de", "es")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def template() -> list:
    with (LAYOUTS / "locales" / "messages.pot").open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def catalogue(language: str, file: str = "messages.po"):
    with (LAYOUTS / "locales" / language / "LC_MESSAGES" / file).open("rb") as handle:
        return read_po(handle)


CATALOGUES = [(p.parent.parent.name, p.name) for p in sorted((LAYOUTS / "locales").glob("*/LC_MESSAGES/messages*.po"))]
"""Every catalogue: a language's formal register (messages.po), and its informal one where it has one."""


def test_the_message_template_is_what_the_layouts_contain(tmp_path: Path) -> None:
    """Regenerate with `make messages` when a layout's words change."""
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "--no-location",
                    "--sort-output", "--omit-header", "-o", str(fresh), "."], cwd=REPO, check=True,
                   capture_output=True)
    assert fresh.read_text(encoding="utf-8") == (LAYOUTS / "locales" / "messages.pot").read_text(encoding="utf-8"), \
        "layouts/locales/messages.pot is stale; run `make messages`"


def test_french_german_and_spanish_have_both_registers() -> None:
    assert {(language, file) for language, file in CATALOGUES} >= {
        ("de", "messages.po"), ("de", "messages.informal.po"), ("es", "messages.po"), ("es", "messages.informal.po"),
        ("fr", "messages.po"), ("fr", "messages.informal.po")}


@pytest.mark.parametrize("language, file", CATALOGUES)
def test_every_message_is_translated_with_its_placeholders(language: str, file: str) -> None:
    translated = catalogue(language, file)
    for message in template():
        entry = translated.get(message.id)
        assert entry is not None and not entry.fuzzy, f"{language}: {message.id!r} is not translated"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings:
            assert text.strip(), f"{language}: {message.id!r} is empty"
            # a singular may say "one" instead of %(num)s; every other placeholder must stay
            assert set(PLACEHOLDER.findall(text)) | {"%(num)s"} >= expected, (language, message.id)
            assert set(PLACEHOLDER.findall(text)) <= expected, (language, message.id)


def _html(language: str, kind: str) -> str:
    cat = load_catalogue(FIXTURE_CONTENT, today=dt.date(2026, 6, 1))
    role = cat.roles["support-engineer"].model_copy(update={"language": language})
    brand = load_brand(LAYOUTS, "default")
    if kind == "debrief":
        return _debrief_html(role, cat.company, brand)
    titles = {slug: r.title for slug, r in cat.roles.items()}
    part = role.interview.stages[0].key if kind == KIT else ""
    return render_html(Document(kind, role, cat.company, brand, dt.date(2026, 3, 1), titles, part=part), LAYOUTS)


def _debrief_html(role, company, brand) -> str:
    """A debrief that prints every phrase it has: a flagged disagreement, a missing stage (the role's
    one stage is scored, so a second is added), an attribute nobody assessed, a half-filled form, and
    a file set aside for each reason."""
    from pipeline.interviews.command import debrief_html
    from pipeline.interviews.scorecards import Lack, Scorecard
    from pipeline.interviews.summary import debrief_of

    guide = role.interview
    stages = [guide.stages[0], guide.stages[0].model_copy(update={"id": "second", "name": "Zweite"})]
    attributes = [a.model_copy(update={"weight": 2.0}) for a in guide.scorecard]
    role = role.model_copy(update={"interview": guide.model_copy(update={"stages": stages, "scorecard": attributes})})
    key = stages[0].key
    cards = [Scorecard(Path("a.pdf"), key, "Ana", "Lee", "", {"troubleshooting": 4}, {"troubleshooting": "x"}, 3),
             Scorecard(Path("b.pdf"), key, "Ana", "", "", {"troubleshooting": 2}, {}, None,
                       [Lack(what) for what in ("rating", "ratings", "evidence", "overall", "overalls", "interviewer")])]
    reasons = ["unreadable", "no-fields", "other-role", "mixed", "unknown-stage", "no-stage", "no-candidate",
               "other-candidate", "empty", "duplicate"]
    debrief = debrief_of(role, "Ana", cards, [(f"{r}.pdf", r) for r in reasons])
    return debrief_html(debrief, role, company, brand, LAYOUTS, dt.date(2026, 3, 1))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("kind", [*BUILD_KINDS, "debrief"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_label_is_left_in_another_language(language: str, kind: str) -> None:
    """Every English label the English document prints is gone from the translated one (content
    words that happen to equal a label are left out of the check)."""
    content_text = " ".join(p.read_text(encoding="utf-8") for p in FIXTURE_CONTENT.rglob("*.yaml"))
    english, translated = _text(_html("en", kind)), _text(_html(language, kind))
    left = []
    for message in template():
        label = message.id if isinstance(message.id, str) else message.id[0]
        for piece in PLACEHOLDER.split(label):
            piece = piece.strip(" ,.:;()")
            if len(piece) < 4 or piece in content_text or piece not in english:
                continue
            translation = catalogue(language)[message.id].string
            if piece in " ".join(translation if isinstance(translation, tuple) else (translation,)):
                continue  # the same word in both languages ("Page", "Type", "Interviewer:in")
            if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", translated):
                left.append(piece)
    assert left == []


@pytest.mark.parametrize("language, date, money", [
    ("en", "March 1, 2026", "€40,000"),
    ("fr", "1er mars 2026", "40\u202f000\u00a0€"),  # the first of a month is an ordinal in French
    ("de", "1. März 2026", "40.000\u00a0€"),
    ("es", "1 de marzo de 2026", "40.000\u00a0€"),
])
def test_dates_and_money_are_written_as_the_locale_writes_them(language: str, date: str, money: str) -> None:
    html = _html(language, "hiring-guide")
    assert date in html
    assert money in html


@pytest.mark.parametrize("language", ["fr", "en", "fr"])  # French again, after English: nothing of one kept for the other
def test_a_colon_and_semicolon_after_a_word_are_set_as_the_language_sets_them(language: str) -> None:
    """French puts a no-break space before a colon and a narrow one before a semicolon (the location's
    places, its note, the nice-to-haves joined in a sentence); English puts none."""
    catalogue = load_catalogue(REPO / "content", today=dt.date(2026, 12, 7))
    role = catalogue.roles["backend-engineer"].model_copy(update={"language": language})
    titles = {slug: r.title for slug, r in catalogue.roles.items()}
    html = render_html(Document("job-description", role, catalogue.company, load_brand(LAYOUTS, "default"),
                                dt.date(2026, 3, 1), titles), LAYOUTS)
    text = re.sub(r"<[^>]+>", "", html.split("<body", 1)[1])
    colon, semicolon = ("\u00a0:", "\u202f;") if language == "fr" else (":", ";")
    assert re.search(rf"Austin\){re.escape(semicolon)} (On-site|Sur site)", text)  # one work mode after another
    assert f"transactional outbox{semicolon} Infrastructure" in text  # the nice-to-haves
    assert re.search(rf"\b(Hybrid|Hybride){re.escape(colon)} Two office days", text)  # a work mode's note
    if language == "en":
        assert "\u00a0:" not in text and "\u202f;" not in text


def test_a_language_without_a_catalogue_is_a_located_error(content: Path) -> None:
    (content / "roles" / "italian.yaml").write_text("extends: support-engineer\nlanguage: it\n", encoding="utf-8")
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == 2
    assert run.problems[0].startswith("content/roles/italian.yaml:2:11: language: there is no catalogue for "
                                      "language 'it'"), run.problems
    assert "(languages: en, de, es, fr)" in run.problems[0]


@pytest.mark.parametrize("language, page", [("fr", "Page 1 sur"), ("de", "Seite 1 von"), ("es", "Página 1 de")])
def test_the_running_footer_of_pdf_and_docx_is_in_the_language(language: str, page: str, tmp_path: Path) -> None:
    import shutil

    from docx import Document as Docx

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    role = content / "roles" / "support-engineer.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("title:", f"language: {language}\ntitle:", 1),
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "-f", "pdf,docx", "--kind", "job-description",
                           "--role", "support-engineer", "--brand", "default", "--content", str(content),
                           "--out", str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    base = tmp_path / "out" / "default" / "support-engineer" / "support-engineer-job-description"
    text = subprocess.run(["pdftotext", f"{base}.pdf", "-"], capture_output=True, text=True, check=True).stdout
    assert page in text
    footer = Docx(f"{base}.docx").sections[0].footer.paragraphs[0].text
    assert page.split(" 1 ")[0] in footer and page.split(" 1 ")[1] in footer
