"""The CSS of one brand: the shared print design plus the brand's values and optional overrides."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from pipeline.check.brands import LoadedBrand
from pipeline.render.layout_loader import LayoutsOnly


def css_string(value: str) -> str:
    """A CSS string literal; escapes quotes, backslashes, line breaks and `<>&` so text can end
    neither the string nor, inside an HTML <style>, the element."""
    escaped = "".join(c if c.isprintable() and c not in '"\\<>&' else f"\\{ord(c):x} " for c in value)
    return f'"{escaped}"'


@lru_cache(maxsize=8)
def _environment(layouts: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=LayoutsOnly(layouts), autoescape=False,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env


def brand_css(brand: LoadedBrand, layouts: Path) -> str:
    """CSS for `brand`, with font URLs relative to `layouts` (the documents' base URL)."""
    faces = [{"family": f.family, "url": f.file.relative_to(layouts).as_posix(), "weight": f.weight, "style": f.style}
             for f in brand.faces]
    return _environment(layouts).get_template("css/brand.css.j2").render(brand=brand.brand, faces=faces)


def stylesheets(brand: LoadedBrand, layouts: Path) -> list[str]:
    """Shared design first, then brand values, then the brand's own overrides."""
    sheets = [(layouts / "css" / "document.css").read_text(encoding="utf-8"), brand_css(brand, layouts)]
    if brand.css_override is not None:
        sheets.append(brand.css_override.read_text(encoding="utf-8"))
    return sheets


def stylesheet_bases(brand: LoadedBrand, layouts: Path) -> tuple[str, ...]:
    """Where each of `stylesheets` resolves a relative `url()`: the layouts for the shared design and
    the brand values (their font URLs are relative to it), the brand's own folder for its overrides,
    so that `url(paper.png)` in brand.css is the picture beside it."""
    layouts_base = layouts.resolve().as_uri() + "/"
    own = (brand.folder.resolve().as_uri() + "/",) if brand.css_override is not None else ()
    return (layouts_base, layouts_base, *own)
