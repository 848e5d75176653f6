"""Fonts for every PDF the center prints: Sarabun embedded, with a true text layer.

- Sarabun (the open government font, PyPI ``fontpkg-sarabun``) regular/bold/italic is embedded,
  registered once and mapped by ``registerFontFamily`` so ``<b>`` and ``<i>`` work;
- the text layer is true: the glyph variants HarfBuzz picks (``uni0E48.small`` …) and the
  reordered nikhahit of sara am are mapped back to the characters they came from, so text
  copied or extracted from the PDF equals the source after NFKC.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, TTFont

from ..thai import NIKHAHIT, SARA_AA, SARA_AM, THAI_TONE_MARKS

FONT = "Sarabun"
FONT_BOLD = "Sarabun-Bold"
FONT_ITALIC = "Sarabun-Italic"
FONT_BOLD_ITALIC = "Sarabun-BoldItalic"
BODY_SIZE = 16  # pt, as in Thai government documents


_PUA_FIRST, _PUA_LAST = 0xE000, 0xF8FF

_register_lock = threading.Lock()
_registered = False


# --- fonts ------------------------------------------------------------------------------------


class ThaiTTFont(TTFont):
    """A TrueType font whose PDF text layer maps shaped glyphs back to the source characters.

    ReportLab gives each glyph HarfBuzz substitutes (``uni0E48.small``, ``uni0E0D.descless``)
    a private-use code point and writes that into the ToUnicode CMap, so copied text loses the
    marks. Here those codes map to the character named by the glyph. HarfBuzz also moves the
    nikhahit of a sara am in front of a tone mark (น้ำ → น ํ ้ า); those two glyphs are drawn
    through aliases whose ToUnicode entries swap back, so the text reads น ้ ํ า = NFKC(น้ำ).
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._aliases: dict[tuple[int, str, int | None], int] = {}  # (glyph id, text, width) → code
        self._alias_text: dict[int, str] = {}
        self._ligature_codes: dict[int, bool] = {}
        self._next_alias = 0xF000

    # Drawing: swap reordered nikhahit/tone glyphs for aliases that extract in source order.
    def splitString(self, text, doc, encoding="utf-8"):
        shape_data = getattr(text, "__shapeData__", None)
        if shape_data:
            _keep_marks_in_order(shape_data)
            text = self._marks_in_x_order(text, shape_data)
        if NIKHAHIT in text:
            text = self._realias_sara_am(text)
        if shape_data and NIKHAHIT + SARA_AA in text:
            text = self._sara_am_as_one(text, shape_data)
        if SARA_AA in text:
            text = self._sara_am_after_ligature(text)
        if shape_data:
            text = self._span_marks(text, shape_data)
        return super().splitString(text, doc, encoding)

    def _marks_in_x_order(self, text: str, shape_data: list) -> str:
        """Draw a vowel and tone the font places out of reading order in the order they sit.

        Over a wide upper vowel the font puts the tone left of the vowel's origin (ยื่น: sara uee
        at 0, the small mai ek at −59 units), too far to nudge and close enough for poppler to
        take the tone for an overlapping glyph: it starts a piece of its own, pieces are read by
        position, and the tone comes first — or, after a syllable whose marks already made the
        base a piece of its own (ผู้ยื่น), the zero-width vowel is left on a line of its own.
        Drawing the two marks in position order (tone glyph first, then the vowel one unit left
        of the next letter) with their texts handed out in source order reads ย ื ่ น in every
        context; the glyphs stay exactly where HarfBuzz put them. The shape data is rewritten in
        place (ReportLab reads it after this call) and marked, so a second drawing of the same
        string swaps its characters the same way.
        """
        plain = str.__str__(text)
        n = min(len(plain), len(shape_data))
        chars = list(plain)
        changed = False
        for i in range(1, n - 1):
            a, b = shape_data[i], shape_data[i + 1]
            if (
                not (_is_mark(a) and _is_mark(b))
                or _is_mark(shape_data[i - 1])
                or (i + 2 < n and _is_mark(shape_data[i + 2]))
                or NIKHAHIT in plain[i : i + 2]
            ):
                continue  # only a stack of exactly two marks, sara am left to its own handling
            if not isinstance(a, _SwappedMarks):
                if not b.x_offset < a.x_offset:
                    continue
                # (_keep_marks_in_order has already put ``a`` left of the next letter.)
                shape_data[i], shape_data[i + 1] = _SwappedMarks(*b), _SwappedMarks(*a)
            chars[i] = chr(self._alias(ord(plain[i + 1]), self._text_of(ord(plain[i]))))
            chars[i + 1] = chr(self._alias(ord(plain[i]), self._text_of(ord(plain[i + 1]))))
            changed = True
        if not changed:
            return text
        return type(text)("".join(chars), shapeData=shape_data)

    def _sara_am_as_one(self, text: str, shape_data: list) -> str:
        """Draw a sara am HarfBuzz split into nikhahit + sara aa as the font's own ำ glyph.

        The text layer then holds ำ (U+0E33) as typed, not ํ + า: dictionary segmenters (and
        search in a copied text) know คำ, กำหนด, จำนวน only in that form. Only where the split
        glyphs sit as the composed one would (plain nikhahit within ``_MAX_NUDGE``); the
        narrow nikhahit over ป ฝ ฟ and a sara am under a tone mark stay as shaped.
        The shape data is rewritten in place (ReportLab reads it after this call), marked so a
        second drawing of the same string is recognised.
        """
        composed = ord(SARA_AM)
        if composed not in self.face.charToGlyph:
            return text
        plain = str.__str__(text)  # (indexing a ShapedStr indexes its shape data too)
        out: list[str] = []
        new: list = []
        i = j = 0
        while i < len(plain) and j < len(shape_data):
            pair = plain[i : i + 2] == NIKHAHIT + SARA_AA
            sd = shape_data[j]
            if pair and isinstance(sd, _ComposedSaraAm):  # rewritten by an earlier drawing
                out.append(SARA_AM)
                new.append(sd)
                i, j = i + 2, j + 1
                continue
            if pair and j + 1 < len(shape_data):
                nik, aa = sd, shape_data[j + 1]
                if (
                    nik.x_advance == 0
                    and abs(nik.x_offset) <= _MAX_NUDGE
                    and nik.y_offset == 0
                    and aa.x_offset == 0
                    and aa.y_offset == 0
                    and _is_mark(nik)
                    and nik.cluster == aa.cluster
                ):
                    out.append(SARA_AM)
                    new.append(
                        _ComposedSaraAm(
                            nik.cluster, aa.x_advance, 0, 0, 0, self.face.charWidths[composed]
                        )
                    )
                    i, j = i + 2, j + 2
                    continue
            out.append(plain[i])
            new.append(sd)
            i, j = i + 1, j + 1
        result = "".join(out)
        if result == plain or i < len(plain) or j < len(shape_data):
            return text  # nothing composed (or the data does not match the text: leave both alone)
        if len(new) != len(shape_data):
            shape_data[:] = new
        return type(text)(result, shapeData=shape_data)

    def _sara_am_after_ligature(self, text: str) -> str:
        """Draw a sara aa that follows a nikhahit+tone ligature through an alias extracting as ำ."""
        chars = list(text)
        changed = False
        for i in range(1, len(chars)):
            if chars[i] == SARA_AA and self._ligature(ord(chars[i - 1])):
                chars[i] = chr(self._alias(ord(SARA_AA), SARA_AM))
                changed = True
        if not changed:
            return text
        return (
            type(text)("".join(chars), shapeData=text.__shapeData__)
            if hasattr(text, "__shapeData__")
            else "".join(chars)
        )

    def _ligature(self, code: int) -> bool:
        if code not in self._ligature_codes:
            self._ligature_codes[code] = _is_nikhahit_ligature(self, code)
        return self._ligature_codes[code]

    def _span_marks(self, text: str, shape_data: list) -> str:
        """Give each mark HarfBuzz pulls left of its pen position a width reaching back to it.

        Extractors take a character's box as [origin, origin + width]. A zero-width mark moved
        left (``uni0E48.small`` over ป: −147 units) leaves a gap between its box and the next
        letter, which poppler reads as a space (ปี่ น). Drawing it through an alias whose width
        is exactly that offset closes the gap; ReportLab moves the pen back by the same amount
        (the TJ adjustment uses ``width``), so nothing moves on the page.
        """
        chars = list(text)
        changed = False
        for i in range(min(len(chars), len(shape_data))):
            sd = shape_data[i]
            if not _is_mark(sd) or sd.x_offset >= 0:
                continue
            width = round(-sd.x_offset)
            if not width or sd.width not in (0, width):  # (already ``width``: an earlier drawing)
                continue
            code = ord(chars[i])
            chars[i] = chr(self._alias(code, self._text_of(code), width))
            shape_data[i] = sd._replace(width=width)
            changed = True
        if not changed:
            return text
        return type(text)("".join(chars), shapeData=shape_data)

    def _realias_sara_am(self, text: str) -> str:
        chars = list(text)
        for i in range(len(chars) - 2):
            tone = self._text_of(ord(chars[i + 1]))
            if chars[i] == NIKHAHIT and tone in THAI_TONE_MARKS and chars[i + 2] == SARA_AA:
                chars[i] = chr(self._alias(ord(NIKHAHIT), tone))
                chars[i + 1] = chr(self._alias(ord(chars[i + 1]), NIKHAHIT))
        new = "".join(chars)
        if new == text:
            return text
        # Keep ReportLab's shaping data (positions) attached: same length, same order.
        return (
            type(text)(new, shapeData=text.__shapeData__) if hasattr(text, "__shapeData__") else new
        )

    def _alias(self, code: int, extracted: str, width: int | None = None) -> int:
        """A private code drawing the same glyph as ``code`` but extracting as ``extracted``
        (and declaring ``width``, in 1/1000 em, if given)."""
        face = self.face
        gid = face.charToGlyph[code]
        key = (gid, extracted, width)
        if key not in self._aliases:
            alias = self._next_alias
            while alias in face.charToGlyph:
                alias += 1
            self._next_alias = alias + 1
            face.charToGlyph[alias] = gid
            face.charWidths[alias] = face.charWidths.get(code, 0) if width is None else width
            self._aliases[key] = alias
            self._alias_text[alias] = extracted
        return self._aliases[key]

    def _text_of(self, code: int) -> str:
        """The text a code of this font stands for: itself, or what a private glyph depicts."""
        if code in self._alias_text:
            return self._alias_text[code]
        if not _PUA_FIRST <= code <= _PUA_LAST:
            return chr(code)
        gid = self.face.charToGlyph.get(code)
        if gid is None:
            return chr(code)
        return _glyph_text(self, gid) or chr(code)

    # Writing: after ReportLab made its CMaps, rewrite the private entries.
    def addObjects(self, doc) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            if not any(_PUA_FIRST <= c <= _PUA_LAST for c in subset):
                continue
            base = _subset_font_name(self, n)
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _to_unicode_cmap(base, [self._text_of(c) for c in subset])


