"""Fonts come from the bundle only: fontconfig is pointed at the project's font folder, so a PDF
never picks up whatever fonts the machine happens to have, and looks the same everywhere."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BUNDLED_FONTS = Path(__file__).resolve().parents[2] / "layouts" / "fonts"


def fontconfig_file(fonts: Path = BUNDLED_FONTS, *, include_system: bool = False) -> Path:
    """A fonts.conf that lists `fonts` (and, for tools such as LibreOffice, the system's too)."""
    folder = Path(tempfile.gettempdir()) / f"rolepack-fontconfig-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    system = "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>" if include_system else ""
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  {system}\n  <dir>{fonts}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n")
    conf = folder / ("with-system.conf" if include_system else "bundled-only.conf")
    if not conf.exists() or conf.read_text(encoding="utf-8") != body:
        conf.write_text(body, encoding="utf-8")
    return conf


def use_bundled_fonts_only() -> None:
    """Call before WeasyPrint (Pango, fontconfig) is first loaded in this process."""
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file())
