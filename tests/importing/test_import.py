"""`rolepack import`: postings kept as DOCX, Markdown, HTML or text become role files that validate,
keep every sentence, and build.

The fixtures are in tests/fixtures/import/: the Markdown, HTML and text postings are committed as
they are; the two DOCX postings are written at session start by make_docx.py (their text is
readable there), into a temporary folder. All six are imported once into a copy of the fixture
content, and the imported roles are built once, in one `rolepack build` process.
"""

from __future__ import annotations

import copy
import datetime as dt
import http.server
import io
import re
import shutil
import sys
import threading
import unicodedata
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
import lxml.html
import pytest
import yaml

from pdf_support import pages_text, plain, rolepack_build, squash
from pipeline.check.catalogue import inspect_content, load_catalogue
from pipeline.importing import import_files
from pipeline.importing.facts import read_locations, read_pay
from pipeline.importing.places import Resolved, resolve
from pipeline.importing.intake import MAX_BYTES
from pipeline.render.docx.untrusted import MAX_UNZIPPED
from pipeline.importing.structure import FREE_SLOTS
from pipeline.importing.vocabulary import HEADINGS_FILE, vocabulary

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IMPORT = FIXTURES / "import"
sys.path.insert(0, str(IMPORT))
import make_docx  # noqa: E402  (the DOCX fixtures' text and writer live beside the other fixtures)

ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
TODAY = dt.date.today()  # the build that follows checks dates against the real clock


@dataclass(frozen=True)
class Case:
    file: str
    slug: str
    language: str
    facts: tuple[str, ...]
    """The labelled lines read into fields (employment type, location, pay, department): their words
    are in those fields, not in the text, so the sentence checks leave them out."""


CASES = [
    Case("platform-engineer.md", "platform-engineer", "en",
         ("Location: Remote (UTC−1 to UTC+3)", "Type: Full-time", "Salary: €55,000–€65,000 per year",
          "Team: Infrastructure")),
    Case("ingenieur-devops.docx", "ingenieure-devops", "fr",
         ("Lieu Lyon (hybride, 2 jours de télétravail par semaine)", "Contrat CDI",
          "Salaire 45 000 € – 55 000 € brut annuel")),
    Case("consultant-data-freelance.md", "consultant-data-freelance", "fr",
         ("Lieu : Paris ou télétravail", "TJM : 600 € HT")),
    Case("data-engineer-contract.docx", "data-engineer-contract", "en",
         ("Day rate: €600", "Location: London or remote within the UK")),
    Case("product-designer.html", "product-designer", "en",
         ("Location Hybrid – Lisbon / Porto", "Employment type Part-time (four days a week)",
          "Salary £48,000 – £56,000 a year, pro rata")),
    Case("support-lead.txt", "customer-support-lead", "en",
         ("Location: Manchester, UK (on-site)", "Employment type: Full time", "Salary: £34,000 - £38,000 per annum")),
]


# --- the import and the build, once per session ---------------------------------------------------

@dataclass(frozen=True)
class Imported:
    content: Path
    sources: dict[str, Path]
    reports: dict[str, str]
    errors: list[str]

    def role(self, slug: str) -> dict:
        return yaml.safe_load((self.content / "roles" / f"{slug}.yaml").read_text(encoding="utf-8"))

    def text(self, slug: str) -> str:
        return (self.content / "roles" / f"{slug}.yaml").read_text(encoding="utf-8")


def fresh_content(folder: Path) -> Path:
    shutil.copytree(FIXTURES / "content", folder / "content")
    return folder / "content"


@pytest.fixture(scope="session")
def imported(tmp_path_factory) -> Imported:
    base = tmp_path_factory.mktemp("import")
    generated = make_docx.write_fixtures(base)
    sources = {case.file: generated.get(case.file, IMPORT / case.file) for case in CASES}
    content = fresh_content(base)
    result = import_files(list(sources.values()), content, language=None, force=False, today=TODAY)
    reports = {case.file: next((r for r in result.reports if r.startswith(str(sources[case.file]))), "")
               for case in CASES}
    return Imported(content, sources, reports, result.errors)


ANSWERS = {"as_of": TODAY.isoformat(), "mode": "on-site", "employment_type": "full-time",
           "compensation": "{disclosed: false}"}
"""What a person writes over each CONFIRM the import left, in these tests."""


def confirmed(content: Path, into: Path) -> Path:
    """A copy of `content` with every CONFIRM answered, as the person the report asks would."""
    shutil.copytree(content, into)
    for file in (into / "roles").glob("*.yaml"):
        text = re.sub(r"^(\s*(?:- )?)(\w+): <<CONFIRM>>.*$", lambda m: f"{m[1]}{m[2]}: {ANSWERS[m[2]]}",
                      file.read_text(encoding="utf-8"), flags=re.MULTILINE)
        file.write_text(re.sub(r"(?m)^state: draft  #.*\n", "", text), encoding="utf-8")  # as its comment says
    return into


