"""Which installation renders: rolepack's code, the libraries that shape the bytes, the bundled
fonts. Apart from the build's keys so that the no-op shortcut can ask without loading the schema."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.render import tuning
from pipeline.source.digests import library_version, tree_digest

ENGINE_LIBRARIES = ("rolepack", "weasyprint", "pydyf", "python-docx", "cairosvg", "jinja2", "markdown-it-py",
                    "lxml", "pydantic")
PACKAGE = Path(__file__).resolve().parents[1]


def engine_fingerprint(layouts: Path) -> str:
    """rolepack's code, the libraries that shape the bytes, and the bundled fonts.

    A worker on another machine computes the same value when it runs the same installation, so
    the distributed build compares it to refuse a worker that would render differently.
    """
    digest = hashlib.sha256(" ".join(f"{n}={library_version(n)}" for n in ENGINE_LIBRARIES).encode())
    digest.update(tuning.fingerprint().encode())
    digest.update(tree_digest(PACKAGE, suffixes=(".py",)).encode())
    digest.update(tree_digest(layouts / "fonts").encode())
    return digest.hexdigest()
