"""A draft's zip, written in one pass, with the deflated bytes of the parts every draft of a brand
shares kept from one draft to the next.

Two thirds of the time a job description's draft spent zipping went on deflating the same embedded
fonts again (two faces, 240 KB each), its styles and its theme. Python's zipfile deflates whatever
it is given and takes no member already deflated, so the archive is written here: each member's
local header, its data, then the central directory, in the layout of PKWARE's APPNOTE.TXT (4.3.7,
4.3.12, 4.3.16) and with the very fields zipfile writes for a seekable file (no data descriptor,
no extra field, version 2.0, made on Unix), so a draft is the same bytes as before, and any zip
reader reads it.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
VERSION = 20
"""2.0: deflate, the only method used."""
MADE_ON_UNIX = 3
DEFLATED = 8
LIMIT = (1 << 31) - 1
"""Beyond this a member or archive would need ZIP64; a draft is a few hundred KB."""
KEPT_MEMBERS = 32
KEPT_FROM = 8 * 1024
"""Members smaller than this deflate in well under the time hashing them for the lookup saves."""


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes
    level: int = zlib.Z_DEFAULT_COMPRESSION
    shared: bool = False
    """The same bytes in many drafts (a font, the styles, the theme): its deflated bytes are kept."""


@dataclass(frozen=True)
class _Deflated:
    crc: int
    data: bytes


_kept: OrderedDict[tuple[bytes, int], _Deflated] = OrderedDict()
_kept_lock = threading.Lock()


def _deflate(data: bytes, level: int) -> _Deflated:
    squeezer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return _Deflated(zlib.crc32(data), squeezer.compress(data) + squeezer.flush())


def deflated(member: Member) -> _Deflated:
    """The member's CRC-32 and raw deflate stream, kept for a shared member of some size."""
    if not member.shared or len(member.data) < KEPT_FROM:
        return _deflate(member.data, member.level)
    key = (hashlib.blake2b(member.data, digest_size=16).digest(), member.level)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    found = _deflate(member.data, member.level)
    with _kept_lock:
        _kept[key] = found
        while len(_kept) > KEPT_MEMBERS:
            _kept.popitem(last=False)
    return found


def zip_bytes(members: Iterable[Member], *, date_time: tuple[int, int, int, int, int, int],
              mode: int = 0o644) -> bytes:
    """The archive of `members`, in the order given, each stamped `date_time` with Unix permissions `mode`."""
    year, month, day, hour, minute, second = date_time
    dos_date, dos_time = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
    out, directory = bytearray(), bytearray()
    count = 0
    for member in members:
        name = member.name.encode("ascii")  # OPC part names are ASCII; anything else needs zipfile's UTF-8 flag
        packed = deflated(member)
        if max(len(member.data), len(packed.data), len(out)) > LIMIT:
            raise ValueError(f"{member.name}: too large for a draft's zip")
        sizes = (packed.crc, len(packed.data), len(member.data), len(name))
        directory += CENTRAL_HEADER.pack(b"PK\x01\x02", VERSION, MADE_ON_UNIX, VERSION, 0, 0, DEFLATED, dos_time,
                                         dos_date, *sizes, 0, 0, 0, 0, mode << 16,
                                         len(out)) + name
        out += LOCAL_HEADER.pack(b"PK\x03\x04", VERSION, 0, 0, DEFLATED, dos_time, dos_date, *sizes, 0) + name
        out += packed.data
        count += 1
    start = len(out)
    out += directory
    out += END_OF_DIRECTORY.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    return bytes(out)
