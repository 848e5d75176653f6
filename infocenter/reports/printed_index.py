"""The printed index (ดัชนีข้อมูลข่าวสาร) kept at the counter: a cover page, then the public entries
grouped by Section 9 category with reference, title, BE date, location and a QR code to the
entry's page online."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit

import qrcode
from flask import current_app
from flask_babel import force_locale
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from .. import pdf as T
from ..admin.models import Office
from ..catalogue.models import SECTION7, Category, IndexEntry
from ..extensions import db
from ..stats import Scope
from ..stats import index as index_stats
from ..thai import N_, FiscalQuarter, MessageError, local_today, now_utc
from ..urls import site_path
from . import jobs

QR_SIZE = 1.9 * cm
QR_QUIET_ZONE = 4  # modules of white around the code, as the standard asks (within QR_SIZE)
QR_MASK = (
    2  # a fixed mask: choosing the "best" of eight was 80 % of a code's time; readers accept any
)
# Built inside the request up to this many entries (well under a second); more in the background.
INLINE_MAX_ENTRIES = 300


class PublicBaseUrlMissing(MessageError):
    """The QR codes would point nowhere: PUBLIC_BASE_URL is unset or a loopback address."""


def public_base_url() -> str:
    """PUBLIC_BASE_URL without its trailing slash; refuses what a citizen's phone could not open.

    Never the request's host: a printed QR code must not depend on the address a clerk typed
    (127.0.0.1, an intranet name) or on a forged Host header.
    """
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    if not base:
        raise PublicBaseUrlMissing(
            N_(
                "ยังไม่ได้ตั้งค่า PUBLIC_BASE_URL (ที่อยู่เว็บไซต์ที่ประชาชนเปิดได้ เช่น "
                "https://info.example.go.th) คิวอาร์โค้ดในดัชนีจึงเปิดไม่ได้ "
                "กรุณาให้ผู้ดูแลระบบตั้งค่าก่อนพิมพ์ดัชนี"
            )
        )
    host = (urlsplit(base).hostname or "").lower()
    try:
        loopback = ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    if loopback or not host:
        raise PublicBaseUrlMissing(
            N_(
                "PUBLIC_BASE_URL เป็น %(url)s ซึ่งเปิดได้เฉพาะเครื่องนี้ คิวอาร์โค้ดในดัชนีจะใช้ไม่ได้ "
                "กรุณาตั้งเป็นที่อยู่เว็บไซต์ที่ประชาชนเปิดได้ เช่น https://info.example.go.th"
            ),
            url=base,
        )
    return base


def entry_url(entry_id: int, base: str | None = None) -> str:
    """The public page of an index entry (what the QR code opens)."""
    return (base or public_base_url()) + site_path("catalogue.document", entry_id=entry_id)


@lru_cache(maxsize=8192)
def qr_matrix(url: str, version: int | None = None) -> tuple[tuple[bool, ...], ...]:
    """The modules of a QR code (level M, fixed mask, no quiet zone; ``version`` None =
    smallest)."""
    code = qrcode.QRCode(
        version=version, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK
    )
    code.add_data(url)
    code.make(fit=version is None)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_version(urls: list[str]) -> int:
    """One QR version for every code of a document: the smallest the longest URL fits."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    code.add_data(max(urls, key=len) if urls else "")
    return code.best_fit()


class QrCode(Flowable):
    """A QR code drawn as vector modules, one filled rectangle per horizontal run."""

    def __init__(self, matrix: tuple[tuple[bool, ...], ...], size: float = QR_SIZE) -> None:
        super().__init__()
        self.matrix, self.width, self.height = matrix, size, size

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        # In module units (one scale), as literal integer rectangles: formatting
        # thousands of float coordinates through the canvas API was most of the drawing time.
        n = len(self.matrix) + 2 * QR_QUIET_ZONE
        self.canv.saveState()
        self.canv.scale(self.width / n, self.height / n)
        self.canv.translate(QR_QUIET_ZONE, QR_QUIET_ZONE)
        self.canv.addLiteral(_qr_path(self.matrix))
        self.canv.restoreState()


