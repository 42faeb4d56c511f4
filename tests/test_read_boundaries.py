"""What a build reads: nothing outside the content, the layouts, its output folder, its own
temporary files and the Python installation, whatever the content says.

Every Python process of the build (the command and its workers) records each file it opens,
through an audit hook loaded by `sitecustomize` (tests/audit/). The role carries text that names
/etc/passwd in every way a template, Markdown or an HTML renderer might follow: none of it is
followed. (Native libraries, Pango and fontconfig, do not raise Python's audit events; the font
configuration rolepack writes points them at the bundled fonts only, see tests/test_pdf_documents.py.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import REPO

HOSTILE = ("<img src='file:///etc/passwd'> {% include '/etc/passwd' %} {{ 7*7 }} "
           "<link rel=stylesheet href='/etc/passwd'> <iframe src='/etc/shadow'></iframe>")
SYSTEM = {"/dev/null", "/etc/mime.types", "/etc/localtime"}
"""Files the standard library reads for itself (mimetypes' table, the local time zone)."""
ZONEINFO = Path("/usr/share/zoneinfo")
"""The system's time-zone data, which date libraries read."""


def test_a_build_of_every_format_opens_no_file_outside_its_folders(tmp_path: Path) -> None:
    content, out, temp, log = tmp_path / "content", tmp_path / "out", tmp_path / "tmp", tmp_path / "opened.log"
    shutil.copytree(REPO / "content", content)
    temp.mkdir()
    role = content / "roles" / "backend-engineer.yaml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("  summary: Build and run", f'  summary: "{HOSTILE} Build and run', 1)
                    .replace("as it grows.\n", 'as it grows."\n', 1), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests" / "audit"), "ROLEPACK_AUDIT_LOG": str(log),
           "TMPDIR": str(temp)}
    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "-f", "pdf,docx,html,md,jsonld",
                          "--role", "backend-engineer", "--brand", "default", "--content", str(content),
                          "--layouts", str(REPO / "layouts"), "--out", str(out), "--quiet"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    opened = set(log.read_text(encoding="utf-8").splitlines())
    allowed = [tmp_path, REPO / "layouts", REPO / "pipeline", Path(sys.prefix), Path(sys.base_prefix),
               Path(sysconfig.get_paths()["purelib"]), ZONEINFO]
    outside = sorted(p for p in opened if p not in SYSTEM and not any(Path(p).is_relative_to(a) for a in allowed))
    print(f"\n{len(opened)} files opened by the build's processes, {len(outside)} outside the allowed folders")
    assert str(REPO / "layouts" / "brands" / "default" / "logo.svg") in opened, "the hook saw the workers' reads"
    assert outside == []
    assert not any("passwd" in p or "shadow" in p for p in opened)
    assert "{% include" in (out / "default" / "backend-engineer" / "backend-engineer-job-description.md").read_text()
