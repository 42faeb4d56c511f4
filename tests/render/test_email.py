"""`rolepack email`: an .eml draft for HR with the role's DOCX attached, and sending it over SMTP.

The draft is parsed back with the standard library; sending goes to a real SMTP server (aiosmtpd)
that the test starts on 127.0.0.1, so the whole conversation, login included, is exercised.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re
import shutil
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from docx import Document

from conftest import rolepack
from docx_support import DOCX_MIME, docx_path, snapshot_sources
from pipeline import cli
from pipeline.check.catalogue import load_catalogue

# The shipped content carries real dates (reviewed, salary data), so it is checked against the real clock.
TODAY = dt.date.today()

ROLE = "backend-engineer"
TO, CC = "a@example.com", "b@example.com"
PASSWORD = "s3cret-Pa55word"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> tuple[Path, Path]:
    return snapshot_sources(tmp_path_factory.mktemp("email-sources"))


@pytest.fixture(scope="module")
def catalogue(sources):
    return load_catalogue(sources[0], today=TODAY)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed today, and none of the settings a developer's shell might carry."""
    monkeypatch.setattr(cli.commands, "_today", lambda: TODAY)
    for name in ("SOURCE_DATE_EPOCH", "ROLEPACK_SMTP_HOST", "ROLEPACK_SMTP_PORT", "ROLEPACK_SMTP_STARTTLS",
                 "ROLEPACK_SMTP_USER", "ROLEPACK_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def email_command(sources, out: Path, *args: str):
    content, layouts = sources
    return rolepack("email", ROLE, "--content", str(content), "--layouts", str(layouts), "--out", str(out), *args)


def draft_path(out: Path, brand: str = "default") -> Path:
    return out / brand / ROLE / f"{ROLE}-draft.eml"


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


@pytest.fixture
def draft(sources, tmp_path):
    out = tmp_path / "out"
    run = email_command(sources, out, "--to", TO, "--cc", CC)
    assert run.exit_code == 0, run.stderr
    return run, out, parse(draft_path(out).read_bytes())


# The draft -----------------------------------------------------------------------------------

def test_the_draft_is_written_beside_the_roles_files(draft):
    run, out, _ = draft
    assert draft_path(out).is_file()
    assert f"wrote {draft_path(out)}" in run.stdout
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        [f"default/{ROLE}/{ROLE}-draft.eml"]


def test_the_draft_has_the_headers_of_an_unsent_message(draft, catalogue):
    _, _, message = draft
    contact = catalogue.company.contact
    sender = message["From"].addresses
    assert [(a.display_name, a.addr_spec) for a in sender] == [(contact.name, str(contact.email))]
    assert [a.addr_spec for a in message["To"].addresses] == [TO]
    assert [a.addr_spec for a in message["Cc"].addresses] == [CC]
    assert catalogue.roles[ROLE].title in message["Subject"]
    assert message["Date"].datetime is not None
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message["Message-ID"])
    assert message["X-Unsent"] == "1"
    assert message["Bcc"] is None


def test_the_draft_has_plain_text_and_html_alternatives_naming_the_role(draft, catalogue):
    _, _, message = draft
    title = catalogue.roles[ROLE].title
    assert message.get_content_type() == "multipart/mixed"
    alternatives = [p for p in message.walk() if p.get_content_type() == "multipart/alternative"]
    assert len(alternatives) == 1
    assert [p.get_content_type() for p in alternatives[0].iter_parts()] == ["text/plain", "text/html"]
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert title in plain and title in html
    assert f"{ROLE}-job-description.docx" in plain


def test_the_draft_attaches_the_job_description_docx(draft, sources, tmp_path):
    _, _, message = draft
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    attachment = attachments[0]
    assert attachment.get_filename() == f"{ROLE}-job-description.docx"
    assert attachment.get_content_type() == DOCX_MIME
    data = attachment.get_content()
    assert Document(io.BytesIO(data)).paragraphs

    content, layouts = sources
    out = tmp_path / "built"
    run = rolepack("build", "--format", "docx", "--kind", "job-description", "--role", ROLE, "--brand", "default",
                   "--content", str(content), "--layouts", str(layouts), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    assert data == docx_path(out, "default", ROLE, "job-description").read_bytes(), "the same DOCX as a build"


def test_source_date_epoch_dates_the_draft(sources, tmp_path, monkeypatch):
    when = dt.datetime(2026, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(when.timestamp())))
    out = tmp_path / "out"
    assert email_command(sources, out, "--to", TO).exit_code == 0
    assert parse(draft_path(out).read_bytes())["Date"].datetime == when


