"""`rolepack email --send` against servers that misbehave: one clear line, exit 1, and the draft kept.

Refusals come from a real SMTP server (aiosmtpd) told to answer 5xx to MAIL, RCPT or the end of
DATA; the network faults from a small scripted server on 127.0.0.1 that drops the connection in
the middle of the message or never answers at all. Whatever happens, the person learns who
refused what, or that the connection dropped, or that nothing answered within --smtp-timeout;
the draft `.eml` stays on disk byte for byte as an unsent run writes it, to send by hand.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from conftest import rolepack
from fault_support import small_catalogue

ROLE = "support-engineer"
TO, CC = "a@example.com", "b@example.com"
FAILED = 1
EPOCH = "1780000000"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_catalogue(tmp_path_factory.mktemp("smtp"))


@pytest.fixture(autouse=True)
def fixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed date, so the draft's bytes are the same on every run, and no SMTP settings from the shell."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for name in ("ROLEPACK_SMTP_HOST", "ROLEPACK_SMTP_PORT", "ROLEPACK_SMTP_STARTTLS", "ROLEPACK_SMTP_USER",
                 "ROLEPACK_SMTP_PASSWORD", "ROLEPACK_SMTP_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


def email(content: Path, out: Path, *args: str):
    return rolepack("email", ROLE, "--to", TO, "--cc", CC, "--content", str(content),
                    "--layouts", str(content.parent / "layouts"), "--out", str(out), *args)


def send_to(port: int, *args: str) -> tuple[str, ...]:
    return ("--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--no-starttls", *args)


@pytest.fixture(scope="module")
def unsent_draft(content: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The draft as a run without --send writes it."""
    out = tmp_path_factory.mktemp("unsent")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        done = email(content, out)
    assert done.exit_code == 0, done.stderr
    return draft(out).read_bytes()


def draft(out: Path) -> Path:
    return out / "default" / ROLE / f"{ROLE}-draft.eml"


def assert_failed_keeping_the_draft(run, out: Path, port: int, why: str, unsent: bytes) -> None:
    assert run.exit_code == FAILED, run.stdout + run.stderr
    assert run.exception is None or isinstance(run.exception, SystemExit), repr(run.exception)
    assert run.stderr.strip() == f"error: sending through 127.0.0.1:{port} failed: {why}", run.stderr
    assert "sent to" not in run.stdout
    assert without_id(draft(out).read_bytes()) == without_id(unsent), "the draft on disk is the unsent one, to send by hand"


def without_id(message: bytes) -> bytes:
    """The message with its Message-ID left out: every draft has one of its own."""
    kept = re.sub(rb"(?m)^Message-ID: <[^>\r\n]+>\r?\n", b"", message)
    assert kept != message, "the draft has a Message-ID"
    return kept


class Refusing:
    """An aiosmtpd handler answering `reply` at one step (MAIL, RCPT, or DATA's end), and 250 elsewhere."""

    def __init__(self, step: str, reply: str, only: str | None = None) -> None:
        self.step, self.reply, self.only = step, reply, only
        self.delivered: list[list[str]] = []

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.step == "MAIL":
            return self.reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.step == "RCPT" and self.only in (None, address):
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.step == "DATA":
            return self.reply
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(handler: Refusing) -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.mark.parametrize("step, reply, why", [
    ("MAIL", "550 5.7.1 Sender not allowed",
     "the server refused the sender sam@example.com: 550 5.7.1 Sender not allowed"),
    ("RCPT", "550 5.1.1 No such user", f"the server refused every recipient: {TO} (550 5.1.1 No such user), "
                                       f"{CC} (550 5.1.1 No such user)"),
    ("DATA", "554 5.6.0 Message refused", "the server refused the message: 554 5.6.0 Message refused"),
])
def test_a_server_that_refuses_is_named_with_its_reply(content: Path, unsent_draft: bytes, tmp_path: Path,
                                                        step: str, reply: str, why: str) -> None:
    handler = Refusing(step, reply)
    with smtp_server(handler) as port:
        run = email(content, tmp_path, *send_to(port))
    assert_failed_keeping_the_draft(run, tmp_path, port, why, unsent_draft)
    assert handler.delivered == []


