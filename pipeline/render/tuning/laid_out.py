"""The laid-out boxes of a WeasyPrint page, which WeasyPrint has no public view of.

The overflow check (render/pdf/overflow.py) reads every line of the pages it is about to write;
the layout a draft follows (render/pdf/pages.py) looks for a two-column list on two pages.
`Page._page_box` is the root of a page's boxes in WeasyPrint 70; should a release rename it, the
check says once that it is off rather than failing every render.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

_warned = threading.Event()


def page_box(page: Any) -> Any | None:
    """The page's root box, or None (with one warning per process) when WeasyPrint has none."""
    box = getattr(page, "_page_box", None)
    if box is None and not _warned.is_set():
        _warned.set()
        sys.stderr.write("warning: this WeasyPrint release has no Page._page_box, so text running off a page "
                         "or out of a table cell is not checked\n")
    return box
