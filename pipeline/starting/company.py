"""A new company's content and brand folder, made from a name, a language, a colour and a logo.

The demo company stays the shipped worked example; `rolepack init` starts one that holds none of
its words. What only the company can write (what it does, its benefits, its equal-opportunity
statement, who candidates write to) is marked with the placeholder `rolepack new` uses, so
`validate` names each field still to write, at its line. The brand is the company's own (its name,
colour and logo) and lives in the new folder's `brands/default/`, which then replaces the shipped
brands for every command given that folder. Everything is checked before anything is written: a
colour too faint to read or a logo that is not a self-contained picture changes nothing.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.brands import DEFAULT_BRAND, logo_problem
from pipeline.check.contrast import failures
from pipeline.schema.brand import Colours
from pipeline.source.languages import missing_catalogue
from pipeline.source.scaffold import ARCHETYPE, PLACEHOLDER

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
LANGUAGE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")
LOGO_BYTES = 1_000_000
LETTER_REGIONS = ("US", "CA")
"""Where a company prints on US Letter rather than A4 (its language tag's region says so)."""
FALLBACKS = ["Noto Sans", "Noto Sans Symbols 2", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari",
             "Noto Emoji"]


class StartError(Exception):
    """Why the company cannot be made, naming the option or file; nothing was written."""


@dataclass(frozen=True)
class Start:
    company: str
    language: str = "en"
    website: str | None = None
    logo: Path | None = None
    colour: str = "#1d4e89"


def _checked(start: Start, layouts: Path) -> None:
    if not start.company.strip() or any(c in start.company for c in "\n\r"):
        raise StartError("--company: give the company's name, on one line")
    if not LANGUAGE.fullmatch(start.language):
        raise StartError(f"--language {start.language!r}: write a language code such as en, fr, de, es or fr-CA")
    if (no_words := missing_catalogue(layouts, start.language)) is not None:
        raise StartError(f"--language {start.language}: {no_words}")
    if start.website is not None and not re.fullmatch(r"https://[^\s/]+\S*", start.website):
        raise StartError(f"--website {start.website!r}: write the address with https://, such as https://example.com")
    if not COLOUR.fullmatch(start.colour):
        raise StartError(f"--colour {start.colour!r}: write the colour as #rrggbb, such as #1d4e89")
    colours = Colours(primary=start.colour.lower(), accent=start.colour.lower()).model_dump()
    if failed := [f for f in failures(colours) if f.pair.adjusted in ("primary", "accent")]:
        worst = min(failed, key=lambda f: f.ratio)
        better = f"; about {worst.suggestion} would pass" if worst.suggestion else ""
        raise StartError(f"--colour {start.colour}: {worst.pair.foreground} on {worst.pair.background} has contrast "
                         f"{worst.ratio:.1f}:1, and headings, links and table headers need 4.5:1 (WCAG 2.2 AA) to be "
                         f"read{better}")
    if start.logo is not None:
        if not start.logo.is_file():
            raise StartError(f"--logo {start.logo}: there is no such file")
        if start.logo.suffix.lower() not in (".svg", ".png"):
            raise StartError(f"--logo {start.logo}: give an .svg or .png file")
        if start.logo.stat().st_size > LOGO_BYTES:
            raise StartError(f"--logo {start.logo}: the file is larger than 1 MB; export a smaller one")
        if (unsafe := logo_problem(start.logo)) is not None:
            raise StartError(f"{start.logo}: {unsafe}")


def _initials_logo(name: str, colour: str) -> str:
    """A square in the brand colour with the company's initials in white: a stand-in until a logo is given."""
    words = [w for w in re.split(r"\W+", name) if w]
    initials = "".join(w[0] for w in words[:2]).upper() or name[:1].upper()
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">\n'
            f'  <rect width="96" height="96" rx="20" fill="{colour}"/>\n'
            f'  <text x="48" y="62" text-anchor="middle" font-family="Inter, Noto Sans, sans-serif" font-size="40" '
            f'font-weight="700" fill="#ffffff">{html.escape(initials)}</text>\n</svg>\n')


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def company_yaml(start: Start) -> str:
    """company.yaml with the name and what only the company can write marked to write."""
    website = f"website: {start.website}\n" if start.website else ""
    todo = PLACEHOLDER
    return f"""# {start.company}: the text every role prints. Replace each {todo}; `rolepack validate --content <this folder>`
# names every one still here. Texts are written in `language`; to print roles in another language too,
# write a text per language instead (about: {{en: [...], fr: [...]}}).
name: {_quoted(start.company)}
language: {start.language}
{website}about:
  - "{todo} What {start.company} does, for whom, where, and how many people work there: two or three sentences."
benefits:
  - "{todo} One benefit per line, with its figure: days of paid leave, parental leave, pension or retirement match."
equal_opportunity: "{todo} Your equal-opportunity statement, as your legal or HR team wrote it."
accommodations: "{todo} How a candidate asks for an adjustment to the interviews (extra time, captions, another format)."
contact:
  name: "{todo} The name candidates write to"
  email: "{todo} The address they write to"
"""


def brand_yaml(start: Start, logo: str) -> str:
    host = re.sub(r"^https://", "", start.website or "").rstrip("/")
    footer = f"{start.company} · {host}" if host else start.company
    region = start.language.partition("-")[2]
    page = "Letter" if region in LETTER_REGIONS else "A4"
    site = f"site_url: {start.website.rstrip('/')}/careers/\n" if start.website else ""
    return f"""# {start.company}'s look, made by `rolepack init`: the company's own brand, so documents carry its name alone.
name: {_quoted(start.company)}
colours:
  primary: "{start.colour.lower()}"
  accent: "{start.colour.lower()}"
fonts:
  body: Inter
  heading: Inter
  fallbacks: [{", ".join(FALLBACKS)}]
  base_size_pt: 9.5
logo: {logo}
logo_alt: {_quoted(f"{start.company} logo")}
page_size: {page}
footer: {_quoted(footer)}
{site}"""


def start_company(folder: Path, start: Start, *, layouts: Path, archetype: Path, force: bool = False) -> list[Path]:
    """Make `folder` a content folder for `start.company` with its own brand; the files written.

    Refuses a folder that holds anything (unless `force`, which replaces only the files it writes)."""
    if folder.exists() and not folder.is_dir():
        raise StartError(f"{folder} is a file; give a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise StartError(f"{folder} is not empty; give an empty or new folder, or --force to write into it")
    _checked(start, layouts)
    logo_name = f"logo{start.logo.suffix.lower()}" if start.logo is not None else "logo.svg"
    files: dict[Path, bytes] = {
        Path("company.yaml"): company_yaml(start).encode("utf-8"),
        ARCHETYPE: archetype.read_bytes(),
        Path("brands") / DEFAULT_BRAND / "brand.yaml": brand_yaml(start, logo_name).encode("utf-8"),
        Path("brands") / DEFAULT_BRAND / logo_name: (start.logo.read_bytes() if start.logo is not None
                                                     else _initials_logo(start.company, start.colour).encode("utf-8")),
    }
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".rolepack-init-") as scratch:
        for relative, data in files.items():  # everything written aside first, then moved in
            (Path(scratch) / relative).parent.mkdir(parents=True, exist_ok=True)
            (Path(scratch) / relative).write_bytes(data)
        for relative in files:
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(Path(scratch) / relative, folder / relative)
    (folder / "roles").mkdir(exist_ok=True)
    return [folder / relative for relative in files] + [folder / "roles"]
