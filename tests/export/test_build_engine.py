"""How a scheduled build behaves: what it rebuilds and why, what it says, and how it shares a folder.

Each input an output depends on is changed on its own, and the rebuild must render exactly the
outputs that depend on it: no more (a wasted night), no fewer (a stale file published). A build
renders a document exactly when its input key differs from the one it was last built from, so most
cases compare the keys a build would compute before and after the change, in this process and
without rendering; a few run the real command end to end (the small fixture catalogue: a role and a
variant that extends it), whose JSON log says which documents were rendered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, rolepack, snapshot
from fault_support import waits_on_lock
from pdf_support import LAYOUTS

BASE, VARIANT = "support-engineer", "senior-support-engineer"
KINDS = ("job-description", "hiring-guide")


def events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def rendered(stdout: str) -> set[str]:
    """The documents a build rendered, from its JSON log."""
    return {e["target"] for e in events(stdout) if e["event"] == "document" and e["status"] == "built"}


def paths(roles: tuple[str, ...] = (BASE, VARIANT), formats: tuple[str, ...] = ("pdf", "docx"),
          kinds: tuple[str, ...] = KINDS, brand: str = "default") -> set[str]:
    return {f"{brand}/{r}/{r}-{k}.{f}" for r in roles for k in kinds for f in formats}


def build(out: Path, *args: str, content: Path | None = None, layouts: Path | None = None):
    command = ["build", "-f", "pdf,docx", "--brand", "default", "--out", str(out), "--jobs", "1",
               "--log-format", "json", *args]
    if content is not None:
        command += ["--content", str(content)]
    if layouts is not None:
        command += ["--layouts", str(layouts)]
    return rolepack(*command)


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One complete build of the fixture catalogue, copied by each test that changes an input."""
    root = tmp_path_factory.mktemp("engine")
    monkey = pytest.MonkeyPatch()
    monkey.delenv("SOURCE_DATE_EPOCH", raising=False)
    try:
        run = build(root / "out", content=FIXTURE_CONTENT)
    finally:
        monkey.undo()
    assert run.exit_code == 0, run.stderr
    assert rendered(run.stdout) == paths()
    return root / "out"


