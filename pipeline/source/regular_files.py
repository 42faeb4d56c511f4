"""Reading a file rolepack was pointed at (content, settings, a layout, a form sent back) only
when it is a plain file, and only as much of it as a file of its kind may hold.

`open()` on a FIFO waits for a writer forever, on a folder it fails with a traceback, and a
symbolic link that loops or points nowhere fails differently again. Here the file is opened
without blocking and asked what it is (`fstat` on the open descriptor, so what is checked is what
is read) before a byte is read; anything but a regular file is refused in words.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotAFile(OSError):
    """Why a path cannot be read as a file, in words for the person who named it."""


class TooLarge(NotAFile):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is {size:,} bytes; the limit is {limit:,}")


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def kind_of_file(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes (a link to one is followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise NotAFile("it is a symbolic link that loops back on itself") from None
        if err.errno == errno.ENOENT and path.is_symlink():
            raise NotAFile(f"it is a symbolic link to {os.readlink(path)}, which does not exist") from None
        raise NotAFile(err.strerror or str(err)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(f"it is {kind_of_file(info.st_mode)}, not a file")
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise TooLarge(len(data), limit)
    return data
