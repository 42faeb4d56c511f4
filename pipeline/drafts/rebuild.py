"""A role's DOCX as a build would make it now, in memory: what a draft is compared with (`merge`)
and what a redline marks up (`redline`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.check.brands import brand_names, load_brand
from pipeline.check.catalogue import Catalogue
from pipeline.problems import ContentError
from pipeline.render.docx.writer import DocxJob, render_docx
from pipeline.render.errors import RenderError
from pipeline.render.html import Document, render_html


class RebuildError(ValueError):
    """The role cannot be built now; the message says why."""


def draft_bytes(catalogue: Catalogue, role: str, kind: str, brand: str, layouts: Path, content: Path) -> bytes:
    """The DOCX of `role`'s `kind` in `brand` (the first brand there is, when that one is gone: the
    text a draft records does not depend on its brand)."""
    names = brand_names(layouts, content)
    slug = brand if brand in names else (names[0] if names else brand)
    try:
        loaded = load_brand(layouts, slug, content)
        titles = {s: r.title for s, r in catalogue.roles.items()}
        doc = Document(kind, catalogue.roles[role], catalogue.company, loaded, None, titles)  # type: ignore[arg-type]
        data, _ = render_docx(DocxJob(render_html(doc, layouts), loaded, kind, None))
    except (ContentError, RenderError) as err:
        raise RebuildError(f"the role cannot be built now to compare with ({err})") from None
    return data
