"""Loading a brand folder: brand.yaml validated, its fonts found in the bundle, its logo present;
and the warnings a brand that loads can still earn (colours too faint to read)."""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from lxml import etree

from pipeline.check.models import validate_model
from pipeline.check.contrast import Failure, failures, relative_luminance
from pipeline.problems import ContentError, Problem
from pipeline.schema import Brand
from pipeline.source.yaml_reader import Located, read_yaml

DEFAULT_BRAND = "default"


@dataclass(frozen=True)
class FontFace:
    family: str
    file: Path
    weight: int
    style: str


@dataclass(frozen=True)
class LoadedBrand:
    slug: str
    brand: Brand
    folder: Path
    faces: tuple[FontFace, ...]
    css_override: Path | None
    reference_docx: Path | None

    @property
    def logo(self) -> Path | None:
        return self.folder / self.brand.logo if self.brand.logo else None

    @property
    def logo_src(self) -> str | None:
        """The logo as the documents name it, relative to `root`; None for a brand without one."""
        return f"brands/{self.slug}/{self.brand.logo}" if self.brand.logo else None

    @property
    def text_faces(self) -> tuple[FontFace, ...]:
        """The faces of the body and heading families; the fallbacks are there for other scripts and
        emoji in print, and are left to the reader's own fonts on screen and in Word."""
        families = {self.brand.fonts.body, self.brand.fonts.heading}
        return tuple(f for f in self.faces if f.family in families)

    @property
    def root(self) -> Path:
        """The folder the documents' `brands/<slug>/<logo>` resolves in: the layouts, or the content
        folder whose own brand this is."""
        return self.folder.parent.parent


def brands_folder(layouts: Path, content: Path | None = None) -> Path:
    """Where the brands are: the content folder's own `brands/` when it has one (a company made by
    `rolepack init` keeps its brand beside its roles, never mixed with the shipped ones), else the
    layouts' `brands/`."""
    if content is not None and (content / "brands").is_dir():
        return content / "brands"
    return layouts / "brands"


def brand_names(layouts: Path, content: Path | None = None) -> list[str]:
    """Every brand folder (see `brands_folder`), the default first."""
    names = sorted(p.parent.name for p in brands_folder(layouts, content).glob("*/brand.yaml"))
    return sorted(names, key=lambda n: n != DEFAULT_BRAND)


def font_catalogue(layouts: Path) -> dict[str, list[FontFace]]:
    raw = yaml.safe_load((layouts / "fonts" / "fonts.yaml").read_text(encoding="utf-8"))
    return {family: [FontFace(family, layouts / "fonts" / f["file"], int(f["weight"]), f["style"]) for f in faces]
            for family, faces in raw.items()}


def _link_out(path: Path, folder: Path) -> str | None:
    """Where `path` really is, when a symbolic link takes it out of `folder`: a brand's files are
    copied to the careers site as they are, so a link to /etc/passwd would be published."""
    target = path.resolve()
    return None if target.is_relative_to(folder.resolve()) else str(target)