def test_every_draft_has_a_message_id_of_its_own(sources, tmp_path):
    ids = []
    for to in (TO, CC, CC):  # to two people, and to one person twice
        out = tmp_path / f"out-{len(ids)}"
        assert email_command(sources, out, "--to", to).exit_code == 0
        ids.append(parse(draft_path(out).read_bytes())["Message-ID"])
    assert len(set(ids)) == 3, ids
    assert all(re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", i) for i in ids)


@pytest.mark.parametrize("language, name", [
    ("en", f"{ROLE}-job-description.docx"),
    ("fr", f"{ROLE}-fiche-de-poste.docx"),
    ("de", f"{ROLE}-stellenanzeige.docx"),
    ("es", f"{ROLE}-descripcion-del-puesto.docx"),
])
def test_the_attachment_is_named_in_the_roles_language(sources, tmp_path, language, name):
    content, layouts = tmp_path / "content", sources[1]
    shutil.copytree(sources[0], content)
    role = content / "roles" / f"{ROLE}.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("title: ", f"language: {language}\ntitle: ", 1),
                    encoding="utf-8")
    out = tmp_path / "out"
    run = rolepack("email", ROLE, "--content", str(content), "--layouts", str(layouts), "--out", str(out),
                   "--to", TO, "--kind", "job-description,hiring-guide")
    assert run.exit_code == 0, run.stderr
    names = [a.get_filename() for a in parse(draft_path(out).read_bytes()).iter_attachments()]
    assert names[0] == name and len(names) == 2
    assert names[1] != names[0] and names[1].startswith(f"{ROLE}-") and names[1].isascii()


# Addresses that are refused --------------------------------------------------------------------

@pytest.mark.parametrize("option, value", [
    ("--to", "not-an-address"),
    ("--to", "a@"),
    ("--to", "Evil <a@example.com>"),
    ("--to", "a@example.com, c@example.org"),
    ("--cc", "b@@example.com"),
    ("--cc", ""),
])
def test_an_invalid_address_is_refused_and_nothing_is_written(sources, tmp_path, option, value):
    out = tmp_path / "out"
    args = ["--to", TO, "--cc", value] if option == "--cc" else ["--to", value]
    run = email_command(sources, out, *args)
    assert run.exit_code == 2, run.stdout + run.stderr
    assert f"error: {option}:" in run.stderr and "is not a valid email address" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


@pytest.mark.parametrize("option, value", [
    ("--to", "a@example.com\r\nBcc: evil@example.org"),
    ("--to", "a@example.com\nX-Injected: yes"),
    ("--cc", "b@example.com\rBcc: evil@example.org"),
])
def test_a_line_break_in_an_address_is_refused_and_nothing_is_written(sources, tmp_path, option, value):
    out = tmp_path / "out"
    args = ["--to", TO, "--cc", value] if option == "--cc" else ["--to", value]
    run = email_command(sources, out, *args)
    assert run.exit_code == 2
    assert f"error: {option} contains a line break" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_a_draft_needs_a_recipient(sources, tmp_path):
    out = tmp_path / "out"
    run = email_command(sources, out)
    assert run.exit_code == 2
    assert "--to" in run.stderr
    assert not out.exists()


# Sending --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every envelope and every login attempt."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[str, bytes, bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((mechanism, auth_data.login, auth_data.password))
        return AuthResult(success=True)


