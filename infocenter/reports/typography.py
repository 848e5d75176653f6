"""Thai typography for every PDF the center prints: fonts, styles, word breaking, memo parts.

Shared by the quarterly report, the printed index and the Section 11 letters. What it makes sure:

- Sarabun (the open government font, PyPI ``fontpkg-sarabun``) regular/bold/italic is embedded,
  registered once and mapped by ``registerFontFamily`` so ``<b>`` and ``<i>`` work;
- every style has ``shaping=1`` so HarfBuzz stacks the marks (ที่ นี้ เพื่อ ผู้ใช้);
- lines break between dictionary words (``thai.split_words``), never inside one, with no gap;
- the text layer is true: the glyph variants HarfBuzz picks (``uni0E48.small`` …) and the
  reordered nikhahit of sara am are mapped back to the characters they came from, so text
  copied or extracted from the PDF equals the source after NFKC;
- A4 pages with 3 cm left / 2 cm right margins, body 16 pt, and a footer with the page
  number, the document's id and its generation time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import thai

FONT = "Sarabun"
FONT_BOLD = "Sarabun-Bold"
FONT_ITALIC = "Sarabun-Italic"
FONT_BOLD_ITALIC = "Sarabun-BoldItalic"

BODY_SIZE = 16  # pt, as in Thai government documents
LEADING = 22
PAGE_SIZE = A4
MARGIN_LEFT = 3 * cm
MARGIN_RIGHT = 2 * cm
MARGIN_TOP = 2 * cm
MARGIN_BOTTOM = 2.2 * cm  # room for the footer
FRAME_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT

_NIKHAHIT = "\u0e4d"
_SARA_AA = "\u0e32"
_SARA_AM = "\u0e33"
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
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
        if _NIKHAHIT in text:
            text = self._realias_sara_am(text)
        if shape_data and _NIKHAHIT + _SARA_AA in text:
            text = self._sara_am_as_one(text, shape_data)
        if _SARA_AA in text:
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
            if not (_is_mark(a) and _is_mark(b)) or _is_mark(shape_data[i - 1]) \
                    or (i + 2 < n and _is_mark(shape_data[i + 2])) or _NIKHAHIT in plain[i:i + 2]:
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
        composed = ord(_SARA_AM)
        if composed not in self.face.charToGlyph:
            return text
        plain = str.__str__(text)  # (indexing a ShapedStr indexes its shape data too)
        out: list[str] = []
        new: list = []
        i = j = 0
        while i < len(plain) and j < len(shape_data):
            pair = plain[i:i + 2] == _NIKHAHIT + _SARA_AA
            sd = shape_data[j]
            if pair and isinstance(sd, _ComposedSaraAm):  # rewritten by an earlier drawing
                out.append(_SARA_AM)
                new.append(sd)
                i, j = i + 2, j + 1
                continue
            if pair and j + 1 < len(shape_data):
                nik, aa = sd, shape_data[j + 1]
                if (nik.x_advance == 0 and abs(nik.x_offset) <= _MAX_NUDGE and nik.y_offset == 0
                        and aa.x_offset == 0 and aa.y_offset == 0 and _is_mark(nik) and nik.cluster == aa.cluster):
                    out.append(_SARA_AM)
                    new.append(_ComposedSaraAm(nik.cluster, aa.x_advance, 0, 0, 0, self.face.charWidths[composed]))
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
            if chars[i] == _SARA_AA and self._ligature(ord(chars[i - 1])):
                chars[i] = chr(self._alias(ord(_SARA_AA), _SARA_AM))
                changed = True
        if not changed:
            return text
        return type(text)("".join(chars), shapeData=text.__shapeData__) if hasattr(text, "__shapeData__") else "".join(chars)

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
            if chars[i] == _NIKHAHIT and tone in tuple(_TONES) and chars[i + 2] == _SARA_AA:
                chars[i] = chr(self._alias(ord(_NIKHAHIT), tone))
                chars[i + 1] = chr(self._alias(ord(chars[i + 1]), _NIKHAHIT))
        new = "".join(chars)
        if new == text:
            return text
        # Keep ReportLab's shaping data (positions) attached: same length, same order.
        return type(text)(new, shapeData=text.__shapeData__) if hasattr(text, "__shapeData__") else new

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


_SIMPLE_CLUSTER = 0x7FFFFFFF  # ReportLab's shape data for plain characters appended to a shaped string


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
            out.extend(chr(int(hexes[i:i + 4], 16)) for i in range(0, len(hexes), 4))
        elif m := _U_NAME.match(part):
            out.append(chr(int(m.group(1), 16)))
        elif (code := _glyphname2unicode.get(part) or _glyphname2unicode.get(part.lower())) is not None:
            out.append(chr(code))
        else:
            return ""
    text = "".join(out)
    # A nikhahit+tone ligature comes from a sara am whose nikhahit HarfBuzz moved before the
    # tone (น้ำ → น + ligature + า). It extracts as the tone alone; the sara aa after it is drawn
    # through an alias extracting as ำ (``ThaiTTFont._sara_am_after_ligature``), so the text reads
    # น ้ ำ, as typed.
    if len(text) == 2 and text[0] == _NIKHAHIT and text[1] in _TONES:
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
        chunk = entries[i:i + 100]
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
        registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
        _registered = True


# --- word breaking ----------------------------------------------------------------------------

# Break opportunities: white space except the no-break space (phone numbers, "พ.ศ. ๒๕๖๓").
_SPACE_SPLIT = re.compile(r"([^\S\xa0]+)")
_SPACE_ONLY = re.compile(r"^[^\S\xa0]+$")
_THAI_RE = re.compile("[\u0e00-\u0e7f]")
_MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
# Never start a line with these (they belong to the word before) …
_NO_LINE_START = set(")]}”’».,;:!?%ๆฯ\xa0") | _MARKS | {"\u0e30", "\u0e32", "\u0e33", "\u0e45"}
# … nor end one with these.
_NO_LINE_END = set("([{“‘«\xa0") | {"\u0e40", "\u0e41", "\u0e42", "\u0e43", "\u0e44"}


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"


def can_break_between(left: str, right: str) -> bool:
    """Whether a line may break between two adjacent words with no space between them."""
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    if b in _NO_LINE_START or a in _NO_LINE_END:
        return False
    # Only where Thai is involved: "1,234" or "abc123" must stay whole.
    return _is_thai(a) or _is_thai(b)


def break_tokens(text: str) -> list[str]:
    """Text cut into spaces and unbreakable words; Thai runs cut by dictionary. Joined, they give
    ``text``. Pieces that may not be parted ("(" + "มาตรา", "๑๒" + ")") come as one token, so a
    line that must break does so at the last real opportunity, not after an overflowing piece."""
    out: list[str] = []
    for part in _SPACE_SPLIT.split(text):
        if not part:
            continue
        if _SPACE_ONLY.match(part) or not _THAI_RE.search(part):
            out.append(part)
            continue
        words: list[str] = []
        for t in thai.split_words(part):
            if not t:
                continue
            if words and not can_break_between(words[-1], t):
                words[-1] += t
            else:
                words.append(t)
        out.extend(words)
    return out


def _fitted_tokens(text: str, frag, width: float) -> list[tuple[str, bool]]:
    """``break_tokens``, with any Thai word wider than a whole line cut into character clusters
    (TCC: a consonant with its vowels and marks stays whole); such pieces are flagged True."""
    out: list[tuple[str, bool]] = []
    for tok in break_tokens(text):
        if _THAI_RE.search(tok) and _fits_width(tok, frag) > width:
            from pythainlp.tokenize import subword_tokenize

            pieces = subword_tokenize(tok, engine="tcc")
            out += [(piece, i > 0) for i, piece in enumerate(pieces)]
        else:
            out.append((tok, False))
    return out


def _fits_width(text: str, frag) -> float:
    return pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)


def break_frags(frags: list, widths: Sequence[float]) -> list:
    """The paragraph's fragments with line breaks inserted between words so each line fits.

    The breaks are ordinary ``<br/>`` fragments (marked ``_thai_auto``), which ReportLab honours
    without adding anything visible; a space at a break is dropped, a Thai word boundary gets
    nothing. Earlier automatic breaks are removed first so the paragraph can be re-wrapped.
    """
    # A small allowance: shaped widths (kerning) can differ a hair from the nominal ones.
    def limit(line_no: int) -> float:
        return (widths[min(line_no, len(widths) - 1)]) * 0.995

    out: list = []
    line_no = 0
    used = 0.0
    pending_space: list = []  # (frag, text) spaces not yet placed
    pending_space_w = 0.0
    last_word: str = ""
    line_has_content = False

    def emit(frag, text: str) -> None:
        if out and out[-1] is not None and out[-1][0] is frag and not getattr(frag, "lineBreak", False):
            out[-1] = (frag, out[-1][1] + text)
        else:
            out.append((frag, text))

    for frag in frags:
        if getattr(frag, "_thai_auto", False):
            continue
        if getattr(frag, "lineBreak", False):
            out.append((frag, None))
            line_no, used, line_has_content, last_word = line_no + 1, 0.0, False, ""
            pending_space, pending_space_w = [], 0.0
            continue
        text = getattr(frag, "text", None)
        if hasattr(frag, "cbDefn") or text is None:
            out.append((frag, None))
            continue
        for tok, cluster_piece in _fitted_tokens(text, frag, limit(0)):
            if _SPACE_ONLY.match(tok):
                pending_space.append((frag, tok))
                pending_space_w += _fits_width(tok, frag)
                last_word = ""
                continue
            w = _fits_width(tok, frag)
            if not line_has_content:
                pending_space, pending_space_w = [], 0.0
                emit(frag, tok)
                used, line_has_content, last_word = w, True, tok
                continue
            if pending_space:
                if used + pending_space_w + w <= limit(line_no):
                    for f, s in pending_space:
                        emit(f, s)
                    emit(frag, tok)
                    used += pending_space_w + w
                else:
                    out.append((frag.clone(text="", lineBreak=True, _thai_auto=True), None))
                    line_no += 1
                    emit(frag, tok)
                    used = w
                pending_space, pending_space_w = [], 0.0
            elif used + w <= limit(line_no) or not (cluster_piece or can_break_between(last_word, tok)):
                emit(frag, tok)
                used += w
            else:
                out.append((frag.clone(text="", lineBreak=True, _thai_auto=True), None))
                line_no += 1
                emit(frag, tok)
                used = w
            last_word = tok
    for f, s in pending_space:  # trailing spaces: ReportLab strips them anyway
        emit(f, s)
    result = []
    for frag, text in out:
        if text is None:
            result.append(frag)
        else:
            result.append(frag.clone(text=text))
    return result


class ThaiParagraph(Paragraph):
    """A Paragraph whose lines break between Thai words (dictionary segmentation)."""

    def breakLines(self, width):
        if not (hasattr(self, "blPara") and getattr(self, "_splitpara", 0)):
            widths = width if isinstance(width, (list, tuple)) else [width]
            frags = getattr(self, "frags", None)
            if frags and all(hasattr(f, "fontName") for f in frags):
                self.frags = break_frags(frags, widths)
        return super().breakLines(width)


def para(text: str, style: ParagraphStyle | str = "body", *, markup: bool = False) -> ThaiParagraph:
    """A Thai paragraph of plain text (escaped) or, with ``markup=True``, ReportLab markup."""
    st = style if isinstance(style, ParagraphStyle) else styles()[style]
    return ThaiParagraph(text if markup else escape(text or ""), st)


# --- styles -----------------------------------------------------------------------------------

_styles: dict[str, ParagraphStyle] | None = None


def styles() -> dict[str, ParagraphStyle]:
    """The named paragraph styles; every one shapes (``shaping=1``) and uses Sarabun."""
    global _styles
    if _styles is None:
        register_fonts()
        base = ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=LEADING, shaping=1,
                              splitLongWords=1, alignment=TA_LEFT, spaceAfter=4)
        s = {"body": base}
        s["body_indent"] = ParagraphStyle("body_indent", parent=base, firstLineIndent=2.5 * cm)
        s["title"] = ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=20, leading=28,
                                    alignment=TA_CENTER, spaceAfter=8)
        s["memo_title"] = ParagraphStyle("memo_title", parent=base, fontName=FONT_BOLD, fontSize=29,
                                         leading=36, alignment=TA_CENTER, spaceAfter=6)
        s["h1"] = ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=18, leading=26,
                                 spaceBefore=10, spaceAfter=4, keepWithNext=1)
        s["h2"] = ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=16, leading=22,
                                 spaceBefore=6, spaceAfter=2, keepWithNext=1)
        s["small"] = ParagraphStyle("small", parent=base, fontSize=12, leading=16, spaceAfter=2)
        s["cell"] = ParagraphStyle("cell", parent=base, fontSize=14, leading=18, spaceAfter=0)
        s["cell_right"] = ParagraphStyle("cell_right", parent=s["cell"], alignment=TA_RIGHT)
        s["cell_center"] = ParagraphStyle("cell_center", parent=s["cell"], alignment=TA_CENTER)
        s["cell_head"] = ParagraphStyle("cell_head", parent=s["cell"], fontName=FONT_BOLD, alignment=TA_CENTER)
        s["center"] = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
        s["right"] = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
        s["footer"] = ParagraphStyle("footer", parent=base, fontSize=11, leading=13, spaceAfter=0)
        s["footer_right"] = ParagraphStyle("footer_right", parent=s["footer"], alignment=TA_RIGHT)
        _styles = s
    return _styles


# --- numbers and dates ------------------------------------------------------------------------


class Numerals:
    """How numbers and dates are printed in one document: Thai digits by default."""

    def __init__(self, thai_digits: bool = True) -> None:
        self.thai_digits = thai_digits

    def num(self, value: float | int | None, decimals: int = 0) -> str:
        """A number with thousands separators."""
        return thai.format_number(value, decimals=decimals, thai=self.thai_digits)

    def text(self, value: object) -> str:
        """Any text with its digits in the document's style."""
        return thai.thai_digits(value) if self.thai_digits else thai.arabic_digits(value)

    def date(self, value, style: str = "long") -> str:
        """A BE date: "๒๙ เมษายน ๒๕๖๓"."""
        return thai.thai_date(value, style=style, thai=self.thai_digits)

    def datetime(self, value: datetime) -> str:
        """A BE date and time in the office's zone."""
        return thai.thai_datetime(value, thai=self.thai_digits)

    def pct(self, part: int, whole: int, *, with_n: bool = True) -> str:
        """"๔๒.๐% (n = ๑๒๐)"; for a group under 5 only "– (n = 3)" (no percentage)."""
        from ..stats import pct

        value = pct(part, whole)
        shown = "–" if value is None else f"{self.num(value, 1)}%"
        return f"{shown} (n = {self.num(whole)})" if with_n else shown