def load_brand(layouts: Path, slug: str, content: Path | None = None) -> LoadedBrand:
    """The brand named `slug` (fonts from the layouts), or ContentError naming each problem in its brand.yaml."""
    root = brands_folder(layouts, content)
    folder = root / slug
    file = folder / "brand.yaml"
    if not file.is_file():
        known = ", ".join(brand_names(layouts, content)) or "none"
        raise ContentError([Problem(str(file), 1, 1, "", f"no brand '{slug}' (brands: {known})")])
    if (target := _link_out(file, root)) is not None:
        raise ContentError([Problem(str(file), 1, 1, "", f"is a link to {target}, outside {root}; "
                                                         "a brand's folder and files must be inside it")])
    located = read_yaml(file)
    brand, problems = validate_model(Brand, located.data, [located])
    if brand is None:
        raise ContentError(problems)
    catalogue = font_catalogue(layouts)
    faces: list[FontFace] = []
    for key, family in [("body", brand.fonts.body), ("heading", brand.fonts.heading)] + [
            (f"fallbacks[{i}]", f) for i, f in enumerate(brand.fonts.fallbacks)]:
        if family not in catalogue:
            line, col = located.where(("fonts",) + ((key,) if "[" not in key else ("fallbacks", int(key[10:-1]))))
            problems.append(Problem(str(file), line, col, f"fonts.{key}",
                                    f"font '{family}' is not bundled (bundled: {', '.join(sorted(catalogue))})"))
        else:
            faces += [f for f in catalogue[family] if f not in faces]
    if brand.logo is not None and (why := _unusable_logo(folder, brand.logo)) is not None:
        problems.append(Problem(str(file), *located.where(("logo",)), "logo", why))
    override = folder / "brand.css"
    reference = folder / "reference.docx"
    for extra in (override, reference):
        if extra.is_file() and (target := _link_out(extra, folder)) is not None:
            problems.append(Problem(str(extra), 1, 1, "", f"is a link to {target}, outside the brand folder; "
                                                          "put the file itself in the folder"))
    if problems:
        raise ContentError(problems)
    return LoadedBrand(slug, brand, folder, tuple(faces),
                       override if override.is_file() else None,
                       reference if reference.is_file() else None)


def _unusable_logo(folder: Path, name: str) -> str | None:
    """Why the logo file `name` of the brand in `folder` cannot be used, or None."""
    logo = folder / name
    if not logo.is_file():
        return f"logo file '{name}' is not in {folder}"
    if (target := _link_out(logo, folder)) is not None:
        return (f"logo file {logo.as_uri()} is a link to {target}, outside the brand folder; "
                "put the file itself in the folder")
    if (unsafe := logo_problem(logo)) is not None:
        return f"logo file '{name}' {unsafe}"
    return None


_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_CSS_URL = re.compile(r"url\(\s*(?!['\"]?\s*#)|@import", re.IGNORECASE)
"""A stylesheet reference to anything but a fragment of the same file."""
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


MAX_SVG_ELEMENTS = 20_000
"""Elements an SVG logo may draw, <use> references followed: a detailed logo has hundreds."""
MAX_LOGO_PIXELS = 4096 * 4096
"""A PNG logo's largest size: print needs at most about 600 × 600 pixels for its 24 mm."""


