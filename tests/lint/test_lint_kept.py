"""Lint's kept hits (lint/kept): a run lints again exactly the roles whose inputs changed, and says
what a run that kept nothing says, every finding located the same.

Each test lints a copy of the lint fixture content (a clean `base`, and two roles that extend it)
with one cache folder, spying on which roles the rules read, and compares the findings with a run
that keeps nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import pipeline.lint.engine as engine
from conftest import TESTS, TODAY, rolepack
from pipeline.check.catalogue import load_catalogue
from pipeline.lint.rule import Finding

ROLES = ["base", "billing", "ninja"]
BILLING = """\
extends: base
title: Support Engineer, Billing
"""
NINJA = """\
extends: base
title: Support Ninja
"""


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = Path(shutil.copytree(TESTS / "fixtures" / "lint" / "content", tmp_path / "content"))
    (folder / "roles" / "billing.yaml").write_text(BILLING, encoding="utf-8")
    (folder / "roles" / "ninja.yaml").write_text(NINJA, encoding="utf-8")
    monkeypatch.setenv("ROLEPACK_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return Path("content")


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs of the roles the rules read, in the order they read them."""
    read: list[str] = []
    real = engine._hits

    def spy(subject, rules):
        read.append(subject.slug)
        return real(subject, rules)

    monkeypatch.setattr(engine, "_hits", spy)
    return read


def lint(content: Path, *, today: dt.date = TODAY, kept: bool = True) -> list[Finding]:
    catalogue = load_catalogue(content, today=today)
    return engine.lint(catalogue, today=today, content=content if kept else None).findings


def fresh(content: Path, linted: list[str], *, today: dt.date = TODAY) -> list[Finding]:
    """What a run that keeps nothing finds (the spy's record left as it was)."""
    before = list(linted)
    found = lint(content, today=today, kept=False)
    linted[:] = before
    return found


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_catalogue_is_not_linted_again_and_says_the_same(content: Path, linted: list[str]) -> None:
    first = lint(content)
    assert sorted(linted) == ROLES
    assert any(f.rule == "exclusionary-language" and f.file == "content/roles/ninja.yaml" for f in first), first
    linted.clear()
    assert lint(content) == first == fresh(content, linted)
    assert linted == []


def test_an_edited_role_alone_is_linted_again_and_its_new_finding_located(content: Path, linted: list[str]) -> None:
    lint(content)
    linted.clear()
    edit(content / "roles" / "billing.yaml", "title: Support Engineer, Billing",
         "title: Support Engineer, Billing\njob_description:\n  summary: Be our billing rock star.")
    after = lint(content)
    assert linted == ["billing"]
    assert after == fresh(content, linted)
    assert ("content/roles/billing.yaml", 4, 27) in {(f.file, f.line, f.column) for f in after}, after


def test_an_edited_parent_lints_again_itself_and_every_role_that_extends_it(content: Path, linted: list[str]) -> None:
    lint(content)
    linted.clear()
    edit(content / "roles" / "base.yaml", "Take part in a fair rota", "Be a ninja in a fair rota")
    after = lint(content)
    assert sorted(linted) == ROLES
    assert after == fresh(content, linted)
    shared = [f for f in after if f.file == "content/roles/base.yaml" and "ninja" in f.message.lower()]
    assert sorted(f.role for f in shared) == ROLES, after  # each posting that prints it, named


def test_an_edited_company_file_lints_every_role_again(content: Path, linted: list[str]) -> None:
    lint(content)
    linted.clear()
    company = content / "company.yaml"
    text = company.read_text(encoding="utf-8")
    company.write_text(text + "\n", encoding="utf-8")  # a blank line: every position may move
    assert lint(content) == fresh(content, linted)
    assert sorted(linted) == ROLES


def test_another_day_lints_every_role_again(content: Path, linted: list[str]) -> None:
    lint(content)
    linted.clear()
    later = TODAY + dt.timedelta(days=1)
    assert lint(content, today=later) == fresh(content, linted, today=later)
    assert sorted(linted) == ROLES


def test_run_from_another_folder_names_the_files_as_that_run_does(content: Path, linted: list[str],
                                                                  tmp_path: Path) -> None:
    lint(content)
    linted.clear()
    os.chdir(tmp_path / "content")
    after = lint(Path("."))
    assert sorted(linted) == ROLES
    assert {f.file for f in after} >= {"roles/ninja.yaml"}, after
    assert after == fresh(Path("."), linted)


def test_nothing_is_kept_when_the_cache_is_off(content: Path, linted: list[str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPACK_CACHE", "off")
    lint(content)
    lint(content)
    assert sorted(linted) == sorted(ROLES * 2)
    assert not list((tmp_path / "cache").rglob("*.lint"))


def test_an_unreadable_entry_is_linted_again(content: Path, linted: list[str], tmp_path: Path) -> None:
    first = lint(content)
    entries = list((tmp_path / "cache").rglob("*.lint"))
    assert len(entries) == len(ROLES)
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    linted.clear()
    assert lint(content) == first
    assert sorted(linted) == ROLES


DENVER = """\
extends: base
title: Support Engineer, Denver
locations:
  - mode: on-site
    places:
      - {name: Denver, country: US, region: CO}
"""


def test_a_build_holds_back_a_role_from_kept_hits_as_from_fresh_ones(content: Path, tmp_path: Path) -> None:
    """The publishing gate reads the kept hits: a second build withholds the unlawful posting again,
    and once the role changes (here its place, where no pay law applies) it is published."""
    denver = content / "roles" / "denver.yaml"
    denver.write_text(DENVER, encoding="utf-8")
    for _ in range(2):
        run = rolepack("build", "--content", "content", "--out", str(tmp_path / "out"), "-f", "md", "--role", "denver")
        assert run.exit_code == 0, run.stderr
        held = [line for line in run.stderr.splitlines() if line.startswith("withheld ")]
        assert len(held) == 1 and "(pay-transparency)" in held[0] and "content/roles/denver.yaml:" in held[0], run.stderr
    assert not list((tmp_path / "out").rglob("*.md"))
    edit(denver, "{name: Denver, country: US, region: CO}", "{name: Zurich, country: CH}")
    run = rolepack("build", "--content", "content", "--out", str(tmp_path / "out"), "-f", "md", "--role", "denver")
    assert run.exit_code == 0, run.stderr
    assert [p.name for p in (tmp_path / "out").rglob("*.md")] == ["denver-job-description.md"], run.stderr
