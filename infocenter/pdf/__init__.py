"""Thai typography for every PDF the center prints (the quarterly report, the printed index,
the Section 11 letters, the publishing summary): ``fonts`` (Sarabun and the true text layer),
``text`` (Thai line breaking, styles, numerals), ``layout`` (A4 pages, tables, memo parts,
charts, the document with its footer).

``from infocenter import pdf as T`` gives the whole toolkit under one name.
"""

from .fonts import FONT, FONT_BOLD, FONT_BOLD_ITALIC, FONT_ITALIC, ThaiTTFont, register_fonts
from .layout import (
    CELL_PADDING,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_SIZE,
    MemoHeader,
    PartStart,
    ShapedDrawing,
    SignatureBlock,
    ThaiDocument,
    book_reference,
    draw_shaped_string,
    emblem,
    fit_style,
    keep,
    table,
)
from .text import (
    BODY_SIZE,
    LEADING,
    Numerals,
    ThaiParagraph,
    break_frags,
    break_tokens,
    can_break_between,
    para,
    styles,
)

__all__ = [
    "BODY_SIZE", "CELL_PADDING", "FONT", "FONT_BOLD", "FONT_BOLD_ITALIC", "FONT_ITALIC", "FRAME_WIDTH", "LEADING",
    "MARGIN_BOTTOM", "MARGIN_LEFT", "MARGIN_RIGHT", "MARGIN_TOP", "PAGE_SIZE", "MemoHeader",
    "Numerals", "PartStart", "ShapedDrawing", "SignatureBlock", "ThaiDocument", "ThaiParagraph", "ThaiTTFont",
    "book_reference", "break_frags", "break_tokens", "can_break_between", "draw_shaped_string", "emblem", "fit_style", "keep",
    "para", "register_fonts", "styles", "table",
]
