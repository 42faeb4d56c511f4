"""Sending a draft over SMTP: the only place rolepack talks to the network, and only when asked.

Every way a send can fail becomes one SendError sentence for the person who ran the command:
who refused what and with which reply, a connection that dropped, a server that did not answer
within the timeout. No step waits longer than `SmtpSettings.timeout` seconds, and the whole
exchange no longer than DEADLINE_TIMEOUTS of them.
"""

from __future__ import annotations

import contextlib
import copy
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage


class SendError(Exception):
    """The message was not delivered to every recipient; the text says why, and who did get it."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    """Send a copy of `message` without the draft marker; SendError unless every recipient accepted it."""
    outgoing = copy.deepcopy(message)
    del outgoing["X-Unsent"]
    try:
        refused = _deliver(outgoing, settings)
    except OSError as err:  # smtplib's own errors are OSErrors too
        raise SendError(_why(err, settings)) from None
    if refused:
        accepted = [a for a in _recipients(outgoing) if a not in refused]
        raise SendError(f"the server refused {_replies(refused)}; "
                        f"{', '.join(accepted) or 'nobody'} got the message")


DEADLINE_TIMEOUTS = 4
"""The whole exchange may take this many --smtp-timeout periods: the timeout bounds one silence, and a
server that drips one byte a second is never silent."""


def _deliver(message: EmailMessage, settings: SmtpSettings) -> dict:
    smtp = smtplib.SMTP(timeout=settings.timeout)  # no host yet: the deadline runs before it connects
    expired = threading.Event()

    def cut() -> None:  # ends a read or write in progress: smtplib then says the server disconnected
        expired.set()
        if smtp.sock is not None:
            with contextlib.suppress(OSError):
                smtp.sock.shutdown(socket.SHUT_RDWR)

    deadline = threading.Timer(settings.timeout * DEADLINE_TIMEOUTS, cut)
    deadline.daemon = True
    deadline.start()
    try:
        smtp.connect(settings.host, settings.port)
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        refused = smtp.send_message(message)
        with contextlib.suppress(OSError):
            smtp.quit()
        return refused
    except OSError as err:
        if expired.is_set():
            raise TimeoutError(f"the server took longer than {settings.timeout * DEADLINE_TIMEOUTS:g} s "
                               f"({DEADLINE_TIMEOUTS} × --smtp-timeout) over the whole message") from err
        raise
    finally:
        deadline.cancel()
        smtp.close()


def _recipients(message: EmailMessage) -> list[str]:
    return [a.addr_spec for field in ("To", "Cc") for a in getattr(message[field], "addresses", ())]


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}".strip()


def _replies(refused: dict) -> str:
    return ", ".join(f"{address} ({_reply(code, text)})" for address, (code, text) in refused.items())


def _why(err: OSError, settings: SmtpSettings) -> str:
    """What happened, for the person who ran the command: smtplib's exceptions name the protocol step."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return f"the server refused every recipient: {_replies(err.recipients)}"
    if isinstance(err, smtplib.SMTPSenderRefused):
        return f"the server refused the sender {err.sender}: {_reply(err.smtp_code, err.smtp_error)}"
    if isinstance(err, smtplib.SMTPDataError):
        return f"the server refused the message: {_reply(err.smtp_code, err.smtp_error)}"
    if isinstance(err, smtplib.SMTPAuthenticationError):
        return f"the server refused the login of {settings.user}: {_reply(err.smtp_code, err.smtp_error)}"
    if isinstance(err, TimeoutError) and isinstance(err.__cause__, OSError):  # the overall deadline
        return str(err)
    if isinstance(err, TimeoutError) or isinstance(err.__context__, TimeoutError):  # smtplib wraps a timeout
        return f"the server did not answer within {settings.timeout:g} s (--smtp-timeout)"
    if isinstance(err, (smtplib.SMTPServerDisconnected, BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
        return "the server closed the connection before it accepted the message"
    if isinstance(err, smtplib.SMTPResponseException):
        return f"the server answered {_reply(err.smtp_code, err.smtp_error)}"
    return err.strerror or str(err)
