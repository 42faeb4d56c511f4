"""The bytes of an imported file, bounded and decoded before any reader sees them.

Imported documents are untrusted: a file is refused before it is parsed when it is larger than
MAX_BYTES, and a DOCX (a zip) when its entries would unpack to more than MAX_UNZIPPED or number
more than MAX_ENTRIES (render/docx/untrusted.py checks those from the zip's directory). Text formats must be
UTF-8; what else the bytes are is said in the error.
"""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024


class ReadError(Exception):
    """Why a file cannot be imported, in words for its author; nothing is written for it."""


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def read_bounded(path: Path) -> bytes:
    """The file's bytes, or ReadError if it is not a readable file or is larger than MAX_BYTES."""
    try:
        if not path.is_file():
            raise ReadError("there is no such file" if not path.exists() else "it is not a file")
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as err:
        raise ReadError(f"it cannot be opened ({err.strerror or err})") from None
    if len(raw) > MAX_BYTES:
        raise ReadError(f"it is larger than the {_size(MAX_BYTES)} an imported document may be; "
                        "import the posting on its own, without embedded media")
    return raw


def decode(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped), or ReadError saying what the bytes are instead."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("it is UTF-16 text; save it as UTF-8 and import it again")
    if b"\x00" in raw:
        raise ReadError("it is a binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise ReadError(f"it is not UTF-8 text (byte 0x{raw[err.start]:02x} on line {line}); "
                        "save it as UTF-8 and import it again") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