@lru_cache(maxsize=8192)
def _qr_path(matrix: tuple[tuple[bool, ...], ...]) -> str:
    """PDF operators filling the dark modules of a QR code, one rectangle per horizontal run (each
    its own path: PDF readers and table extractors see plain rectangles)."""
    n = len(matrix)
    ops = []
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{start} {n - 1 - r} {c - start} 1 re f")
            else:
                c += 1
    return "\n".join(ops)


ENTRY_HEADER = ["ลำดับ", "เลขที่", "เรื่อง", "วันที่", "ที่เก็บ", "คิวอาร์โค้ด"]
ENTRY_WIDTHS = (1.2 * cm, 2.6 * cm, 6.2 * cm, 2.3 * cm, 1.9 * cm, 2.3 * cm)
ENTRY_ALIGN = ("c", "l", "l", "c", "l", "c")


class _Lines(Flowable):
    """A table cell's text, broken into lines once per width and each line drawn as one shaped
    string (HarfBuzz, through ``pdf.draw_shaped_string``).

    The printed index has a few thousand cells. As Paragraphs, each was shaped word by word to
    break its lines, measured again each time the table split at a page end, and shaped again
    when drawn: most of the document's time. Here the text is cut where every PDF of the center
    cuts Thai (``pdf.break_tokens``: spaces, and dictionary words inside Thai runs), measured with
    the font's advance widths (as ``pdf.break_frags`` does), and shaped once, line by line, when
    drawn. Placed as a Paragraph of the same style would be: the first baseline ``fontSize`` below
    the top, then one ``leading`` a line."""

    def __init__(self, text: str, style) -> None:
        super().__init__()
        self.text, self.style = " ".join(text.split()), style
        self.lines: list[tuple[str, float]] = []
        self._broken_at: float | None = None
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        if self._broken_at != availWidth:
            self.lines = break_lines(
                self.text, self.style.fontName, self.style.fontSize, availWidth
            )
            self._broken_at = availWidth
        self.width, self.height = availWidth, self.style.leading * len(self.lines)
        return self.width, self.height

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def draw(self):
        style, canvas = self.style, self.canv
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        if rl_config.paraFontSizeHeightOffset:
            y = self.height - style.fontSize
        else:
            y = self.height - pdfmetrics.getAscentDescent(style.fontName, style.fontSize)[0]
        for line, width in self.lines:
            if style.alignment == TA_CENTER:
                x = (self.width - width) / 2
            elif style.alignment == TA_RIGHT:
                x = self.width - width
            else:
                x = 0
            T.draw_shaped_string(canvas, x, y, line)
            y -= style.leading


def break_lines(text: str, font: str, size: float, width: float) -> list[tuple[str, float]]:
    """``text`` cut into lines no wider than ``width`` (with their widths): at spaces (dropped
    at a break) and between Thai words; a word wider than a whole line is cut between its
    character clusters (a consonant keeps its vowels and marks)."""
    room = width * 0.995  # as pdf.break_frags: shaped widths can differ a hair from advances
    lines: list[tuple[str, float]] = []
    line, used, space, space_w = "", 0.0, "", 0.0
    for token in _tokens(text, font, size, room):
        token_w = pdfmetrics.stringWidth(token, font, size)
        if token.isspace():
            if line:
                space, space_w = space + token, space_w + token_w
            continue
        if line and used + space_w + token_w > room:
            lines.append((line, used))
            line, used = token, token_w
        else:
            line, used = line + space + token, used + space_w + token_w
        space, space_w = "", 0.0
    lines.append((line, used))
    return lines


def _tokens(text: str, font: str, size: float, room: float) -> list[str]:
    out: list[str] = []
    for token in T.break_tokens(text):
        if pdfmetrics.stringWidth(token, font, size) <= room or token.isspace():
            out.append(token)
        else:
            from pythainlp.tokenize import subword_tokenize

            out += subword_tokenize(token, engine="tcc") or [token]
    return out


def _cell(text: str, width: float, align: str) -> Flowable:
    style = T.styles()[{"l": "cell", "r": "cell_right", "c": "cell_center"}[align]]
    return _Lines(text, T.fit_style(style, text, width - 2 * T.CELL_PADDING))


