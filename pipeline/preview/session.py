"""A preview session: a private folder, the first build, the server and the watcher, and a clean
stop on Ctrl-C or SIGTERM (threads ended, the folder removed, within about a second)."""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from pipeline.preview.builder import Builder, Snapshot
from pipeline.preview.server import PreviewServer
from pipeline.preview.watch import start_watching

POLL_SECONDS = 0.1
"""How often the server loop looks for the stop request."""


def _log(snapshot: Snapshot) -> None:
    if snapshot.problems:
        print(f"{snapshot.heading} (shown in the page):", file=sys.stderr)
        for line in snapshot.problems:
            print(f"  {line}", file=sys.stderr)
    else:
        print(f"rebuilt in {snapshot.seconds:.2f} s", file=sys.stderr)
    sys.stderr.flush()


def preview(content: Path, layouts: Path, role: str, brand: str, port: int) -> None:
    """Serve the role until SIGINT or SIGTERM. OSError when the port cannot be had (nothing is left
    behind then either)."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    work = Path(tempfile.mkdtemp(prefix="rolepack-preview-"))
    builder = Builder(content, layouts, role, brand, work)
    server: PreviewServer | None = None
    serving: threading.Thread | None = None
    threads: list[threading.Thread] = []
    try:
        server = PreviewServer(port, builder)
        print(f"building into {work} (removed on exit)", file=sys.stderr, flush=True)
        _log(builder.rebuild())
        threads.append(start_watching([content, layouts], lambda: _log(builder.rebuild()), stop))
        serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS},
                                   name="rolepack-preview-http", daemon=True)
        serving.start()
        threads.append(serving)
        print(f"Previewing {role} at {server.url} (Ctrl-C to stop)", flush=True)
        while not stop.wait(POLL_SECONDS):
            pass
    finally:
        stop.set()
        if server is not None:
            server.stopping.set()  # before the workers go: a request they leave unfinished is no error
        builder.close()
        if server is not None:
            if serving is not None:
                server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join(timeout=2.0)
        shutil.rmtree(work, ignore_errors=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
