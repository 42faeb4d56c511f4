"""Building PDFs through the real command and reading them back with the tools a reader would use.

Nothing here asks the renderer how it did: a PDF is judged by poppler (`pdftotext`, `pdffonts`,
`pdfinfo`), qpdf and pikepdf, the way a recruiter's viewer, a screen reader or an archive would
see it. Expected text comes from the content itself (the role YAML, company.yaml, brand.yaml).

Text from `pdftotext` is compared after `squash`: white space and hyphens of every kind are removed
from both sides. Line breaks and automatic hyphenation then never decide a test; hyphens have to
go entirely because a font may share one glyph between "-" and "‐", and poppler joins a word
broken after a real hyphen ("well-" + "tested" reads "welltested"). Every other character a
reader sees still counts.

Reading order is poppler's: `pdftotext` without `-raw` or `-layout` orders text as a reader
would, column by column and floats where they sit on the page, rather than in the order the
renderer happened to paint it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import yaml
from lxml import etree

from pipeline.check.catalogue import Catalogue, load_catalogue

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
LAYOUTS = REPO / "layouts"
KINDS = ("job-description", "hiring-guide")
LONG = bool(os.environ.get("ROLEPACK_LONG"))
ROLES = (sorted(p.stem for p in (CONTENT / "roles").glob("*.yaml")) if LONG else
         ["backend-engineer", "devops-sre-engineer", "engineering-manager", "senior-backend-engineer"])
"""The shipped roles whose PDFs the suite builds once and reads: every one under `make long`; in
`make test` four that exercise different things (the parent and the role that extends it, a
manager's interview plan, the job description whose two-column list flows over a page)."""
ROLE_ARGS = () if LONG else tuple(arg for role in ROLES for arg in ("--role", role))
SHIPPED_BRANDS = sorted(p.parent.name for p in (CONTENT / "brands").glob("*/brand.yaml"))  # the demo company's own
BRANDS = SHIPPED_BRANDS if LONG else ["default"]
"""The brands whose shipped PDFs the suite builds once and reads: both under `make long`
(ROLEPACK_LONG=1), the default one in `make test`, where the agency's US Letter brand is rendered by
the tests that build it by name (reproducibility, identity, tuning)."""
BRAND_ARGS = tuple(arg for brand in BRANDS for arg in ("--brand", brand))
DOCS = [(brand, role, kind) for brand in BRANDS for role in ROLES for kind in KINDS]
TODAY = dt.date.today()  # the shipped content carries real dates, so it meets the real clock
MM = 72 / 25.4
PAGE_SIZES = {"A4": (595.276, 841.89), "Letter": (612.0, 792.0)}

#: The hiring guide's chapters, in order, as the table of contents lists them.
CHAPTERS = ["Job description", "What the role handles", "Qualifications", "Compensation by level",
            "Interview plan", "Question bank", "Scorecard", "Debrief template",
            "Interviewer do’s and don’ts", "Frequently asked questions", "Tools and programs", "Team sizing"]
RELATED = "Related roles"
SCALE = ["1 · Strong no", "2 · Lean no", "3 · Lean yes", "4 · Strong yes"]


def doc_id(doc: tuple[str, str, str]) -> str:
    return "/".join(doc)


def pdf_path(out: Path, brand: str, role: str, kind: str) -> Path:
    return out / brand / role / f"{role}-{kind}.pdf"


# --- running the command --------------------------------------------------------------------------

@dataclass(frozen=True)
class Build:
    out: Path
    exit_code: int
    stdout: str
    stderr: str


def rolepack_build(out: Path, *args: str, content: Path = CONTENT, layouts: Path | None = None) -> Build:
    """`rolepack build --format pdf` in a fresh process, as a user or CI runs it.

    SOURCE_DATE_EPOCH is removed so every document is dated from its content, whatever the
    environment the tests run in. A build of the shipped content that names no brand builds BRANDS,
    and one that names no role builds ROLES.
    """
    if content == CONTENT and "--brand" not in args and not LONG:
        args = (*args, *BRAND_ARGS)  # as the shipped build
    if content == CONTENT and "--role" not in args and not LONG:
        args = (*args, *ROLE_ARGS)
    command = [sys.executable, "-m", "pipeline", "build", "--format", "pdf", "--out", str(out),
               "--content", str(content), *args]
    if layouts is not None:
        command += ["--layouts", str(layouts)]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    return Build(out, done.returncode, done.stdout, done.stderr)


_SHIPPED: dict[str, Build] = {}


def shipped_build(tmp_path_factory) -> Build:
    """The one build of all shipped content (every role, every brand) that most tests read.

    Each test module asks for it through its own session fixture; the result is kept here, so
    the ~25 s build runs once per test run whichever modules are selected. Under pytest-xdist the
    workers share it: the first to ask builds it into their common temporary folder, holding a
    lock, and the others wait for that lock and read what it recorded.
    """
    if "build" not in _SHIPPED:
        if os.environ.get("PYTEST_XDIST_WORKER"):
            _SHIPPED["build"] = _shared_build(tmp_path_factory.getbasetemp().parent / "shipped")
        else:
            _SHIPPED["build"] = rolepack_build(tmp_path_factory.mktemp("shipped") / "out")
    return _SHIPPED["build"]


def _shared_build(folder: Path) -> Build:
    import fcntl
    import json

    folder.mkdir(exist_ok=True)
    record = folder / "build.json"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.is_file():  # the other test worker usually waits for this build: it gets both cores
            build = rolepack_build(folder / "out", "--jobs", "2")
            record.write_text(json.dumps([build.exit_code, build.stdout, build.stderr]), encoding="utf-8")
    exit_code, stdout, stderr = json.loads(record.read_text(encoding="utf-8"))
    return Build(folder / "out", exit_code, stdout, stderr)


def tool(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)} failed: {done.stderr}"
    return done.stdout


