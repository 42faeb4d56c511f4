"""The company's words in the role's language, and one register throughout.

A French posting prints the company's French text; a text with no French version is the
`untranslated` warning at the field (and fails `--strict`). French, German and Spanish documents
address the reader in the register the company chose (formal by default), in every layout string and in the
company's own text, so one page never says both "Sie" and "du".
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, rolepack
from pipeline.check.brands import load_brand
from pipeline.check.catalogue import load_catalogue
from pipeline.render.html import KINDS, Document, render_html

LAYOUTS = REPO / "layouts"
TODAY = dt.date(2026, 6, 1)

GERMAN = {
    "formal": {"about": "Example Co baut kleine Werkzeuge für kleine Teams. Bei uns gestalten Sie Ihre Arbeit selbst.",
               "benefit": "Bezahlter Urlaub für Sie und Ihre Familie",
               "eeo": "Example Co ist ein Arbeitgeber für alle. Wir freuen uns auf Ihre Bewerbung.",
               "contact": "Recruiting", "do": "Stellen Sie allen dieselben Kernfragen.",
               "dont": "Fragen Sie nicht nach dem bisherigen Gehalt."},
    "informal": {"about": "Example Co baut kleine Werkzeuge für kleine Teams. Bei uns gestaltest du deine Arbeit selbst.",
                 "benefit": "Bezahlter Urlaub für dich und deine Familie",
                 "eeo": "Example Co ist ein Arbeitgeber für alle. Wir freuen uns auf deine Bewerbung.",
                 "contact": "Recruiting", "do": "Stell allen dieselben Kernfragen.",
                 "dont": "Frag nicht nach dem bisherigen Gehalt."},
}
INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE)
FORMAL = re.compile(r"\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")
"""Capitalised: the formal pronouns. 'sie' (they) in lower case is not the register."""


def company_yaml(register: str | None) -> str:
    words = GERMAN[register or "formal"]
    chosen = f"register: {{de: {register}}}\n" if register else ""
    return f"""name: Example Co
language: en
{chosen}website: https://example.com
about:
  en: [Example Co makes small tools for small teams.]
  de: ["{words['about']}"]
benefits:
  en: [Paid holidays]
  de: ["{words['benefit']}"]
equal_opportunity:
  en: Example Co is an equal-opportunity employer.
  de: "{words['eeo']}"
contact:
  name: Sam Recruiter
  email: sam@example.com
  role: {{en: Recruiting, de: "{words['contact']}"}}
interviewer_guidance:
  dos: {{en: [Ask every candidate the same core questions.], de: ["{words['do']}"]}}
  donts: {{en: ["Don't ask about salary history."], de: ["{words['dont']}"]}}
