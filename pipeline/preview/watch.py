"""Rebuild on save: a thread that watches the content and layouts folders with watchfiles.

Changes that arrive together (an editor's write, rename and backup) come as one batch, so one save
is one rebuild; editors' swap and backup files are ignored (watchfiles' default filter).
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

STEP_MS = 50
"""Quiet time after a change before the batch is handed over."""
DEBOUNCE_MS = 400
"""Longest a batch waits for more changes."""


def start_watching(folders: Sequence[Path], on_change: Callable[[], None], stop: threading.Event) -> threading.Thread:
    """Call `on_change` after every batch of changes under `folders`, until `stop` is set."""

    def run() -> None:
        for _ in watchfiles.watch(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=STEP_MS,
                                  rust_timeout=500, raise_interrupt=False):
            try:
                on_change()
            except Exception:  # keep watching: the next save may fix it
                traceback.print_exc(file=sys.stderr)

    thread = threading.Thread(target=run, name="rolepack-preview-watch", daemon=True)
    thread.start()
    return thread
