"""Native libraries are found from the loader's cache, as ctypes finds them, without running a
compiler: loading WeasyPrint and cairo starts no program but `ldconfig`."""

from __future__ import annotations

import ctypes.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from pipeline.render.tuning.native_libraries import FIND_LIBRARY, cached_library, found_from_the_loader_cache

LOADED = ("gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig", "cairo")
"""The libraries WeasyPrint and cairocffi open, under the names their lookups succeed with."""


@pytest.mark.parametrize("name", LOADED)
def test_the_cache_gives_the_soname_ctypes_finds(name: str) -> None:
    found = cached_library(name)
    assert found is not None and found.startswith(f"lib{name}.so")
    assert found == ctypes.util.find_library(name)


def test_a_library_the_machine_lacks_is_not_found_either_way() -> None:
    assert cached_library("rolepack-no-such-library") is None
    assert ctypes.util.find_library("rolepack-no-such-library") is None


def test_the_cache_answers_only_inside_the_block() -> None:
    with found_from_the_loader_cache():
        assert FIND_LIBRARY.current() is cached_library
    assert FIND_LIBRARY.current() is None


def test_with_the_shortcuts_off_ctypes_answers_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPACK_ENGINE_SHORTCUTS", "0")
    with found_from_the_loader_cache():
        assert FIND_LIBRARY.current() is None


def test_rendering_a_pdf_and_a_docx_logo_runs_no_compiler(tmp_path: Path) -> None:
    log = tmp_path / "exec.log"
    script = ("from pipeline.render.pdf import writer\n"
              "from pipeline.render.docx.blocks import svg_to_png\n"
              "from pathlib import Path\n"
              f"png = svg_to_png(Path({str(REPO / 'content' / 'brands' / 'default' / 'logo.svg')!r}).read_bytes())\n"
              "assert png.startswith(b'\\x89PNG')\n")
    run = subprocess.run(["strace", "-f", "--seccomp-bpf", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o", str(log),
                          sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    started = {Path(program).name for program in re.findall(r'execve\("([^"]+)"', log.read_text())}
    assert started - {Path(sys.executable).name} == {"ldconfig"}
