"""Fuzzing the content gate: whatever a role file holds, `rolepack validate` accepts it or refuses it
with located problems, never a traceback; and whatever it accepts builds, writing only under --out.

Hypothesis makes role documents in the model's shape (what a recruiter would write, with text of
any Unicode category but surrogates), breaks them by mutation (a key dropped, a value of the wrong
type, an unknown key, a value nested a hundred levels deep, text from every category), and makes
raw bytes and YAML-punctuation soup. The property for each:

- `validate` exits 0, or 2 with every problem line `file:line:col: …`; no other exit, no exception;
- a document that validates builds html, md and jsonld (and, for a few, pdf and docx) with exit 0;
- nothing outside the output folder is written, by either command;
- each example finishes within its deadline.

The default run is short (under a minute on two cores). `ROLEPACK_FUZZ_EXAMPLES=N` makes each
validate property try N examples and the builds N/10 (PDF N/50); the number tried is printed
at the end of the run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_CONTENT, TODAY, Run, rolepack
from hostile_support import BRAND, LOCATED, Earlier, build, earlier_build
from pipeline import cli

LONG = os.environ.get("ROLEPACK_FUZZ_EXAMPLES")
VALIDATE_EXAMPLES = int(LONG) if LONG else 40
BUILD_EXAMPLES = max(int(LONG) // 10, 8) if LONG else 8
PDF_EXAMPLES = max(int(LONG) // 50, 2) if LONG else 2
COMMON = dict(database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                    HealthCheck.function_scoped_fixture])
TRIED: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def fixed_today(request: pytest.FixtureRequest) -> Iterator[None]:
    """Today as the other content tests see it, and the number of examples tried, said at the end."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli.commands, "_today", lambda: TODAY)
        yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write("\n")
            reporter.write_line("fuzz: " + ", ".join(f"{count} {what}" for what, count in sorted(TRIED.items())))


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Earlier:
    return earlier_build(tmp_path_factory)


# --- what a recruiter writes -----------------------------------------------------------------------

ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
"""Every Unicode character a file can hold: controls, format characters, unassigned code points."""
words = st.text(alphabet=ANY_CHARACTER, max_size=30).map(lambda tail: f"Word {tail}")
"""Text that starts as a word would, then anything."""
plain_words = st.text(alphabet=st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=30).map(
    lambda tail: f"Text {tail}")
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=TODAY)


def some(strategy: st.SearchStrategy, most: int = 3) -> st.SearchStrategy:
    return st.lists(strategy, min_size=1, max_size=most)


@st.composite
def pay(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.integers(1, 500_000))
    return {"currency": draw(st.sampled_from(["EUR", "USD", "GBP", "JPY"])),
            "period": draw(st.sampled_from(["year", "month", "week", "day", "hour"])),
            "source": {"name": draw(plain_words), "as_of": draw(dates)},
            "levels": [{"level": draw(plain_words), "min": low, "max": low + draw(st.integers(0, 100_000))}]}


@st.composite
def roles(draw: st.DrawFn, text: st.SearchStrategy = plain_words) -> dict[str, Any]:
    """A role in the model's shape: the required keys, and some of the optional ones."""
    role: dict[str, Any] = {
        "title": draw(text), "employment_type": draw(st.sampled_from(
            ["full-time", "part-time", "contract", "temporary", "internship"])),
        "locations": [{"mode": draw(st.sampled_from(["remote", "hybrid", "on-site"])),
                       "places": draw(st.lists(text, max_size=2))}],
        "job_description": {"about_the_role": draw(some(text)), "key_responsibilities": draw(some(text))},
        "qualifications": {"soft_skills": draw(some(text))},
    }
    optional = {
        "department": text, "reviewed": dates, "responsibilities": some(text), "team_sizing": some(text),
        "faq": some(st.fixed_dictionaries({"question": text, "answer": text})), "compensation": pay(),
        "tools": some(st.fixed_dictionaries({"category": text, "tools": some(text)})),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        role[key] = draw(optional[key])
    if draw(st.booleans()):
        role["job_description"]["summary"] = draw(text)
    return role


def _paths(data: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, path + (i,))


def _replaced(data: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: (_replaced(v, rest, new) if k == head else v) for k, v in data.items()}
    return [(_replaced(v, rest, new) if i == head else v) for i, v in enumerate(data)]


def _dropped(data: Any, path: tuple) -> Any:
    head, rest = path[0], path[1:]
    if rest:
        return _replaced(data, (head,), _dropped(data[head], rest))
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k != head}
    return [v for i, v in enumerate(data) if i != head]


WRONG = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.lists(words, max_size=2),
                  st.dictionaries(words, words, max_size=2), dates, st.text(alphabet=ANY_CHARACTER, max_size=40))


@st.composite
def broken_roles(draw: st.DrawFn) -> dict[str, Any]:
    """A role with one to three mutations: what a hurried edit, a paste or an attacker leaves."""
    role = draw(roles(text=words))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(role) if p]
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["drop", "wrong type", "extra key", "deep", "any text"]))
        event(f"mutation: {kind}")
        if kind == "drop":
            role = _dropped(role, path)
        elif kind == "wrong type":
            role = _replaced(role, path, draw(WRONG))
        elif kind == "extra key":
            container = path[:-1]
            target = role
            for part in container:
                target = target[part]
            if isinstance(target, dict):
                role = _replaced(role, container, {**target, draw(words): draw(WRONG)})
        elif kind == "deep":
            nested: Any = draw(words)
            for _ in range(draw(st.integers(1, 100))):
                nested = [nested] if draw(st.booleans()) else {"k": nested}
            role = _replaced(role, path, nested)
        else:
            role = _replaced(role, path, draw(st.text(alphabet=ANY_CHARACTER, max_size=60)))
    return role


