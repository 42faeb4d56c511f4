"""Hardening, round two (issue 25), done when: one content folder holding a file of each class beside
the shipped roles builds every good role with --keep-going, reports each bad file once, located, with
no traceback, and writes or deletes nothing outside the output folder."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import REPO, rolepack, snapshot

GOOD = sorted(p.stem for p in (REPO / "content" / "roles").glob("*.yaml"))


def _role(text: str, **replace: str) -> str:
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_a_file_of_each_class_beside_the_shipped_roles(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = shutil.copytree(REPO / "content", tmp_path / "content")
    (content / "rolepack.yaml").write_text(re.sub(r"(?m)^approvals:.*\n", "", (content / "rolepack.yaml").read_text(
        encoding="utf-8")), encoding="utf-8")
    (content / "approvals.yaml").unlink()  # the edited roles below need no new approval to be built
    roles = content / "roles"
    base = (roles / "backend-engineer.yaml").read_text(encoding="utf-8")  # its summary is one line
    slug_line = re.search(r"(?m)^slug: .*\n", base)
    unnamed = base.replace(slug_line[0], "") if slug_line else base
    bad = {
        "...yaml": unnamed,                                                          # 1: a name that climbs out
        "site.yaml": unnamed,                                                        # 1: a reserved name
        "pay.yaml": _role(base, **{slug_line[0] if slug_line else "title:": "slug: pay\n"}).replace(
            "min: ", "min: 10000000000000000000000000000  # ", 1),                  # 3: a pay figure past 10^12
        "reorder.yaml": _role(base, **{slug_line[0] if slug_line else "title:": "slug: reorder\n"}).replace(
            "\ntitle: ", "\ntitle: \u202eReversed ", 1),                              # 5: a Trojan Source character
    }
    for name, text in bad.items():
        (roles / name).write_text(text, encoding="utf-8")
    os.mkfifo(roles / "fifo.yaml")                                                   # 3: a file that never ends
    word = _role(base, **{slug_line[0] if slug_line else "title:": "slug: long-word\n"})
    word = re.sub(r"(?m)^  summary: .*$", f'  summary: "Our word: {"x" * 20_000}."', word, count=1)
    (roles / "long-word.yaml").write_text(word, encoding="utf-8")                   # 4: good, only costly
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "default").mkdir(parents=True)
    (out / "default" / "qa-engineer").symlink_to(elsewhere, target_is_directory=True)  # 2: a link out of the output
    before = snapshot(content)

    run = rolepack("build", "--content", str(content), "--out", str(out), "-f", "pdf", "--kind", "job-description",
                   "--brand", "default", "--keep-going", "--quiet")

    assert run.exit_code == 1, run.stdout + run.stderr
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    assert "Traceback" not in run.stdout + run.stderr
    for name in [*bad, "fifo.yaml"]:
        lines = [line for line in run.stderr.splitlines() if f"roles/{name}:" in line or f"roles/{name} " in line]
        assert len(lines) == 1 and re.search(rf"roles/{re.escape(name)}:\d+:\d+: ", lines[0]), (name, run.stderr)
    built = {p.parent.name for p in out.glob("default/*/*-job-description.pdf")}
    assert built == (set(GOOD) - {"qa-engineer"}) | {"long-word"}, run.stderr
    assert list(elsewhere.iterdir()) == [] and snapshot(content) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "elsewhere", "out"]
