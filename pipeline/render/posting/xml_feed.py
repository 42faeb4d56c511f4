"""Writing a job board's XML feed: elements of text the boards read, wrapped as they ask.

Indeed and LinkedIn both ask for every text value inside a CDATA section and for literal
characters rather than entities. A CDATA section cannot hold its own end marker (`]]>`), so a value
that does is written as ordinary escaped text instead, which every XML reader reads the same.
"""

from __future__ import annotations

from lxml import etree

END = "]]>"


def add(parent: etree._Element, tag: str, value: object, *, cdata: bool = True) -> etree._Element:
    """`<tag>value</tag>` under `parent`, the value as CDATA where it can be."""
    element = etree.SubElement(parent, tag)
    text = str(value)
    element.text = etree.CDATA(text) if cdata and END not in text else text
    return element


def add_set(parent: etree._Element, values: dict, names: dict[str, str]) -> None:
    """Each of `values` that is set, under the board's own name for it (`names`), in that order."""
    for key, tag in names.items():
        if values.get(key):
            add(parent, tag, values[key])


def document(root: etree._Element) -> bytes:
    """The feed as UTF-8 bytes with its XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
