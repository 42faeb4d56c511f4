"""Bundled fonts cut to what a reader needs, made once per machine.

The careers site (WOFF2) and the Word drafts (embedded TrueType) both carry the brand's faces cut
to the Latin, Greek and Cyrillic blocks, punctuation and currency signs; any other character falls
back to the reader's own fonts. Cutting (and compressing, or converting outlines) takes from half a
second to many seconds a face, so each result is kept in this user's temporary folder under the
digest of the face's bytes and of the recipe: a face is cut once per machine, whichever brand,
build, preview or worker asks for it first.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.render.errors import RenderError
from pipeline.render.private_folder import held, own_folder, write_atomically
from pipeline.source.digests import library_version

RANGES = ((0x0020, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1EFF), (0x2000, 0x206F),
          (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2212, 0x2212), (0xFB00, 0xFB06))
"""Basic Latin to Latin Extended-B, Greek, Cyrillic, Latin Extended Additional, punctuation,
currency, letterlike symbols, arrows, the minus sign and the Latin ligatures."""


def kept(source: Path, folder: str, recipe: str, make: Callable[[bytes], bytes]) -> bytes:
    """`make(bytes of source)`, kept under `folder` by the digest of the bytes, the recipe and the
    fontTools release; reproducible, and made once per machine for the same font bytes."""
    font = source.read_bytes()
    key = f"{recipe} fonttools={library_version('fonttools')}".encode("utf-8") + b"\0" + font
    path = own_folder("fonts", folder) / hashlib.sha256(key).hexdigest()
    try:
        return path.read_bytes()
    except OSError:
        pass
    with held(path.with_name(path.name + ".lock")):  # the processes of a cold build cut a face once
        try:
            return path.read_bytes()
        except OSError:
            pass
        try:
            data = make(font)
        except Exception as err:  # fontTools says a damaged file in many ways (TTLibError, struct, KeyError …)
            raise RenderError(f"{source} is not a font fontTools can read ({type(err).__name__}: {err}); "
                              "restore the file from the layouts' release") from None
        try:
            write_atomically(path, data)
        except OSError:  # a full or read-only temporary folder costs the reuse, not the build
            pass
    return data


def cut(font_bytes: bytes, unicodes: Iterable[int], *, all_features: bool, hinting: bool = True):
    """The font (a fontTools TTFont) cut to `unicodes`, its names and dates kept as they are (so the
    bytes stay reproducible); `all_features` keeps every OpenType feature, not only the defaults."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # fontTools warns that some bundled fonts carry a creation date near 1904; the date is kept as it
    # is, so the warning says nothing a build's reader can act on.
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    options = subset.Options()
    if all_features:
        options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = hinting
    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=list(unicodes))
    subsetter.subset(font)
    return font


def in_ranges(ranges=RANGES) -> list[int]:
    return [code for low, high in ranges for code in range(low, high + 1)]