# --- the content the documents are made from -------------------------------------------------------

@functools.lru_cache(maxsize=4)
def catalogue(content: Path = CONTENT) -> Catalogue:
    """The roles as the YAML defines them (with `extends` applied), read by the validated loader."""
    return load_catalogue(content, today=TODAY, base=REPO)


def company_field(role_slug: str, field: str):
    """A company value as a role prints it: the role's own override, else company.yaml's in the role's language."""
    cat = catalogue()
    role = cat.roles[role_slug]
    value = getattr(role.company, field) if role.company is not None else None
    return value if value is not None else getattr(cat.company.in_language(role.language), field)


def issued(role_slug: str) -> dt.date:
    """The date a document carries: the role's review date, else its salary data's date."""
    role = catalogue().roles[role_slug]
    return role.reviewed or role.compensation.source.as_of


@functools.lru_cache(maxsize=8)
def brand_yaml(brand: str) -> dict:
    return yaml.safe_load((CONTENT / "brands" / brand / "brand.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def bundled_families() -> tuple[str, ...]:
    return tuple(yaml.safe_load((LAYOUTS / "fonts" / "fonts.yaml").read_text(encoding="utf-8")))


def plain(markdown: str) -> str:
    """Content text as printed: the inline Markdown markers (**, *, [text](url)) taken away."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return text.replace("**", "").replace("*", "")


# --- text ------------------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\\s\u00ad\u2010\u2011-]+")


def squash(text: str) -> str:
    return _INVISIBLE.sub("", text)


@functools.lru_cache(maxsize=256)
def _pdftotext(pdf: str, mode: str) -> tuple[str, ...]:
    pages = tool("pdftotext", *([mode] if mode else []), "-enc", "UTF-8", pdf, "-").split("\f")
    return tuple(pages[:-1] if pages and not pages[-1].strip() else pages)


def pages_text(pdf: Path, *, layout: bool = False, raw: bool = False) -> list[str]:
    """One string per page: in reading order; with `layout`, as laid out (the contents' dotted
    leaders); with `raw`, in content order (dense tables, whose narrow cells poppler's reading
    order can interleave)."""
    return list(_pdftotext(str(pdf), "-layout" if layout else "-raw" if raw else ""))


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def assert_in_order(text: str, items: list[str], where: str) -> None:
    """Each item's text (Markdown removed) appears in squashed `text`, after the one before it."""
    position = 0
    for item in items:
        needle = squash(plain(item))
        found = text.find(needle, position)
        if found < 0:
            state = "appears only earlier" if needle in text else "is missing"
            raise AssertionError(f"in {where}: {item!r} {state}")
        position = found + len(needle)


def assert_all_in(text: str, items: list[str], where: str) -> None:
    """Each item's text (Markdown removed) appears somewhere in squashed `text`."""
    missing = [item for item in items if squash(plain(item)) not in text]
    assert not missing, f"in {where}, missing: {missing}"


def sections(page_texts: list[str], headings: list[str]) -> dict[str, str]:
    """The squashed text under each heading, up to the next one.

    Each heading must be a line of its own, and they must come in the given order; the assertion
    names the first heading that is missing or out of place.
    """
    all_lines = [line for text in page_texts for line in lines(text)]
    starts: list[int] = []
    position = 0
    for heading in headings:
        try:
            position = all_lines.index(heading, position)
        except ValueError:
            found = [i for i, line in enumerate(all_lines) if line == heading]
            where = f"only before '{headings[len(starts) - 1]}'" if found else "nowhere"
            raise AssertionError(f"heading '{heading}' should follow {headings[:len(starts)]} "
                                 f"as a line of its own; found {where}") from None
        starts.append(position)
        position += 1
    ends = starts[1:] + [len(all_lines)]
    return {h: squash(" ".join(all_lines[s + 1:e])) for h, s, e in zip(headings, starts, ends)}


def first_page_with_line(page_texts: list[str], line: str, start: int = 0) -> int | None:
    """The 0-based index of the first page from `start` holding `line` as a line of its own."""
    for index in range(start, len(page_texts)):
        if line in lines(page_texts[index]):
            return index
    return None


def toc_entries(pdf: Path) -> list[tuple[int, str, int]]:
    """(number, title, page) for each line "N  Title ........ page" of the contents page."""
    entries = []
    for line in lines(pages_text(pdf, layout=True)[1]):
        match = re.fullmatch(r"(\d+)\s+(.+?)\s*\.{3,}\s*(\d+)", line)
        if match:
            entries.append((int(match[1]), match[2].strip(), int(match[3])))
    return entries


@dataclass(frozen=True)
class Word:
    text: str
    x: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    def text_of(self, words: list[Word]) -> str:
        return " ".join(w.text for w in sorted(words, key=lambda w: (round(w.top), w.x)))


def header_words(page: Page, brand: str) -> list[Word]:
    """Words of the first line, if that line ends inside the top margin: the running header.

    A glyph box may reach a little above its line, so body text is told apart by where it ends.
    The scorecard's page has a slimmer top margin, so the header is the first line, not simply
    everything above the brand's margin.
    """
    limit = brand_yaml(brand)["margins_mm"]["top"] * MM
    inside = [w for w in page.words if w.bottom <= limit]
    if not inside:
        return []
    first = min(w.bottom for w in inside)
    return [w for w in inside if abs(w.bottom - first) <= 2.0]


def footer_words(page: Page, brand: str) -> list[Word]:
    """Words that start inside the bottom margin, where the running footer sits."""
    limit = page.height - brand_yaml(brand)["margins_mm"]["bottom"] * MM
    return [w for w in page.words if w.top >= limit]


@functools.lru_cache(maxsize=64)
def _bbox_pages(pdf: str) -> tuple[Page, ...]:
    root = etree.fromstring(tool("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-").encode("utf-8"),
                            etree.XMLParser(recover=True))
    pages = []
    for page in root.iter("{*}page"):
        words = tuple(Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("yMax")))
                      for w in page.iter("{*}word"))
        pages.append(Page(float(page.get("width")), float(page.get("height")), words))
    return tuple(pages)


