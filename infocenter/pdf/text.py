"""Thai text in PDFs: line breaking between dictionary words, paragraph styles, numerals.

- every style has ``shaping=1`` so HarfBuzz stacks the marks (ที่ นี้ เพื่อ ผู้ใช้);
- lines break between dictionary words (``thai.split_words``), never inside one, with no gap;
- body 16 pt, as in Thai government documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from .. import thai
from .fonts import BODY_SIZE, FONT, FONT_BOLD, register_fonts

LEADING = 22

# --- word breaking ----------------------------------------------------------------------------

# Break opportunities: white space except the no-break space (phone numbers, "พ.ศ. ๒๕๖๓").
_SPACE_SPLIT = re.compile(r"([^\S\xa0]+)")
_SPACE_ONLY = re.compile(r"^[^\S\xa0]+$")
_THAI_RE = re.compile(f"[{thai.THAI_CHARACTERS}]")
# Never start a line with these (they belong to the word before) …
_NO_LINE_START = set(")]}”’».,;:!?%ๆฯ\xa0") | thai.THAI_MARKS.chars | thai.THAI_FOLLOW_VOWELS.chars
# … nor end one with these.
_NO_LINE_END = set("([{“‘«\xa0") | thai.THAI_LEAD_VOWELS.chars


def _is_thai(ch: str) -> bool:
    return ch in thai.THAI_CHARACTERS


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
        if (
            out
            and out[-1] is not None
            and out[-1][0] is frag
            and not getattr(frag, "lineBreak", False)
        ):
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
            elif used + w <= limit(line_no) or not (
                cluster_piece or can_break_between(last_word, tok)
            ):
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
        base = ParagraphStyle(
            "body",
            fontName=FONT,
            fontSize=BODY_SIZE,
            leading=LEADING,
            shaping=1,
            splitLongWords=1,
            alignment=TA_LEFT,
            spaceAfter=4,
        )
        s = {"body": base}
        s["body_indent"] = ParagraphStyle("body_indent", parent=base, firstLineIndent=2.5 * cm)

        def bold(name: str, size: int, leading: int, **spacing) -> ParagraphStyle:
            return ParagraphStyle(
                name, parent=base, fontName=FONT_BOLD, fontSize=size, leading=leading, **spacing
            )

        s["title"] = bold("title", 20, 28, alignment=TA_CENTER, spaceAfter=8)
        s["memo_title"] = bold("memo_title", 29, 36, alignment=TA_CENTER, spaceAfter=6)
        s["h1"] = bold("h1", 18, 26, spaceBefore=10, spaceAfter=4, keepWithNext=1)
        s["h2"] = bold("h2", 16, 22, spaceBefore=6, spaceAfter=2, keepWithNext=1)
        s["bullet"] = ParagraphStyle(
            "bullet", parent=base, leftIndent=1.25 * cm, firstLineIndent=0, spaceAfter=2
        )
        s["small"] = ParagraphStyle("small", parent=base, fontSize=12, leading=16, spaceAfter=2)
        s["cell"] = ParagraphStyle("cell", parent=base, fontSize=14, leading=18, spaceAfter=0)
        s["cell_right"] = ParagraphStyle("cell_right", parent=s["cell"], alignment=TA_RIGHT)
        s["cell_center"] = ParagraphStyle("cell_center", parent=s["cell"], alignment=TA_CENTER)
        s["cell_head"] = ParagraphStyle(
            "cell_head", parent=s["cell"], fontName=FONT_BOLD, alignment=TA_CENTER
        )
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
        """ "๔๒.๐% (n = ๑๒๐)"; for a group under 5 only "– (n = 3)" (no percentage)."""
        from ..stats import pct

        value = pct(part, whole)
        shown = "–" if value is None else f"{self.num(value, 1)}%"
        return f"{shown} (n = {self.num(whole)})" if with_n else shown