@pytest.fixture
def smtp_server():
    """A plain SMTP server on 127.0.0.1 that offers AUTH without TLS, so a login can be seen."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=mailbox.authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield controller, mailbox
    finally:
        controller.stop()


def send_args(controller, *extra: str) -> list[str]:
    return ["--to", TO, "--cc", CC, "--send", "--smtp-host", controller.hostname,
            "--smtp-port", str(controller.port), "--no-starttls", *extra]


def test_send_delivers_one_message_to_the_recipients_without_the_draft_marker(sources, tmp_path, smtp_server, catalogue):
    controller, mailbox = smtp_server
    out = tmp_path / "out"
    run = email_command(sources, out, *send_args(controller))
    assert run.exit_code == 0, run.stderr
    assert f"sent to {TO}, {CC}" in run.stdout

    assert len(mailbox.envelopes) == 1
    mail_from, recipients, data = mailbox.envelopes[0]
    assert mail_from == str(catalogue.company.contact.email)
    assert recipients == [TO, CC]
    sent = parse(data)
    assert sent["X-Unsent"] is None
    assert [a.addr_spec for a in sent["To"].addresses] == [TO]
    assert [a.addr_spec for a in sent["Cc"].addresses] == [CC]
    [attachment] = list(sent.iter_attachments())
    assert attachment.get_filename() == f"{ROLE}-job-description.docx"
    assert attachment.get_content_type() == DOCX_MIME
    assert Document(io.BytesIO(attachment.get_content())).paragraphs

    kept = parse(draft_path(out).read_bytes())
    assert kept["X-Unsent"] == "1", "the draft on disk stays a draft"
    assert kept["Message-ID"] == sent["Message-ID"], "the message sent is the draft kept"

    again = email_command(sources, tmp_path / "again", *send_args(controller))
    assert again.exit_code == 0, again.stderr
    assert parse(mailbox.envelopes[1][2])["Message-ID"] != sent["Message-ID"], "a second send has an id of its own"
    assert list(kept.iter_attachments())[0].get_content() == attachment.get_content()


def test_send_without_a_user_does_not_log_in(sources, tmp_path, smtp_server, monkeypatch):
    controller, mailbox = smtp_server
    monkeypatch.setenv("ROLEPACK_SMTP_PASSWORD", PASSWORD)
    run = email_command(sources, tmp_path / "out", *send_args(controller))
    assert run.exit_code == 0, run.stderr
    assert mailbox.logins == []
    assert len(mailbox.envelopes) == 1


def test_send_with_a_user_logs_in_with_the_password_from_the_environment(sources, tmp_path, smtp_server, monkeypatch):
    controller, mailbox = smtp_server
    monkeypatch.setenv("ROLEPACK_SMTP_PASSWORD", PASSWORD)
    out = tmp_path / "out"
    run = email_command(sources, out, *send_args(controller, "--smtp-user", "hr-bot"))
    assert run.exit_code == 0, run.stderr
    assert [(login, password) for _, login, password in mailbox.logins] == [(b"hr-bot", PASSWORD.encode())]
    assert len(mailbox.envelopes) == 1
    assert PASSWORD not in run.stdout + run.stderr
    assert PASSWORD.encode() not in draft_path(out).read_bytes()
    assert PASSWORD.encode() not in mailbox.envelopes[0][2]


def test_the_smtp_password_cannot_be_given_on_the_command_line(sources, tmp_path, smtp_server):
    controller, mailbox = smtp_server
    help_text = rolepack("email", "--help").stdout
    assert "ROLEPACK_SMTP_PASSWORD" in help_text
    assert "--smtp-password" not in help_text and "--password" not in help_text
    out = tmp_path / "out"
    run = email_command(sources, out, *send_args(controller, "--smtp-user", "hr-bot", "--smtp-password", PASSWORD))
    assert run.exit_code == 2
    assert "--smtp-password" in run.stderr
    assert mailbox.envelopes == [] and mailbox.logins == []
    assert not out.exists()


def test_send_needs_a_host(sources, tmp_path):
    run = email_command(sources, tmp_path / "out", "--to", TO, "--send")
    assert run.exit_code == 2
    assert "--smtp-host" in run.stderr


def test_sending_to_a_closed_port_fails_clearly_with_exit_code_1(sources, tmp_path):
    port = free_port()  # nothing listens here once the probe socket is closed
    run = email_command(sources, tmp_path / "out", "--to", TO, "--send", "--smtp-host", "127.0.0.1",
                        "--smtp-port", str(port), "--no-starttls")
    assert run.exit_code == 1, run.stdout + run.stderr
    assert f"error: sending through 127.0.0.1:{port} failed" in run.stderr
    assert "Traceback" not in run.stderr
