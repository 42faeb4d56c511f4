"""Fonts come from the bundle only: fontconfig is pointed at the project's font folder, so a PDF
never picks up whatever fonts the machine happens to have, and looks the same everywhere.

The fonts.conf (and fontconfig's cache) sits in a folder named after the font folder's path and
content: two checkouts on one machine, or one checkout before and after a font changed, never
read each other's configuration, while every process of one checkout shares one cache.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.render.private_folder import own_folder, write_atomically

BUNDLED_FONTS = Path(__file__).resolve().parents[3] / "layouts" / "fonts"


def _digest(fonts: Path) -> str:
    """The folder's absolute path and every file in it, by relative name and bytes (~20 ms for
    the bundle, once a process)."""
    digest = hashlib.sha256(str(fonts.resolve()).encode("utf-8") + b"\0")
    for path in sorted(p for p in fonts.rglob("*") if p.is_file()):
        digest.update(path.relative_to(fonts).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=4)
def bundle_digest(fonts: Path = BUNDLED_FONTS) -> str:
    """The bundle's digest, worked out once a process (what decides a layout's fonts)."""
    return _digest(fonts)


def _write_if_changed(path: Path, body: str) -> None:
    if not (path.exists() and path.read_text(encoding="utf-8") == body):
        write_atomically(path, body.encode("utf-8"))


def fontconfig_file(fonts: Path = BUNDLED_FONTS, *, include_system: bool = False) -> Path:
    """A fonts.conf that lists `fonts` (and, for tools such as LibreOffice, the system's too)."""
    folder = own_folder("fontconfig", _digest(fonts))
    system = "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>" if include_system else ""
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  {system}\n  <dir>{escape(str(fonts.resolve()))}</dir>\n"
            f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n</fontconfig>\n")
    conf = folder / ("with-system.conf" if include_system else "bundled-only.conf")
    _write_if_changed(conf, body)
    return conf


def use_bundled_fonts_only() -> None:
    """Call before WeasyPrint (Pango, fontconfig) is first loaded in this process."""
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file())
