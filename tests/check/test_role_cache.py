"""The validation cache: a run re-checks exactly the roles whose inputs changed, and says the same.

Each test reads a copy of the demo content twice or more with one cache folder, and compares what
the later run re-validated (`Report.checked`) and reported with a run that kept nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import pipeline.check.catalogue as catalogue_module
import pipeline.source.digests as digests
from pipeline.check.catalogue import Report, inspect_content
from conftest import REPO

DEMO = REPO / "content"
LAYOUTS = REPO / "layouts"
TODAY = dt.date(2026, 6, 1)
ROLES = sorted(p.stem for p in (DEMO / "roles").glob("*.yaml"))
PARENT, CHILD = "backend-engineer", "senior-backend-engineer"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "content"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ROLEPACK_CACHE", str(folder))
    return folder


def inspect(content: Path, *, today: dt.date = TODAY, layouts: Path | None = LAYOUTS) -> Report:
    return inspect_content(content, today=today, base=content.parent, layouts=layouts)


def uncached(content: Path, monkeypatch: pytest.MonkeyPatch, **kw) -> Report:
    with monkeypatch.context() as patch:
        patch.setenv("ROLEPACK_CACHE", "off")
        return inspect(content, **kw)


def said(report: Report) -> tuple:
    """Everything a run reports, as the author reads it."""
    return ([str(p) for p in report.problems], [str(p) for p in report.warnings], report.notes, list(report.roles),
            {slug: report.roles[slug] for slug in report.roles})


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_catalogue_is_not_validated_again_and_says_the_same(content: Path, cache: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = inspect(content)
    assert sorted(first.checked) == ROLES
    again = inspect(content)
    assert again.checked == ()
    assert said(again) == said(first) == said(uncached(content, monkeypatch))
    assert list(cache.rglob("*.entry")), "nothing was kept"


def test_an_edited_role_alone_is_validated_again(content: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inspect(content)
    edit(content / "roles" / "qa-engineer.yaml", "title: ", "title: Lead ")
    after = inspect(content)
    assert after.checked == ("qa-engineer",)
    assert after.roles["qa-engineer"].title.startswith("Lead ")
    assert said(after) == said(uncached(content, monkeypatch))


def test_an_edited_parent_is_validated_again_with_every_role_that_extends_it(content: Path, cache: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    inspect(content)
    assert (content / "roles" / f"{CHILD}.yaml").read_text(encoding="utf-8").count(f"extends: {PARENT}") == 1
    edit(content / "roles" / f"{PARENT}.yaml", "  summary: ", "  summary: Edited. ")
    after = inspect(content)
    assert sorted(after.checked) == sorted([PARENT, CHILD])
    assert said(after) == said(uncached(content, monkeypatch))


def test_a_new_version_of_rolepack_validates_everything_again(content: Path, cache: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    inspect(content)
    monkeypatch.setattr(catalogue_module, "engine", lambda: "another version of the schema and code")
    assert sorted(inspect(content).checked) == ROLES
    assert inspect(content).checked == ()


def test_changed_layouts_validate_everything_again(content: Path, cache: Path, tmp_path: Path) -> None:
    layouts = Path(shutil.copytree(LAYOUTS, tmp_path / "layouts"))
    inspect(content, layouts=layouts)
    (layouts / "locales" / "README.md").write_text("a change to the layouts\n", encoding="utf-8")
    assert sorted(inspect(content, layouts=layouts).checked) == ROLES


def test_edited_company_text_validates_no_role_again_and_is_reported(content: Path, cache: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    inspect(content)
    edit(content / "company.yaml", "\nname: ", "\nname: [")
    after = inspect(content)
    assert after.checked == ()
    assert any(p.file.endswith("company.yaml") for p in after.problems)
    assert said(after) == said(uncached(content, monkeypatch))


def test_a_broken_role_keeps_its_exact_messages(content: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(content / "roles" / "qa-engineer.yaml", "employment_type: full-time", "employment_type: full-tme")
    edit(content / "roles" / f"{PARENT}.yaml", "  summary: ", "  summary: See [our page](javascript:alert(1)). ")
    first = inspect(content)
    assert any(p.path == "employment_type" and p.file.endswith("qa-engineer.yaml") for p in first.problems)
    assert any("javascript:" in p.message for p in first.problems)
    again = inspect(content)
    assert again.checked == ()
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert said(again) == said(uncached(content, monkeypatch))


def test_what_depends_on_the_day_is_worked_out_on_the_day(content: Path, cache: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def stale(report: Report) -> set[str]:
        return {str(p) for p in report.warnings if p.rule == "stale-pay"}

    first = inspect(content, today=dt.date(2025, 6, 1))
    later = inspect(content, today=dt.date(2030, 6, 1))
    assert later.checked == ()
    assert stale(later) - stale(first), "salary data five years older than the first run's day is not stale"
    assert said(later) == said(uncached(content, monkeypatch, today=dt.date(2030, 6, 1)))


def test_a_damaged_entry_is_a_miss(content: Path, cache: Path) -> None:
    inspect(content)
    for entry in cache.rglob("*.entry"):
        entry.write_bytes(b"\x80\x05 not a pickle")
    assert sorted(inspect(content).checked) == ROLES


def test_a_folder_others_may_write_to_is_not_used(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("ROLEPACK_CACHE", str(shared))
    inspect(content)
    assert list(shared.iterdir()) == []
    assert sorted(inspect(content).checked) == ROLES


def test_off_keeps_nothing(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPACK_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    inspect(content)
    assert sorted(inspect(content).checked) == ROLES
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_a_catalogue_loaded_before_an_edit_still_gives_its_models(content: Path, cache: Path) -> None:
    """A long-running process (a preview, a build) asks for a model after another run re-validated the role."""
    before = inspect(content)
    edit(content / "roles" / "qa-engineer.yaml", "title: ", "title: Lead ")
    inspect(content)
    assert not before.roles["qa-engineer"].title.startswith("Lead ")


def test_the_cache_is_only_this_users(cache: Path, content: Path) -> None:
    inspect(content)
    for folder in [cache, *(p for p in cache.rglob("*") if p.is_dir())]:
        assert folder.stat().st_mode & 0o077 == 0, folder
        assert folder.stat().st_uid == os.getuid()


def _age(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every role file's status trusted at once: setting a time stamp changes the file's ctime to now,
    which the cache would rightly find too recent to trust for RACY_NS (two seconds)."""
    monkeypatch.setattr(digests, "RACY_NS", 0)
    for file in (content / "roles").glob("*.yaml"):
        stamp = file.stat().st_mtime - 3600
        os.utime(file, (stamp, stamp))


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import pipeline.source.content_folder as folder

    read: list[str] = []
    real = folder.read_regular
    monkeypatch.setattr(folder, "read_regular", lambda path, limit: read.append(path.name) or real(path, limit))
    return read


def test_files_whose_status_did_not_change_are_not_even_read(content: Path, cache: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _age(content, monkeypatch)
    inspect(content)  # hashes every file, and records its status
    read = _reads(monkeypatch)
    again = inspect(content)
    assert read == [] and again.checked == ()
    (content / "roles" / "qa-engineer.yaml").touch()  # a new time, the same bytes: read, found the same
    assert inspect(content).checked == () and read == ["qa-engineer.yaml"]


def test_an_edit_that_keeps_the_size_and_the_time_stamp_is_still_seen(content: Path, cache: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    file = content / "roles" / "qa-engineer.yaml"
    _age(content, monkeypatch)
    inspect(content)
    before = file.stat()
    edit(file, "title: ", "title: X")
    edit(file, "\n\n", "\n")  # one character in, one out
    assert file.stat().st_size == before.st_size
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = inspect(content)
    assert after.checked == ("qa-engineer",)
    assert after.roles["qa-engineer"].title.startswith("X")


def test_a_file_written_just_now_is_read_again(content: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second write within the time stamp's resolution would leave the status as it was."""
    inspect(content)
    read = _reads(monkeypatch)
    assert inspect(content).checked == ()
    assert sorted(read) == [f"{slug}.yaml" for slug in ROLES]