class _ComposedSaraAm(ShapeData):
    """Shape data of a sara am drawn as one glyph (see ``ThaiTTFont._sara_am_as_one``)."""


class _SwappedMarks(ShapeData):
    """Shape data of two marks drawn in position order (see ``ThaiTTFont._marks_in_x_order``)."""


# How poppler (pdftotext) reads a zero-width mark: at its origin. A mark drawn within 0.1 em of
# the character before it starts a new "word" (poppler takes it for a duplicate), and so does
# the letter after it; the words of a line are then put in order by their left edge. A mark
# must therefore sit strictly left of the next letter's origin (HarfBuzz often puts it exactly
# there, or a little right of it in the bold: +9, +22, +40 units), and a later mark of a stack
# must not sit left of an earlier one (ที่ regular: vowel -10, tone -11). The moves needed are
# hair-lines (at most 50/1000 em: 0.8 pt at 16 pt); a larger offset is the font's design
# (the small tone over ป: -147) and stays.
_MAX_NUDGE = 50  # font units
# Two glyphs whose origins are within 0.1 em poppler takes for an overlap ("dupMaxPriDelta"): the
# second starts a piece of its own, and pieces are read in order of position.


_SIMPLE_CLUSTER = (
    0x7FFFFFFF  # ReportLab's shape data for plain characters appended to a shaped string
)


