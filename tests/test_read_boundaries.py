"""What a build reads: nothing outside the content, the layouts, its output folder, its own
temporary files, its validation cache and the Python installation, whatever the content says.

Every Python process of the build (the command and its workers) records each file it opens,
through an audit hook loaded by `sitecustomize` (tests/audit/). The role carries text that names
/etc/passwd in every way a template, Markdown or an HTML renderer might follow: none of it is
followed. Native libraries (Pango, fontconfig, cairo) raise no audit events, so the same build
runs under strace too (one build, watched both ways), which sees every file any process opens, native or not: the fonts come
from the bundle, and nothing else is read outside the same folders and the system's own libraries.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

HOSTILE = ("<img src='file:///etc/passwd'> {% include '/etc/passwd' %} {{ 7*7 }} "
           "<link rel=stylesheet href='/etc/passwd'> <iframe src='/etc/shadow'></iframe>")
SYSTEM = {"/dev/null", "/etc/mime.types", "/etc/localtime"}
"""Files the standard library reads for itself (mimetypes' table, the local time zone)."""
ZONEINFO = Path("/usr/share/zoneinfo")
"""The system's time-zone data, which date libraries read."""


def _hostile_build(tmp_path: Path, *, prefix: list[str], env: dict[str, str]) -> Path:
    """Build every format of a role whose summary names /etc/passwd every way; the output folder.

    The build has a temporary folder of its own, so what it keeps between processes is inside the
    folders it may read; the faces already cut for Word and the web are copied there from this
    user's (if a test before made them), as a build finds them on a machine that built before:
    cutting them again reads only the bundled faces, which the build opens anyway, and took 15 s."""
    content, out, temp, cache = tmp_path / "content", tmp_path / "out", tmp_path / "tmp", tmp_path / "cache"
    shutil.copytree(REPO / "content", content)
    temp.mkdir()
    cut_faces = Path(tempfile.gettempdir()) / f"rolepack-fonts-{os.getuid()}"
    if cut_faces.is_dir():
        shutil.copytree(cut_faces, temp / cut_faces.name, ignore=shutil.ignore_patterns("*.lock", ".*.tmp"))
    role = content / "roles" / "backend-engineer.yaml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("  summary: Build and run", f'  summary: "{HOSTILE} Build and run', 1)
                    .replace("as it grows.\n", 'as it grows."\n', 1), encoding="utf-8")
    for part, person in (("recruiter", "Amara Okafor"), ("hiring-manager", "Daniel Ferreira")):  # edited: approve again
        subprocess.run([sys.executable, "-m", "pipeline", "approve", "backend-engineer", "--by", person, "--as", part,
                        "--content", str(content)], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    kinds = [] if os.environ.get("ROLEPACK_LONG") else ["--kind", "job-description"]  # the guide reads the same files
    run = subprocess.run([*prefix, sys.executable, "-m", "pipeline", "build", "-f", "pdf,docx,html,md,jsonld", *kinds,
                          "--role", "backend-engineer", "--brand", "default", "--content", str(content),
                          "--layouts", str(REPO / "layouts"), "--out", str(out), "--quiet"],
                         cwd=tmp_path, env={**os.environ, **env, "TMPDIR": str(temp), "ROLEPACK_CACHE": str(cache)},
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert list(cache.rglob("*.entry")), "the build kept no validation cache where it was told to"
    assert "{% include" in (out / "default" / "backend-engineer" / "backend-engineer-job-description.md").read_text()
    return out


def _allowed(tmp_path: Path) -> list[Path]:
    return [tmp_path, REPO / "layouts", REPO / "pipeline", Path(sys.prefix), Path(sys.base_prefix),
            Path(sysconfig.get_paths()["purelib"]), ZONEINFO]


def _outside(paths: set[str], allowed: list[Path], files: set[str]) -> list[str]:
    return sorted(p for p in paths if p not in files and not any(Path(p).is_relative_to(a) for a in allowed))


@dataclass(frozen=True)
class Traced:
    """One build of every format, seen twice at once: by the audit hook (every Python open) and by
    strace (every open, native code included)."""

    root: Path
    audit: Path
    strace: Path


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Traced:
    root = tmp_path_factory.mktemp("reads")
    audit, strace = root / "opened.log", root / "strace.log"
    # --seccomp-bpf: the kernel stops the build only at the calls traced, not at every one (a third of the time)
    _hostile_build(root, prefix=["strace", "-f", "--seccomp-bpf", "-qq", "-e", "trace=open,openat,openat2,creat",
                                 "-e", "signal=none", "-o", str(strace)],
                   env={"PYTHONPATH": str(REPO / "tests" / "audit"), "ROLEPACK_AUDIT_LOG": str(audit)})
    return Traced(root, audit, strace)


def test_a_build_of_every_format_opens_no_file_outside_its_folders(traced: Traced) -> None:
    opened = set(traced.audit.read_text(encoding="utf-8").splitlines())
    outside = _outside(opened, _allowed(traced.root), SYSTEM)
    print(f"\n{len(opened)} files opened by the build's processes, {len(outside)} outside the allowed folders")
    assert str(traced.root / "content" / "brands" / "default" / "logo.svg") in opened, "the hook saw the workers' reads"
    assert outside == []
    assert not any("passwd" in p or "shadow" in p for p in opened)


NATIVE = [Path(p) for p in ("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/share/locale", "/usr/share/fontconfig",
                            "/proc/self", "/sys/fs/cgroup", "/sys/devices/system/cpu", "/dev/shm")]
"""What the system's own libraries read for themselves: shared libraries and their locale data,
fontconfig's rule files (not fonts: its configuration names only the bundle), the process's own
/proc entries and its CPU and memory limits, and the semaphores of the worker pool."""
NATIVE_FILES = SYSTEM | {"/etc/ld.so.cache", "/dev/urandom", "/proc/filesystems", "/proc/sys/vm/overcommit_memory"}
"""The loader's cache, randomness, and what memory allocators ask the kernel about itself."""
_OPENED = re.compile(r'(?:open|openat|openat2|creat)\((?:AT_FDCWD, )?"((?:[^"\\]|\\.)*)"[^)]*\) += (-?\d+)')
_FONT = re.compile(r"\.(?:ttf|otf|ttc|woff2?|pfb|pfa|pcf(?:\.gz)?)$", re.IGNORECASE)


def _traced_opens(log: Path, cwd: Path) -> dict[str, bool]:
    """Every path an open call named, and whether one of those calls succeeded; strace splits a
    call that another process interrupted into an unfinished and a resumed line, joined here."""
    pending: dict[str, str] = {}
    opened: dict[str, bool] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        pid, _, call = line.partition(" ")
        if call.endswith("<unfinished ...>"):
            pending[pid] = call.removesuffix("<unfinished ...>")
            continue
        if "resumed>" in call and pid in pending:
            call = pending.pop(pid) + call.split("resumed>", 1)[1]
        if (found := _OPENED.search(call)) is not None:
            path = os.path.normpath(cwd / found.group(1).encode().decode("unicode_escape"))
            opened[path] = opened.get(path, False) or int(found.group(2)) >= 0
    return opened


def test_native_libraries_of_a_build_open_only_the_bundled_fonts_and_allowed_files(traced: Traced) -> None:
    opened = _traced_opens(traced.strace, traced.root)
    succeeded = {path for path, ok in opened.items() if ok}
    outside = _outside(succeeded, _allowed(traced.root) + NATIVE + [REPO / "tests" / "audit"], NATIVE_FILES)  # the hook itself
    fonts = {path for path in succeeded if _FONT.search(path)}
    print(f"\n{len(opened)} paths opened or tried by the build's processes, native code included; "
          f"{len(succeeded)} opened, {len(outside)} outside the allowed folders; {len(fonts)} font files")
    assert outside == []
    assert fonts and all(Path(font).is_relative_to(REPO / "layouts" / "fonts") for font in fonts)
    assert not any(Path(path).is_relative_to("/etc/fonts") or Path(path).is_relative_to("/usr/share/fonts")
                   for path in opened)
    assert not any("passwd" in path or "shadow" in path for path in opened)