def qr_code(url: str, size: float = QR_SIZE, version: int | None = None) -> Flowable:
    """A QR code as a flowable (vector, no image files)."""
    return QrCode(qr_matrix(url, version), size)


def public_entries(office: Office | None):
    """The public entries (published, not closed) in category order, newest document first."""
    parent = aliased(Category)
    stmt = (
        select(IndexEntry, func.coalesce(parent.code, Category.code).label("section"))
        .join(Category, Category.id == IndexEntry.category_id)
        .outerjoin(parent, parent.id == Category.parent_id)
        .where(IndexEntry.is_public)
        .order_by(
            func.coalesce(parent.sort_order, Category.sort_order),
            Category.sort_order,
            IndexEntry.doc_date.desc(),
            IndexEntry.id,
        )
    )
    if office is not None:
        stmt = stmt.where(IndexEntry.office_id == office.id)
    return db.session.execute(stmt)


def build_index_pdf(
    target, *, office: Office | None, generated_at: datetime | None = None, thai_digits: bool = True
) -> int:
    """Write the printed index of one office (or all) to ``target``; returns the number of pages."""
    generated_at = generated_at or now_utc()
    n = T.Numerals(thai_digits)
    today = local_today()
    office_ids = (office.id,) if office else None
    categories = index_stats.by_category(Scope(FiscalQuarter.of(today).start, today, office_ids))
    rows = [(entry, section) for entry, section in public_entries(office)]
    title = office.name if office else "ทุกหน่วยงาน"
    base = public_base_url()
    version = qr_version([entry_url(entry.id, base) for entry, _section in rows])
    # Each entry's cells are made once and broken into lines once (see _Lines).
    rows_by_section: dict[str, list[list[Flowable]]] = {}
    for entry, section in rows:
        cells = rows_by_section.setdefault(section, [])
        title_text = entry.title + (
            f" ({entry.category.code_th})" if entry.category.parent_id else ""
        )
        if entry.agency_code:
            title_text += f" [{n.text(entry.agency_code)}]"
        texts = [
            n.num(len(cells) + 1),
            n.text(entry.ref or "-"),
            title_text,
            n.date(entry.doc_date, "short") if entry.doc_date else "-",
            n.text(entry.location or "-"),
        ]
        text_cells = zip(texts, ENTRY_WIDTHS[:5], ENTRY_ALIGN[:5], strict=True)
        cells.append(
            [_cell(text, width, align) for text, width, align in text_cells]
            + [qr_code(entry_url(entry.id, base), version=version)]
        )

    def flowables() -> list[Flowable]:
        out: list[Flowable] = [
            Spacer(1, 5 * cm),
            T.para("ดัชนีข้อมูลข่าวสาร", "memo_title"),
            T.para(
                "ข้อมูลข่าวสารที่เปิดเผยให้ประชาชนตรวจดูได้ตามมาตรา ๙ "
                "แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐",
                "center",
            ),
            Spacer(1, 1 * cm),
            T.para(f"ศูนย์ข้อมูลข่าวสาร{title}", "title"),
        ]
        if office and office.address:
            out.append(T.para(n.text(office.address), "center"))
        if office and office.phone:
            out.append(T.para(f"โทร. {n.text(office.phone)}", "center"))
        out += [
            Spacer(1, 0.6 * cm),
            T.para(f"ข้อมูล ณ วันที่ {n.date(today)}", "center"),
            Spacer(1, 1 * cm),
        ]
        summary = [["หมวด", "ชื่อหมวด", "จำนวนรายการ"]]
        summary += [[n.text(c.key), c.label, n.num(c.public_entries)] for c in categories]
        summary.append(["", "รวม", n.num(sum(c.public_entries for c in categories))])
        out.append(
            T.table(summary, [1.6 * cm, 11.4 * cm, 3 * cm], align=["c", "l", "r"], total_row=True)
        )
        out.append(T.para("สแกนคิวอาร์โค้ดของแต่ละรายการเพื่อเปิดดูรายละเอียดและไฟล์ทางออนไลน์", "small"))
        for c in categories:
            out.append(PageBreak())
            out.append(T.para(f"หมวด {n.text(c.key)} {c.label}", "h1"))
            cells = rows_by_section.get(c.key)
            if not cells:
                out.append(T.para("ยังไม่มีรายการในหมวดนี้"))
                continue
            out.append(T.table([ENTRY_HEADER, *cells], list(ENTRY_WIDTHS), align=list(ENTRY_ALIGN)))
        # Section 7 items, kept at the center beside Section 9: their own group, when there are any.
        section7 = [(code, name) for code, name, _en in SECTION7 if rows_by_section.get(code)]
        if section7:
            out.append(PageBreak())
            out.append(T.para("ข้อมูลข่าวสารตามมาตรา ๗ (ลงพิมพ์ในราชกิจจานุเบกษา)", "h1"))
            for code, name in section7:
                out.append(T.para(f"มาตรา {n.text(code)} {name}", "h1"))
                out.append(
                    T.table(
                        [ENTRY_HEADER, *rows_by_section[code]],
                        list(ENTRY_WIDTHS),
                        align=list(ENTRY_ALIGN),
                    )
                )
        return out

    doc_id = f"IDX-{office.code if office else 'ALL'}-{today:%Y%m%d}"
    doc = T.ThaiDocument(
        target, title=f"ดัชนีข้อมูลข่าวสาร {title}", doc_id=doc_id, generated_at=generated_at, numerals=n
    )
    doc.build_counted(flowables)
    return doc.total_pages