# --- tables -----------------------------------------------------------------------------------

GRID = colors.HexColor("#7a7a7a")
HEAD_BG = colors.HexColor("#e6e6e6")


CELL_PADDING = 4  # pt, left and right
MIN_CELL_SIZE = 10  # pt: the smallest a cell's text is shrunk to


def fit_style(style: ParagraphStyle, text: str, width: float) -> ParagraphStyle:
    """``style``, or a smaller copy of it when the widest unbreakable word of ``text`` is wider
    than ``width`` (a narrow column's heading such as "เป้าหมาย"): shrinking the text keeps the
    word whole, where wrapping would have to cut it. Not below MIN_CELL_SIZE."""
    widest = max((pdfmetrics.stringWidth(t, style.fontName, style.fontSize)
                  for t in break_tokens(text) if not _SPACE_ONLY.match(t)), default=0.0)
    room = width * 0.99  # as break_frags: shaped widths can differ a hair from the nominal ones
    if widest <= room or width <= 0:
        return style
    size = max(MIN_CELL_SIZE, int(style.fontSize * room / widest * 10) / 10)
    if size >= style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}_{size}", parent=style, fontSize=size,
                          leading=style.leading * size / style.fontSize)


def table(rows: Sequence[Sequence[object]], col_widths: Sequence[float], *, header_rows: int = 1,
          align: Sequence[str] | None = None, total_row: bool = False) -> Table:
    """A bordered table whose cells are Thai paragraphs (so they break between words).

    ``align`` gives "l", "r" or "c" per column for body cells. Cells already a Flowable are kept.
    """
    st = styles()
    align = align or ["l"] * len(col_widths)
    cell_style = {"l": st["cell"], "r": st["cell_right"], "c": st["cell_center"]}
    data = []
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, Flowable):
                out.append(value)
            elif r < header_rows:
                text = str(value)
                out.append(para(text, fit_style(st["cell_head"], text, col_widths[c] - 2 * CELL_PADDING)))
            else:
                style = cell_style[align[c]]
                if total_row and r == len(rows) - 1:
                    style = ParagraphStyle(f"{style.name}_b", parent=style, fontName=FONT_BOLD)
                text = "" if value is None else str(value)
                out.append(para(text, fit_style(style, text, col_widths[c] - 2 * CELL_PADDING)))
        data.append(out)
    t = Table(data, colWidths=list(col_widths), repeatRows=header_rows)
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if header_rows:
        cmds.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG))
    if total_row:
        cmds.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#f3f3f3")))
    t.setStyle(TableStyle(cmds))
    return t


