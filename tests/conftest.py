"""Shared helpers: a throwaway copy of valid content, broken files dropped into it, and the CLI.

Every test runs with the working directory at the copy, so reports name files as
`content/roles/x.yaml` exactly as an author would see them, and with a fixed today so that the
date rules (future and stale salary data) do not change meaning as the calendar moves.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cli

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"
DEMO_BRANDS = REPO / "content" / "brands"
BROKEN = TESTS / "broken"
TODAY = dt.date(2026, 6, 1)
ERROR_MARK = re.compile(r"^(\S+:\d+:\d+: )error: ")

os.environ.setdefault("ROLEPACK_JOBS", "1")
"""Builds that do not ask for workers render in their own process: the suite's builds are small, and
each worker process would spend more starting (importing WeasyPrint, loading fonts) than rendering.
The tests of workers, pools and clusters ask for theirs with --jobs."""
os.environ["ROLEPACK_CACHE"] = tempfile.mkdtemp(prefix="rolepack-cache-")
"""The validation cache of this run only: never the user's, and a test that edits a role sees its
edit re-checked exactly as a user's next run would (the cache's own tests check that)."""


def with_demo_brands(layouts: Path) -> Path:
    """`layouts` (a private copy of the layouts or of a content folder) holding the demo company's two
    brands (A4 and an agency's US Letter) in place of the house style, for tests that edit a brand's
    files or need two brands; in a layouts folder they serve content that has no `brands/` of its own."""
    for brand in DEMO_BRANDS.iterdir():
        shutil.copytree(brand, layouts / "brands" / brand.name, dirs_exist_ok=True)
    return layouts


def demo_content_without_brands(into: Path) -> Path:
    """A copy of the demo content at `into` without its own brands (see `with_demo_brands`)."""
    shutil.copytree(REPO / "content", into, ignore=lambda folder, names: ["brands"] if Path(folder) == REPO / "content" else [])
    return into


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def problems(self) -> list[str]:
        """The indented `file:line:col: path: message` lines under a failure's header, each error's
        `error:` mark left out so that tests read the message (tests/cli/test_validate_agrees_with_build.py
        checks the marks themselves)."""
        return [ERROR_MARK.sub(r"\1", line.strip()) for line in self.stderr.splitlines() if line.startswith("  ")]


def rolepack(*args: str) -> Run:
    result = CliRunner().invoke(cli.app, list(args))
    return Run(result.exit_code, result.stdout, result.stderr, result.exception)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a copy of the valid fixture content at ./content, made the working directory."""
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli.commands, "_today", lambda: TODAY)
    return tmp_path


@pytest.fixture
def content(workdir: Path) -> Path:
    return workdir / "content"


def without_approvals(content: Path) -> Path:
    """The demo content without its approval records and requirement (content/approvals.yaml and
    `approvals:` in rolepack.yaml), so a test that edits a role builds it as edited; the approval
    gate itself is tested in tests/export/test_approvals.py."""
    (content / "approvals.yaml").unlink(missing_ok=True)
    settings = content / "rolepack.yaml"
    if settings.is_file():
        text = settings.read_text(encoding="utf-8")
        settings.write_text(re.sub(r"(?m)^approvals:.*\n", "", text), encoding="utf-8")
    return content


def add_broken(content: Path, name: str) -> None:
    """Copy tests/broken/NAME.yaml (or every file of the folder tests/broken/NAME) into content/roles."""
    source = BROKEN / name
    files = sorted(source.glob("*.yaml")) if source.is_dir() else [BROKEN / f"{name}.yaml"]
    for file in files:
        shutil.copy(file, content / "roles" / file.name)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` with its modification time and bytes, to prove nothing was written."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(out: Path) -> dict[str, tuple[int, bytes]]:
    """`snapshot` of what a build publishes: every file but the lock, which each run takes (and
    which holds the running build's process id only while it runs), and what the last build saw of
    the files' statuses (export/seen), which a build that changes nothing may bring up to date."""
    return {path: value for path, value in snapshot(out).items() if path not in (".rolepack.lock", ".rolepack-seen.json")}


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory):
    """One PDF build of the shipped content and layouts, shared by every test that reads it."""
    from pdf_support import shipped_build

    return shipped_build(tmp_path_factory)


@pytest.fixture
def previous(shipped, tmp_path: Path) -> Path:
    """An output folder holding a complete earlier build (a copy of the shipped one, times kept)."""
    assert shipped.exit_code == 0, shipped.stderr
    out = tmp_path / "out"
    shutil.copytree(shipped.out, out, copy_function=shutil.copy2)
    return out


HEAVIEST = ("render/test_docx_documents.py", "export/test_faults_kill.py", "export/test_build_engine.py",
            "export/test_build_outputs.py", "render/test_careers_site.py", "export/test_dask_build.py",
            "render/test_pdf_documents.py", "test_hostile_input.py", "drafts/test_merge.py",
            "test_read_boundaries.py", "render/test_pdf_security.py", "render/test_tuning.py",
            "export/test_faults_concurrency.py", "preview/test_preview.py", "importing/test_truthful_import.py")
"""The test files with the longest runs (their shared builds, LibreOffice, Chromium, strace), slowest first."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The heaviest files first: `make test` hands whole files to two workers (--dist loadfile) in
    collection order, and a heavy file collected last would run alone at the end. Each file's tests
    keep their order."""
    rank = {name: i for i, name in enumerate(HEAVIEST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0].removeprefix("tests/"), len(rank)))
