"""An RFC 5322 draft for HR: the role's DOCX attached, HTML and plain-text bodies from layouts.

Pure: addresses, time, attachments and a one-off token come in, a message goes out. Header
injection is refused before anything is built, because role titles and addresses come from people.
The attachments are named in the role's language (`backend-engineer-fiche-de-poste.docx`), from the
same catalogue words the documents are titled with. The Message-ID carries the caller's token, so
every draft (and so every send) has its own, as RFC 5322 requires: mail providers drop a second
message that reuses one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from pipeline.render.locales import translations
from pipeline.render.html import company_for, environment
from pipeline.schema import CompanyFile, Role

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


class EmailError(ValueError):
    """A draft that must not be made: a bad address or a header that would smuggle in another."""


KIND_TITLES = {"job-description": "Job description", "hiring-guide": "Hiring guide"}
"""Each document kind as the layouts title it: the words its attachment is named with."""


@dataclass(frozen=True)
class Draft:
    role: Role
    company: CompanyFile
    to: tuple[str, ...]
    cc: tuple[str, ...]
    attachments: tuple[tuple[str, bytes], ...]
    """(document kind, DOCX bytes) for each document attached."""
    when: dt.datetime
    token: str
    """Unique to this draft (the command makes a random one): it makes the Message-ID unique."""


def attachment_name(slug: str, kind: str, title: str) -> str:
    """`backend-engineer-fiche-de-poste.docx`: the role's slug and the kind's title in the role's
    language, lowercase, accents dropped (`Guía de contratación` → `guia-de-contratacion`)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", "-", plain.lower()).strip("-")
    return f"{slug}-{words or kind}.docx"


def _no_line_breaks(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise EmailError(f"{name} contains a line break ({value!r}); header values must be one line")
    return value


def checked_address(value: str, field: str) -> Address:
    _no_line_breaks(field, value)
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as err:
        raise EmailError(f"{field}: {value!r} is not a valid email address ({err})") from None
    # The domain in its ASCII (IDNA) form, which every server delivers to; a local part outside
    # ASCII needs SMTPUTF8, which a draft for any mail client cannot count on.
    try:
        return Address(addr_spec=result.ascii_email or result.normalized)
    except ValueError as err:
        raise EmailError(f"{field}: {value!r} cannot be written in an email header ({err}); "
                         "use an address whose part before the @ is plain ASCII") from None


def build_message(draft: Draft, layouts: Path) -> EmailMessage:
    company = company_for(draft.role, draft.company)
    if not draft.to:
        raise EmailError("give at least one --to address")
    to = [checked_address(a, "--to") for a in draft.to]
    cc = [checked_address(a, "--cc") for a in draft.cc]
    sender = checked_address(str(company.contact.email), "company.contact.email")
    words = translations(layouts, draft.role.language, company.address)
    subject = _no_line_breaks("subject", words.gettext("Draft for review: %(title)s (%(company)s)")
                              % {"title": draft.role.title, "company": company.name})
    sender_name = _no_line_breaks("company.contact.name", company.contact.name)

    levels = draft.role.compensation.levels if draft.role.compensation else []
    named = [(attachment_name(draft.role.slug, kind, words.gettext(KIND_TITLES[kind])), data)
             for kind, data in draft.attachments]
    context = dict(role=draft.role, company=company, subject=subject,
                   attachments=[name for name, _ in named],
                   pay_low=min((b.min for b in levels), default=None), pay_high=max((b.max for b in levels), default=None))
    env = environment(layouts, draft.role.language, company.address)
    text = env.get_template("email.txt.j2").render(**context)
    html = env.get_template("email.html.j2").render(**context)

    message = EmailMessage()
    message["From"] = Address(display_name=sender_name, addr_spec=sender.addr_spec)
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(draft.when)
    digest = hashlib.sha256(b"".join(data for _, data in draft.attachments) + subject.encode()).hexdigest()[:24]
    token = re.sub(r"[^0-9A-Za-z]", "", draft.token)
    if not token:
        raise EmailError("a draft needs a token of letters or digits to make its Message-ID unique")
    message["Message-ID"] = f"<{token}.rolepack@{sender.domain}>"  # short enough not to be folded
    message["X-Unsent"] = "1"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for name, data in named:
        message.add_attachment(data, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=name)
    for index, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"rolepack-{digest}-{index}")  # from the content, not random: same parts, same bytes
    return message
