"""The README's crontab line and systemd units are real: they parse, and the command they name works.

An operator copies these blocks as they are; a typo in a schedule or a flag that no longer exists
would fail at 02:30 with nobody watching.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
PROJECT = "/srv/rolepack"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def unit(text: str) -> tuple[str, configparser.ConfigParser]:
    name = re.search(r"^# /etc/systemd/system/(\S+)$", text, flags=re.MULTILINE).group(1)
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(text)
    return name, parser


def run_as_scheduled(command: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the scheduled rolepack command in a project folder shaped like /srv/rolepack."""
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    argv = shlex.split(command)
    assert argv[0] == f"{PROJECT}/.venv/bin/rolepack" or argv[0] == ".venv/bin/rolepack", argv[0]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run([sys.executable, "-m", "pipeline", *argv[1:]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)


FIELD = re.compile(r"^(\*|\d+(-\d+)?(,\d+(-\d+)?)*)(/\d+)?$")


def test_the_crontab_line_has_a_valid_schedule_and_its_command_builds(tmp_path: Path) -> None:
    lines = [line for line in blocks("cron")[0].splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    minute, hour, day, month, weekday, command = fields
    assert all(FIELD.match(f) for f in (minute, hour, day, month, weekday)), fields
    assert 0 <= int(minute) < 60 and 0 <= int(hour) < 24
    cd, rest = command.split(" && ", 1)
    assert cd == f"cd {PROJECT}"
    build, log = rest.split(" >> ", 1)
    assert log.endswith("2>&1")
    done = run_as_scheduled(build, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "manifest.json").is_file()
    assert re.search(r"build: built \d+, unchanged 0, removed 0, skipped 0, failed 0 in ", done.stdout)


@pytest.mark.long  # make test runs the crontab line's build, the same command
def test_the_systemd_timer_starts_the_service_whose_command_builds_into_the_journal(tmp_path: Path) -> None:
    units = dict(unit(text) for text in blocks("ini"))
    service, timer = units["rolepack-export.service"], units["rolepack-export.timer"]
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["WorkingDirectory"] == PROJECT
    assert "StandardOutput" not in service["Service"], "the journal is systemd's default; keep it"
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d", timer["Timer"]["OnCalendar"])
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert "Unit" not in timer["Timer"], "a timer starts the service of its own name"
    done = run_as_scheduled(service["Service"]["ExecStart"], tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["event"] == "summary" and summary["failed"] == 0 and summary["built"] > 0


@pytest.mark.parametrize("code", ["0", "1", "2"])
def test_the_readme_documents_each_exit_code(code: str) -> None:
    assert re.search(rf"^\| {code} \| .+ \|$", README, flags=re.MULTILINE)