# --- memo parts -------------------------------------------------------------------------------


class MemoHeader(Flowable):
    """The head of a บันทึกข้อความ: title, then ส่วนราชการ (with phone), ที่ / วันที่, เรื่อง, เรียน."""

    def __init__(self, *, department: str, phone: str, reference: str, date_text: str, subject: str,
                 addressee: str) -> None:
        super().__init__()
        self.fields = {"department": department, "phone": phone, "reference": reference,
                       "date": date_text, "subject": subject, "addressee": addressee}
        st = styles()
        label = ParagraphStyle("memo_label", parent=st["body"], fontName=FONT_BOLD, fontSize=20, leading=24)
        dept = department + (f" โทร.\xa0{phone.replace(' ', chr(0xA0))}" if phone else "")

        def row(lbl: str, value: str, width: float) -> Table:
            # The label column is as wide as the label, so the value follows it closely.
            lw = pdfmetrics.stringWidth(lbl, FONT_BOLD, label.fontSize) + 8
            return Table([[para(lbl, label), para(value, st["body"])]], colWidths=[lw, width - lw])

        left, right = FRAME_WIDTH * 0.55, FRAME_WIDTH * 0.45
        ref_date = Table([[row("ที่", reference, left), row("วันที่", date_text, right)]], colWidths=[left, right])
        lines = Table(
            [[para("บันทึกข้อความ", st["memo_title"])],
             [row("ส่วนราชการ", dept, FRAME_WIDTH)],
             [ref_date],
             [row("เรื่อง", subject, FRAME_WIDTH)],
             [row("เรียน", addressee, FRAME_WIDTH)]],
            colWidths=[FRAME_WIDTH],
        )
        flat = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]
        # The value (16 pt) sits on the label's (20 pt) baseline.
        value_drop = [("TOPPADDING", (1, 0), (1, 0), 3)]
        for t in (lines, ref_date):
            t.setStyle(TableStyle(flat))
        for t in (*ref_date._cellvalues[0], *(lines._cellvalues[r][0] for r in (1, 3, 4))):
            t.setStyle(TableStyle(flat + value_drop))
        # The rule under เรียน separates the head from the body, as on the printed form.
        lines.setStyle(TableStyle([("LINEBELOW", (0, 3), (-1, 3), 0.6, colors.black),
                                   ("BOTTOMPADDING", (0, 3), (-1, 3), 4),
                                   ("TOPPADDING", (0, 4), (-1, 4), 4),
                                   ("BOTTOMPADDING", (0, 4), (-1, 4), 10)]))
        self._table = lines

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self._table.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self):
        self._table.drawOn(self.canv, 0, 0)


