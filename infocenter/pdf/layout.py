"""Page layout of the center's PDFs: A4 with the government margins, tables, the memo's
parts (บันทึกข้อความ head, signature), charts with shaped Thai labels, and the document with
its footer (page number, the document's id and its generation time).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..thai import SARA_AM
from .fonts import FONT_BOLD, register_fonts
from .text import _SPACE_ONLY, Numerals, break_tokens, para, styles

PAGE_SIZE = A4
MARGIN_LEFT = 3 * cm
MARGIN_RIGHT = 2 * cm
MARGIN_TOP = 2 * cm
MARGIN_BOTTOM = 2.2 * cm  # room for the footer
FRAME_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT

# --- tables -----------------------------------------------------------------------------------

GRID = colors.HexColor("#7a7a7a")
HEAD_BG = colors.HexColor("#e6e6e6")


CELL_PADDING = 4  # pt, left and right
MIN_CELL_SIZE = 10  # pt: the smallest a cell's text is shrunk to


def fit_style(style: ParagraphStyle, text: str, width: float) -> ParagraphStyle:
    """``style``, or a smaller copy of it when the widest unbreakable word of ``text`` is wider
    than ``width`` (a narrow column's heading such as "เป้าหมาย"): shrinking the text keeps the
    word whole, where wrapping would have to cut it. Not below MIN_CELL_SIZE."""
    widest = max(
        (
            pdfmetrics.stringWidth(t, style.fontName, style.fontSize)
            for t in break_tokens(text)
            if not _SPACE_ONLY.match(t)
        ),
        default=0.0,
    )
    room = width * 0.99  # as break_frags: shaped widths can differ a hair from the nominal ones
    if widest <= room or width <= 0:
        return style
    size = max(MIN_CELL_SIZE, int(style.fontSize * room / widest * 10) / 10)
    if size >= style.fontSize:
        return style
    return ParagraphStyle(
        f"{style.name}_{size}",
        parent=style,
        fontSize=size,
        leading=style.leading * size / style.fontSize,
    )


def table(
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float],
    *,
    header_rows: int = 1,
    align: Sequence[str] | None = None,
    total_row: bool = False,
    font_size: float | None = None,
) -> Table:
    """A bordered table whose cells are Thai paragraphs (so they break between words).

    ``align`` gives "l", "r" or "c" per column for body cells. Cells already a Flowable are kept.
    ``font_size``: smaller cells than the usual 14 pt (a wide table of many columns).
    """
    st = styles()
    if font_size:
        st = {
            k: ParagraphStyle(
                f"{v.name}_{font_size}",
                parent=v,
                fontSize=font_size,
                leading=v.leading * font_size / v.fontSize,
            )
            if k.startswith("cell")
            else v
            for k, v in st.items()
        }
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
                out.append(
                    para(text, fit_style(st["cell_head"], text, col_widths[c] - 2 * CELL_PADDING))
                )
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
        cmds.append(
            ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#f3f3f3"))
        )
    t.setStyle(TableStyle(cmds))
    return t


# --- memo parts -------------------------------------------------------------------------------


class MemoHeader(Flowable):
    """The head of a บันทึกข้อความ: title, then ส่วนราชการ (with phone), ที่ / วันที่, เรื่อง, เรียน."""

    def __init__(
        self,
        *,
        department: str,
        phone: str,
        reference: str,
        date_text: str,
        subject: str,
        addressee: str,
    ) -> None:
        super().__init__()
        self.fields = {
            "department": department,
            "phone": phone,
            "reference": reference,
            "date": date_text,
            "subject": subject,
            "addressee": addressee,
        }
        st = styles()
        label = ParagraphStyle(
            "memo_label", parent=st["body"], fontName=FONT_BOLD, fontSize=20, leading=24
        )
        dept = department + (f" โทร.\xa0{phone.replace(' ', chr(0xA0))}" if phone else "")

        def row(lbl: str, value: str, width: float) -> Table:
            # The label column is as wide as the label, so the value follows it closely.
            lw = pdfmetrics.stringWidth(lbl, FONT_BOLD, label.fontSize) + 8
            return Table([[para(lbl, label), para(value, st["body"])]], colWidths=[lw, width - lw])

        left, right = FRAME_WIDTH * 0.55, FRAME_WIDTH * 0.45
        ref_date = Table(
            [[row("ที่", reference, left), row("วันที่", date_text, right)]], colWidths=[left, right]
        )
        lines = Table(
            [
                [para("บันทึกข้อความ", st["memo_title"])],
                [row("ส่วนราชการ", dept, FRAME_WIDTH)],
                [ref_date],
                [row("เรื่อง", subject, FRAME_WIDTH)],
                [row("เรียน", addressee, FRAME_WIDTH)],
            ],
            colWidths=[FRAME_WIDTH],
        )
        flat = [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        # The value (16 pt) sits on the label's (20 pt) baseline.
        value_drop = [("TOPPADDING", (1, 0), (1, 0), 3)]
        for t in (lines, ref_date):
            t.setStyle(TableStyle(flat))
        for t in (*ref_date._cellvalues[0], *(lines._cellvalues[r][0] for r in (1, 3, 4))):
            t.setStyle(TableStyle(flat + value_drop))
        # The rule under เรียน separates the head from the body, as on the printed form.
        lines.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 3), (-1, 3), 0.6, colors.black),
                    ("BOTTOMPADDING", (0, 3), (-1, 3), 4),
                    ("TOPPADDING", (0, 4), (-1, 4), 4),
                    ("BOTTOMPADDING", (0, 4), (-1, 4), 10),
                ]
            )
        )
        self._table = lines

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self._table.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self):
        self._table.drawOn(self.canv, 0, 0)


class SignatureBlock(Flowable):
    """A signature on the right half: (ลงชื่อ) line, the name in brackets, the position, a date
    line."""

    def __init__(
        self, *, name: str, position: str, caption: str = "", with_date: bool = False
    ) -> None:
        super().__init__()
        st = styles()
        center = st["center"]
        items = []
        if caption:
            items.append(para(caption, center))
            items.append(Spacer(1, 14))
        items.append(para("(ลงชื่อ) ........................................", center))
        items.append(
            para(f"({name})" if name else "(........................................)", center)
        )
        items.append(para(position or "ตำแหน่ง ........................................", center))
        if with_date:
            items.append(para("วันที่ ........../........................../..............", center))
        self.name, self.position = name, position
        inner = Table([[items]], colWidths=[FRAME_WIDTH / 2])
        inner.setStyle(
            TableStyle(
                [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
            )
        )
        self._table = Table([["", inner]], colWidths=[FRAME_WIDTH / 2, FRAME_WIDTH / 2])
        self._table.setStyle(
            TableStyle(
                [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
            )
        )

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


def _needs_shaping(text: str) -> bool:
    """Whether HarfBuzz would place anything differently from the plain glyph advances: a
    combining mark (Thai vowels above and below, tone marks) or SARA AM. Numbers, dates and
    references without them are drawn as they are (most of a table's short cells)."""
    return any(ch == SARA_AM or unicodedata.category(ch) == "Mn" for ch in text)


@lru_cache(maxsize=4096)
def _shaped(text: str, font: str, size: float) -> str:
    """HarfBuzz's glyphs and positions for ``text``: pure, so kept. A table repeats the same
    short cells on every row (a category, a cabinet and shelf, a month) and the same lines in
    every copy of a document; shaping was half of the printed index's drawing time."""
    from reportlab.pdfbase.ttfonts import shapeStr

    return shapeStr(text, font, size, force=True)


def draw_shaped_string(canv, x: float, y: float, text: str) -> None:
    """``canv.drawString`` with HarfBuzz shaping, in the canvas's current font.

    ``Canvas.drawString(..., shaping=True)`` shapes only when the optional rlbidi package is
    installed; without it the marks of ที่ are drawn unshaped (the tone hidden in the vowel).
    """
    font, size = canv._fontname, canv._fontsize
    if _needs_shaping(text) and getattr(pdfmetrics.getFont(font), "shapable", False):
        text = _shaped(text, font, size)
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


class PartStart(Flowable):
    """Where a part of the document with its own page numbers starts (a memo's attachment,
    สิ่งที่ส่งมาด้วย): its pages are numbered "<label> หน้า k/M" from 1."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv._part_starts[self.canv.getPageNumber()] = self.label


class _FooterCanvas(Canvas):
    """A canvas that keeps each finished page and draws every footer when the document is
    saved, once the page count (of the whole, and of each part) is known: the document is laid
    out once, not a second time to count its pages (ReportLab's "NumberedCanvas" recipe)."""

    def __init__(self, *args, footer: Callable[..., None], **kw) -> None:
        super().__init__(*args, **kw)
        self._footer = footer
        self._pages: list[dict] = []
        self._part_starts: dict[int, str] = {}

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        starts = sorted(self._part_starts.items())
        bounds = [1] + [page for page, _label in starts] + [len(self._pages) + 1]
        labels = [""] + [label for _page, label in starts]
        for state in self._pages:
            self.__dict__.update(state)
            page = self.getPageNumber()
            part = max(i for i, first in enumerate(bounds[:-1]) if first <= page)
            self._footer(
                self, labels[part], page - bounds[part] + 1, bounds[part + 1] - bounds[part]
            )
            Canvas.showPage(self)
        Canvas.save(self)


class ThaiDocument(BaseDocTemplate):
    """An A4 document with the government margins and a footer on every page.

    The footer shows "หน้า n/N" (or "<part> หน้า k/M" in a part begun by ``PartStart``), the
    document id and the generation time. The totals are drawn when the document is saved
    (``_FooterCanvas``), so it is laid out once.
    """

    def __init__(
        self,
        target,
        *,
        title: str,
        doc_id: str,
        generated_at: datetime,
        numerals: Numerals | None = None,
        author: str = "",
        **kw,
    ) -> None:
        register_fonts()
        super().__init__(
            target,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            creator="infocenter",
            **kw,
        )
        self.doc_id = doc_id
        self.generated_at = generated_at
        self.numerals = numerals or Numerals()
        self.total_pages = 0
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def _footer(self, canv, part: str, page: int, pages: int) -> None:
        n = self.numerals
        st = styles()
        number = f"หน้า {n.num(page)}/{n.num(pages)}"
        left = para(f"{self.doc_id} · จัดทำเมื่อ {n.datetime(self.generated_at)}", st["footer"])
        right = para(f"{part} {number}" if part else number, st["footer_right"])
        y = 1.1 * cm
        canv.saveState()
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setLineWidth(0.4)
        canv.line(self.leftMargin, y + 14, self.leftMargin + self.width, y + 14)
        w, h = left.wrap(self.width * 0.6, 40)
        left.drawOn(canv, self.leftMargin, y + 12 - h)
        w, h = right.wrap(self.width * 0.4, 40)
        right.drawOn(canv, self.leftMargin + self.width * 0.6, y + 12 - h)
        canv.restoreState()

    def build(self, flowables, **kw) -> None:
        def canvasmaker(*args, **ckw):
            return _FooterCanvas(*args, footer=self._footer, **ckw)

        kw.setdefault("canvasmaker", canvasmaker)
        super().build(flowables, **kw)
        self.total_pages = self.page

    def build_counted(self, flowables_factory: Callable[[], list[Flowable]]) -> None:
        """Lay out the flowables once; "หน้า n/N" is drawn at the end (kept for callers)."""
        self.build(flowables_factory())


def book_reference(prefix: str, number: str, numerals: Numerals) -> str:
    """The book number after "ที่": the office's prefix, a slash and the number issued, e.g.
    "นว ๐๐๑๘/๑๒๓"; a dotted line where either is not known yet, to be written in by hand."""
    blank = "." * 8
    prefix = " ".join((prefix or "").split())
    number = "".join((number or "").split())
    return numerals.text(f"{prefix or blank * 2}/{number or blank}")


def emblem(path: str, height: float = 3 * cm) -> Flowable | None:
    """The Garuda emblem (ตราครุฑ) for the top of an external letter, from an image file the
    administrator provides (none is shipped); None when no usable file is set."""
    if not path:
        return None
    from pathlib import Path

    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    file = Path(path)
    if not file.is_file():
        return None
    try:
        w, h = ImageReader(str(file)).getSize()
    except Exception:  # not an image ReportLab can read: the letter is printed without it
        return None
    image = Image(str(file), width=height * w / h, height=height)
    image.hAlign = "CENTER"
    return image


def keep(*flowables: Flowable) -> KeepTogether:
    """Flowables kept on one page (a heading with its table)."""
    return KeepTogether(list(flowables))
