"""Hardening, round two (issue 25), class 2: writes never follow a symbolic link.

Every file a build writes or deletes is reached through real folders inside the output folder
(export/store.inside), the lock included (opened without following a link), and a template is read
only from inside the layouts folder (render/layout_loader). The attacker here owns the output or
layouts folder's contents, not rolepack: each case plants a link and checks that the file it points
to is untouched and that the build says what it refused.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, rolepack, snapshot

EXAMPLES = int(os.environ.get("ROLEPACK_FUZZ_EXAMPLES") or 8)
"""Examples each property tries: a few in make test, as many as `ROLEPACK_FUZZ_EXAMPLES` asks otherwise."""


@pytest.fixture
def built(workdir: Path) -> Path:
    run = rolepack("build", "-f", "md", "--out", "out")
    assert run.exit_code == 0, run.stderr
    return workdir / "out"


@pytest.fixture
def victim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outside")
    (folder / "precious.txt").write_text("keep me\n")
    return folder


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(built: Path, victim: Path) -> None:
    (built / ".rolepack.lock").unlink()
    (built / ".rolepack.lock").symlink_to(victim / "precious.txt")
    run = rolepack("build", "-f", "md", "--out", "out", "--force")
    assert run.exit_code == 1
    assert "cannot lock out/.rolepack.lock: it is a symbolic link; remove it" in run.stderr
    assert (victim / "precious.txt").read_text() == "keep me\n"


def test_an_output_folder_that_is_a_link_is_neither_written_through_nor_emptied(built: Path, victim: Path) -> None:
    role = built / "default" / "support-engineer"
    shutil.rmtree(role)
    role.symlink_to(victim, target_is_directory=True)
    (victim / ".stale.tmp").write_text("a staged file a killed build might have left")
    before = snapshot(victim)
    run = rolepack("build", "-f", "md", "--out", "out", "--force")
    assert run.exit_code == 1
    assert "passes through a symbolic link" in run.stderr
    assert snapshot(victim) == before  # nothing written into it, nothing removed from it


def test_a_stale_output_behind_a_link_is_not_removed(built: Path, victim: Path, workdir: Path) -> None:
    senior = built / "default" / "senior-support-engineer"
    shutil.rmtree(senior)
    senior.symlink_to(victim, target_is_directory=True)
    (victim / "senior-support-engineer-job-description.md").write_text("outside\n")
    (workdir / "content" / "roles" / "senior-support-engineer.yaml").unlink()
    role = workdir / "content" / "roles" / "support-engineer.yaml"
    role.write_text(role.read_text().replace("related_roles:\n  - senior-support-engineer\n", ""))
    run = rolepack("build", "-f", "md", "--out", "out")
    assert run.exit_code == 0, run.stderr
    assert (victim / "senior-support-engineer-job-description.md").read_text() == "outside\n"


@pytest.mark.parametrize("own", [".rolepack.lock", "manifest.json", ".rolepack-state.json"])
def test_a_manifest_entry_naming_the_builds_own_files_removes_nothing(built: Path, workdir: Path, own: str) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    manifest["outputs"].append({"path": own, "role": "gone", "kind": "job-description", "format": "md",
                                "brand": "default", "sha256": "0" * 64, "bytes": 1})
    (built / "manifest.json").write_text(json.dumps(manifest))
    (built / ".rolepack.lock").touch()
    run = rolepack("build", "-f", "md", "--out", "out", "--force")
    assert run.exit_code == 0, run.stderr
    assert "removed 0" in run.stdout + run.stderr and (built / own).exists()


def test_a_template_linked_out_of_the_layouts_folder_is_refused(workdir: Path, victim: Path) -> None:
    layouts = workdir / "layouts"
    shutil.copytree(REPO / "layouts", layouts)
    secret = victim / "secret.j2"
    secret.write_text("SECRET-FROM-OUTSIDE\n")
    (layouts / "partials" / "titles.j2").unlink()
    (layouts / "partials" / "titles.j2").symlink_to(secret)
    run = rolepack("build", "-f", "md", "--layouts", str(layouts), "--out", "out")
    assert run.exit_code != 0 and not (workdir / "out").exists()
    assert "titles.j2 is a link to a file outside the layouts folder" in run.stderr
    assert not [p for p, (_, data) in snapshot(workdir).items() if b"SECRET-FROM-OUTSIDE" in data and not p.startswith("layouts/")]


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(listed=st.one_of(
    st.sampled_from(["manifest.json", ".rolepack.lock", ".rolepack-state.json", "../outside.txt", "/etc/hostname",
                     "default/../../outside.txt", "default/linked/x.md", "default/linked"]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=30)))
def test_no_manifest_entry_removes_a_file_outside_the_outputs(built: Path, victim: Path, listed: str) -> None:
    """Class 2's property: whatever path a manifest lists, a build removes only its own outputs, reached
    through real folders: never a build file, never anything behind a link or outside the folder."""
    linked = built / "default" / "linked"
    if not linked.is_symlink():
        linked.symlink_to(victim, target_is_directory=True)
    (victim / "x.md").write_text("outside\n")
    manifest = json.loads((built / "manifest.json").read_text())
    manifest["outputs"] = [o for o in manifest["outputs"] if o.get("role") != "gone"]
    manifest["outputs"].append({"path": listed, "role": "gone", "kind": "job-description", "format": "md",
                                "brand": "default", "sha256": "0" * 64, "bytes": 1})
    (built / "manifest.json").write_text(json.dumps(manifest))
    own = {name: (built / name).exists() for name in ("manifest.json", ".rolepack-state.json")}
    run = rolepack("build", "-f", "md", "--out", "out", "--force")
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    assert (victim / "x.md").read_text() == "outside\n" and (victim / "precious.txt").read_text() == "keep me\n"
    assert all((built / name).exists() for name, was in own.items() if was)