class SignatureBlock(Flowable):
    """A signature on the right half: (ลงชื่อ) line, the name in brackets, the position, a date line."""

    def __init__(self, *, name: str, position: str, caption: str = "", with_date: bool = False) -> None:
        super().__init__()
        st = styles()
        center = st["center"]
        items = []
        if caption:
            items.append(para(caption, center))
            items.append(Spacer(1, 14))
        items.append(para("(ลงชื่อ) ........................................", center))
        items.append(para(f"({name})" if name else "(........................................)", center))
        items.append(para(position or "ตำแหน่ง ........................................", center))
        if with_date:
            items.append(para("วันที่ ........../........................../..............", center))
        self.name, self.position = name, position
        inner = Table([[items]], colWidths=[FRAME_WIDTH / 2])
        inner.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        self._table = Table([["", inner]], colWidths=[FRAME_WIDTH / 2, FRAME_WIDTH / 2])
        self._table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self._table.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self):
        self._table.drawOn(self.canv, 0, 0)


# --- charts -----------------------------------------------------------------------------------


class _ShapingRenderer(renderPDF._PDFRenderer):
    """renderPDF, but strings are shaped (chart labels in Thai)."""

    def drawString(self, stringObj):
        text_anchor = self._tracker.getState()["textAnchor"]
        font, size = self._tracker.getState()["fontName"], self._tracker.getState()["fontSize"]
        x, y, text = stringObj.x, stringObj.y, stringObj.text
        if text_anchor not in ("start", "inherited"):
            width = pdfmetrics.stringWidth(text, font, size)
            x -= width if text_anchor == "end" else width / 2 if text_anchor == "middle" else 0
        draw_shaped_string(self._canvas, x, y, text)