def _is_mark(sd) -> bool:
    """A zero-advance glyph HarfBuzz placed (not one of ReportLab's plain, unshaped additions)."""
    return sd.x_advance == 0 and 0 <= sd.cluster < _SIMPLE_CLUSTER


def _keep_marks_in_order(shape_data: list) -> None:
    """Put each run of zero-width marks left of the next letter, in reading order (in place)."""
    i, n = 1, len(shape_data)
    while i < n:
        if not _is_mark(shape_data[i]) or _is_mark(shape_data[i - 1]) and i > 1:
            i += 1
            continue
        j = i
        while j < n and _is_mark(shape_data[j]):
            j += 1
        limit = -1  # the last mark ends up at least one unit left of the next letter
        for k in range(j - 1, i - 1, -1):
            sd = shape_data[k]
            if limit - 1 < sd.x_offset <= limit + _MAX_NUDGE:
                # Strictly left of the mark after it: each mark is a piece of its own (within
                # 0.1 em of the one before), and a tie in position reads in either order once
                # one of them is raised or lowered (ผู้กิ่ at 12 pt: the tone 46 units lower).
                shape_data[k] = sd = sd._replace(x_offset=limit - 1 if k < j - 1 else limit)
            elif -1 < sd.x_offset <= _MAX_NUDGE - 1:
                # A later mark the font put far to the left (ปิ่: the tone 140 units left of the
                # vowel) does not free this one from sitting left of the next letter.
                shape_data[k] = sd = sd._replace(x_offset=-1)
            limit = sd.x_offset
        i = j


