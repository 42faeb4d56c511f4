"""The brand's fonts inside the Word draft, so a hiring manager who has no Inter or Lato sees the
document the PDF shows instead of a substitute chosen blind (ECMA-376 Part 1, §17.8.1).

- **Licences.** Every bundled face allows it: its OS/2 `fsType` is 0 (installable embedding; a face
  that says otherwise is not embedded), Inter, Lato and Noto are under the SIL Open Font License,
  whose FAQ (1.1) names an embedded subset in a document as allowed use that needs no renaming, and
  Roboto Slab is under Apache 2.0.
- **What is embedded.** The faces of the body and heading families the text is set in, of Word's
  four slots (regular, bold, italic, bold italic) where the bundle has the face, each cut to
  `font_cut.RANGES`: the Latin, Greek and Cyrillic a hiring manager may type. Word draws embedded
  fonts with TrueType outlines only, so a face shipped with PostScript (CFF) outlines is converted
  (quadratic curves within one font unit; the advance widths are untouched).
  The checkboxes' ☐ and ☒ come from Noto Sans Symbols 2, cut to those two glyphs.
- **Obfuscated** as the standard asks: the first 32 bytes XORed with a key that the font table names.
  The key is a digest of the face, so the same brand gives the same bytes.
- **Cost.** Cutting and converting take about a second a face, kept once per machine
  (`font_cut.kept`); each face's obfuscated bytes are made once per process.
"""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, PartFactory, XmlPart
from docx.oxml.ns import qn

from pipeline.check.brands import FontFace, LoadedBrand, font_catalogue
from pipeline.render.docx.ooxml import CHECKBOX_FONT, make_element, place_setting
from pipeline.render.font_cut import cut, in_ranges, kept

# The font table is read as XML (python-docx keeps it as opaque bytes): PartFactory's map of content
# types to part classes is python-docx's own way for a client to choose a part's class.
PartFactory.part_type_for.setdefault(CT.WML_FONT_TABLE, XmlPart)

SLOTS = {(400, "normal"): "embedRegular", (700, "normal"): "embedBold",
         (400, "italic"): "embedItalic", (700, "italic"): "embedBoldItalic"}
"""Word's four faces of a family, in CT_Font's order, by the bundle's weight and style."""
CHECKBOX_GLYPHS = (0x2610, 0x2612)  # ☐ ☒
SYMBOLS = "Noto Sans Symbols 2"
"""The bundled family the checkboxes' glyphs are cut from; named CHECKBOX_FONT inside the file."""
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
RECIPE = "word-v1: default features, name_IDs=*, notdef_outline, no hinting, cu2qu max_err=1.0, post 3"
"""Changed with `_truetype`'s steps, so a kept result is never one of another recipe."""


@dataclass(frozen=True)
class WordFace:
    """One face of a family, cut and converted when a document first uses it."""
    slot: str  # embedRegular, embedBold, embedItalic or embedBoldItalic
    source: Path
    unicodes: tuple[int, ...]

    @cached_property
    def data(self) -> bytes:  # TrueType, cut, not yet obfuscated
        return truetype(self.source, self.unicodes)

    @cached_property
    def key(self) -> str:
        return font_key(self.data)

    @cached_property
    def obfuscated(self) -> bytes:
        return obfuscate(self.data, self.key)

    @cached_property
    def embeddable(self) -> bool:
        """The face's licence bits allow embedding (fsType: no "restricted licence" bit, bit 1)."""
        return not self.os2.fsType & 0x0002

    @cached_property
    def os2(self):
        from fontTools.ttLib import TTFont

        return TTFont(io.BytesIO(self.data), lazy=True)["OS/2"]


@dataclass(frozen=True)
class WordFamily:
    """A family the draft's styles name, with the faces the bundle has of it in Word's slots."""
    name: str
    faces: tuple[WordFace, ...]
    names: dict  # layouts/fonts/word.yaml's `alt` and `class`


def word_families(brand: LoadedBrand) -> list[WordFamily]:
    """Each family the draft's styles name, with its faces; and the checkboxes' font."""
    families: dict[str, list[WordFace]] = {}
    text = tuple(in_ranges())
    for face in brand.text_faces:
        slot = SLOTS.get((face.weight, face.style))
        if slot is not None:
            families.setdefault(face.family, []).append(WordFace(slot, face.file, text))
    symbols = [f for f in brand.faces if f.family == SYMBOLS] or _bundled(brand, SYMBOLS)
    if symbols:
        families[CHECKBOX_FONT] = [WordFace("embedRegular", symbols[0].file, CHECKBOX_GLYPHS)]
    names = _word_names(_fonts_folder(brand)) if brand.faces else {}
    order = list(SLOTS.values())
    return [WordFamily(name, tuple(sorted(faces, key=lambda f: order.index(f.slot))), names.get(name, {}))
            for name, faces in families.items()]