def bbox_pages(pdf: Path) -> list[Page]:
    return list(_bbox_pages(str(pdf)))


def header_text(page: Page, brand: str) -> str:
    return page.text_of(header_words(page, brand))


def footer_text(page: Page, brand: str) -> str:
    return page.text_of(footer_words(page, brand))


# --- poppler's and qpdf's reports ------------------------------------------------------------------

@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool


def pdffonts(pdf: Path) -> list[FontRow]:
    rows = []
    for line in tool("pdffonts", str(pdf)).splitlines()[2:]:
        parts = line.split()
        # name, type (one or more words), encoding, emb, sub, uni, object number, generation
        rows.append(FontRow(parts[0], " ".join(parts[1:-6]), parts[-5] == "yes", parts[-4] == "yes"))
    return rows


def pdfinfo(pdf: Path) -> dict[str, str]:
    pairs = (line.split(":", 1) for line in tool("pdfinfo", str(pdf)).splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def family_of(font_name: str) -> str | None:
    """The bundled family a PDF font name belongs to: "ABCDEF+Roboto-Slab-Bold" → "Roboto Slab"."""
    bare = re.sub(r"[\s_-]", "", font_name.split("+", 1)[-1]).lower()
    matches = [f for f in bundled_families() if bare.startswith(re.sub(r"\s", "", f).lower())]
    return max(matches, key=len) if matches else None


# --- the PDF's objects -----------------------------------------------------------------------------

_OPEN: dict[tuple[str, int], pikepdf.Pdf] = {}


def open_pdf(path: Path) -> pikepdf.Pdf:
    """The file opened with pikepdf and kept open: its objects are only valid while the Pdf lives."""
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _OPEN:
        _OPEN[key] = pikepdf.open(path)
    return _OPEN[key]


def structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every element of the structure tree, depth first, in document order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.get("/K"))
    return found


def children(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def role_of(element: pikepdf.Dictionary) -> str:
    return str(element.S)


def xmp_properties(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Every simple XMP property, attribute or element form, as {"{namespace}name": value}."""
    root = etree.fromstring(pdf.Root.Metadata.read_bytes())
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    values: dict[str, str] = {}
    for description in root.iter(f"{rdf}Description"):
        for key, value in description.attrib.items():
            if not key.startswith(rdf):
                values[key] = value
        for child in description:
            if len(child) == 0 and child.text:
                values[child.tag] = child.text.strip()
    return values


PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def javascript_in(pdf: pikepdf.Pdf) -> list[str]:
    """Every place a script could run from: /JS, /JavaScript, /AA, JavaScript actions (OpenAction too)."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()

    def visit(node: object, where: str) -> None:
        if isinstance(node, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
            where = f"object {node.objgen}"
        if isinstance(node, pikepdf.Stream):
            node = node.stream_dict
        if isinstance(node, pikepdf.Dictionary):
            for key in node.keys():
                if key in ("/JS", "/JavaScript", "/AA"):
                    found.append(f"{where}: {key}")
                if key != "/Parent":
                    visit(node[key], f"{where} {key}")
            if node.get("/S") == pikepdf.Name.JavaScript:
                found.append(f"{where}: a JavaScript action")
        elif isinstance(node, pikepdf.Array):
            for index, item in enumerate(node):
                visit(item, f"{where}[{index}]")

    visit(pdf.trailer, "trailer")
    for obj in pdf.objects:
        visit(obj, "object")
    return found
