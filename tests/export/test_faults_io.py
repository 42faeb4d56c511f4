"""When the output folder cannot be written or read, a build says so in one line and publishes nothing torn.

Each fault is real, made by the kernel: a tmpfs that is full or fills up while the build writes,
a read-only mount of the folder or of one brand's folder, a file where a folder should be, a
manifest or state file that is not JSON. Every case changes the content first, so the build
has something to write. It must exit 1 with one line `error: <what> <path>: <why>` and no
traceback, leave every previous output as it was (or, when the disk fills part-way through,
each file complete, old or new, beside the old manifest), leave no temporary file, and the
next build, once the fault is gone, must finish with the complete set.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import time
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO, rolepack
from fault_support import (LONG, FolderEvents, environment, every_file, manifest_problems, published, set_content,
                           small_catalogue, temporaries)
from pipeline.export.store import LOCK

FAILED = 1
FILLS = 10 if LONG else 1
"""How often the disk fills during a write phase: each time after a different number of documents."""


def build_args(content: Path, out: Path) -> list[str]:
    """Job descriptions of two roles for both brands, PDF and DOCX: eight documents, about a second."""
    return ["build", "-f", "pdf,docx", "--kind", "job-description", "--role", "support-engineer,gen-role-1",
            "--content", str(content), "--layouts", str(content.parent / "layouts"), "--out", str(out),
            "--jobs", "1", "--quiet"]


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The content, and a complete build of its state A and of its state B (the base role edited)."""
    root = tmp_path_factory.mktemp("io")
    content = small_catalogue(root)
    built = {}
    for state in ("A", "B"):
        set_content(content, state)
        built[state] = root / f"reference-{state}"
        done = rolepack(*build_args(content, built[state]))
        assert done.exit_code == 0, done.stderr
    set_content(content, "A")
    return content, built


@pytest.fixture
def site(references: tuple[Path, dict[str, Path]], tmp_path: Path) -> Iterator[tuple[Path, Path, dict[str, Path]]]:
    """(content now in state B, an output folder path, the references): the folder is for the test to
    make, so that it can mount something there first."""
    content, built = references
    set_content(content, "B")
    try:
        yield content, tmp_path / "out", built
    finally:
        set_content(content, "A")


def previous_build(out: Path, built: dict[str, Path]) -> dict[str, str]:
    """Put state A's complete build into `out`; every file of it by sha256."""
    shutil.copytree(built["A"], out, copy_function=shutil.copy2, dirs_exist_ok=True)
    return every_file(out)




def assert_refused(run, message: str) -> None:
    """Exit 1 with one line naming what and why, and no traceback."""
    assert run.exit_code == FAILED, run.stdout + run.stderr
    assert run.exception is None or isinstance(run.exception, SystemExit), repr(run.exception)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), run.stderr
    assert "Traceback" not in run.stderr


