"""The values of a filled-in form, PDF or Word, by field name, read as a reader left them.

The scorecards rolepack prints name every field `<role>/<stage>/<field>` (layouts/partials/
scorecard.html.j2): a PDF form field of that name, or a Word content control with that tag (a
choice is a checkbox tagged `<field>=<choice>`). Nothing here knows what the names mean; a file
that is neither, is damaged, or holds no such field is refused with a reason for the person who
sent it. Files come from outside: bounded in size, never decrypted, nothing they point to is opened.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.render.docx.untrusted import PackageError, check_package, members
from pipeline.render.docx.wordml import safe_parser, w

MAX_BYTES = 20 * 1024 * 1024
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


class FormError(ValueError):
    """Why a file cannot be read as a form."""


@dataclass
class Filled:
    """What a form says: each field's value ("" when left empty), and each choice field's choices
    (several when a Word form has more than one box of a field ticked)."""

    values: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)


def read_form(path: Path) -> Filled:
    """The filled-in values of the PDF or DOCX form at `path`."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FormError(f"it is {size / 2**20:,.0f} MB, more than the {MAX_BYTES // 2**20} MB a form may be")
        raw = path.read_bytes()
    except OSError as err:
        raise FormError(f"it cannot be read ({err.strerror or err})") from None
    if raw.startswith(b"%PDF-"):
        return _pdf_form(raw)
    if raw.startswith(b"PK"):
        return _word_form(raw)
    raise FormError("it is neither a PDF nor a Word document (.docx)")


def _pdf_form(raw: bytes) -> Filled:
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise FormError("it is password-protected; save an unprotected copy and send that")
        fields = reader.get_fields() or {}
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as err:
        raise FormError(f"it is a damaged PDF ({type(err).__name__}: {err})") from None
    filled = Filled()
    for name, data in fields.items():
        kind, value = data.get("/FT"), data.get("/V")
        if kind == "/Tx":
            filled.values[name] = str(value or "")
        elif kind == "/Btn":
            filled.choices[name] = _radio_choice(value, data.get("/Opt"))
    return filled


def _radio_choice(value: object, options: object) -> list[str]:
    """A radio group's chosen option: its state names the option's place in `/Opt` (WeasyPrint's
    groups), or the option itself."""
    state = str(value or "/Off").lstrip("/")
    if state in ("", "Off"):
        return []
    if isinstance(options, list) and state.isdigit() and int(state) < len(options):
        return [str(options[int(state)])]
    return [state]


def _word_form(raw: bytes) -> Filled:
    try:
        check_package(raw)
        parts = members(raw)
    except PackageError as err:
        raise FormError(str(err)) from None
    if "word/document.xml" not in parts:
        raise FormError("it is a zip package but not a Word document (it has no word/document.xml)")
    try:
        root = etree.fromstring(parts["word/document.xml"], safe_parser())
    except etree.XMLSyntaxError as err:
        raise FormError(f"its text is damaged XML ({err})") from None
    filled = Filled()
    controls = list(root.iter(w("sdt")))
    if controls and all(sdt.find(f"{w('sdtPr')}/{w('tag')}") is None for sdt in controls):
        raise FormError("its form fields have lost their names: the editor that last saved it drops the names "
                        "of Word's content controls (LibreOffice does); fill the PDF scorecard instead, or this "
                        "one in Word")
    for sdt in controls:
        tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
        name = tag.get(w("val"), "") if tag is not None else ""
        if not name:
            continue
        box = sdt.find(f"{w('sdtPr')}/{{{W14}}}checkbox")
        if box is not None and "=" in name:
            field_name, choice = name.split("=", 1)
            ticked = box.find(f"{{{W14}}}checked")
            chosen = filled.choices.setdefault(field_name, [])
            if ticked is not None and ticked.get(f"{{{W14}}}val", "0") in ("1", "true"):
                chosen.append(choice)
        else:
            filled.values[name] = "" if sdt.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None else _text(sdt)
    return filled


def _text(sdt) -> str:
    """The text inside a content control, its line breaks kept."""
    content = sdt.find(w("sdtContent"))
    if content is None:
        return ""
    lines: list[str] = []
    for paragraph in content.iter(w("p")) if content.find(f".//{w('p')}") is not None else [content]:
        text = []
        for node in paragraph.iter(w("t"), w("br"), w("tab")):  # deleted text (w:delText) is not text
            if node.tag == w("t"):
                text.append(node.text or "")
            elif node.tag in (w("br"), w("tab")):
                text.append("\n" if node.tag == w("br") else "\t")
        lines.append("".join(text))
    return "\n".join(lines).strip()