_prepared: dict[tuple, list[WordFamily]] = {}
_prepared_lock = threading.Lock()  # a Dask worker renders in several threads of one process
PREPARED_KEPT = 8


def _families_of(brand: LoadedBrand) -> list[WordFamily]:
    """`word_families`, once per process for the same font files (by path, size and time)."""
    key = tuple((str(f.file), f.file.stat().st_size, f.file.stat().st_mtime_ns) for f in brand.faces)
    with _prepared_lock:
        if key not in _prepared:
            if len(_prepared) >= PREPARED_KEPT:
                del _prepared[next(iter(_prepared))]
            _prepared[key] = word_families(brand)
        return _prepared[key]


def _bundled(brand: LoadedBrand, family: str) -> list[FontFace]:
    """`family` from the bundle the brand's faces come from, when the brand does not list it."""
    return font_catalogue(_fonts_folder(brand).parent).get(family, []) if brand.faces else []


def _fonts_folder(brand: LoadedBrand) -> Path:
    return brand.faces[0].file.parents[1]  # layouts/fonts/<Family>/<file> (font_catalogue)


def truetype(source: Path, unicodes) -> bytes:
    """The face cut to `unicodes`, with TrueType outlines; kept once per machine."""
    codes = sorted(set(unicodes))
    return kept(source, "word", f"{RECIPE} {codes}", lambda font: _truetype(font, codes))


def _truetype(font_bytes: bytes, codes: list[int]) -> bytes:
    font = cut(font_bytes, codes, all_features=False, hinting=False)
    if "CFF " in font:
        _quadratic(font)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