def draw_shaped_string(canv, x: float, y: float, text: str) -> None:
    """``canv.drawString`` with HarfBuzz shaping, in the canvas's current font.

    ``Canvas.drawString(..., shaping=True)`` shapes only when the optional rlbidi package is
    installed; without it the marks of ที่ are drawn unshaped (the tone hidden in the vowel).
    """
    from reportlab.pdfbase.ttfonts import shapeStr

    font, size = canv._fontname, canv._fontsize
    if getattr(pdfmetrics.getFont(font), "shapable", False):
        text = shapeStr(text, font, size, force=True)
    t = canv.beginText(x, y)
    t.textOut(text)
    canv.drawText(t)


class ShapedDrawing(Flowable):
    """A ReportLab graphics Drawing as a flowable, with its Thai strings shaped."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        renderer = _ShapingRenderer()
        renderer.draw(self.drawing, self.canv, 0, 0, showBoundary=False)


# --- the document -----------------------------------------------------------------------------


class ThaiDocument(BaseDocTemplate):
    """An A4 document with the government margins and a footer on every page.

    The footer shows "หน้า n/N", the document id and the generation time; the total page count
    is known only at the end, so the document is built twice (ReportLab's multiBuild pattern is
    not needed for a plain count: the first pass just counts).
    """

    def __init__(self, target, *, title: str, doc_id: str, generated_at: datetime,
                 numerals: Numerals | None = None, author: str = "", **kw) -> None:
        register_fonts()
        super().__init__(target, pagesize=PAGE_SIZE, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=author,
                         creator="infocenter", **kw)
        self.doc_id = doc_id
        self.generated_at = generated_at
        self.numerals = numerals or Numerals()
        self.total_pages = 0
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])

    def _footer(self, canv, doc) -> None:
        n = self.numerals
        st = styles()
        page = canv.getPageNumber()
        total = f"/{n.num(self.total_pages)}" if self.total_pages else ""
        left = para(f"{self.doc_id} · จัดทำเมื่อ {n.datetime(self.generated_at)}", st["footer"])
        right = para(f"หน้า {n.num(page)}{total}", st["footer_right"])
        y = 1.1 * cm
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setLineWidth(0.4)
        canv.line(self.leftMargin, y + 14, self.leftMargin + self.width, y + 14)
        w, h = left.wrap(self.width * 0.75, 40)
        left.drawOn(canv, self.leftMargin, y + 12 - h)
        w, h = right.wrap(self.width * 0.25, 40)
        right.drawOn(canv, self.leftMargin + self.width * 0.75, y + 12 - h)
        canv.restoreState()

    def build_counted(self, flowables_factory: Callable[[], list[Flowable]]) -> None:
        """Build twice: once to count the pages, once for real with "หน้า n/N" in the footer."""
        import io

        counter = ThaiDocument(io.BytesIO(), title=self.title, doc_id=self.doc_id,
                               generated_at=self.generated_at, numerals=self.numerals)
        counter.build(flowables_factory())
        self.total_pages = counter.page
        self.build(flowables_factory())


def keep(*flowables: Flowable) -> KeepTogether:
    """Flowables kept on one page (a heading with its table)."""
    return KeepTogether(list(flowables))


__all__ = [
    "BODY_SIZE", "FONT", "FONT_BOLD", "FRAME_WIDTH", "MemoHeader", "Numerals", "ShapedDrawing",
    "SignatureBlock", "ThaiDocument", "ThaiParagraph", "ThaiTTFont", "break_frags", "break_tokens",
    "can_break_between", "draw_shaped_string", "keep", "para", "register_fonts", "styles", "table",
]
