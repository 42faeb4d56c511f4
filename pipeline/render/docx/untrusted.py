"""Opening a Word package that came from outside (an imported posting, a draft sent back), bounded
before anything is inflated: a zip that would unpack to more than MAX_UNZIPPED or holds more than
MAX_ENTRIES parts, an encrypted one, or one that is not a zip is refused from its directory alone.
"""

from __future__ import annotations

import io
import zipfile

MAX_UNZIPPED = 40 * 1024 * 1024
MAX_ENTRIES = 2000


class PackageError(ValueError):
    """Why a package cannot be opened, in words for the person who sent it."""


def check_package(raw: bytes) -> list[str]:
    """Refuse a package that is not a zip, is encrypted, or would unpack beyond the bounds; notes on macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PackageError("it is not a Word document (a .docx is a zip package, and this file is not one); "
                           "it may be damaged, or an older .doc renamed") from None
    if len(entries) > MAX_ENTRIES:
        raise PackageError(f"it holds {len(entries):,} parts, more than the {MAX_ENTRIES:,} a document needs")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNZIPPED:
        raise PackageError(f"it would unpack to {unpacked / 2**20:,.0f} MB, more than the "
                           f"{MAX_UNZIPPED / 2**20:.0f} MB a document may; it was not unpacked")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise PackageError("it is password-protected; save an unprotected copy and use that")
    if any(entry.filename.lower().endswith("vbaproject.bin") for entry in entries):
        return ["it carries a macro project (vbaProject.bin); it was not run"]
    return []


def members(raw: bytes) -> dict[str, bytes]:
    """Every part of a package that `check_package` accepted, by name."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            return {info.filename: package.read(info) for info in package.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError) as err:
        raise PackageError(f"it is damaged and cannot be unpacked ({err})") from None
