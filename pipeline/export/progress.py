"""How a build reports itself: a progress bar for people, lines for logs, JSON for collectors.

A scheduled export runs with nobody watching; what it prints is all anyone will know of it. On a
terminal a Rich bar shows documents done, the rate and the time left; elsewhere (cron, CI) each
finished document is one line, so a long build is never silent; `json` prints one object per
line for log collectors; `quiet` prints only errors and the closing summary.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Literal, Protocol

LogFormat = Literal["text", "json"]


class Reporter(Protocol):
    def start(self, total: int, unchanged: int) -> None: ...

    def document(self, path: str, status: str, seconds: float, error: str | None) -> None: ...

    def finish(self) -> None: ...


class _Silent:
    def start(self, total: int, unchanged: int) -> None:
        pass

    def document(self, path: str, status: str, seconds: float, error: str | None) -> None:
        pass

    def finish(self) -> None:
        pass


silent: Reporter = _Silent()


class Lines:
    """One line per finished document (failures always, to stderr)."""

    def __init__(self, out: IO[str], err: IO[str], *, quiet: bool) -> None:
        self.out, self.err, self.quiet = out, err, quiet
        self.total = 0
        self.done = 0

    def start(self, total: int, unchanged: int) -> None:
        self.total = total
        if not self.quiet and total:
            print(f"rendering {total} document{'s' if total != 1 else ''} ({unchanged} up to date)", file=self.out,
                  flush=True)

    def document(self, path: str, status: str, seconds: float, error: str | None) -> None:
        self.done += 1
        if error:
            print(f"error: {path}: {error}", file=self.err, flush=True)
        elif not self.quiet:
            print(f"[{self.done}/{self.total}] {status} {path} ({seconds:.2f} s)", file=self.out, flush=True)

    def finish(self) -> None:
        pass


class Json:
    """One JSON object per event, on one line, for log collectors."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def emit(self, event: str, **fields: object) -> None:
        print(json.dumps({"event": event, **fields}, ensure_ascii=False, sort_keys=True), file=self.out, flush=True)

    def start(self, total: int, unchanged: int) -> None:
        self.emit("start", outdated=total, unchanged=unchanged)

    def document(self, path: str, status: str, seconds: float, error: str | None) -> None:
        self.emit("document", target=path, status=status, seconds=round(seconds, 3), error=error)

    def finish(self) -> None:
        pass


class Bar:
    """A Rich progress bar on the terminal: documents done / total, rate, time left."""

    def __init__(self, err: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.console = Console(file=err)
        self.progress = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("left"),
                                 TimeRemainingColumn(), console=self.console, transient=True)
        self.task = None

    def start(self, total: int, unchanged: int) -> None:
        if total:
            self.progress.start()
            self.task = self.progress.add_task("build", total=total, rate="")

    def document(self, path: str, status: str, seconds: float, error: str | None) -> None:
        if error:
            self.progress.console.print(f"error: {path}: {error}", markup=False, highlight=False)
        if self.task is not None:
            self.progress.advance(self.task)
            speed = self.progress.tasks[0].speed
            self.progress.update(self.task, rate=f"{speed:.1f} docs/s" if speed else "")

    def finish(self) -> None:
        if self.task is not None:
            self.progress.stop()


def reporter_for(log_format: LogFormat, *, quiet: bool, out: IO[str] | None = None,
                 err: IO[str] | None = None) -> Reporter:
    out, err = out or sys.stdout, err or sys.stderr
    if log_format == "json":
        return Json(out)
    if not quiet and err.isatty():
        return Bar(err)
    return Lines(out, err, quiet=quiet)