def _subset_font_name(font: TTFont, n: int) -> str:
    from reportlab.pdfbase.ttfonts import SUBSETN

    return b"".join((SUBSETN(n), b"+", font.face.name, font.face.subfontNameX)).decode("pdfdoc")


_UNI_NAME = re.compile(r"^uni((?:[0-9A-F]{4})+)$")
_U_NAME = re.compile(r"^u([0-9A-F]{4,6})$")


def _glyph_text(font: TTFont, gid: int) -> str:
    """The characters a glyph depicts, from its name: ``uni0E48.small`` → U+0E48,
    ``toPatakthai.short`` → ฏ (Adobe Glyph List), ``uni0E4D0E49`` → ้ํ (see below)."""
    from reportlab.pdfbase._glyphlist import _glyphname2unicode

    name = font.hbFont(BODY_SIZE).glyph_to_string(gid)
    out = []
    for part in name.split(".", 1)[0].split("_"):  # ligatures: uni0E0D_uni0E38
        if m := _UNI_NAME.match(part):
            hexes = m.group(1)
            out.extend(chr(int(hexes[i : i + 4], 16)) for i in range(0, len(hexes), 4))
        elif m := _U_NAME.match(part):
            out.append(chr(int(m.group(1), 16)))
        elif (
            code := _glyphname2unicode.get(part) or _glyphname2unicode.get(part.lower())
        ) is not None:
            out.append(chr(code))
        else:
            return ""
    text = "".join(out)
    # A nikhahit+tone ligature comes from a sara am whose nikhahit HarfBuzz moved before the
    # tone (น้ำ → น + ligature + า). It extracts as the tone alone; the sara aa after it is drawn
    # through an alias extracting as ำ (``ThaiTTFont._sara_am_after_ligature``), so the text reads
    # น ้ ำ, as typed.
    if len(text) == 2 and text[0] == NIKHAHIT and text[1] in THAI_TONE_MARKS:
        text = text[1]
    return text


def _is_nikhahit_ligature(font: TTFont, code: int) -> bool:
    """Whether ``code`` draws a nikhahit+tone ligature glyph (``uni0E4D0E49``)."""
    gid = font.face.charToGlyph.get(code)
    if gid is None or not _PUA_FIRST <= code <= _PUA_LAST:
        return False
    name = font.hbFont(BODY_SIZE).glyph_to_string(gid).split(".", 1)[0]
    return len(name) == 11 and name.startswith("uni0E4D0E4") and name[-1] in "89AB"


def _to_unicode_cmap(fontname: str, texts: Sequence[str]) -> str:
    """A ToUnicode CMap mapping code i to texts[i] (which may be several characters)."""

    def utf16(s: str) -> str:
        return "".join(f"{b:02X}" for b in s.encode("utf-16-be"))

    entries = [f"<{i:02X}> <{utf16(t)}>" for i, t in enumerate(texts) if t]
    out = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(texts) - 1:02X}>",
        "endcodespacerange",
    ]
    for i in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
        chunk = entries[i : i + 100]
        out += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(out)


def register_fonts() -> None:
    """Register Sarabun regular/bold/italic/bold-italic once per process (idempotent)."""
    global _registered
    if _registered:
        return
    with _register_lock:
        if _registered:
            return
        import fontpkg_sarabun
        from reportlab.lib.fonts import addMapping  # noqa: F401  (registerFontFamily uses it)
        from reportlab.pdfbase.pdfmetrics import registerFontFamily

        files = fontpkg_sarabun.ROOT / "files"
        for name, file in (
            (FONT, "Sarabun-Regular.ttf"),
            (FONT_BOLD, "Sarabun-Bold.ttf"),
            (FONT_ITALIC, "Sarabun-Italic.ttf"),
            (FONT_BOLD_ITALIC, "Sarabun-BoldItalic.ttf"),
        ):
            pdfmetrics.registerFont(ThaiTTFont(name, str(files / file)))
        registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
        _registered = True