def _quadratic(font) -> None:
    """PostScript (cubic) outlines to TrueType (quadratic) ones, with the tables TrueType needs."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    outlines = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # TrueType winds outer contours clockwise, PostScript counter-clockwise.
        outlines[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000  # the TrueType maxp; its counts are worked out on saving
    maxp.maxZones = 1
    for field in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxTwilightPoints",
                  "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names: nothing reads them from an embedded font
    font.sfntVersion = "\x00\x01\x00\x00"


def font_key(data: bytes) -> str:
    """A GUID from the face's digest, as the font table writes it: the same face, the same key."""
    hex_digits = hashlib.sha256(data).hexdigest()[:32].upper()
    return "{%s-%s-%s-%s-%s}" % (hex_digits[:8], hex_digits[8:12], hex_digits[12:16], hex_digits[16:20], hex_digits[20:])


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, §17.8.1: the key's 16 bytes, last first, XORed over the first 32 bytes
    of the font. The same operation undoes it."""
    key_bytes = bytes.fromhex("".join(c for c in key if c not in "{}-"))[::-1]
    head = bytes(byte ^ key_bytes[i % 16] for i, byte in enumerate(data[:32]))
    return head + data[32:]


def embed(doc: DocxDocument, brand: LoadedBrand) -> None:
    """The faces the document's text is set in (`faces_used`) into the document: obfuscated font parts,
    each family's font-table entry (panose, signature, Word's generic family, the `alt` name of
    layouts/fonts/word.yaml), and the setting that tells Word the document carries its fonts. A face
    the text does not use is left out (a reader's Word draws one from the nearest face it has); an
    entry the reference document already has for a family is replaced."""
    used = faces_used(doc)
    families = [(family, [f for f in family.faces if f.slot in used.get(family.name, ()) and f.embeddable])
                for family in _families_of(brand)]
    families = [(family, faces) for family, faces in families if faces]
    if not families:
        return
    table = doc.part.part_related_by(RT.FONT_TABLE)
    for family, faces in families:
        for old in table.element.findall(qn("w:font")):
            if old.get(qn("w:name")) == family.name:
                table.element.remove(old)
        entry = _entry(family, faces[0].os2)
        for face in faces:
            part = Part(doc.part.package.next_partname("/word/fonts/font%d.odttf"), OBFUSCATED_FONT,
                        face.obfuscated, doc.part.package)
            entry.append(make_element(f"w:{face.slot}", **{"r:id": table.relate_to(part, RT.FONT),
                                                           "w:fontKey": face.key}))
        table.element.append(entry)
    place_setting(doc.settings, make_element("w:embedTrueTypeFonts", **{"w:val": "true"}))


def _entry(family: WordFamily, os2):
    """The font table's `w:font` for `family`, without its faces, in CT_Font's order, described
    from the OS/2 table of one of its faces: panose, Unicode and code-page signature."""
    panose = bytes(getattr(os2.panose, field) for field in (
        "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast", "bStrokeVariation", "bArmStyle",
        "bLetterForm", "bMidline", "bXHeight")).hex().upper()
    entry = make_element("w:font", **{"w:name": family.name})
    if family.names.get("alt"):
        entry.append(make_element("w:altName", **{"w:val": str(family.names["alt"])}))
    entry.append(make_element("w:panose1", **{"w:val": panose}))
    entry.append(make_element("w:charset", **{"w:val": "00"}))
    entry.append(make_element("w:family", **{"w:val": str(family.names.get("class", "auto"))}))
    entry.append(make_element("w:pitch", **{"w:val": "variable"}))
    usb = (os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4)
    csb = (os2.ulCodePageRange1, os2.ulCodePageRange2) if os2.version >= 1 else (0, 0)
    entry.append(make_element("w:sig", **{f"w:usb{i}": f"{v:08X}" for i, v in enumerate(usb)},
                              **{f"w:csb{i}": f"{v:08X}" for i, v in enumerate(csb)}))
    return entry


def faces_used(doc: DocxDocument) -> dict[str, set[str]]:
    """Which faces (Word's slots) of which family the text of the body, headers and footers is set
    in: each run's font, bold and italic, from the run itself, then its character style, then its
    paragraph's style, each with the styles it is based on, then the document's defaults."""
    styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
    default_paragraph = next((i for i, s in styles.items()
                              if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")), None)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
    inherited: dict[tuple, tuple[str | None, bool, bool]] = {}

    def inherit(paragraph_style: str | None, run_style: str | None) -> tuple[str | None, bool, bool]:
        """The font, bold and italic a run of these styles inherits."""
        if (paragraph_style, run_style) not in inherited:
            found = []
            for start in (run_style, paragraph_style):
                seen, style_id = set(), start
                while style_id in styles and style_id not in seen:
                    seen.add(style_id)
                    if (rpr := styles[style_id].find(qn("w:rPr"))) is not None:
                        found.append(rpr)
                    based = styles[style_id].find(qn("w:basedOn"))
                    style_id = based.get(qn("w:val")) if based is not None else None
            found += [default_rpr] if default_rpr is not None else []
            inherited[(paragraph_style, run_style)] = (_font(found), _toggle(found, "w:b"), _toggle(found, "w:i"))
        return inherited[(paragraph_style, run_style)]

    roots = [doc.element.body] + [part.element for part in doc.part.package.iter_parts()
                                  if part.content_type.endswith(("header+xml", "footer+xml"))]
    used: dict[str, set[str]] = {}
    p, p_style_path, r, t, rpr, r_style_tag, val = (qn("w:p"), f"{qn('w:pPr')}/{qn('w:pStyle')}", qn("w:r"),
                                                  qn("w:t"), qn("w:rPr"), qn("w:rStyle"), qn("w:val"))
    for root in roots:
        for paragraph in root.iter(p):
            p_style = paragraph.find(p_style_path)
            p_style_id = p_style.get(val) if p_style is not None else default_paragraph
            for run in paragraph.iter(r):
                if run.find(t) is None:
                    continue
                direct = run.find(rpr)
                r_style = direct.find(r_style_tag) if direct is not None else None
                family, bold, italic = inherit(p_style_id, r_style.get(val) if r_style is not None else None)
                if direct is not None:  # the run's own settings come first
                    family = _font([direct]) or family
                    bold, italic = _toggle([direct], "w:b", bold), _toggle([direct], "w:i", italic)
                if family is not None:
                    used.setdefault(family, set()).add(SLOTS[(700 if bold else 400, "italic" if italic else "normal")])
    return used


ASCII, R_FONTS, VAL = qn("w:ascii"), qn("w:rFonts"), qn("w:val")


def _font(rprs: list) -> str | None:
    """The nearest `w:rFonts/@w:ascii` of `rprs`."""
    return next((f.get(ASCII) for rpr in rprs if (f := rpr.find(R_FONTS)) is not None and f.get(ASCII)), None)


def _toggle(rprs: list, tag: str, otherwise: bool = False) -> bool:
    """The nearest setting of a toggle property (`w:b`, `w:i`); `otherwise` when none sets it."""
    name = qn(tag)
    for rpr in rprs:
        element = rpr.find(name)
        if element is not None:
            return element.get(VAL, "true") not in ("0", "false", "off")
    return otherwise


def _word_names(fonts: Path) -> dict[str, dict]:
    """layouts/fonts/word.yaml: each family's `alt` name and generic `class`; none when it is absent."""
    try:
        raw = yaml.safe_load((fonts / "word.yaml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(k): v for k, v in (raw or {}).items() if isinstance(v, dict)}
