"""Sending a draft over SMTP: the only place rolepack talks to the network, and only when asked."""

from __future__ import annotations

import copy
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    """Send a copy of `message` without the draft marker; raises smtplib/OSError on failure."""
    outgoing = copy.deepcopy(message)
    del outgoing["X-Unsent"]
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(outgoing)
