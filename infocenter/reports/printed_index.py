"""The printed index (ดัชนีข้อมูลข่าวสาร) kept at the counter: a cover page, then the public entries
grouped by Section 9 category with reference, title, BE date, location and a QR code to the
entry's page online."""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..admin.models import Office
from ..catalogue.models import Category, IndexEntry
from ..extensions import db
from ..stats import Scope
from ..stats import index as index_stats
from ..thai import FiscalQuarter, local_today, now_utc
from ..urls import absolute_url
from . import typography as T

QR_SIZE = 1.9 * cm


def entry_url(entry_id: int) -> str:
    """The public page of an index entry (what the QR code opens)."""
    return absolute_url("catalogue.document", entry_id=entry_id)


def qr_code(url: str, size: float = QR_SIZE) -> Flowable:
    """A QR code as a flowable (ReportLab's own widget: vector, no image files)."""
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return T.ShapedDrawing(d)


def public_entries(office: Office | None):
    """The public entries (published, not closed) in category order, newest document first."""
    parent = aliased(Category)
    stmt = (
        select(IndexEntry, func.coalesce(parent.code, Category.code).label("section"))
        .join(Category, Category.id == IndexEntry.category_id)
        .outerjoin(parent, parent.id == Category.parent_id)
        .where(IndexEntry.state == "published", IndexEntry.disclosure != "closed")
        .order_by(func.coalesce(parent.sort_order, Category.sort_order), Category.sort_order,
                  IndexEntry.doc_date.desc(), IndexEntry.id)
    )
    if office is not None:
        stmt = stmt.where(IndexEntry.office_id == office.id)
    return db.session.execute(stmt)


def build_index_pdf(target, *, office: Office | None, generated_at: datetime | None = None,
                    thai_digits: bool = True) -> int:
    """Write the printed index of one office (or all) to ``target``; returns the number of pages."""
    generated_at = generated_at or now_utc()
    n = T.Numerals(thai_digits)
    today = local_today()
    office_ids = (office.id,) if office else None
    categories = index_stats.by_category(Scope(FiscalQuarter.of(today).start, today, office_ids))
    rows = [(entry, section) for entry, section in public_entries(office)]
    title = office.name if office else "ทุกหน่วยงาน"

    def flowables() -> list[Flowable]:
        out: list[Flowable] = [Spacer(1, 5 * cm), T.para("ดัชนีข้อมูลข่าวสาร", "memo_title"),
                               T.para("ข้อมูลข่าวสารที่เปิดเผยให้ประชาชนตรวจดูได้ตามมาตรา ๙ "
                                      "แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐", "center"),
                               Spacer(1, 1 * cm), T.para(f"ศูนย์ข้อมูลข่าวสาร{title}", "title")]
        if office and office.address:
            out.append(T.para(n.text(office.address), "center"))
        if office and office.phone:
            out.append(T.para(f"โทร. {n.text(office.phone)}", "center"))
        out += [Spacer(1, 0.6 * cm), T.para(f"ข้อมูล ณ วันที่ {n.date(today)}", "center"), Spacer(1, 1 * cm)]
        summary = [["หมวด", "ชื่อหมวด", "จำนวนรายการ"]]
        summary += [[n.text(c.key), c.label, n.num(c.public_entries)] for c in categories]
        summary.append(["", "รวม", n.num(sum(c.public_entries for c in categories))])
        out.append(T.table(summary, [1.6 * cm, 11.4 * cm, 3 * cm], align=["c", "l", "r"], total_row=True))
        out.append(T.para("สแกนคิวอาร์โค้ดของแต่ละรายการเพื่อเปิดดูรายละเอียดและไฟล์ทางออนไลน์", "small"))
        by_section: dict[str, list] = {}
        for entry, section in rows:
            by_section.setdefault(section, []).append(entry)
        for c in categories:
            entries = by_section.get(c.key, [])
            out.append(PageBreak())
            out.append(T.para(f"หมวด {n.text(c.key)} {c.label}", "h1"))
            if not entries:
                out.append(T.para("ยังไม่มีรายการในหมวดนี้"))
                continue
            data: list[list[object]] = [["ลำดับ", "เลขที่", "เรื่อง", "วันที่", "ที่เก็บ", "คิวอาร์โค้ด"]]
            for i, e in enumerate(entries, start=1):
                title_text = e.title + (f" ({e.category.code_th})" if e.category.parent_id else "")
                data.append([n.num(i), n.text(e.ref or "-"), title_text,
                             n.date(e.doc_date, "short") if e.doc_date else "-", n.text(e.location or "-"),
                             qr_code(entry_url(e.id))])
            out.append(T.table(data, [1.2 * cm, 2.6 * cm, 6.2 * cm, 2.3 * cm, 1.9 * cm, 2.3 * cm],
                               align=["c", "l", "l", "c", "l", "c"]))
        return out

    doc_id = f"IDX-{office.code if office else 'ALL'}-{today:%Y%m%d}"
    doc = T.ThaiDocument(target, title=f"ดัชนีข้อมูลข่าวสาร {title}", doc_id=doc_id, generated_at=generated_at,
                         numerals=n)
    doc.build_counted(flowables)
    return doc.total_pages