@contextmanager
def mounted(target: Path, *options: str) -> Iterator[None]:
    """`mount OPTIONS... TARGET`, unmounted afterwards; the test is skipped where mounting is not allowed."""
    done = subprocess.run(["mount", *options, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        _unmount(target)


def _unmount(target: Path) -> None:
    """A build's process can still be closing its files when the test ends ("target is busy"): wait
    for it a little, then detach the mount lazily so the next test never inherits it."""
    for _ in range(50):
        if subprocess.run(["umount", str(target)], capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    subprocess.run(["umount", "--lazy", str(target)], check=True)


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder as a read-only bind mount of itself: unlike chmod, this stops root too."""
    with mounted(folder, "--bind", str(folder)):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        yield


def free_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize


def used_bytes(folder: Path) -> int:
    stat = os.statvfs(folder)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def test_a_full_disk_stops_the_build_at_its_first_file_and_changes_nothing(site) -> None:
    content, out, built = site
    out.mkdir()
    with mounted(out, "-t", "tmpfs", "-o", "size=2m", "tmpfs"):
        before = previous_build(out, built)
        subprocess.run(["mount", "-o", f"remount,size={used_bytes(out) + 8192}", str(out)], check=True)
        run = rolepack(*build_args(content, out))
        assert_refused(run, f"cannot write {out}/")
        assert run.stderr.strip().endswith(": No space left on device")
        assert every_file(out) == before and not temporaries(out)
        subprocess.run(["mount", "-o", "remount,size=2m", str(out)], check=True)
        again = rolepack(*build_args(content, out))
        assert again.exit_code == 0, again.stderr
        assert published(out) == published(built["B"]) and not manifest_problems(out)


def take_every_free_byte(fd: int, folder: Path) -> None:
    """Allocate what the disk reports free; the count can shrink between reading it and allocating
    (the file system's own bookkeeping), so a refused size is retried a block smaller."""
    size = free_bytes(folder)
    while size > 0:
        try:
            os.posix_fallocate(fd, 0, size)
            return
        except OSError as err:
            if err.errno != errno.ENOSPC:
                raise
            size -= 4096


def fill_at_the_first_staged_file(content: Path, out: Path) -> subprocess.CompletedProcess:
    """Run the build; at the first temporary file of its write phase, pause it (SIGSTOP), let another
    program take every free byte of the disk, and let it go on."""
    watch = FolderEvents(out)
    build = subprocess.Popen([sys.executable, "-m", "pipeline", *build_args(content, out)], cwd=REPO,
                             env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while build.poll() is None and not any(n.endswith(".tmp") for n in watch.names(0.02)):
            pass
        os.kill(build.pid, signal.SIGSTOP)
        with open(out / ".filler", "wb") as filler:
            take_every_free_byte(filler.fileno(), out)
        os.kill(build.pid, signal.SIGCONT)
        stdout, stderr = build.communicate(timeout=120)
    finally:
        watch.close()
    return subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr)


@pytest.mark.parametrize("fill", range(FILLS))
def test_a_disk_that_fills_during_the_write_phase_replaces_no_document_and_leaves_no_temporaries(
        site, fill: int) -> None:
    """Every document is written beside its old one before any is renamed into place, so a disk
    that fills while they are written leaves the previous set whole: old documents, old manifest."""
    content, out, built = site
    out.mkdir()
    with mounted(out, "-t", "tmpfs", "-o", "size=2m", "tmpfs"):
        for _ in range(5):  # the pause may come after the last document was staged: then try again
            previous_build(out, built)
            old = published(out)
            done = fill_at_the_first_staged_file(content, out)
            if done.returncode != 0:
                break
            (out / ".filler").unlink()
        assert done.returncode == FAILED, done.stdout + done.stderr
        assert done.stderr.startswith(f"error: cannot write {out}/")
        assert done.stderr.strip().endswith(": No space left on device")
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
        assert published(out) == old and not temporaries(out)
        (out / ".filler").unlink()
        again = rolepack(*build_args(content, out))
        assert again.exit_code == 0, again.stderr
        assert published(out) == published(built["B"]) and not manifest_problems(out)


def test_a_read_only_output_folder_is_refused_before_anything_renders(site) -> None:
    content, out, built = site
    before = previous_build(out, built)
    with read_only(out):
        run = rolepack(*build_args(content, out))
        assert_refused(run, f"cannot lock {out / LOCK}: Read-only file system")
        assert every_file(out) == before


def test_a_read_only_brand_folder_stops_the_build_naming_the_file_and_changes_nothing(site) -> None:
    content, out, built = site
    before = previous_build(out, built)
    with read_only(out / "default"):
        run = rolepack(*build_args(content, out))
        assert_refused(run, f"cannot write {out}/default/")
        assert run.stderr.strip().endswith(": Read-only file system")
    assert every_file(out) == before and not temporaries(out)


def test_a_file_where_a_brand_folder_should_be_stops_the_build_naming_it(site) -> None:
    content, out, built = site
    previous_build(out, built)
    shutil.rmtree(out / "default")
    (out / "default").write_text("not a folder\n")
    before = every_file(out)
    run = rolepack(*build_args(content, out))
    assert_refused(run, f"cannot write {out}/default/")
    assert run.stderr.strip().endswith(f": {out / 'default'} is a file, not a folder")
    assert every_file(out) == before


def test_a_file_where_the_output_folder_should_be_stops_the_build_naming_it(site) -> None:
    content, out, _ = site
    out.write_text("not a folder\n")
    run = rolepack(*build_args(content, out))
    assert_refused(run, f"cannot make the output folder {out}: {out} is a file, not a folder")
    assert out.read_text() == "not a folder\n"


@pytest.mark.parametrize("name, text, why", [
    ("manifest.json", "{\"outputs\": [", "not JSON (Expecting value: line 1 column 14 (char 13))"),
    ("manifest.json", "[]\n", "not a rolepack manifest (no list of outputs)"),
    (".rolepack-state.json", "\x00\x01garbage", "not JSON (Expecting value: line 1 column 1 (char 0))"),
    (".rolepack-state.json", "[1, 2]\n", "not a rolepack state file"),
])
def test_a_record_of_the_last_build_that_cannot_be_read_stops_the_build_before_it_renders(
        site, name: str, text: str, why: str) -> None:
    content, out, built = site
    previous_build(out, built)
    (out / name).write_text(text)
    before = every_file(out)
    run = rolepack(*build_args(content, out))
    assert_refused(run, f"cannot read {out / name}: {why}; nothing was changed")
    assert every_file(out) == before and (out / name).read_text() == text
    (out / name).unlink()
    again = rolepack(*build_args(content, out))
    assert again.exit_code == 0, again.stderr
    assert not manifest_problems(out)
