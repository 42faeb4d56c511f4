"""Hardening, round two (issue 25), class 3's values: every number and environment value is
range-checked where it is read, and a file or service that is not what it should be is one line,
never a traceback or a hang. (Special files are in test_names_files_terminal.py.)"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, outputs, rolepack, snapshot

EXAMPLES = int(os.environ.get("ROLEPACK_FUZZ_EXAMPLES") or 8)
"""Examples each property tries: a few in make test, as many as `ROLEPACK_FUZZ_EXAMPLES` asks otherwise."""


@pytest.mark.parametrize("value", ["abc", "-1", "1.5e9", "", "99999999999999", "١٧٠٠٠٠٠٠٠٠"])
def test_a_source_date_epoch_that_is_no_time_is_refused_before_anything(workdir: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    before = snapshot(workdir)
    for command in (("validate",), ("build", "-f", "md", "--out", "out")):
        run = rolepack(*command)
        assert run.exit_code == 2 and isinstance(run.exception, SystemExit), run.exception
        assert f"SOURCE_DATE_EPOCH={value!r} is not a time rolepack can date documents by" in run.stderr
    assert snapshot(workdir) == before


def test_the_last_date_a_source_date_epoch_may_give_builds(workdir: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    run = rolepack("build", "-f", "md", "--out", "out")
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize("value", ["inf", "nan", "1e9", "0"])
def test_an_smtp_timeout_out_of_range_is_refused(workdir: Path, value: str) -> None:
    run = rolepack("email", "support-engineer", "--to", "a@example.com", "--smtp-timeout", value)
    assert run.exit_code == 2 and isinstance(run.exception, SystemExit), run.exception
    assert "--smtp-timeout" in run.stderr
    assert not (workdir / "build").exists()


@pytest.mark.parametrize("name", ["manifest.json", ".rolepack-state.json", ".rolepack-build.json"])
def test_a_record_nested_deeper_than_any_build_writes_is_one_line(workdir: Path, name: str) -> None:
    assert rolepack("build", "-f", "md", "--out", "out").exit_code == 0
    if name != ".rolepack-build.json":
        (workdir / "out" / ".rolepack-build.json").unlink()  # no no-op shortcut: the build reads its records
    (workdir / "out" / name).write_text("[" * 100_000 + "]" * 100_000)
    before = outputs(workdir / "out")
    run = rolepack("build", "-f", "md", "--out", "out")
    assert isinstance(run.exception, SystemExit) or run.exception is None, run.exception
    if name == ".rolepack-build.json":  # the shortcut's record: unreadable means "build properly"
        assert run.exit_code == 0, run.stderr
    else:
        assert run.exit_code == 1 and "its JSON is nested too deep to be a rolepack file" in run.stderr
        assert outputs(workdir / "out") == before


@pytest.mark.parametrize("figure", [10**12 + 1, 10**28])
def test_a_pay_figure_no_salary_reaches_is_refused_at_its_line(workdir: Path, figure: int) -> None:
    role = workdir / "content" / "roles" / "support-engineer.yaml"
    role.write_text(role.read_text().replace("max: 50000", f"max: {figure}"))
    run = rolepack("validate")
    assert run.exit_code == 2
    assert any(line.startswith("content/roles/support-engineer.yaml:") and "compensation.levels[0].max" in line
               and "1000000000000" in line for line in run.problems), run.stderr


def _server(answer: bytes | None) -> int:
    """A TCP service on 127.0.0.1 that is not Dask: it says `answer` to each caller, or nothing."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        held = []
        while True:
            conn, _ = listener.accept()
            held.append(conn)  # kept open: a caller waiting for a handshake waits
            if answer is not None:
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


@pytest.mark.parametrize(("answer", "says"), [(None, "did not answer as a Dask scheduler within 2 s"),
                                               (b"SSH-2.0-OpenSSH_9.6\r\n" + b"\xff" * 64, "is not a Dask scheduler")],
                         ids=["silent", "garbage"])
def test_a_scheduler_address_that_is_no_dask_scheduler_is_one_line(workdir: Path, monkeypatch,
                                                                    answer: bytes | None, says: str) -> None:
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "1s")
    import dask
    dask.config.refresh()
    port = _server(answer)
    run = rolepack("build", "-f", "md", "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}", "--out", "out")
    assert run.exit_code != 0 and isinstance(run.exception, SystemExit), run.exception
    assert says in run.stderr, run.stderr
    assert not (workdir / "out" / "default").exists()


def test_a_damaged_bundled_font_is_named_not_a_traceback(workdir: Path) -> None:
    layouts = workdir / "layouts"
    shutil.copytree(REPO / "layouts", layouts)
    font = layouts / "fonts" / "Inter" / "Inter-Regular.otf"
    font.write_bytes(font.read_bytes()[:1000])
    run = rolepack("build", "-f", "html", "--layouts", str(layouts), "--out", "out")
    assert run.exit_code != 0 and isinstance(run.exception, SystemExit), run.exception
    assert f"{font} is not a font fontTools can read" in run.stderr


def test_a_password_is_never_sent_without_tls_to_another_machine(workdir: Path, monkeypatch) -> None:
    monkeypatch.setenv("ROLEPACK_SMTP_PASSWORD", "secret")
    run = rolepack("email", "support-engineer", "--to", "a@example.com", "--send", "--smtp-host", "smtp.example.com",
                   "--smtp-user", "hr", "--no-starttls")
    assert run.exit_code == 2
    assert "would send the password in clear to smtp.example.com" in run.stderr


def test_many_findings_in_one_paragraph_trace_its_source_once(workdir: Path, monkeypatch) -> None:
    """Placing a finding traced the value's source from its start each time: 4,000 findings in one
    paragraph took 70 s. The trace is made once per value and reused (the bench times it)."""
    from pipeline.source import positions

    traced = []
    real = positions._source_indexes
    monkeypatch.setattr(positions, "_source_indexes", lambda *args: traced.append(args[2]) or real(*args))
    role = workdir / "content" / "roles" / "support-engineer.yaml"
    paragraph = " ".join(["rockstar ninja"] * 300)
    role.write_text(role.read_text().replace("  about_the_role:\n", f"  about_the_role:\n    - {paragraph}\n", 1))
    run = rolepack("lint", "--format", "json")
    found = [json.loads(line) for line in run.stdout.splitlines() if '"rule": "exclusionary-language"' in line]
    mine = [f for f in found if f["role"] == "support-engineer"]
    assert len(mine) == 600, run.stdout[-500:]  # "rockstar" and "ninja", 300 times each
    assert traced.count(paragraph) == 1
    columns = [f["column"] for f in mine]
    assert len(set(columns)) == 600 and {f["line"] for f in mine} == {mine[0]["line"]}  # each at its own word


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30))
def test_any_source_date_epoch_is_a_date_or_one_line(workdir: Path, monkeypatch, value: str) -> None:
    """Class 3's property: whatever SOURCE_DATE_EPOCH holds, validate runs with it or refuses it in one line."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = rolepack("validate")
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    valid = value.isascii() and value.isdigit() and int(value) <= 253_402_300_799
    assert (run.exit_code == 0) == valid or run.exit_code == 2, run.stderr
    if not valid:
        assert run.exit_code == 2 and run.stderr.count("\n") == 1 and "SOURCE_DATE_EPOCH=" in run.stderr
