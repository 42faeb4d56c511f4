"""Loaded by every Python process of a build the read-boundary test starts (through PYTHONPATH),
workers included: records each file the process opens, by Python's own audit events."""

import os
import sys

_LOG = os.environ.get("ROLEPACK_AUDIT_LOG")
if _LOG:
    _write = open(_LOG, "a", encoding="utf-8", buffering=1).write

    def _hook(event: str, args: tuple) -> None:
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            _write(os.path.abspath(os.fsdecode(args[0])) + "\n")

    sys.addaudithook(_hook)