def _png_problem(data: bytes) -> str | None:
    """A PNG, by its signature and its header (IHDR, the first chunk), of a size a logo can have."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR" or len(data) < 24:
        return "is not a PNG image; export it again as PNG"
    width, height = struct.unpack(">II", data[16:24])
    if width * height > MAX_LOGO_PIXELS:
        return (f"is {width:,} × {height:,} pixels, more than the {MAX_LOGO_PIXELS:,} a logo may have; export it "
                "again smaller (about 600 pixels across is plenty for print)")
    return None


def _drawn_elements(root) -> float:
    """How many elements the SVG draws once each <use> is replaced by what it refers to (inf for a
    reference that loops), counted without expanding anything, so a fan-out costs nothing here."""
    elements = list(root.iter())  # held, so that each node keeps one Python object (and one id())
    by_id = {el.get("id"): el for el in elements if isinstance(el.tag, str) and el.get("id")}
    sizes: dict[int, float] = {}
    visiting: set[int] = set()

    def size(element) -> float:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            return math.inf
        visiting.add(key)
        total = 1.0 + sum(size(child) for child in element if isinstance(child.tag, str))
        if etree.QName(element).localname == "use":
            href = (element.get(_XLINK_HREF) or element.get("href") or "").strip()
            if href.startswith("#") and href[1:] in by_id:
                total += size(by_id[href[1:]])
        visiting.discard(key)
        sizes[key] = min(total, math.inf)
        return sizes[key]

    try:
        return size(root)
    except RecursionError:
        return math.inf


def logo_problem(logo: Path) -> str | None:
    """Why the logo is unsafe to print and publish, or None: a PNG must be one, and an SVG must be
    a self-contained picture: no script, event handler, DOCTYPE (entities) or reference to anything
    outside itself. Parsed by lxml with entities unresolved and no network."""
    data = logo.read_bytes()
    if logo.suffix == ".png":
        return _png_problem(data)
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError as err:
        return f"is not a readable SVG ({err}); export it again"
    if root.getroottree().docinfo.doctype:
        return "declares a DOCTYPE, whose entities could pull in other files; export it again without one"
    instructions = [*root.itersiblings(preceding=True), *root.itersiblings(), *root.iter(etree.ProcessingInstruction)]
    if (pi := next((n for n in instructions if isinstance(n, etree._ProcessingInstruction)), None)) is not None:
        return (f"holds a processing instruction (<?{pi.target} …?>) on line {pi.sourceline}, which could make a "
                "reader fetch a stylesheet; a logo must be a picture only: remove it")
    drawn = _drawn_elements(root)
    if drawn == math.inf:
        return "refers to itself through <use> (a loop); export it again flattened"
    if drawn > MAX_SVG_ELEMENTS:
        return (f"draws {drawn:,.0f} elements once its <use> references are followed (at most {MAX_SVG_ELEMENTS:,}); "
                "a logo that multiplies itself takes minutes to render: export it again flattened")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("script", "foreignObject") or (name in ("set", "animate")
                                                   and element.get("attributeName", "").endswith("href")):
            return f"holds a <{name}> on line {element.sourceline}; a logo must be a picture only: remove it"
        for attribute, value in element.attrib.items():
            shown = etree.QName(attribute).localname
            if shown.lower().startswith("on"):
                return (f"has an event handler ({shown}) on line {element.sourceline}; "
                        "a logo must be a picture only: remove it")
            if (attribute in ("href", _XLINK_HREF) and not value.strip().startswith("#")) or (
                    shown == "style" and _CSS_URL.search(value)):
                return (f"refers to something outside itself on line {element.sourceline} ({shown}=\"{value}\"); "
                        "a logo must be self-contained: remove the reference")
        if name == "style" and _CSS_URL.search(element.text or ""):
            return (f"has a stylesheet that refers to something outside the logo on line {element.sourceline}; "
                    "a logo must be self-contained: remove the reference")
    return None


def contrast_warnings(layouts: Path, shown: Callable[[Path], str] = str, content: Path | None = None) -> list[Problem]:
    """A warning (rule `contrast`) for every colour pair of every brand that WCAG 2.2 AA finds too
    faint, at the colour to change in its brand.yaml (file names as `shown` writes them).

    All brands, as the font-coverage findings are: validate checks what any build may print. A
    brand.yaml that does not load is passed over here; a build with it names its problems.
    """
    found: list[Problem] = []
    for slug in brand_names(layouts, content):
        file = brands_folder(layouts, content) / slug / "brand.yaml"
        try:
            located = read_yaml(file, shown(file))
        except ContentError:
            continue
        brand, _ = validate_model(Brand, located.data, [located])
        if brand is not None:
            colours = brand.colours.model_dump()
            found += [_contrast_problem(located, colours, failure) for failure in failures(colours)]
    return found


def _contrast_problem(located: Located, colours: dict[str, str], failure: Failure) -> Problem:
    """`muted #9aa5b1 on white has contrast 2.5:1; WCAG 2.2 AA needs 4.5:1 for text: darken it to about #62707f`."""
    pair = failure.pair
    foreground, background = (side if side == "white" else f"{side} {colours[side]}"
                              for side in (pair.foreground, pair.background))
    message = (f"{foreground} on {background} has contrast {_ratio(failure.ratio, pair.needs)}:1; "
               f"WCAG 2.2 AA needs {pair.needs:g}:1 for text")
    if failure.suggestion is not None:
        darker = relative_luminance(failure.suggestion) < relative_luminance(colours[pair.adjusted])
        message += f": {'darken' if darker else 'lighten'} it to about {failure.suggestion}"
    return Problem(located.file, *located.where(("colours", pair.adjusted)), "", message,
                   severity="warning", rule="contrast")


def _ratio(ratio: float, needs: float) -> str:
    """One decimal, or two (cut, not rounded) where one would round a failing 4.48 up to the 4.5 it misses."""
    if round(ratio, 1) < needs:
        return f"{ratio:.1f}"
    return f"{math.floor(ratio * 100) / 100:.2f}"
