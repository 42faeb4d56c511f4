"""Form fields as readers expect them, from the PDF WeasyPrint is about to write.

WeasyPrint 70 gives each radio button its group's name as well as the group itself, so a reader
sees every button as a field of its own (`…/overall.…/overall`) inside the group, with the
buttons listed again among the form's top-level fields: clicking one does not clear the others,
and no library reads one value for the group. A radio button is a widget of its group and nothing
more (ISO 32000-1, 12.7.4.2.4); this runs as a finisher, on the public `pydyf.PDF` before it is
serialised, and changes nothing in a document without radio buttons.
"""

from __future__ import annotations

import pydyf


def radio_buttons_as_widgets(pdf: pydyf.PDF) -> None:
    """Each radio button becomes a plain widget of its group: no name of its own, not a top-level field."""
    form = pdf.catalog.get("AcroForm")
    if form is None:
        return
    buttons = [obj for obj in pdf.objects
               if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Widget"
               and obj.get("FT") == "/Btn" and "Parent" in obj]
    for button in buttons:
        button.pop("T", None)
        button.pop("FT", None)  # inherited from the group
    kids = {button.reference for button in buttons}
    form["Fields"] = pydyf.Array(ref for ref in form["Fields"] if ref not in kids)
    # Every field has its appearance (a button's for each state; an empty text field needs none),
    # and a reader writes a new one for what is typed. Asking readers to redraw them all instead
    # (WeasyPrint's NeedAppearances) makes poppler draw chosen radio buttons as empty.
    form["NeedAppearances"] = "false"