@pytest.fixture(scope="session")
def built(imported: Imported, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("import-build")
    out = base / "out"
    roles = [arg for case in CASES for arg in ("--role", case.slug)]
    content = confirmed(imported.content, base / "content")
    build = rolepack_build(out, "--kind", "job-description", "--brand", "default", *roles, content=content)
    assert build.exit_code == 0, build.stderr
    return out


# --- the source's sentences, read independently of the importer ------------------------------------

_MARKER = re.compile(r"^\s*(?:#+|[-*]|\d+\.)\s+")


def words(text: str) -> str:
    """Letters and digits only, case folded: punctuation, emoji and spacing are the writer's to choose
    (a nested list is joined with ": " and "; "), the words are not. `squash` first, as for PDFs."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", squash(text)).casefold())


def source_blocks(case: Case, path: Path) -> list[str]:
    """The fixture's paragraphs, items, headings and cells as a reader of the file sees them, read
    without the importer; the lines of its labelled facts are left out."""
    if path.suffix == ".docx":
        document = docx.Document(path)
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return [p.text for p in document.paragraphs] + cells
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        main = lxml.html.document_fromstring(text).find(".//main")
        for element in list(main.iter("script", "style")):
            element.drop_tree()
        return [" ".join(e.text_content().split()) for e in main.iter("h1", "h2", "h3", "p", "li", "dt", "dd")]
    facts = {words(fact) for fact in case.facts}
    blocks: list[str] = []
    open_block = False
    for line in re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").splitlines():
        if not line.strip() or words(line) in facts or re.fullmatch(r"=+", line.strip()):
            open_block = False
        elif _MARKER.match(line) or not open_block:
            blocks.append(_MARKER.sub("", line).strip())
            open_block = True
        else:
            blocks[-1] += " " + line.strip()  # a line wrapped by hand
    return blocks


def _role_heading(piece: str) -> bool:
    """A heading of the table that fills a role field: the layout prints its own title there instead."""
    found = vocabulary().heading_slot(piece)
    return found is not None and found[1] and found[0] not in FREE_SLOTS  # whole-phrase matches only


def sentences(case: Case, path: Path) -> list[str]:
    """The source's sentences, less its labelled facts and the headings replaced by the layout's titles."""
    facts = [words(f) for f in case.facts]
    pieces = [p for block in source_blocks(case, path) for p in re.split(r"(?<=[.!?…;:])\s+", block)]
    return [p.strip() for p in pieces
            if words(p) and not any(words(p) in fact for fact in facts) and not _role_heading(p)]


def yaml_strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in yaml_strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in yaml_strings(value)]
    return []


# --- each posting imports, validates, and maps as expected ------------------------------------------

def test_every_posting_imports_and_validates_once_what_it_does_not_state_is_confirmed(imported: Imported,
                                                                                      tmp_path: Path):
    assert imported.errors == []
    report = inspect_content(imported.content, today=TODAY, base=imported.content)
    unconfirmed = [lack for draft in report.drafts.values() for lack in draft.lacks]
    assert not report.problems and unconfirmed and {p.rule for p in unconfirmed} == {"unconfirmed"}
    content = confirmed(imported.content, tmp_path / "content")
    catalogue = load_catalogue(content, today=TODAY, base=content)
    assert {case.slug for case in CASES} <= set(catalogue.roles)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_written_file_is_readable_yaml_with_the_schema_line(imported: Imported, case: Case):
    text = imported.text(case.slug)
    assert text.startswith("# yaml-language-server: $schema=../../schema/role.schema.json\n")
    assert f"# Imported from {case.file} on {TODAY.isoformat()}" in text
    assert "<<REPLACE>>" not in text
    assert re.search(r"^    - >-$|^  about_the_role:\n    - >-$", text, re.MULTILINE), "long text is folded"
    assert imported.role(case.slug)["language"] == case.language


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_every_sentence_of_the_source_is_in_the_role_file(imported: Imported, case: Case):
    written = words(plain(" ".join(yaml_strings(imported.role(case.slug)))))
    missing = [s for s in sentences(case, imported.sources[case.file]) if words(s) not in written]
    assert not missing, f"{case.file}: not in the role file: {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_every_sentence_of_the_source_is_in_the_pdf(imported: Imported, built: Path, case: Case):
    pdf = built / "default" / case.slug / f"{case.slug}-job-description.pdf"
    printed = words(" ".join(pages_text(pdf)))
    missing = [s for s in sentences(case, imported.sources[case.file]) if words(s) not in printed]
    assert not missing, f"{case.file}: not in the PDF: {missing}"


def test_markdown_posting(imported: Imported):
    role = imported.role("platform-engineer")
    jd = role["job_description"]
    assert (role["title"], role["department"], role["employment_type"]) == (
        "Platform Engineer", "Infrastructure", "full-time")
    assert role["locations"] == [{"mode": "remote", "places": ["UTC−1 to UTC+3"]}]
    assert len(jd["about_the_role"]) == 2 and jd["about_the_role"][0].startswith("Northwind Freight moves")
    assert {"text": "Keep costs visible:", "items": ["publish a monthly cost report per team;",
                                                    "flag idle resources before they pile up."]} in jd["key_responsibilities"]
    assert len(role["qualifications"]["prerequisites"]) == 3
    assert len(role["qualifications"]["nice_to_have"]) == 2
    assert jd["perks"][0] == "30 days of paid holiday, plus public holidays where you live."
    assert [(s["heading"], s["after"]) for s in jd["sections"]] == [("🛠️ Our stack", "qualifications"),
                                                                    ("About us", "company")]
    assert jd["how_to_apply"].startswith("Send your CV")
    assert role["compensation"] == {
        "currency": "EUR", "period": "year", "levels": [{"level": "Platform Engineer", "min": 55000, "max": 65000}],
        "source": {"name": "the imported posting", "as_of": "<<CONFIRM>>",  # the posting does not date its pay
                   "note": "Read from platform-engineer.md: Salary: €55,000–€65,000 per year"}}


def test_french_docx_posting(imported: Imported):
    role = imported.role("ingenieure-devops")
    jd = role["job_description"]
    assert role["title"] == "Ingénieur·e DevOps (H/F)"
    assert role["employment_type"] == "full-time"  # CDI
    assert role["locations"] == [{"mode": "hybrid", "places": [{"name": "Lyon", "country": "FR"}],
                                  "note": "2 jours de télétravail par semaine"}]
    assert role["compensation"]["levels"] == [{"level": role["title"], "min": 45000, "max": 55000}]
    assert (role["compensation"]["currency"], role["compensation"]["period"]) == ("EUR", "year")
    assert role["compensation"]["source"]["name"] == "l’annonce importée"  # the posting's language
    assert {"text": "Automatiser les déploiements :", "items": [
        "pipelines GitLab CI pour chaque service", "déploiements progressifs avec retour arrière en un clic"]} \
        in jd["key_responsibilities"]  # a nested list stays nested
    assert {"text": "Une bonne maîtrise de Terraform et d’un outil de gestion de configuration.",
            "items": ["Ansible de préférence, Salt accepté"]} in role["qualifications"]["prerequisites"]
    assert jd["perks"] == ["✅ Douze jours de RTT par an.", "✅ Une mutuelle prise en charge à 80\u00a0%.",
                           "✅ Un budget formation de 2 000 € par an…"]  # typed ✅ bullets: the author's, kept
    assert [(s["heading"], s["after"]) for s in jd["sections"]] == [
        ("Savoir-être", "qualifications"), ("Qui sommes-nous ?", "company"), ("Processus de recrutement", "apply")]
    assert "\n" in jd["sections"][1]["paragraphs"][0], "a soft line break is kept"
    assert jd["how_to_apply"] == ("Envoyez votre CV sur [notre page carrières](https://brume.example/carrieres), "
                                  "sans lettre de motivation.")
    assert "declares the language “en-US”, but its text reads as fr" in imported.reports["ingenieur-devops.docx"]


def test_markdown_without_title_or_responsibilities_heading(imported: Imported):
    role = imported.role("consultant-data-freelance")
    report = imported.reports["consultant-data-freelance.md"]
    assert role["title"] == "Consultant Data Freelance"
    assert "taken from the file name" in report
    assert role["job_description"]["key_responsibilities"][0].startswith("Recenser les sources")
    assert "no heading names the responsibilities, so the first list after the introduction" in report
    assert role["employment_type"] == "contract" and "the title's “freelance” → employment_type: contract" in report
    assert role["compensation"]["period"] == "day"
    assert role["compensation"]["levels"][0]["min"] == role["compensation"]["levels"][0]["max"] == 600
    assert role["locations"] == [{"mode": "<<CONFIRM>>", "places": [{"name": "Paris", "country": "FR"}]},
                                 {"mode": "remote"}]
    [section] = role["job_description"]["sections"]
    assert section["heading"] == "Modalités"
    assert [s["heading"] for s in section["subsections"]] == ["Matériel", "Facturation"]


def test_docx_with_bold_headings_thirty_bullets_and_a_day_rate(imported: Imported):
    role = imported.role("data-engineer-contract")
    report = imported.reports["data-engineer-contract.docx"]
    assert role["title"] == "Data Engineer (Contract)"
    assert len(role["job_description"]["key_responsibilities"]) == 32
    assert role["compensation"]["period"] == "day" and role["compensation"]["currency"] == "EUR"
    assert ({"text": "Hands-on work with one cloud warehouse:", "items": ["Snowflake", "BigQuery, or (Redshift with Spectrum)"]}
            in role["qualifications"]["prerequisites"])  # two levels kept; a third is folded in parentheses
    assert role["qualifications"]["prerequisites"][0] == "Five or more years building data pipelines in production."
    assert "“Contract: 6 months, outside IR35” was not read as a fact" in report
    assert role["job_description"]["about_the_role"][0] == "Contract: 6 months, outside IR35"
    assert role["locations"] == [{"mode": "<<CONFIRM>>", "places": [{"name": "London", "country": "GB"}]},
                                 {"mode": "remote", "hires_in": ["GB"]}]
    assert "employment_type: contract\n" in imported.text("data-engineer-contract")
    assert "the title's “contract” → employment_type: contract" in report


def test_html_posting(imported: Imported):
    role = imported.role("product-designer")
    text = imported.text("product-designer")
    report = imported.reports["product-designer.html"]
    assert role["employment_type"] == "part-time"
    assert role["locations"] == [{"mode": "hybrid", "places": [{"name": "Lisbon", "country": "PT"},
                                                               {"name": "Porto", "country": "PT"}]}]
    assert role["compensation"]["currency"] == "GBP"
    assert "**calm and clear**" in role["job_description"]["about_the_role"][0]
    assert "*nine*" in role["job_description"]["about_the_role"][1]
    assert role["job_description"]["how_to_apply"] == (
        "Apply through [our careers page](https://quayside.example/jobs/product-designer) with a portfolio link.\n"
        "We reply within two weeks.")
    for outside in ("script text", "Cookie settings", "All jobs", "Privacy", "javascript", "team-photo"):
        assert outside not in text
    assert "none was fetched" in report and "<main> only" in report
    assert [s["heading"] for s in role["job_description"]["sections"]] == ["Why this role is open",
                                                                          "Equal opportunity"]


def test_text_posting(imported: Imported):
    role = imported.role("customer-support-lead")
    jd = role["job_description"]
    assert role["title"] == "Customer Support Lead"
    assert role["locations"] == [{"mode": "on-site", "places": [{"name": "Manchester, UK", "country": "GB"}]}]
    assert jd["summary"].startswith("Brightwell Energy supplies electricity to 90,000 homes in the north of England.")
    assert jd["about_the_role"][0].startswith("You will lead a team of eight advisers")
    assert {"text": "Take escalated calls, including vulnerable customers:",
            "items": ["customers on the priority services register", "customers in payment difficulty"]} \
        in jd["key_responsibilities"]
    assert jd["key_responsibilities"][-1] == ("Report the top five reasons customers call to the product team "
                                              "each month, with examples.")
    assert jd["how_to_apply"] == ("Send your CV to careers@brightwell.example.\n"
                                  "Tell us, in a few lines, about a complaint you turned around.")


# --- files that cannot be imported ----------------------------------------------------------------

def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _docx_bytes(spec: list) -> bytes:
    buffer = io.BytesIO()
    make_docx.build(spec).save(buffer)
    return buffer.getvalue()


def _macro_enabled() -> bytes:
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(make_docx.DATA_ENGINEER))) as package:
        entries = {name: package.read(name) for name in package.namelist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    return _zip(entries)


UNREADABLE = {
    "damaged.docx": (lambda: b"PK\x03\x04 this is not really a zip", "not a Word document"),
    "no-document.docx": (lambda: _zip({"hello.txt": b"hi"}), "cannot be read as a Word document"),
    "macros.docx": (_macro_enabled, "macro-enabled"),
    "bomb.docx": (lambda: _zip({"word/document.xml": b"\0" * (MAX_UNZIPPED + 1)}), "would unpack to"),
    "binary.txt": (lambda: bytes(range(256)) * 4, "binary file"),
    "latin1.md": (lambda: "# Ingénieur\n\nUn poste à Lyon.".encode("latin-1"), "not UTF-8 text (byte 0xe9 on line 1)"),
    "utf16.txt": (lambda: "Engineer".encode("utf-16"), "UTF-16"),
    "scan.pdf": (lambda: b"%PDF-1.7\n", "cannot import a .pdf file"),
    "old.doc": (lambda: b"\xd0\xcf\x11\xe0", "save it as .docx"),
    "README": (lambda: b"text", "a file without an extension"),
    "huge.txt": (lambda: b"a" * (MAX_BYTES + 1), "larger than the 5.0 MB"),
    "empty.md": (lambda: b"", "it has no text to import"),
    "deep.txt": (lambda: b"Title\n\nIntro.\n\n" + b"".join(b" " * i + b"- x\n" for i in range(3000)),
                 "nested too deeply"),
}


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_file_that_cannot_be_imported_gets_an_error_naming_it_and_writes_nothing(tmp_path: Path, name: str):
    make, expected = UNREADABLE[name]
    path = tmp_path / name
    path.write_bytes(make())
    content = fresh_content(tmp_path)
    before = sorted((content / "roles").iterdir())
    result = import_files([path], content, language=None, force=False, today=TODAY)
    assert result.written == [] and result.reports == []
    [error] = result.errors
    assert error.startswith(f"{path}: ") and expected in error and error.endswith("nothing was written")
    assert sorted((content / "roles").iterdir()) == before


def test_a_missing_file_is_an_error(tmp_path: Path):
    result = import_files([tmp_path / "nope.md"], fresh_content(tmp_path), language=None, force=False, today=TODAY)
    assert result.errors == [f"{tmp_path / 'nope.md'}: there is no such file; nothing was written"]


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"junk")
    result = import_files([bad, IMPORT / "support-lead.txt"], fresh_content(tmp_path), language=None, force=False,
                          today=TODAY)
    assert len(result.errors) == 1 and [p.name for p in result.written] == ["customer-support-lead.yaml"]


def test_an_existing_role_is_never_overwritten_without_force(tmp_path: Path):
    content = fresh_content(tmp_path)
    source = IMPORT / "platform-engineer.md"
    [target] = import_files([source], content, language=None, force=False, today=TODAY).written
    target.write_text(target.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    edited = target.read_bytes()

    again = import_files([source], content, language=None, force=False, today=TODAY)
    assert again.written == [] and "already exists; use --force to replace it" in again.errors[0]
    assert target.read_bytes() == edited

    forced = import_files([source], content, language=None, force=True, today=TODAY)
    assert forced.written == [target] and forced.errors == []
    assert "existed and was replaced (--force)" in forced.reports[0]
    assert b"# edited by hand" not in target.read_bytes()
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


def test_a_slug_another_file_declares_is_refused_even_with_force(tmp_path: Path):
    content = fresh_content(tmp_path)
    other = content / "roles" / "legacy-platform.yaml"
    other.write_text((content / "roles" / "support-engineer.yaml").read_text(encoding="utf-8").replace(
        "slug: support-engineer", "slug: platform-engineer").replace("related_roles:\n  - senior-support-engineer\n",
                                                                    ""), encoding="utf-8")
    result = import_files([IMPORT / "platform-engineer.md"], content, language=None, force=True, today=TODAY)
    assert result.written == []
    assert result.errors == [f"{IMPORT / 'platform-engineer.md'}: the slug 'platform-engineer' is already used by "
                             f"{other}; nothing was written"]


def test_two_files_making_the_same_role_in_one_run(tmp_path: Path):
    copy = tmp_path / "copy.md"
    shutil.copy(IMPORT / "platform-engineer.md", copy)
    result = import_files([IMPORT / "platform-engineer.md", copy], fresh_content(tmp_path), language=None,
                          force=True, today=TODAY)
    assert [p.name for p in result.written] == ["platform-engineer.yaml", "platform-engineer-2.yaml"]
    assert result.errors == []
    assert (f"{IMPORT / 'platform-engineer.md'}, earlier in this import, makes platform-engineer.yaml, so this one "
            "is platform-engineer-2.yaml") in result.reports[1]
    assert "slug: platform-engineer-2\n" in result.written[1].read_text(encoding="utf-8")


# --- language -------------------------------------------------------------------------------------

def test_language_is_detected_from_the_text(imported: Imported):
    assert {case.slug: imported.role(case.slug)["language"] for case in CASES} == {
        case.slug: case.language for case in CASES}
    assert "language: en (read from the text)" in imported.reports["support-lead.txt"]


def test_language_given_wins_and_a_bad_code_is_refused(tmp_path: Path):
    content = fresh_content(tmp_path)
    given = import_files([IMPORT / "support-lead.txt"], content, language="en-GB", force=False, today=TODAY)
    assert imported_language(given.written[0]) == "en-GB"
    bad = import_files([IMPORT / "support-lead.txt"], content, language="French", force=True, today=TODAY)
    assert bad.written == [] and "--language 'French' is not a language code" in bad.errors[0]


def imported_language(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["language"]


def test_a_short_text_takes_the_language_the_file_declares(tmp_path: Path):
    path = tmp_path / "kurz.html"
    path.write_text('<html lang="de-AT"><body><h1>Koch</h1><p>Küche.</p><h2>Aufgaben</h2><ul><li>Kochen</li></ul>'
                    "<h2>Profil</h2><ul><li>Mut</li></ul></body></html>", encoding="utf-8")
    result = import_files([path], fresh_content(tmp_path), language=None, force=False, today=TODAY)
    assert imported_language(result.written[0]) == "de"
    assert "the one the file declares" in result.reports[0]


# --- German and Spanish, and the tables -----------------------------------------------------------

GERMAN = """# Backend-Entwickler (m/w/d)

Standort: Hamburg (Vor Ort)
Anstellungsart: Vollzeit, unbefristet
Gehalt: 60.000 – 70.000 € brutto pro Jahr

Wir bauen die Software, mit der 200 Werkstätten ihre Termine planen.

## Ihre Aufgaben

- Sie entwickeln unsere Schnittstellen in Kotlin weiter.

## Ihr Profil

- Sie haben drei Jahre Erfahrung mit der JVM.

## Wir bieten

- 30 Tage Urlaub.

## Über uns

Seit 2012 arbeiten wir von Hamburg aus.
"""

SPANISH = """# Analista de datos

Ubicación: Madrid (híbrido)
Tipo de contrato: Indefinido
Salario: 35.000 - 40.000 € brutos anuales

Buscamos a alguien que convierta datos de ventas en decisiones.

## Lo que harás

- Preparar los informes semanales de ventas.

## Requisitos

- Dos años de experiencia con SQL.

## Beneficios

- Jornada intensiva en verano.

## Sobre nosotros

Somos una cadena de librerías con 40 tiendas.
"""


@pytest.mark.parametrize("name, text, expected", [
    ("entwickler.md", GERMAN, {"language": "de", "employment_type": "full-time",
                                "locations": [{"mode": "on-site", "places": [{"name": "Hamburg", "country": "DE"}]}],
                                "pay": ("EUR", "year", 60000, 70000), "company": "Über uns",
                                "slug": "backend-entwickler"}),
    ("analista.md", SPANISH, {"language": "es", "employment_type": "full-time",
                              "locations": [{"mode": "hybrid", "places": [{"name": "Madrid", "country": "ES"}]}],
                              "pay": ("EUR", "year", 35000, 40000), "company": "Sobre nosotros",
                              "slug": "analista-de-datos"}),
])
def test_german_and_spanish_postings(tmp_path: Path, name: str, text: str, expected: dict):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = import_files([path], fresh_content(tmp_path), language=None, force=False, today=TODAY)
    assert result.errors == []
    role = yaml.safe_load(result.written[0].read_text(encoding="utf-8"))
    pay = role["compensation"]
    assert role["slug"] == expected["slug"]
    assert (role["language"], role["employment_type"], role["locations"]) == (
        expected["language"], expected["employment_type"], expected["locations"])
    assert (pay["currency"], pay["period"], pay["levels"][0]["min"], pay["levels"][0]["max"]) == expected["pay"]
    assert [s["heading"] for s in role["job_description"]["sections"]] == [expected["company"]]
    assert len(role["job_description"]["key_responsibilities"]) == len(role["job_description"]["perks"]) == 1


BRIEF_HEADINGS = {
    "Responsibilities": "responsibilities", "What you'll do": "responsibilities", "Your mission": "responsibilities",
    "Missions": "responsibilities", "Ce que vous ferez": "responsibilities", "Aufgaben": "responsibilities",
    "Lo que harás": "responsibilities", "Profil recherché": "prerequisites", "Ihr Profil": "prerequisites",
    "Requisitos": "prerequisites", "Benefits": "benefits", "Avantages": "benefits", "Wir bieten": "benefits",
    "Beneficios": "benefits", "About us": "company", "Qui sommes-nous": "company", "Über uns": "company",
}


@pytest.mark.parametrize("heading", BRIEF_HEADINGS)
def test_heading_table_matches_ignoring_case_accents_emoji_and_punctuation(heading: str):
    slot = BRIEF_HEADINGS[heading]
    bare = unicodedata.normalize("NFKD", heading)
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    for written in (heading, heading.upper(), bare.lower(), f"🎯 {heading} :", f"2. {heading}!",
                    heading.replace("'", "’"), f"¿{heading}?"):
        assert vocabulary().heading_slot(written) == (slot, True), written


def test_heading_table_covers_four_languages_for_every_slot():
    table = yaml.safe_load(HEADINGS_FILE.read_text(encoding="utf-8"))
    assert "Source:" in HEADINGS_FILE.read_text(encoding="utf-8")
    for slot, languages in table["slots"].items():
        assert {"en", "fr", "de", "es"} <= set(languages), slot
    assert vocabulary().heading_slot("Your responsibilities as our first SRE") == ("responsibilities", False)
    assert vocabulary().heading_slot("Plus de détails") is None


@pytest.mark.parametrize("line, expected", [
    ("€55,000–€65,000 per year", ("EUR", "year", 55000, 65000)),
    ("45\u202f000\u00a0€ – 55\u202f000\u00a0€ brut annuel", ("EUR", "year", 45000, 55000)),
    ("60.000 – 70.000 € brutto pro Jahr", ("EUR", "year", 60000, 70000)),
    ("35.000 - 40.000 € brutos anuales", ("EUR", "year", 35000, 40000)),
    ("£900 per week", ("GBP", "week", 900, 900)),
    ("USD 4,500 a month", ("USD", "month", 4500, 4500)),
    ("$40 an hour", ("USD", "hour", 40, 40)),
    ("55–65k CHF", ("CHF", None, 55000, 65000)),
    ("550 € HT / jour", ("EUR", "day", 550, 550)),
])
def test_pay_lines(line: str, expected: tuple):
    pay = read_pay(line)
    assert (pay.currency, pay.period, pay.minimum, pay.maximum) == expected


def test_a_day_rate_label_gives_the_period_and_competitive_pay_is_not_read():
    assert read_pay("€600", period="day").period == "day"
    assert read_pay("competitive") is None
    assert "read “$” as USD" in read_pay("$40 an hour").remarks


@pytest.mark.parametrize("value, modes", [
    ("Remote", ["remote"]), ("Télétravail complet", ["remote"]), ("Hybride", ["hybrid"]),
    ("Vor Ort", ["on-site"]), ("Berlin (hybrid, two office days a week)", ["hybrid"]),
    ("Madrid (presencial)", ["on-site"]), ("Lisbon or remote", ["on-site", "remote"]),
])
def test_location_modes(value: str, modes: list[str]):
    assert [place.mode for place in read_locations(value)] == modes


def _import_text(tmp_path: Path, name: str, text: str) -> tuple[dict, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = import_files([path], fresh_content(tmp_path), language=None, force=False, today=TODAY)
    assert result.errors == []
    return yaml.safe_load(result.written[0].read_text(encoding="utf-8")), result.reports[0]


BODY = "\n\nWe repair bicycles for the whole city.\n\n## Tasks\n\n- Fix bikes.\n\n## Requirements\n\n- Patience.\n"


def test_facts_side_by_side_and_a_work_mode_line(tmp_path: Path):
    role, report = _import_text(tmp_path, "mechanic.md", "# Bike Mechanic\n\nLocation: Ghent | Type: Part-time\n\n"
                                                          "Work mode: hybrid, two days in the workshop" + BODY)
    assert role["employment_type"] == "part-time"
    assert role["locations"] == [{"mode": "hybrid", "places": [{"name": "Ghent", "country": "BE"}],
                                  "note": "hybrid, two days in the workshop"}]
    assert "names no work mode" not in report and "employment_type" not in report.split("review:")[1]


def test_a_mode_stated_only_in_the_text_is_read_and_an_unstated_contract_is_left_to_confirm(tmp_path: Path):
    role, report = _import_text(tmp_path, "mechanic.md", "# Bike Mechanic\n\nThis is a fully remote role, oddly."
                                + BODY)
    assert role["locations"] == [{"mode": "remote"}]
    assert "“fully remote” in the text → locations: remote, with no place" in report
    assert role["employment_type"] == "<<CONFIRM>>"
    assert report.index("to confirm") < report.index("mapped:")
    assert "employment_type: the posting does not say" in report.split("mapped:")[0]


@pytest.mark.parametrize("section", ["## Interview process\n\n1. A call.\n2. A visit on site to meet the team.\n",
                                     "## Bewerbungsprozess\n\n- Fallstudie, die du mit uns vor Ort besprichst\n",
                                     "## How to apply\n\nDrop your CV at the workshop, on site, any morning.\n"])
def test_how_the_interviews_are_held_says_nothing_of_where_the_job_is_done(tmp_path: Path, section: str):
    role, report = _import_text(tmp_path, "mechanic.md", "# Bike Mechanic" + BODY + "\n" + section)
    assert role["locations"] == "<<CONFIRM>>"
    assert "locations: the posting does not say where the job is done" in report.split("mapped:")[0]


@pytest.mark.parametrize("closing", ["Envía tu CV a empleo@cuidacasa.example antes del 15 de enero.",
                                     "Send your CV to jobs@bakery.example.", "Bewirb dich bis Ende Januar."])
def test_how_to_apply_after_a_benefits_list_is_how_to_apply_not_a_benefit(tmp_path: Path, closing: str):
    role, report = _import_text(tmp_path, "mechanic.md", "# Bike Mechanic" + BODY + "\n## Benefits\n\n"
                                "- A bike of your own\n- Free repairs\n\n" + closing + "\n")
    assert role["job_description"]["perks"] == ["A bike of your own", "Free repairs"]
    assert role["job_description"]["how_to_apply"] == closing
    assert "→ job_description.how_to_apply (a paragraph after the list under “Benefits”)" in report
    assert "became an item of" not in report


def test_text_after_a_sections_list_stays_after_it_and_text_between_lists_is_flagged(tmp_path: Path):
    role, report = _import_text(tmp_path, "mechanic.md", "# Bike Mechanic" + BODY + "\n## Our workshop\n\nWe work on:\n\n"
                                "- cargo bikes\n- e-bikes\n\nEvery repair is logged.\n\nWe close at six.\n")
    section = role["job_description"]["sections"][0]
    assert {k: v for k, v in section.items() if k != "after"} == {
        "heading": "Our workshop", "paragraphs": ["We work on:"], "bullets": ["cargo bikes", "e-bikes"],
        "closing": ["Every repair is logged.", "We close at six."]}
    assert "(1 paragraph, 2 bullets, 2 paragraphs after them)" in report
    assert "text between its lists" not in report
    (tmp_path / "again").mkdir()
    _, report = _import_text(tmp_path / "again", "mechanic.md", "# Bike Mechanic" + BODY + "\n## Our workshop\n\n- cargo bikes\n\n"
                             "And also:\n\n- e-bikes\n")
    assert "“Our workshop” has text between its lists" in report.split("review:")[1]


@pytest.mark.parametrize("value, places", [
    ("Hamburg (Schanzenviertel) oder remote innerhalb Deutschlands",
     [("on-site", ("Hamburg",), "Schanzenviertel"), ("remote", ("innerhalb Deutschlands",), None)]),
    ("Paris (Marais) ou télétravail depuis la France",
     [("on-site", ("Paris",), "Marais"), ("remote", ("depuis la France",), None)]),
    ("Portland (OR)", [("on-site", ("Portland", "OR"), None)]),  # a state in parentheses is still a place
    ("Remote (Europe)", [("remote", ("Europe",), None)]),  # no place before it: the words are the place
])
def test_words_in_parentheses_after_a_place_that_name_no_place_say_where_in_it(value: str, places: list):
    assert [(p.mode, p.places, p.note) for p in read_locations(value)] == places


@pytest.mark.parametrize("name, currency, country", [
    ("Valencia", None, None),  # Valencia, Venezuela and Valencia, Spain: comparable sizes, no guess
    ("Valencia", "EUR", "ES"), ("Valencia", "VES", "VE"),
    ("Valencia", "USD", None),  # Valencia, California is far smaller than either: still no guess
    ("Paris", "USD", "FR"),  # never Paris, Texas because the pay is in dollars
    ("Hamburg", "EUR", "DE"),
])
def test_the_pay_currency_tells_apart_cities_of_one_name_of_comparable_size(name, currency, country):
    found = resolve(name, currency)
    assert (found.country if found else None) == country


def test_an_imported_valencia_paid_in_euros_is_in_spain_and_the_report_says_why(tmp_path: Path):
    role, report = _import_text(tmp_path, "nurse.md", "# Nurse\n\nUbicación: Valencia\nSalario: 24.000 € brutos anuales"
                                + BODY)
    assert role["locations"][0]["places"] == [{"name": "Valencia", "country": "ES"}]
    assert "“Valencia” → ES (ISO 3166; of the places of that name, the one in a country paying in EUR)" in report


@pytest.mark.parametrize("phrase, name, country", [
    ("within the UK", "UK", "GB"), ("UK only", "UK", "GB"), ("innerhalb Deutschlands", "Deutschland", "DE"),
    ("in ganz Deutschland", "Deutschland", "DE"), ("innerhalb der Schweiz", "Schweiz", "CH"),
    ("innerhalb Österreichs", "Österreich", "AT"), ("depuis la France", "France", "FR"),
    ("dans toute la France", "France", "FR"), ("depuis l'Espagne", "Espagne", "ES"),
    ("en toda España", "España", "ES"), ("desde España", "España", "ES"),
])
def test_a_remote_area_is_read_as_its_country(phrase: str, name: str, country: str):
    assert resolve(phrase) == Resolved(name, country)


def test_a_remote_area_the_import_places_becomes_the_country_it_hires_in(tmp_path: Path):
    role, report = _import_text(tmp_path, "mechanic.md", "# Bike Mechanic\n\nWo: remote innerhalb Deutschlands" + BODY)
    assert role["locations"] == [{"mode": "remote", "hires_in": ["DE"]}]
    assert "could not be placed" not in report


# --- untrusted documents fetch nothing ------------------------------------------------------------

@pytest.fixture
def listener():
    """A web server on the loopback interface that records every request made to it."""
    hits: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    urllib.request.urlopen(f"{url}/ready", timeout=5).close()
    assert hits == ["/ready"], "the listener records requests, so an empty record means none was made"
    hits.clear()
    yield url, hits
    server.shutdown()
    server.server_close()


def _with_outside_references(url: str) -> bytes:
    """A DOCX that links an image and a template from `url`, links to it, and carries a macro project."""
    document = make_docx.build(make_docx.DATA_ENGINEER)
    image = document.part.relate_to(f"{url}/image.png", make_docx.RELATIONSHIP_TYPE.IMAGE, is_external=True)
    drawing = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:drawing><wp:inline>'
        '<wp:extent cx="914400" cy="914400"/><wp:docPr id="7" name="Picture 7"/><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="7" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:link="{image}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing></w:r>")
    from docx.oxml import parse_xml

    document.paragraphs[4]._p.append(parse_xml(drawing))
    template = document.part._settings_part.relate_to(f"{url}/template.dotm",
                                                ATTACHED_TEMPLATE, is_external=True)
    attached = make_docx.OxmlElement("w:attachedTemplate")
    attached.set(make_docx.qn("r:id"), template)
    document.settings.element.append(attached)
    make_docx._hyperlink(document.add_paragraph("More: "), "the office", f"{url}/office")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        entries = {name: package.read(name) for name in package.namelist()}
    entries["word/vbaProject.bin"] = b"Attribute VB_Name = \"AutoOpen\""
    return _zip(entries)


def test_a_docx_with_outside_references_and_macros_fetches_and_runs_nothing(tmp_path: Path, listener):
    url, hits = listener
    path = tmp_path / "linked.docx"
    path.write_bytes(_with_outside_references(url))
    result = import_files([path], fresh_content(tmp_path), language=None, force=False, today=TODAY)
    assert result.errors == []
    report = result.reports[0]
    assert "refers to 2 outside address(es)" in report and "none was fetched" in report
    assert "macro project (vbaProject.bin); it was not run" in report
    assert f"[the office]({url}/office)" in result.written[0].read_text(encoding="utf-8")
    assert hits == []


def test_a_docx_with_an_external_entity_fetches_nothing(tmp_path: Path, listener):
    url, hits = listener
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(make_docx.DATA_ENGINEER))) as package:
        entries = {name: package.read(name) for name in package.namelist()}
    entries["word/document.xml"] = entries["word/document.xml"].replace(
        b"?>", f'?><!DOCTYPE w:document [<!ENTITY remote SYSTEM "{url}/entity">]>'.encode(), 1).replace(
        b"Harbourline is rebuilding", b"&remote; Harbourline is rebuilding", 1)
    path = tmp_path / "entity.docx"
    path.write_bytes(_zip(entries))
    result = import_files([path], fresh_content(tmp_path), language=None, force=False, today=TODAY)
    assert hits == []
    assert result.errors == [], "the entity is left unresolved; the rest of the document is read"


def test_html_with_remote_resources_fetches_nothing(tmp_path: Path, listener):
    url, hits = listener
    path = tmp_path / "remote.html"
    path.write_text(f"""<!DOCTYPE html><html lang="en"><head>
        <link rel="stylesheet" href="{url}/style.css"><script src="{url}/script.js"></script>
        <style>@import url("{url}/import.css"); body {{ background: url({url}/background.png) }}</style>
        <base href="{url}/"></head><body style="background-image: url({url}/body.png)">
        <h1>Barista</h1><img src="{url}/photo.jpg" srcset="{url}/photo-2x.jpg 2x">
        <p>We roast our own beans every morning and serve 500 cups a day.</p>
        <video poster="{url}/poster.jpg"><source src="{url}/film.mp4"></video>
        <iframe src="{url}/frame"></iframe><object data="{url}/object"></object><embed src="{url}/embed">
        <h2>Responsibilities</h2><ul><li>Pull great espresso.</li></ul>
        <h2>Requirements</h2><ul><li>A year behind a busy bar.</li></ul>
        <script>fetch("{url}/inline")</script></body></html>""", encoding="utf-8")
    result = import_files([path], fresh_content(tmp_path), language=None, force=False, today=TODAY)
    assert result.errors == []
    written = result.written[0].read_text(encoding="utf-8")
    assert url not in written and "fetch" not in written
    assert hits == []


def test_markdown_with_raw_html_keeps_its_text_and_fetches_nothing(tmp_path: Path, listener):
    url, hits = listener
    role, report = _import_text(tmp_path, "raw.md", f"""# Gardener

We look after <b>twelve</b> city parks.<br>Come and join us. <img src="{url}/inline.png">

<div><p>Our crews start at seven.</p><script src="{url}/block.js">fetch("{url}/run")</script></div>

## Tasks

- Plant trees.

## Requirements

- Strong back.
""")
    assert role["job_description"]["about_the_role"] == ["We look after twelve city parks.\nCome and join us.",
                                                         "Our crews start at seven."]
    assert "fetch" not in str(role) and "nothing was fetched" in report
    assert hits == []


def test_the_cli_imports_a_file_writes_the_role_and_refuses_to_overwrite_it(content: Path) -> None:
    from conftest import rolepack

    source = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "platform-engineer.md"
    first = rolepack("import", str(source), "--content", "content")
    assert first.exit_code == 0, first.stderr
    written = sorted((content / "roles").glob("*.yaml"))
    assert any("platform" in p.name for p in written)
    again = rolepack("import", str(source), "--content", "content")
    assert again.exit_code == 2 and "error:" in again.stderr
    check = rolepack("validate", "--content", "content")  # a draft: set aside, never stopping the other roles
    assert (check.exit_code, check.problems) == (0, []), check.stderr
    assert check.stdout.endswith("1 draft set aside.\n")
    assert "<<CONFIRM>> from `rolepack import`" in check.stderr


def test_headings_word_numbers_stay_headings_not_list_items(tmp_path: Path):
    """Word numbers headings with list numbering ("1 About the role"); our own drafts' chapters are
    numbered so. Such a paragraph is a heading, and its section's content lands where the heading says."""
    source = docx.Document()
    source.add_paragraph("Helpdesk Engineer", style="Title")
    number_id = source.part.numbering_part.element.find(qn("w:num")).get(qn("w:numId"))  # the template's
    numbered = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{number_id}"/></w:numPr>')
    for heading, body in (("About the role", "You will answer our customers' hardest questions."),
                          ("Responsibilities", None)):
        paragraph = source.add_paragraph(heading, style="Heading 2")
        paragraph._p.get_or_add_pPr().append(copy.deepcopy(numbered))
        if body:
            source.add_paragraph(body)
    for item in ("Answer tickets within a day.", "Write up what you learn."):
        source.add_paragraph(item, style="List Bullet")
    path = tmp_path / "helpdesk-engineer.docx"
    source.save(path)
    [target] = import_files([path], fresh_content(tmp_path), language=None, force=False, today=TODAY).written
    role = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert role["job_description"]["about_the_role"] == ["You will answer our customers' hardest questions."]
    assert role["job_description"]["key_responsibilities"] == ["Answer tickets within a day.", "Write up what you learn."]