@pytest.fixture
def site(first_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Copies of the first build's output, the content and the layouts, to change one input at a time."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    shutil.copytree(first_build, tmp_path / "out", copy_function=shutil.copy2)
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    shutil.copytree(LAYOUTS, tmp_path / "layouts", symlinks=True)
    return {"out": tmp_path / "out", "content": tmp_path / "content", "layouts": tmp_path / "layouts"}


def rebuild(site: dict[str, Path], *args: str):
    run = build(site["out"], *args, content=site["content"], layouts=site["layouts"])
    assert run.exit_code == 0, run.stderr
    return run


def keys(site: dict[str, Path], pdf_variant: str = "pdf/ua-1") -> dict[str, str]:
    """Each document's input key, as a build of the site (the `build` helper's options) computes it."""
    from pipeline.export.request import build_request, load_for_build
    from pipeline.export.run import input_keys

    content, layouts = site["content"].resolve(), site["layouts"].resolve()
    loaded = load_for_build(content, layouts, today=dt.date.today(), keep_going=False)
    request = build_request(loaded, layouts, content, site["out"], brands=["default"], formats=["pdf", "docx"],
                            jobs=1, options={"pdf_variant": pdf_variant})
    return {target.path: key for target, key in input_keys(request).items()}


def rekeyed(site: dict[str, Path], change, **after: str) -> set[str]:
    """The documents whose input key `change()` alters: the ones a rebuild renders."""
    before = keys(site)
    change()
    now = keys(site, **after)
    assert set(now) == set(before)
    return {path for path in before if now[path] != before[path]}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestWhatARebuildRenders:
    def test_nothing_when_no_input_changed(self, site: dict[str, Path]) -> None:
        before = snapshot(site["out"])
        run = rebuild(site)
        assert rendered(run.stdout) == set()
        assert {p: v for p, v in snapshot(site["out"]).items() if not p.startswith(".")} == \
            {p: v for p, v in before.items() if not p.startswith(".")}

    def test_a_roles_own_file_rebuilds_that_role_and_the_guides_that_list_it_as_related(
            self, site: dict[str, Path]) -> None:
        edit(site["content"] / "roles" / f"{VARIANT}.yaml", "title:", "title: Lead")
        assert rendered(rebuild(site).stdout) == paths((VARIANT,)) | paths((BASE,), kinds=("hiring-guide",))

    def test_a_change_no_other_role_prints_rebuilds_only_that_role(self, site: dict[str, Path]) -> None:
        change = lambda: edit(site["content"] / "roles" / f"{VARIANT}.yaml", "extends:",  # noqa: E731
                              "department: Support Operations\nextends:")
        assert rekeyed(site, change) == paths((VARIANT,))

    def test_a_parent_role_rebuilds_it_and_the_roles_that_extend_it(self, site: dict[str, Path]) -> None:
        change = lambda: edit(site["content"] / "roles" / f"{BASE}.yaml", "department: ", "department: Customer ")  # noqa: E731
        assert rekeyed(site, change) == paths()

    def test_the_company_text_rebuilds_every_role(self, site: dict[str, Path]) -> None:
        assert rekeyed(site, lambda: edit(site["content"] / "company.yaml", "name: ", "name: New ")) == paths()

    def test_a_layout_rebuilds_only_the_kind_that_uses_it(self, site: dict[str, Path]) -> None:
        change = lambda: edit(site["layouts"] / "hiring-guide.html.j2", "{% block body %}",  # noqa: E731
                              "{% block body %}<p>Draft.</p>")
        assert rekeyed(site, change) == paths(kinds=("hiring-guide",))

    def test_a_partial_rebuilds_every_kind_that_includes_it(self, site: dict[str, Path]) -> None:
        change = lambda: edit(site["layouts"] / "partials" / "job-description-body.html.j2", "<section",  # noqa: E731
                              "<p>Draft.</p><section")
        assert rekeyed(site, change) == paths()

    def test_a_partial_a_layout_begins_to_include_rebuilds_that_kind_when_it_changes(
            self, site: dict[str, Path]) -> None:
        """What a template includes is kept by its source's digest (inputs._children): an edited
        template is read for its includes again."""
        note = site["layouts"] / "partials" / "note.html.j2"
        note.write_text("<p>Draft.</p>", encoding="utf-8")
        keys(site)  # the hiring guide's includes as they were, kept
        edit(site["layouts"] / "hiring-guide.html.j2", "{% block body %}",
             '{% block body %}{% include "partials/note.html.j2" %}')
        assert rekeyed(site, lambda: note.write_text("<p>Final.</p>", encoding="utf-8")) == paths(kinds=("hiring-guide",))

    def test_the_stylesheet_rebuilds_the_pdfs_only(self, site: dict[str, Path]) -> None:
        def change() -> None:
            with (site["layouts"] / "css" / "document.css").open("a", encoding="utf-8") as css:
                css.write("\n.summary { letter-spacing: 0.01em; }\n")

        assert rekeyed(site, change) == paths(formats=("pdf",))

    def test_a_brand_asset_rebuilds_that_brands_documents(self, site: dict[str, Path]) -> None:
        brand = site["layouts"] / "brands" / "default" / "brand.yaml"
        change = lambda: brand.write_bytes(brand.read_bytes() + b"# reviewed\n")  # noqa: E731
        assert rekeyed(site, change) == paths()

    def test_a_font_rebuilds_everything(self, site: dict[str, Path]) -> None:
        fonts = site["layouts"] / "fonts" / "fonts.yaml"
        change = lambda: fonts.write_text(fonts.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")  # noqa: E731
        assert rekeyed(site, change) == paths()

    def test_an_option_rebuilds_the_format_it_changes(self, site: dict[str, Path]) -> None:
        assert rekeyed(site, lambda: None, pdf_variant="pdf/a-3b") == paths(formats=("pdf",))

    def test_a_new_engine_version_rebuilds_everything(self, site: dict[str, Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
        from pipeline.export import engine as inputs

        real = inputs.library_version
        change = lambda: monkeypatch.setattr(inputs, "library_version",  # noqa: E731
                                             lambda name: "99.0" if name == "weasyprint" else real(name))
        assert rekeyed(site, change) == paths()

    def test_a_changed_key_is_what_makes_a_build_render_again(self, site: dict[str, Path]) -> None:
        # End to end, the engine acts on the keys above: one layout edit, one kind rendered again.
        edit(site["layouts"] / "hiring-guide.html.j2", "{% block body %}", "{% block body %}<p>Draft.</p>")
        assert rendered(rebuild(site).stdout) == paths(kinds=("hiring-guide",))

    def test_force_renders_everything(self, site: dict[str, Path]) -> None:
        assert rendered(rebuild(site, "--force").stdout) == paths()

    def test_rebuilt_files_are_byte_identical_to_the_first_build(self, site: dict[str, Path],
                                                                 first_build: Path) -> None:
        rebuild(site, "--force")
        for path in paths():
            assert (site["out"] / path).read_bytes() == (first_build / path).read_bytes(), path


class TestTheManifest:
    def test_each_entry_names_the_input_key_it_was_built_from(self, site: dict[str, Path]) -> None:
        manifest = json.loads((site["out"] / "manifest.json").read_text(encoding="utf-8"))
        keys = {e["path"]: e["inputs"] for e in manifest["outputs"]}
        assert set(keys) == paths() and all(len(k) == 64 for k in keys.values())
        edit(site["content"] / "roles" / f"{VARIANT}.yaml", "extends:", "department: Support Operations\nextends:")
        rebuild(site)
        after = {e["path"]: e["inputs"] for e in json.loads(
            (site["out"] / "manifest.json").read_text(encoding="utf-8"))["outputs"]}
        assert {p for p in keys if keys[p] != after[p]} == paths((VARIANT,))

    def test_a_kind_that_stopped_applying_is_removed_from_the_folder_and_the_manifest(
            self, site: dict[str, Path]) -> None:
        role = site["content"] / "roles" / f"{BASE}.yaml"
        text = role.read_text(encoding="utf-8")
        start, end = text.index("\ninterview:\n"), text.index("\nfaq:\n")
        role.write_text(text[:start] + text[end:], encoding="utf-8")  # no interview guide: no hiring guide
        run = rebuild(site)
        gone = paths(kinds=("hiring-guide",))
        summary = events(run.stdout)[-1]
        assert summary["removed"] == len(gone) and summary["skipped"] == len(gone)
        listed = {e["path"] for e in json.loads((site["out"] / "manifest.json").read_text())["outputs"]}
        assert listed == paths(kinds=("job-description",))
        assert not any((site["out"] / p).exists() for p in gone)

    def test_building_only_one_kind_keeps_the_others(self, site: dict[str, Path]) -> None:
        run = rebuild(site, "--kind", "job-description")
        assert rendered(run.stdout) == set() and events(run.stdout)[-1]["removed"] == 0
        listed = {e["path"] for e in json.loads((site["out"] / "manifest.json").read_text())["outputs"]}
        assert listed == paths()


class TestTheLog:
    def test_json_lines_give_event_target_status_seconds_and_error(self, tmp_path: Path) -> None:
        run = rolepack("build", "-f", "docx", "--brand", "default", "--content", str(FIXTURE_CONTENT),
                       "--out", str(tmp_path / "out"), "--jobs", "1", "--log-format", "json")
        lines = events(run.stdout)
        assert [e["event"] for e in lines] == ["start"] + ["document"] * 4 + ["summary"]
        for line in lines[1:-1]:
            assert set(line) == {"event", "target", "status", "seconds", "error"}
            assert line["status"] == "built" and line["error"] is None and line["seconds"] >= 0
        assert {k: lines[-1][k] for k in ("built", "unchanged", "removed", "skipped", "failed")} == {
            "built": 4, "unchanged": 0, "removed": 0, "skipped": 0, "failed": 0}

    def test_text_log_has_a_line_per_document_and_a_closing_summary(self, tmp_path: Path) -> None:
        run = rolepack("build", "-f", "docx", "--brand", "default", "--content", str(FIXTURE_CONTENT),
                       "--out", str(tmp_path / "out"), "--jobs", "1")
        lines = run.stdout.splitlines()
        assert sum(" built default/" in line for line in lines) == 4
        assert lines[-1].startswith(f"{tmp_path / 'out'}: built 4, unchanged 0, removed 0, skipped 0, failed 0 in ")

    def test_quiet_prints_only_the_summary(self, tmp_path: Path) -> None:
        run = rolepack("build", "-f", "docx", "--content", str(FIXTURE_CONTENT), "--out", str(tmp_path / "out"),
                       "--jobs", "1", "--quiet")
        assert run.exit_code == 0
        assert len(run.stdout.splitlines()) == 1 and " built 4, " in run.stdout  # 2 roles × 2 kinds in the house style


class TestOptions:
    @pytest.mark.parametrize("args, message", [
        (["-f", "pfd"], "error: unknown format 'pfd' (did you mean 'pdf'?); choose docx, html, indeed, jobfeed, jsonld, linkedin, md, pdf"),
        (["--kind", "job-descripton"], "error: unknown kind 'job-descripton' (did you mean 'job-description'?)"),
        (["--brand", "defualt"], "error: no brand 'defualt' (did you mean 'default'?)"),
        (["--role", "suport-engineer"], "error: no role 'suport-engineer' (did you mean 'support-engineer'?)"),
        (["--log-format", "xml"], "error: unknown log format 'xml'; choose text, json"),
        (["--executor", "dask"], "error: --executor dask needs --scheduler"),
    ])
    def test_a_wrong_value_names_the_value_and_the_choices_and_writes_nothing(
            self, tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("ROLEPACK_DASK_SCHEDULER", raising=False)
        run = rolepack("build", "--content", str(FIXTURE_CONTENT), "--out", str(tmp_path / "out"), *args)
        assert run.exit_code == 2
        assert run.stderr.startswith(message), run.stderr
        assert not (tmp_path / "out").exists()

    def test_lists_may_be_repeated_or_separated_by_commas(self, tmp_path: Path) -> None:
        one = rolepack("build", "-f", "docx,pdf", "--kind", "job-description", "--role", f"{BASE},{VARIANT}",
                       "--brand", "default", "--content", str(FIXTURE_CONTENT), "--out", str(tmp_path / "a"),
                       "--jobs", "1", "--log-format", "json")
        two = rolepack("build", "-f", "docx", "-f", "pdf", "--kind", "job-description", "--role", BASE,
                       "--role", VARIANT, "--brand", "default", "--content", str(FIXTURE_CONTENT),
                       "--out", str(tmp_path / "b"), "--jobs", "1", "--log-format", "json")
        assert rendered(one.stdout) == rendered(two.stdout) == paths(kinds=("job-description",))

    def test_version_is_printed(self) -> None:
        from importlib.metadata import version

        assert rolepack("--version").stdout == f"rolepack {version('rolepack')}\n"

    def test_every_build_option_has_help_and_a_readable_metavar(self) -> None:
        from pipeline.cli.commands import build as command
        import typer.main

        params = typer.main.get_command_from_info(
            typer.models.CommandInfo(callback=command), pretty_exceptions_short=True,
            rich_markup_mode=None).params
        for param in params:
            assert param.help, param.name
            if not param.is_flag:
                assert param.metavar and param.metavar.isupper(), (param.name, param.metavar)

    def test_help_shows_the_layouts_default_as_a_relative_name_and_the_exit_codes(self) -> None:
        text = " ".join(rolepack("build", "--help").stdout.split())
        assert "layouts/ beside rolepack" in text and str(REPO) not in text
        assert "Exit codes: 0" in text


def _hold_lock(out: Path, ready: threading.Event, release: threading.Event) -> None:
    from pipeline.export.store import locked

    with locked(out):
        ready.set()
        release.wait(120)


class TestTheLock:
    @staticmethod
    def env() -> dict[str, str]:
        return {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}

    @staticmethod
    def args(out: Path, *extra: str) -> list[str]:
        return [sys.executable, "-m", "pipeline", "build", "-f", "docx", "--role", BASE, "--brand", "default",
                "--content", str(FIXTURE_CONTENT), "--out", str(out), "--jobs", "1", *extra]

    def command(self, out: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.args(out, *args), cwd=REPO, env=self.env(), capture_output=True, text=True,
                              timeout=300)

    def test_a_second_build_stops_at_once_naming_the_running_builds_process(self, tmp_path: Path) -> None:
        ready, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(tmp_path / "out", ready, release))
        holder.start()
        ready.wait(10)
        try:
            run = self.command(tmp_path / "out")
        finally:
            release.set()
            holder.join()
        assert run.returncode == 1
        assert f"another build (process {os.getpid()}) is using {tmp_path / 'out'}" in run.stderr
        assert not (tmp_path / "out" / "manifest.json").exists()

    def test_a_second_build_waits_for_the_first_with_wait(self, tmp_path: Path) -> None:
        ready, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(tmp_path / "out", ready, release))
        holder.start()
        ready.wait(10)
        waiting = subprocess.Popen(self.args(tmp_path / "out", "--wait", "60"), cwd=REPO, env=self.env(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert waits_on_lock(waiting.pid, tmp_path / "out"), "the second build never reached the lock"
        finally:
            release.set()
            holder.join()
        stdout, stderr = waiting.communicate(timeout=300)
        run = subprocess.CompletedProcess(waiting.args, waiting.returncode, stdout, stderr)
        assert run.returncode == 0, run.stderr
        assert (tmp_path / "out" / "manifest.json").is_file()

    def test_a_lock_left_by_a_killed_build_does_not_block(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                                   "from pipeline.export.store import locked\n"
                                   f"with locked(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(60)"],
                                  cwd=REPO, stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "held"
        holder.kill()
        holder.wait()
        assert (out / ".rolepack.lock").read_text().strip() == str(holder.pid)
        run = self.command(out)
        assert run.returncode == 0, run.stderr


class TestKeepGoing:
    @pytest.fixture
    def shipped_content(self, tmp_path: Path) -> Path:
        content = tmp_path / "content"
        shutil.copytree(REPO / "content", content)
        return content

    def test_one_bad_role_in_eight_writes_the_other_seven_and_exits_1(self, shipped_content: Path,
                                                                      tmp_path: Path) -> None:
        out = tmp_path / "out"
        first = rolepack("build", "-f", "docx", "--brand", "default", "--content", str(shipped_content),
                         "--out", str(out), "--jobs", "1", "--quiet")
        assert first.exit_code == 0, first.stderr
        before = snapshot(out)
        edit(shipped_content / "roles" / "qa-engineer.yaml", "title:", "title: [")
        run = rolepack("build", "-f", "docx", "--brand", "default", "--content", str(shipped_content),
                       "--out", str(out), "--jobs", "1", "--keep-going", "--force", "--log-format", "json")
        assert run.exit_code == 1
        assert "content/roles/qa-engineer.yaml:" in run.stderr
        built = rendered(run.stdout)
        others = sorted(p.stem for p in (shipped_content / "roles").glob("*.yaml") if p.stem != "qa-engineer")
        assert built == paths(tuple(others), formats=("docx",))
        after = snapshot(out)
        for path in paths(("qa-engineer",), formats=("docx",)):
            assert after[path] == before[path], f"{path} of the bad role changed"
        assert events(run.stdout)[-1]["skipped"] == 2
        listed = {e["path"] for e in json.loads((out / "manifest.json").read_text())["outputs"]}
        assert listed == paths(tuple(others) + ("qa-engineer",), formats=("docx",))

    def test_without_it_one_bad_role_stops_the_build_and_writes_nothing(self, shipped_content: Path,
                                                                        tmp_path: Path) -> None:
        edit(shipped_content / "roles" / "qa-engineer.yaml", "title:", "title: [")
        run = rolepack("build", "-f", "docx", "--content", str(shipped_content), "--out", str(tmp_path / "out"))
        assert run.exit_code == 2
        assert not (tmp_path / "out").exists()


class TestTheNoOpShortcut:
    """An identical rebuild is decided from digests alone: no role file is parsed or validated."""

    def test_an_identical_rebuild_loads_no_content_and_repeats_what_the_last_build_warned(
            self, site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
        stale = site["content"] / "roles" / f"{BASE}.yaml"
        stale.write_text(stale.read_text(encoding="utf-8").replace("as_of: 2026-03-01", "as_of: 2024-03-01"),
                         encoding="utf-8")
        first = rebuild(site)
        assert "salary data of 1 role is more than 12 months old" in first.stderr
        from pipeline.check import catalogue

        def refuse(*args, **kwargs):
            raise AssertionError("the content was loaded")

        monkeypatch.setattr(catalogue, "inspect_content", refuse)
        again = rebuild(site)
        assert rendered(again.stdout) == set()
        assert events(again.stdout)[-1]["unchanged"] == len(paths())
        assert "salary data of 1 role is more than 12 months old" in again.stderr

    def test_any_edit_to_the_content_takes_the_full_path(self, site: dict[str, Path]) -> None:
        rebuild(site)
        edit(site["content"] / "roles" / f"{VARIANT}.yaml", "extends:", "department: Support Operations\nextends:")
        assert rendered(rebuild(site).stdout) == paths((VARIANT,))

    def test_once_its_files_settled_a_no_op_reads_no_content_file_and_no_output(
            self, site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
        """Statuses stand for bytes, as in Git's index; the files here were written a moment ago, so
        they are taken as settled (RACY_NS 0), which a real folder is two seconds after its last change."""
        from pipeline.export import seen
        from pipeline.source import digests

        monkeypatch.setattr(seen, "RACY_NS", 0)
        monkeypatch.setattr(digests, "RACY_NS", 0)
        rebuild(site)
        rebuild(site)  # reads the outputs once, and records that their statuses now stand for them
        read: list[Path] = []
        real = Path.read_bytes
        monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or real(path))
        asked: list[str] = []
        with monkeypatch.context() as patch:
            for name in ("stat", "lstat"):  # one walk of the folder (os.scandir) is all the shortcut asks
                real_stat = getattr(os, name)
                patch.setattr(os, name, lambda path, *a, real_stat=real_stat, **kw:
                              asked.append(str(path)) or real_stat(path, *a, **kw))
            again = rebuild(site)
        assert events(again.stdout)[-1]["unchanged"] == len(paths())
        assert [p for p in read if p.is_relative_to(site["content"]) or p.is_relative_to(site["out"])] == []
        assert [p for p in asked if Path(p).is_relative_to(site["out"]) and p.endswith(tuple(paths()))] == [], \
            "outputs checked path by path"
        (site["out"] / sorted(paths())[0]).write_bytes(b"tampered")
        assert rendered(rebuild(site).stdout) == {sorted(paths())[0]}

    def test_a_status_the_walk_took_of_an_unsettled_output_is_not_recorded(
            self, site: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
        """A build takes its outputs' statuses when it starts and records them when it ends. An
        output that had not settled when its status was taken (RACY_NS, here an hour) could have
        changed since, within its time stamp's resolution, keeping that status: it is left to be
        read next time, and only the files the build wrote are recorded, as stat'ed after writing."""
        from pipeline.export.seen import Seen
        from pipeline.source import digests

        monkeypatch.setattr(digests, "RACY_NS", 3600 * 10**9)
        edit(site["content"] / "roles" / f"{VARIANT}.yaml", "title:", "title: Lead")
        run = rebuild(site)
        written = rendered(run.stdout)
        assert written and written < paths()
        assert set(Seen(site["out"]).statuses) == written

    def test_a_record_made_from_fresh_files_is_trusted_only_if_their_bytes_are_the_same(
            self, site: dict[str, Path]) -> None:
        """Within its time stamp's resolution a file can change and keep its status: the status
        digest is pretended equal here, and only the bytes of the fresh files tell the edit apart."""
        from pipeline.export import shortcut
        from pipeline.export.seen import Seen

        rebuild(site)
        record = json.loads((site["out"] / ".rolepack-build.json").read_text(encoding="utf-8"))
        fresh = Seen(site["out"]).fresh
        assert "content:company.yaml" in fresh, "the content was copied a moment ago: its bytes are kept"
        trees = {"content": site["content"], "layouts": site["layouts"]}
        same = shortcut.Digest(record["digest"], fresh, trees)
        assert shortcut.unchanged(site["out"], same) is not None
        (site["content"] / "company.yaml").write_text("name: Changed\n", encoding="utf-8")
        assert shortcut.unchanged(site["out"], same) is None

    def test_a_record_names_no_file_outside_the_content_and_layouts(self, site: dict[str, Path]) -> None:
        from pipeline.export import shortcut

        rebuild(site)
        digest = shortcut.Digest("", {}, {"content": site["content"], "layouts": site["layouts"]})
        for name in ("content:../../../etc/passwd", "content:/etc/passwd", "elsewhere:passwd"):
            assert digest.bytes_now(name) == "outside"


def _has_loaded(module: str) -> bool:
    return module in sys.modules


@pytest.mark.parametrize("fmt, loaded", [("pdf", True), ("docx", True), ("md", False)])
def test_workers_started_ahead_import_the_renderers_before_their_first_job(fmt: str, loaded: bool) -> None:
    """A Word draft follows its PDF's layout (render/pdf/pages.py), so a DOCX worker imports WeasyPrint too."""
    from pipeline.export.executors import LocalExecutor
    from pipeline.render.formats import formats

    executor = LocalExecutor(2, expect=10, renderers=formats()[fmt].renderers)
    try:
        assert executor._pool is not None, "the workers start when the executor is made"
        assert executor._pool.submit(_has_loaded, "weasyprint").result(timeout=120) is loaded
    finally:
        executor.close()


def _job(path: str, html: str, fmt: str = "md"):
    from pipeline.render.formats import RenderJob

    return RenderJob(path, "", "job-description", fmt, html, None, REPO / "layouts", (), None)  # type: ignore[arg-type]


def test_work_too_small_for_a_pool_renders_in_this_process() -> None:
    """A pool costs its workers' start (~0.9 s of CPU on 2 cores): a build whose work is estimated
    below POOL_PAYS_FROM renders in the build's own process, however many workers it may use."""
    from pipeline.export.executors import POOL_PAYS_FROM, LocalExecutor, estimate
    from pipeline.export.run import expected_seconds
    from pipeline.export.plan import Target

    small = [Target("default", "r", "job-description", "docx"), Target("default", "r", "job-description", "pdf")]
    large = [Target("default", f"r{i}", "hiring-guide", "pdf") for i in range(4)]
    assert expected_seconds(small) < POOL_PAYS_FROM <= expected_seconds(large)
    executor = LocalExecutor(2, expect=len(small), work=expected_seconds(small))
    try:
        assert executor._pool is None, "no worker starts for work a pool does not pay for"
        jobs = [_job(f"default/r/r{i}.md", "<p>Short.</p>") for i in range(3)]
        assert estimate(jobs) < POOL_PAYS_FROM
        outcomes = list(executor.run(jobs))
        assert executor._pool is None and all(o.error is None for o in outcomes) and len(outcomes) == 3
    finally:
        executor.close()


def test_each_finished_document_is_staged_as_it_arrives_and_all_are_published_at_the_end(tmp_path: Path) -> None:
    """The build writes a document beside its target as soon as its executor hands it over (so it
    holds no document's bytes while the others render), and moves none into place until every
    document is done: a build stopped half-way leaves the old outputs as they were."""
    from pipeline.export.executors import LocalExecutor
    from pipeline.export.request import build_request, load_for_build
    from pipeline.export.run import build as run_build

    out = tmp_path / "out"
    seen: list[tuple[int, int]] = []

    class Watching(LocalExecutor):
        def run(self, jobs):
            for outcome in super().run(jobs):
                staged = [p for p in out.rglob(".*.tmp")]
                published = [p for p in out.rglob("*.md")]
                seen.append((len(staged), len(published)))
                yield outcome

    loaded = load_for_build(FIXTURE_CONTENT, LAYOUTS, today=dt.date(2026, 6, 1), keep_going=False)
    request = build_request(loaded, LAYOUTS, FIXTURE_CONTENT, out, formats=["md"], kinds=["job-description"],
                            executor=lambda: Watching(1), today=dt.date(2026, 6, 1))
    report = run_build(request)
    assert len(report.built) == len(seen) >= 2
    assert seen == [(i, 0) for i in range(len(seen))], "each earlier document staged, none published yet"
    assert not list(out.rglob(".*.tmp")) and len(list(out.rglob("*.md"))) == len(seen)


class TestWorkersFromTheEnvironment:
    def test_rolepack_jobs_sets_the_workers_when_jobs_is_not_given(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from pipeline.export.request import jobs_or_default

        monkeypatch.setenv("ROLEPACK_JOBS", "3")
        assert (jobs_or_default(0), jobs_or_default(2)) == (3, 2)
        monkeypatch.delenv("ROLEPACK_JOBS")
        assert 1 <= jobs_or_default(0) <= 4

    @pytest.mark.parametrize("value", ["two", "0", "-1", "1.5"])
    def test_a_value_that_is_not_a_number_of_workers_stops_the_build_and_writes_nothing(
            self, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("ROLEPACK_JOBS", value)
        run = rolepack("build", "-f", "docx", "--content", str(FIXTURE_CONTENT), "--out", str(tmp_path / "out"))
        assert run.exit_code == 2
        assert f"error: ROLEPACK_JOBS={value!r} is not a number of worker processes" in run.stderr
        assert not (tmp_path / "out").exists()