def as_yaml(role: dict[str, Any]) -> bytes:
    return yaml.safe_dump(role, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


YAML_SOUP = st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`?,= \n\t\ufeff\\") + list("titleabc01")),
                    max_size=300).map(lambda text: text.encode("utf-8"))
RAW = st.one_of(st.binary(max_size=2_000), YAML_SOUP,
                st.builds(lambda role, junk, at: (lambda data: data[:at] + junk + data[at:])(as_yaml(role)),
                          roles(), st.binary(min_size=1, max_size=8), st.integers(0, 400)))


# --- running the commands ------------------------------------------------------------------------------

@contextmanager
def folder_with(document: bytes) -> Iterator[Path]:
    """A fresh copy of the fixture content with `document` as content/roles/fuzz.yaml."""
    with tempfile.TemporaryDirectory(prefix="rolepack-fuzz-") as name:
        root = Path(name).resolve()
        shutil.copytree(FIXTURE_CONTENT, root / "content")
        (root / "content" / "roles" / "fuzz.yaml").write_bytes(document)
        yield root


def tree(root: Path, *, outside: Path | None = None) -> dict[str, bytes]:
    """Every file under `root` (but those under `outside`) with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (outside is not None and p.is_relative_to(outside))}


WARNINGS = re.compile(r"and \d+ warnings?:$")
"""The heading of the warnings, printed after the errors."""
SUMMARY = re.compile(r"warning: .* at [^ ]+:\d+:\d+\)")
"""A warning repeated across roles, as one line that locates the first of them."""


def assert_accepted_or_located(run: Run) -> None:
    assert isinstance(run.exception, (SystemExit, type(None))), repr(run.exception)
    assert "Traceback" not in run.stderr
    assert run.exit_code in (0, 2), run.stdout + run.stderr
    if run.exit_code == 2:
        header, *lines = run.stderr.splitlines()
        assert header.endswith(":") and lines, run.stderr
        assert all(LOCATED.match(line.strip()) or line.strip().startswith("note: ") or WARNINGS.match(line)
                   or SUMMARY.match(line.strip()) for line in lines), run.stderr


def validate(root: Path) -> Run:
    before = tree(root)
    run = rolepack("validate", "--content", str(root / "content"))
    assert tree(root) == before, "validate wrote a file"
    return run


def build_valid(root: Path, earlier: Earlier, *formats: str) -> Run | None:
    """Validate, then (when valid) build `formats` of the fuzzed role over a copy of the earlier build."""
    checked = validate(root)
    assert_accepted_or_located(checked)
    event("valid" if checked.exit_code == 0 else "invalid")
    if checked.exit_code != 0:
        return None
    out = earlier.copy_to(root)
    before = tree(root, outside=out)
    run = build(root / "content", out, earlier.layouts, *(part for f in formats for part in ("-f", f)),
                "--role", "fuzz", "--jobs", "1")
    assert tree(root, outside=out) == before, "the build wrote outside --out"
    return run


# --- the properties ------------------------------------------------------------------------------------

@settings(max_examples=VALIDATE_EXAMPLES, deadline=dt.timedelta(seconds=5), **COMMON)
@given(role=st.one_of(roles(text=words), broken_roles()))
def test_validate_accepts_or_locates_every_role_document(role: dict[str, Any]) -> None:
    TRIED["role documents validated"] += 1
    with folder_with(as_yaml(role)) as root:
        assert_accepted_or_located(validate(root))


@settings(max_examples=VALIDATE_EXAMPLES, deadline=dt.timedelta(seconds=5), **COMMON)
@given(document=RAW)
def test_validate_accepts_or_locates_every_byte_string(document: bytes) -> None:
    TRIED["byte strings validated"] += 1
    with folder_with(document) as root:
        assert_accepted_or_located(validate(root))


def with_department(role: dict[str, Any]) -> dict[str, Any]:
    """Every built role names its department: the careers index fails on a role without one beside
    roles with one (test_hostile_input.py::test_roles_without_a_department_build_the_careers_index,
    a known failure until the layout is fixed)."""
    return {**role, "department": role.get("department", "Support")}


@settings(max_examples=BUILD_EXAMPLES, deadline=dt.timedelta(seconds=30), **COMMON)
@given(role=st.one_of(roles(), roles(), roles(text=words)).map(with_department))
def test_a_role_that_validates_builds_the_posting_formats(earlier: Earlier, role: dict[str, Any]) -> None:
    TRIED["roles built as html, md and jsonld"] += 1
    with folder_with(as_yaml(role)) as root:
        run = build_valid(root, earlier, "html", "md", "jsonld")
        if run is not None:
            assert run.exit_code == 0 and run.exception is None, run.stderr or repr(run.exception)
            assert (root / "out" / BRAND / "site" / "fuzz.html").is_file()


@settings(max_examples=PDF_EXAMPLES, deadline=dt.timedelta(seconds=120), **COMMON)
@given(role=roles().map(with_department))
def test_a_role_that_validates_builds_pdf_and_docx(earlier: Earlier, role: dict[str, Any]) -> None:
    TRIED["roles built as pdf and docx"] += 1
    with folder_with(as_yaml(role)) as root:
        run = build_valid(root, earlier, "pdf", "docx")
        if run is not None:
            assert run.exit_code == 0 and run.exception is None, run.stderr or repr(run.exception)