# --- made ahead or in the background ------------------------------------------------------------
# A large office's index takes longer than a request may (gunicorn's timeout): past
# INLINE_MAX_ENTRIES it is made by a background job (jobs.py) into REPORTS_DIR/printed-index/,
# whose status page the browser asks again; a file made from the same entries today is reused.


def index_dir() -> Path:
    return Path(current_app.config["REPORTS_DIR"]) / "printed-index"


def index_file(office: Office) -> Path:
    """Where the index of ``office`` as its entries stand now is (or will be) stored."""
    stamp = db.session.execute(
        select(
            func.count(IndexEntry.id), func.max(IndexEntry.updated_at), func.max(IndexEntry.id)
        ).where(IndexEntry.office_id == office.id)
    ).one()
    key = "|".join(
        str(v) for v in (*stamp, office.name, office.address, office.phone, public_base_url())
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return index_dir() / f"index-{office.code}-{local_today():%Y%m%d}-{digest}.pdf"


def public_entry_count(office: Office) -> int:
    return (
        db.session.scalar(
            select(func.count(IndexEntry.id)).where(
                IndexEntry.office_id == office.id,
                IndexEntry.state == "published",
                IndexEntry.disclosure != "closed",
            )
        )
        or 0
    )


def _write(path: Path, office: Office) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        with force_locale("th"):  # an official document: in Thai whatever the page's language
            build_index_pdf(str(part), office=office)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    for old in path.parent.glob(f"index-{office.code}-*.pdf"):  # earlier versions of its index
        if old != path:
            old.unlink(missing_ok=True)


@jobs.runner("printed_index")
def _index_job(job: jobs.ReportJob) -> None:
    p = job.parameters
    path = index_dir() / p["file"]
    _write(path, db.session.get(Office, p["office_id"]))
    job.result_file = str(path.relative_to(Path(current_app.config["REPORTS_DIR"])))


def printed_index(office: Office, user_id: int | None = None) -> Path | jobs.ReportJob:
    """The index file when it is there (made now when small), else the background job making it.
    Raises PublicBaseUrlMissing before anything is made."""
    path = index_file(office)
    if path.exists():
        return path
    if public_entry_count(office) <= current_app.config.get(
        "PRINTED_INDEX_INLINE_MAX", INLINE_MAX_ENTRIES
    ):
        _write(path, office)
        return path
    return jobs.start(
        "printed_index",
        {"office_id": office.id, "file": path.name},
        office_id=office.id,
        user_id=user_id,
    )
