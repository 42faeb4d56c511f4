"""A process's own peak resident set, as Linux keeps it for the process's current memory map.

getrusage's ru_maxrss is not that: it also keeps the peak of the map a process had before it
exec'd. Python starts a command (and Dask a worker) with vfork, whose child borrows its parent's
map until exec, so every command the benchmark started, and every worker of a cluster it started,
reported at least the benchmark's own size: 267 MiB once the documents case had loaded WeasyPrint
in it. /proc's VmHWM is the high-water mark of the map the program itself has used.
"""

from __future__ import annotations

import resource
import threading
from pathlib import Path

STATUS = Path("/proc/self/status")


def high_water_mib(status: str) -> float | None:
    """VmHWM from the text of a /proc/<pid>/status, in MiB."""
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), None)


def own_peak_mib() -> float:
    """This process's peak resident set (getrusage's where /proc is missing)."""
    try:
        found = high_water_mib(STATUS.read_text(encoding="utf-8"))
    except OSError:
        found = None
    return found if found is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class DescendantsPeak:
    """The largest peak resident set among this process's descendants (pool workers, which Python
    starts by spawning, so getrusage's RUSAGE_CHILDREN has the same floor as above), read from
    each one's /proc status every `every` seconds while the block runs and once more at its end.
    VmHWM only grows, so a worker's last reading before it exits is its peak, give or take what it
    used in its last `every` seconds."""

    def __init__(self, every: float = 0.05) -> None:
        self.every, self.peak_mib = every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> DescendantsPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _read(self) -> None:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                found = high_water_mib(Path(f"/proc/{child.pid}/status").read_text(encoding="utf-8"))
            except OSError:  # gone meanwhile
                continue
            self.peak_mib = max(self.peak_mib, found or 0.0)

    def _watch(self) -> None:
        while not self._stop.wait(self.every):
            self._read()
