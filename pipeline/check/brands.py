"""Loading a brand folder: brand.yaml validated, its fonts found in the bundle, its logo present."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.check.catalogue import validate_model
from pipeline.check.problems import ContentError, Problem
from pipeline.schema import Brand
from pipeline.source.yaml_reader import read_yaml

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
    def logo(self) -> Path:
        return self.folder / self.brand.logo


def brand_names(layouts: Path) -> list[str]:
    """Every brand folder under layouts/brands, the default first."""
    names = sorted(p.parent.name for p in (layouts / "brands").glob("*/brand.yaml"))
    return sorted(names, key=lambda n: n != DEFAULT_BRAND)


def font_catalogue(layouts: Path) -> dict[str, list[FontFace]]:
    raw = yaml.safe_load((layouts / "fonts" / "fonts.yaml").read_text(encoding="utf-8"))
    return {family: [FontFace(family, layouts / "fonts" / f["file"], int(f["weight"]), f["style"]) for f in faces]
            for family, faces in raw.items()}


def load_brand(layouts: Path, slug: str) -> LoadedBrand:
    """The brand named `slug`, or ContentError naming each problem in its brand.yaml."""
    folder = layouts / "brands" / slug
    file = folder / "brand.yaml"
    if not file.is_file():
        known = ", ".join(brand_names(layouts)) or "none"
        raise ContentError([Problem(str(file), 1, 1, "", f"no brand '{slug}' (brands: {known})")])
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
    if not (folder / brand.logo).is_file():
        problems.append(Problem(str(file), *located.where(("logo",)), "logo", f"logo file '{brand.logo}' is not in {folder}"))
    if problems:
        raise ContentError(problems)
    override = folder / "brand.css"
    reference = folder / "reference.docx"
    return LoadedBrand(slug, brand, folder, tuple(faces),
                       override if override.is_file() else None,
                       reference if reference.is_file() else None)
