"""Shared helpers of the fault suites: a small catalogue, builds as real processes, and what an
output folder must look like after a fault.

A fault suite does to a build what a night can: SIGKILL, a full disk, a read-only mount, a
second build on the same folder. The build under test always runs as its own process
(`python -m pipeline build`), as cron or systemd runs it, so a kill is a real kill and the
kernel, not a mock, decides what reached the disk.

The long versions (50+ kills and more of everything) run with ROLEPACK_LONG=1; the default run
does a short version of each, and ROLEPACK_FAULT_SEED replays a run's random choices.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURE_CONTENT, REPO

LONG = os.environ.get("ROLEPACK_LONG") == "1"
SEED = int(os.environ.get("ROLEPACK_FAULT_SEED", "20261201"))
BASE = "support-engineer"
GENERATED = ("gen-role-1", "gen-role-2")


# --- the catalogue -------------------------------------------------------------------------------

def small_catalogue(root: Path) -> Path:
    """ROOT/content: the fixture content plus roles that extend its base role (16 documents of one
    brand, a few seconds to build), and ROOT/layouts, a copy of the layouts that nobody edits while
    the suite runs. Returns the content folder."""
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(REPO / "layouts", root / "layouts", symlinks=True)
    for number, slug in enumerate(GENERATED, 1):
        (content / "roles" / f"{slug}.yaml").write_text(
            f"slug: {slug}\nextends: {BASE}\ntitle: Generated Role {number}\n", encoding="utf-8")
    return content


EDITS = {
    # state: (file, text of the original, what it becomes)
    "A": None,
    "B": (f"{BASE}.yaml", "Help customers get unstuck.", "Help customers get unstuck, and stay unstuck."),
    "C": (f"{GENERATED[0]}.yaml", "Generated Role 1", "Generated Role One"),
}
"""Three versions of the content: B changes the base role (every document), C one role (its four)."""


def set_content(content: Path, state: str) -> None:
    """Put the content into one of the EDITS states, whatever state it was in."""
    for name, edit in EDITS.items():
        if edit is None:
            continue
        file, original, changed = edit
        path = content / "roles" / file
        text = path.read_text(encoding="utf-8").replace(changed, original)
        path.write_text(text.replace(original, changed) if name == state else text, encoding="utf-8")


# --- builds as processes ---------------------------------------------------------------------------

def build_command(content: Path, out: Path, *extra: str, jobs: int = 2) -> list[str]:
    """`rolepack build` of PDF and DOCX of a `small_catalogue`, with the layouts beside its content.
    Two jobs start worker processes (a second of start-up); one renders in the build's own process."""
    return [sys.executable, "-m", "pipeline", "build", "-f", "pdf", "-f", "docx", "--brand", "default",
            "--jobs", str(jobs), "--content", str(content), "--layouts", str(content.parent / "layouts"),
            "--out", str(out), "--quiet", *extra]


def environment(**extra: str) -> dict[str, str]:
    """The test's environment without SOURCE_DATE_EPOCH, so documents are dated from their content."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return {**env, **extra}


def run(command: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, env=environment(), capture_output=True, text=True, timeout=timeout)


def start(command: list[str], output: int = subprocess.PIPE) -> subprocess.Popen:
    """The build as a running process; a build that will be killed needs `output=subprocess.DEVNULL`,
    so that nothing waits for the end of its output."""
    return subprocess.Popen(command, cwd=REPO, env=environment(), stdout=output, stderr=output, text=True)


def children(pid: int) -> set[int]:
    """The processes `pid` has started and not yet reaped (its render workers, the resource tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (an exited process its new parent has not reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def outlived(pids: set[int], timeout: float) -> set[int]:
    """The processes of `pids` still running after up to `timeout` seconds; they are then killed, so
    that a failing test leaves nothing behind."""
    deadline = time.monotonic() + timeout
    while (left := {p for p in pids if running(p)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


# --- what an output folder holds ------------------------------------------------------------------

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def published(out: Path) -> dict[str, str]:
    """What a reader of the folder sees, by sha256: every output and the manifest. Names starting with
    a dot are the build's own (the lock, its state, temporaries) and are not published."""
    return {p.relative_to(out).as_posix(): sha256(_comparable(p)) for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _comparable(path: Path) -> bytes:
    """The file's bytes; for the manifest, without each entry's input key. That key includes the engine
    fingerprint, which changes whenever someone edits rolepack's code while a suite runs, though
    not one byte of any document does. A manifest that is not JSON stays as it is, to differ."""
    data = path.read_bytes()
    if path.name != "manifest.json":
        return data
    try:
        body = json.loads(data)
        for entry in body["outputs"]:
            entry.pop("inputs", None)
    except (ValueError, KeyError, TypeError, AttributeError):
        return data
    return json.dumps(body, sort_keys=True).encode()


def every_file(out: Path) -> dict[str, str]:
    """Every file under `out` by sha256, the build's own included but the lock (it holds a process id)."""
    return {p.relative_to(out).as_posix(): sha256(p.read_bytes()) for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".rolepack.lock"}


def temporaries(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob(".*.tmp"))


def manifest_problems(out: Path) -> list[str]:
    """Why `out/manifest.json` does not describe the folder: not JSON, an entry whose file is missing or
    differs from its sha256, or an output the manifest does not list. Empty when it is true."""
    try:
        entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return [f"manifest.json unreadable: {err}"]
    files = {p: h for p, h in published(out).items() if p != "manifest.json"}
    problems = [f"{e['path']}: listed with {e['sha256'][:12]}, on disk {files.get(e['path'], 'nothing')[:12]}"
                for e in entries if files.get(e["path"]) != e["sha256"]]
    listed = {e["path"] for e in entries}
    return problems + [f"{path}: on disk, not in the manifest" for path in sorted(set(files) - listed)]


# --- watching a build write -----------------------------------------------------------------------

IN_CREATE, IN_MOVED_TO = 0x100, 0x80
_EVENT = struct.Struct("iIII")


class FolderEvents:
    """Files created and renamed into a folder tree, reported by the kernel (inotify) as they happen.

    The kill suite uses it to stop a build at the n-th file of its write phase, which timing alone
    hits rarely: the write phase of a build is milliseconds long.
    """

    def __init__(self, root: Path) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
            assert self._libc.inotify_add_watch(self.fd, str(folder).encode(), IN_CREATE | IN_MOVED_TO) >= 0

    def names(self, timeout: float) -> list[str]:
        """The names created or renamed into place since the last call, waiting up to `timeout` for one."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return []
        data, names = os.read(self.fd, 65536), []
        while data:
            _, mask, _, length = _EVENT.unpack_from(data)
            name = data[_EVENT.size:_EVENT.size + length].rstrip(b"\0").decode()
            if mask & IN_MOVED_TO or name.endswith(".tmp"):
                names.append(name)
            data = data[_EVENT.size + length:]
        return names

    def close(self) -> None:
        os.close(self.fd)


def waits_on_lock(pid: int, out: Path, timeout: float = 60) -> bool:
    """Whether process `pid` opens the output folder's lock file within `timeout` seconds (it then
    waits on it, since the lock is held): a handshake read from /proc, not a guess of how long a
    build takes to get there."""
    from pipeline.export.store import LOCK

    lock = str((out / LOCK).resolve())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if any(os.readlink(fd) == lock for fd in Path(f"/proc/{pid}/fd").iterdir()):
                return True
        except OSError:
            pass  # a descriptor closed while it was read
        time.sleep(0.01)
    return False