def test_a_recipient_refused_among_others_fails_naming_it_and_who_got_the_message(
        content: Path, unsent_draft: bytes, tmp_path: Path) -> None:
    handler = Refusing("RCPT", "550 5.1.1 No such user", only=CC)
    with smtp_server(handler) as port:
        run = email(content, tmp_path, *send_to(port))
    assert_failed_keeping_the_draft(
        run, tmp_path, port, f"the server refused {CC} (550 5.1.1 No such user); {TO} got the message", unsent_draft)
    assert handler.delivered == [[TO]]


@contextmanager
def scripted_server(fault: str) -> Iterator[int]:
    """A server on 127.0.0.1 that speaks just enough SMTP to fail one way: `silent` never says a word,
    `drips` sends its greeting a byte at a time and never finishes it,
    `drops-mid-data` closes the connection after the first bytes of the message, `stalls-at-data`
    never answers the DATA command."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        held.append(connection)
        if fault == "silent":
            return
        if fault == "drips":  # never silent for a whole timeout, never done: one byte every 0.2 s
            with contextlib.suppress(OSError):
                for byte in b"220-" + b"x" * 10_000:
                    connection.sendall(bytes([byte]))
                    time.sleep(0.2)
            return
        reader = connection.makefile("rb")
        connection.sendall(b"220 127.0.0.1 ESMTP\r\n")
        for line in reader:
            verb = line[:4].upper()
            if verb == b"DATA":
                if fault == "stalls-at-data":
                    return
                connection.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                reader.read(1024)
                connection.shutdown(socket.SHUT_RDWR)
                return
            connection.sendall(b"221 Bye\r\n" if verb == b"QUIT" else b"250 OK\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for connection in held:
            connection.close()
        thread.join(10)


def test_a_connection_dropped_in_the_middle_of_the_message_is_reported_as_such(
        content: Path, unsent_draft: bytes, tmp_path: Path) -> None:
    with scripted_server("drops-mid-data") as port:
        run = email(content, tmp_path, *send_to(port))
    assert_failed_keeping_the_draft(run, tmp_path, port,
                                    "the server closed the connection before it accepted the message", unsent_draft)


@pytest.mark.parametrize("fault", ["silent", "stalls-at-data"])
def test_a_server_that_stops_answering_is_given_up_on_after_the_timeout(
        content: Path, unsent_draft: bytes, tmp_path: Path, fault: str) -> None:
    with scripted_server(fault) as port:
        started = time.monotonic()
        run = email(content, tmp_path, *send_to(port, "--smtp-timeout", "1"))
        seconds = time.monotonic() - started
    assert_failed_keeping_the_draft(run, tmp_path, port, "the server did not answer within 1 s (--smtp-timeout)",
                                    unsent_draft)
    assert seconds < 15, f"gave up after {seconds:.1f} s"


def test_a_server_that_drips_its_replies_is_given_up_on_after_four_timeouts(
        content: Path, unsent_draft: bytes, tmp_path: Path) -> None:
    """--smtp-timeout bounds a silence; a byte every 0.2 s is never silent, so the whole exchange has
    its own deadline, four timeouts."""
    with scripted_server("drips") as port:
        started = time.monotonic()
        run = email(content, tmp_path, *send_to(port, "--smtp-timeout", "1"))
        seconds = time.monotonic() - started
    assert_failed_keeping_the_draft(run, tmp_path, port, "the server took longer than 4 s (4 × --smtp-timeout) over "
                                    "the whole message", unsent_draft)
    assert seconds < 15, f"gave up after {seconds:.1f} s"


def test_the_timeout_has_a_default_and_an_environment_variable(
        content: Path, unsent_draft: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    help_text = " ".join(rolepack("email", "--help").stdout.split())
    assert "--smtp-timeout SECONDS" in help_text
    assert "ROLEPACK_SMTP_TIMEOUT" in help_text and "default: 30.0" in help_text
    monkeypatch.setenv("ROLEPACK_SMTP_TIMEOUT", "0.5")
    with scripted_server("silent") as port:
        run = email(content, tmp_path, *send_to(port))
    assert_failed_keeping_the_draft(run, tmp_path, port, "the server did not answer within 0.5 s (--smtp-timeout)",
                                    unsent_draft)
