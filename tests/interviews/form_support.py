"""Filling rolepack's scorecards the ways their readers do, for the interview tests.

`fill_pdf` fills a PDF form with pypdf as a PDF reader saves it: a text field's value with a new
appearance drawn for it, a radio group's value on the group (`/V`) and the chosen button's
appearance state (`/AS`), the others off. `fill_docx` fills Word content controls as Word writes
them: a text control loses its placeholder mark (`w:showingPlcHdr`) and holds the typed runs, a
line break as `w:br`; a ticked checkbox has `w14:checked` set to 1 and shows the ticked glyph.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pypdf
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def fill_pdf(source: Path, target: Path, texts: dict[str, str], choices: dict[str, str]) -> Path:
    """`texts`: field → typed text; `choices`: radio group → the option chosen (`lean_yes`)."""
    reader = pypdf.PdfReader(source)
    fields = reader.get_fields() or {}
    values: dict[str, str] = dict(texts)
    for name, option in choices.items():
        options = [str(o) for o in fields[name]["/Opt"]]
        values[name] = f"/{options.index(option)}"  # the button's state names its place among the options
    missing = set(values) - set(fields)
    assert not missing, f"no such fields: {sorted(missing)}"
    writer = pypdf.PdfWriter(clone_from=reader)
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(target)
    return target


def fill_docx(source: Path, target: Path, texts: dict[str, str], choices: dict[str, list[str]]) -> Path:
    """`texts`: control tag → typed text (lines split by "\\n"); `choices`: field → the options ticked."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    seen = set()
    for sdt in root.iter(w("sdt")):
        pr = sdt.find(w("sdtPr"))
        tag = pr.find(w("tag"))
        name = tag.get(w("val")) if tag is not None else ""
        box = pr.find(f"{{{W14}}}checkbox")
        if box is not None and "=" in name:
            field, option = name.split("=", 1)
            if option in choices.get(field, []):
                box.find(f"{{{W14}}}checked").set(f"{{{W14}}}val", "1")
                sdt.find(f"{w('sdtContent')}//{w('t')}").text = "\u2612"
                seen.add(field)
        elif name in texts:
            placeholder = pr.find(w("showingPlcHdr"))
            if placeholder is not None:
                pr.remove(placeholder)
            content = sdt.find(w("sdtContent"))
            for child in list(content):
                content.remove(child)
            run = etree.SubElement(content, w("r"))
            for i, line in enumerate(texts[name].split("\n")):
                if i:
                    etree.SubElement(run, w("br"))
                t = etree.SubElement(run, w("t"))
                t.text = line
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            seen.add(name)
    missing = (set(texts) | set(choices)) - seen
    assert not missing, f"no such controls: {sorted(missing)}"
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def scorecard(role: str, stage: str, *, candidate: str, interviewer: str, ratings: dict[str, str],
              evidence: dict[str, str] | None = None, overall: str | None = None,
              date: str = "2026-06-02") -> tuple[dict[str, str], dict[str, str]]:
    """The texts and choices of one filled scorecard, by field name."""
    base = f"{role}/{stage}"
    texts = {f"{base}/candidate": candidate, f"{base}/interviewer": interviewer, f"{base}/date": date}
    texts.update({f"{base}/evidence/{a}": text for a, text in (evidence or {}).items()})
    choices = {f"{base}/rating/{a}": value for a, value in ratings.items()}
    if overall:
        choices[f"{base}/overall"] = overall
    return texts, choices