"""


def content_with(tmp_path: Path, company: str, language: str = "de") -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (content / "company.yaml").write_text(company, encoding="utf-8")
    for role in (content / "roles").glob("*.yaml"):
        text = role.read_text(encoding="utf-8")
        if "\ntitle:" in text or text.startswith("title:"):
            role.write_text(text.replace("title:", f"language: {language}\ntitle:", 1), encoding="utf-8")
    return content


def text_of(content: Path, kind: str) -> str:
    catalogue = load_catalogue(content, today=TODAY)
    role = catalogue.roles["support-engineer"]
    titles = {slug: r.title for slug, r in catalogue.roles.items()}
    html = render_html(Document(kind, role, catalogue.company, load_brand(LAYOUTS, "default"), TODAY, titles), LAYOUTS)
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1]).split())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("register", [None, "formal", "informal"])
def test_a_german_document_speaks_one_register(tmp_path: Path, register: str | None, kind: str) -> None:
    """No register chosen means formal; the layouts' words and the company's follow the choice."""
    text = text_of(content_with(tmp_path, company_yaml(register)), kind)
    expected = GERMAN[register or "formal"]
    assert expected["eeo"] in text
    if kind == "hiring-guide":
        assert expected["do"] in text
    if register == "informal":
        assert INFORMAL.search(text) and not FORMAL.search(text), FORMAL.findall(text)
    else:
        assert FORMAL.search(text) and not INFORMAL.search(text), INFORMAL.findall(text)


def test_the_formal_job_description_uses_the_formal_headings(tmp_path: Path) -> None:
    formal = text_of(content_with(tmp_path / "a", company_yaml(None)), "job-description")
    informal = text_of(content_with(tmp_path / "b", company_yaml("informal")), "job-description")
    assert "So bewerben Sie sich" in formal and "So bewirbst du dich" in informal


def test_a_spanish_document_speaks_usted_unless_the_company_chooses_tu(tmp_path: Path) -> None:
    company = company_yaml(None).replace("\n  de:", "\n  es:").replace(", de:", ", es:")
    formal = text_of(content_with(tmp_path / "a", company, "es"), "job-description")
    informal = text_of(content_with(tmp_path / "b", company.replace("language: en\n", "language: en\nregister: {es: informal}\n"),
                                    "es"), "job-description")
    assert "Cómo presentar su candidatura" in formal and "Cómo presentar tu candidatura" in informal


def test_a_french_document_speaks_vous_unless_the_company_chooses_tu(tmp_path: Path) -> None:
    company = company_yaml(None).replace("\n  de:", "\n  fr:").replace(", de:", ", fr:")
    formal = text_of(content_with(tmp_path / "a", company, "fr"), "job-description")
    informal = text_of(content_with(tmp_path / "b", company.replace("language: en\n", "language: en\nregister: {fr: informal}\n"),
                                    "fr"), "job-description")
    assert "Vos missions" in formal and "Votre profil" in formal and "Tes missions" not in formal
    assert "Tes missions" in informal and "Ton profil" in informal
    assert not re.search(r"\b(vous|votre|vos)\b", informal, re.IGNORECASE), re.findall(r"\b(?:vous|votre|vos)\b.{20}",
                                                                                   informal, re.IGNORECASE)


def test_a_register_the_layouts_cannot_print_is_a_located_error(tmp_path: Path, monkeypatch) -> None:
    """Layouts whose French has only its formal catalogue (as every language had before its second)."""
    layouts = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    (layouts / "locales" / "fr" / "LC_MESSAGES" / "messages.informal.po").unlink()
    company = company_yaml(None).replace("language: en\n", "language: en\nregister: {fr: informal}\n")
    content_with(tmp_path, company.replace("\n  de:", "\n  fr:").replace(", de:", ", fr:"), "fr")
    monkeypatch.chdir(tmp_path)
    run = rolepack("validate", "--content", "content", "--layouts", "layouts")
    assert run.exit_code == 2
    assert run.problems == ["content/company.yaml:3:16: register.fr: there is no informal catalogue for 'fr' (the "
                            "layouts address its readers formally); choose `formal` for it, or add "
                            "layouts/locales/fr/LC_MESSAGES/messages.informal.po"]


class TestUntranslated:
    def test_a_french_role_with_english_only_company_text_is_warned_at_each_field(self, tmp_path: Path,
                                                                                   monkeypatch) -> None:
        content_with(tmp_path, (FIXTURE_CONTENT / "company.yaml").read_text(encoding="utf-8"), "fr")
        monkeypatch.chdir(tmp_path)
        run = rolepack("validate", "--content", "content")
        assert run.exit_code == 0, run.stderr
        warned = [line for line in run.stderr.splitlines() if "[untranslated]" in line or "has no 'fr' version" in line]
        fields = [line.split(": warning: ")[1].split(":")[0] for line in warned]
        assert fields == ["about", "benefits", "equal_opportunity", "interviewer_guidance.dos",
                          "interviewer_guidance.donts"], run.stderr
        assert warned[0].startswith("content/company.yaml:4:1: warning: about: has no 'fr' version, so "
                                    "senior-support-engineer, support-engineer would print it in another language")

    def test_strict_fails_and_allow_accepts(self, tmp_path: Path, monkeypatch) -> None:
        content_with(tmp_path, (FIXTURE_CONTENT / "company.yaml").read_text(encoding="utf-8"), "fr")
        monkeypatch.chdir(tmp_path)
        assert rolepack("validate", "--content", "content", "--strict").exit_code == 2
        assert rolepack("validate", "--content", "content", "--strict", "--allow", "untranslated").exit_code == 0

    def test_a_company_text_in_every_language_warns_of_nothing(self, tmp_path: Path, monkeypatch) -> None:
        content_with(tmp_path, company_yaml(None))
        monkeypatch.chdir(tmp_path)
        run = rolepack("validate", "--content", "content", "--strict")
        assert (run.exit_code, run.stderr) == (0, "")

    def test_a_missing_language_names_only_the_fields_without_it(self, tmp_path: Path, monkeypatch) -> None:
        company = company_yaml(None).replace('  de: "Example Co ist ein Arbeitgeber für alle. Wir freuen uns auf Ihre '
                                             'Bewerbung."\n', "")
        content_with(tmp_path, company)
        monkeypatch.chdir(tmp_path)
        run = rolepack("validate", "--content", "content")
        assert [line for line in run.stderr.splitlines() if "version" in line] == [
            "content/company.yaml:10:1: warning: equal_opportunity: has no 'de' version, so senior-support-engineer, "
            "support-engineer would print it in another language; write it per language (de: …) or accept it with "
            "--allow untranslated"]


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_the_demo_company_prints_no_english_sentence_in_another_language(language: str) -> None:
    """Every English sentence of the demo company.yaml is absent from a shipped role's documents in `language`."""
    catalogue = load_catalogue(REPO / "content", today=dt.date(2026, 12, 6))
    english = catalogue.company.in_language("en")
    sentences = [s for text in english.about + english.benefits + [english.equal_opportunity, english.accommodations,
                                                                    english.pay_note]
                 + english.interviewer_guidance.dos + english.interviewer_guidance.donts
                 for s in re.split(r"(?<=[.;:])\s+", text or "") if len(s) > 25]
    role = catalogue.roles["backend-engineer"].model_copy(update={"language": language})
    titles = {slug: r.title for slug, r in catalogue.roles.items()}
    printed = ""
    for kind in KINDS:
        html = render_html(Document(kind, role, catalogue.company, load_brand(LAYOUTS, "default"), TODAY, titles), LAYOUTS)
        printed += " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert len(sentences) > 20
    assert [s for s in sentences if s.replace("’", "'") in printed.replace("’", "'")] == []
    assert catalogue.company.untranslated(language) == []


def test_a_register_written_as_one_word_is_a_located_error_that_shows_the_mapping(tmp_path: Path,
                                                                                monkeypatch) -> None:
    """A newcomer told to set the register writes `register: informal`; the message shows the form."""
    content_with(tmp_path, company_yaml(None).replace("language: en\n", "language: en\nregister: informal\n"))
    monkeypatch.chdir(tmp_path)
    run = rolepack("validate", "--content", "content")
    assert run.exit_code == 2
    assert run.problems == ["content/company.yaml:3:11: register: expected one register per language, like "
                            "`register: {fr: informal}` (formal is the default), got text"]
