"""What `rolepack build --format pdf` leaves on disk: the files, the manifest, and how they change.

The build either finishes or leaves the previous output exactly as it was; a partial build keeps
what it did not touch; a deleted role's files go; the same input gives the same bytes; the
archival variant carries the role as data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml

from conftest import outputs, rolepack, snapshot, without_approvals
from pdf_support import (BRAND_ARGS, BRANDS, CONTENT, DOCS, KINDS, LAYOUTS, PDFAID, ROLE_ARGS, ROLES, Build, catalogue, issued,
                         open_pdf, pdf_path, rolepack_build, xmp_properties)

INVALID = 2
ROLE = "backend-engineer"
ENTRY_KEYS = {"path", "role", "kind", "format", "brand", "inputs", "sha256", "bytes"}


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def entries(out: Path) -> dict[str, dict]:
    return {e["path"]: e for e in manifest(out)["outputs"]}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_layouts(tmp_path: Path) -> Path:
    layouts = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    return layouts


class TestTheShippedBuild:
    def test_succeeds_and_says_how_many_files_it_wrote(self, shipped: Build) -> None:
        assert shipped.exit_code == 0, shipped.stderr
        assert f"{shipped.out}: built {len(DOCS)}, unchanged 0, removed 0, skipped 0, failed 0 in " in shipped.stdout

    @pytest.mark.parametrize("brand", BRANDS)
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("kind", KINDS)
    def test_writes_each_document_to_brand_role_and_kind_path(self, shipped: Build, brand: str, role: str,
                                                              kind: str) -> None:
        path = shipped.out / brand / role / f"{role}-{kind}.pdf"
        assert path.is_file()
        assert path.read_bytes().startswith(b"%PDF-")

    def test_writes_no_pdf_the_plan_does_not_name(self, shipped: Build) -> None:
        expected = {pdf_path(shipped.out, *doc) for doc in DOCS}
        assert set(shipped.out.rglob("*.pdf")) == expected

    def test_logs_no_fonttools_fallback_from_weasyprint(self, shipped: Build) -> None:
        """HarfBuzz subsets the fonts; the fontTools fallback is slower and being dropped."""
        assert "fontTools" not in shipped.stderr
        assert "HarfBuzz" not in shipped.stderr

    def test_reports_no_rendering_warnings(self, shipped: Build) -> None:
        rendering = [line for line in shipped.stderr.splitlines() if "[render-warning]" in line or "[overflow]" in line]
        assert rendering == []


class TestTheManifest:
    def test_has_outputs_and_nothing_else_at_the_top(self, shipped: Build) -> None:
        assert list(manifest(shipped.out)) == ["outputs"]

    def test_lists_every_role_brand_and_kind_once(self, shipped: Build) -> None:
        listed = [(e["brand"], e["role"], e["kind"]) for e in manifest(shipped.out)["outputs"]]
        assert sorted(listed) == sorted(DOCS)

    def test_entries_have_exactly_the_documented_fields(self, shipped: Build) -> None:
        for entry in manifest(shipped.out)["outputs"]:
            assert set(entry) == ENTRY_KEYS, entry

    def test_paths_are_relative_and_follow_brand_role_kind(self, shipped: Build) -> None:
        for entry in manifest(shipped.out)["outputs"]:
            path = entry["path"]
            assert not Path(path).is_absolute() and ".." not in Path(path).parts, path
            assert path == f"{entry['brand']}/{entry['role']}/{entry['role']}-{entry['kind']}.pdf"
            assert entry["format"] == "pdf"

    def test_hashes_and_sizes_match_the_files(self, shipped: Build) -> None:
        for entry in manifest(shipped.out)["outputs"]:
            file = shipped.out / entry["path"]
            assert entry["sha256"] == sha256(file), entry["path"]
            assert entry["bytes"] == file.stat().st_size, entry["path"]


class TestReproducibility:
    def test_building_a_role_twice_gives_identical_pdfs_and_manifests(self, tmp_path: Path) -> None:
        first = rolepack_build(tmp_path / "first", "--role", ROLE, "--brand", "harbor")  # one brand: the long
        second = rolepack_build(tmp_path / "second", "--role", ROLE, "--brand", "harbor")  # test below has both
        assert first.exit_code == 0 and second.exit_code == 0, first.stderr + second.stderr
        for brand in ["harbor"]:
            for kind in KINDS:
                a, b = pdf_path(first.out, brand, ROLE, kind), pdf_path(second.out, brand, ROLE, kind)
                assert a.read_bytes() == b.read_bytes(), f"{brand} {kind} differs between two builds"
        assert (first.out / "manifest.json").read_bytes() == (second.out / "manifest.json").read_bytes()

    @pytest.mark.long  # make test builds a role twice and compares the bytes (the test above)
    def test_a_role_built_alone_matches_the_same_role_in_the_full_build(self, shipped: Build,
                                                                       tmp_path: Path) -> None:
        alone = rolepack_build(tmp_path / "alone", "--role", ROLE)
        assert alone.exit_code == 0, alone.stderr
        for brand in BRANDS:
            for kind in KINDS:
                assert (pdf_path(alone.out, brand, ROLE, kind).read_bytes()
                        == pdf_path(shipped.out, brand, ROLE, kind).read_bytes()), f"{brand} {kind}"


@pytest.fixture(scope="module")
def archival(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    """The role built twice as PDF/A-3b, in two folders."""
    root = tmp_path_factory.mktemp("archival")
    builds = tuple(rolepack_build(root / name, "--role", ROLE, "--brand", "default", "--pdf-variant", "pdf/a-3b")
                   for name in ("first", "second"))
    for build in builds:
        assert build.exit_code == 0, build.stderr
    return builds  # type: ignore[return-value]


class TestArchivalVariant:
    @pytest.mark.parametrize("kind", KINDS)
    def test_declares_pdf_a_3b_in_its_xmp(self, archival, kind: str) -> None:
        properties = xmp_properties(open_pdf(pdf_path(archival[0].out, "default", ROLE, kind)))
        assert properties.get(f"{PDFAID}part") == "3"
        assert properties.get(f"{PDFAID}conformance") == "B"

    @pytest.mark.parametrize("kind", KINDS)
    def test_has_an_output_intent_with_an_icc_profile(self, archival, kind: str) -> None:
        intents = open_pdf(pdf_path(archival[0].out, "default", ROLE, kind)).Root.get("/OutputIntents")
        assert intents is not None and len(intents) >= 1
        assert str(intents[0].S) == "/GTS_PDFA1"
        assert isinstance(intents[0].get("/DestOutputProfile"), pikepdf.Stream)

    @pytest.mark.parametrize("kind", KINDS)
    def test_embeds_the_role_as_json_named_after_it(self, archival, kind: str) -> None:
        pdf = open_pdf(pdf_path(archival[0].out, "default", ROLE, kind))
        assert list(pdf.attachments) == [f"{ROLE}.json"]
        data = json.loads(pdf.attachments[f"{ROLE}.json"].get_file().read_bytes())
        source = yaml.safe_load((CONTENT / "roles" / f"{ROLE}.yaml").read_text(encoding="utf-8"))
        assert data["role"]["title"] == source["title"]
        assert data["role"]["slug"] == ROLE

    @pytest.mark.parametrize("kind", KINDS)
    def test_dates_the_attachment_with_the_documents_issue_date(self, archival, kind: str) -> None:
        attached = open_pdf(pdf_path(archival[0].out, "default", ROLE, kind)).attachments[f"{ROLE}.json"].get_file()
        moment = dt.datetime.combine(issued(ROLE), dt.time(), tzinfo=dt.timezone.utc)
        assert attached.creation_date == moment
        assert attached.mod_date == moment

    @pytest.mark.parametrize("kind", KINDS)
    def test_is_byte_identical_when_built_twice(self, archival, kind: str) -> None:
        first, second = (pdf_path(build.out, "default", ROLE, kind).read_bytes() for build in archival)
        assert first == second


def test_rendering_in_process_logs_no_fonttools_fallback(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint only logs the fallback; catch its logger while a build renders in this process."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    caplog.set_level(logging.WARNING, logger="weasyprint")
    run = rolepack("build", "--format", "pdf", "--content", str(CONTENT), "--out", str(tmp_path / "out"),
                   "--role", ROLE, "--jobs", "1")
    assert run.exit_code == 0, run.stderr
    assert pdf_path(tmp_path / "out", "default", ROLE, "hiring-guide").is_file()
    fallbacks = [r.getMessage() for r in caplog.records if "fontTools" in r.getMessage()]
    assert fallbacks == []


class TestFailedBuilds:
    @pytest.mark.parametrize("breakage", ["undefined-variable", "forbidden-image"])
    def test_a_layout_broken_for_one_role_leaves_every_previous_output_untouched(
            self, previous: Path, tmp_path: Path, breakage: str) -> None:
        layouts = copy_layouts(tmp_path)
        broken = {"undefined-variable": "{{ no_such_variable }}",
                  "forbidden-image": '<img src="file:///etc/hostname" alt="">'}[breakage]
        layout = layouts / "job-description.html.j2"
        layout.write_text(layout.read_text(encoding="utf-8").replace(
            "{% block body %}", '{% block body %}{% if role.slug == "qa-engineer" %}' + broken + "{% endif %}", 1),
            encoding="utf-8")
        before = outputs(previous)
        run = rolepack_build(previous, "--role", ROLE, "--role", "qa-engineer", layouts=layouts)
        assert run.exit_code != 0
        assert outputs(previous) == before

    def test_a_template_error_is_reported_as_a_problem_in_the_layout_not_a_traceback(
            self, previous: Path, tmp_path: Path) -> None:
        layouts = copy_layouts(tmp_path)
        layout = layouts / "job-description.html.j2"
        layout.write_text(layout.read_text(encoding="utf-8").replace(
            "{% block body %}", "{% block body %}{{ no_such_variable }}", 1), encoding="utf-8")
        run = rolepack_build(previous, "--role", ROLE, layouts=layouts)
        assert run.exit_code == INVALID
        assert "job-description.html.j2" in run.stderr
        assert "no_such_variable" in run.stderr
        assert "Traceback" not in run.stderr


class TestPartialAndShrinkingBuilds:
    def test_building_one_role_keeps_the_other_roles_entries_and_files(self, previous: Path) -> None:
        before_entries = entries(previous)
        before_files = snapshot(previous)
        run = rolepack_build(previous, "--role", ROLE)
        assert run.exit_code == 0, run.stderr
        after = entries(previous)
        assert set(after) == set(before_entries)
        others = {p: e for p, e in before_entries.items() if e["role"] != ROLE}
        assert {p: after[p] for p in others} == others
        now = snapshot(previous)
        assert {p: v for p, v in now.items() if p in others} == {p: before_files[p] for p in others}
        for path, entry in after.items():
            assert entry["sha256"] == sha256(previous / path), path

    def test_building_one_role_with_force_rewrites_that_roles_files_and_entries(self, previous: Path) -> None:
        before = snapshot(previous)
        run = rolepack_build(previous, "--role", ROLE, "--force")
        assert run.exit_code == 0, run.stderr
        mine = [str(pdf_path(Path(), b, ROLE, k)) for b in BRANDS for k in KINDS]
        assert all(snapshot(previous)[p][0] != before[p][0] for p in mine), "the role's files were not rewritten"
        assert f": built {len(BRANDS) * len(KINDS)}, unchanged 0," in run.stdout


class TestIncrementalBuilds:
    """A scheduled rebuild renders only what its inputs changed, and trusts no file it did not make."""

    def test_a_rebuild_with_unchanged_inputs_renders_nothing_and_touches_no_file(self, previous: Path) -> None:
        before = snapshot(previous)
        run = rolepack_build(previous)
        assert run.exit_code == 0, run.stderr
        assert f"{previous}: built 0, unchanged {len(DOCS)}, removed 0," in run.stdout
        after = snapshot(previous)
        assert {p: v for p, v in after.items() if p.endswith(".pdf")} == \
            {p: v for p, v in before.items() if p.endswith(".pdf")}
        assert entries(previous) == {e["path"]: e for e in manifest(previous)["outputs"]}
        assert len(entries(previous)) == len(DOCS)

    def test_changing_one_roles_content_re_renders_only_that_role(self, previous: Path, tmp_path: Path) -> None:
        content = tmp_path / "content"
        without_approvals(shutil.copytree(CONTENT, content))
        path = content / "roles" / "engineering-manager.yaml"
        text = path.read_text(encoding="utf-8")
        changed_text = text.replace("  summary: >-\n", "  summary: >-\n    Newly reviewed.\n", 1)
        assert changed_text != text
        path.write_text(changed_text, encoding="utf-8")
        run = rolepack_build(previous, *BRAND_ARGS, *ROLE_ARGS, content=content)
        assert run.exit_code == 0, run.stderr
        changed = len(BRANDS) * len(KINDS)
        assert f"{previous}: built {changed}, unchanged {len(DOCS) - changed}, removed 0," in run.stdout
        assert all(sha256(previous / p) == e["sha256"] for p, e in entries(previous).items())

    def test_a_damaged_output_file_is_rendered_again(self, previous: Path) -> None:
        damaged = pdf_path(previous, BRANDS[0], ROLE, KINDS[0])
        good = damaged.read_bytes()
        damaged.write_bytes(good[:100])
        run = rolepack_build(previous, "--role", ROLE)
        assert run.exit_code == 0, run.stderr
        assert f": built 1, unchanged {len(BRANDS) * len(KINDS) - 1}," in run.stdout
        assert damaged.read_bytes() == good

    @pytest.mark.long  # make test: a damaged file rebuilt and one role's change re-rendered (above)
    def test_deleting_a_role_and_rebuilding_removes_its_files_and_entries(self, previous: Path,
                                                                          tmp_path: Path) -> None:
        gone = "qa-engineer"
        content = tmp_path / "content"
        without_approvals(shutil.copytree(CONTENT, content))
        (content / "roles" / f"{gone}.yaml").unlink()
        for file in (content / "roles").glob("*.yaml"):
            text = file.read_text(encoding="utf-8")
            file.write_text(text.replace(f"  - {gone}\n", ""), encoding="utf-8")
        assert gone in catalogue().roles
        run = rolepack_build(previous, *BRAND_ARGS, content=content)
        assert run.exit_code == 0, run.stderr
        assert f", removed {len(BRANDS) * len(KINDS)}, skipped 0," in run.stdout
        listed = entries(previous)
        assert [p for p, e in listed.items() if e["role"] == gone] == []
        assert {(e["brand"], e["role"], e["kind"]) for e in listed.values()} == {
            d for d in DOCS if d[1] != gone}
        for brand in BRANDS:
            assert not (previous / brand / gone).exists()
        for path in listed:
            assert (previous / path).is_file()
