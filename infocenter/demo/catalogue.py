"""Demo index entries: realistic Thai Section 9 documents of the demo offices, in bulk.

Entries fall over the twelve months up to today (and some older), across every category and
office; most are published and open, some are drafts, withdrawn, partly withheld or not public.
A few carry a small generated PDF. The ids are shared as ``ctx.extra["document_ids"]``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from .. import uploads
from ..catalogue.models import (
    Category,
    EntryFile,
    IndexEntry,
    ensure_categories,
    rebuild_words,
    review_date,
    search_columns,
)
from ..extensions import db
from ..thai import THAI_MONTHS, be_year, fiscal_year, thai_digits
from . import SeedContext

PROJECTS = (
    "พัฒนาศักยภาพผู้นำชุมชน",
    "ส่งเสริมอาชีพกลุ่มสตรี",
    "หมู่บ้านเศรษฐกิจพอเพียง",
    "ตลาดชุมชนประชารัฐ",
    "พัฒนาผลิตภัณฑ์โอทอป",
    "กองทุนหมู่บ้านและชุมชนเมือง",
    "ออมทรัพย์เพื่อการผลิต",
    "ศูนย์เรียนรู้ชุมชน",
    "ข้อมูลความจำเป็นพื้นฐาน (จปฐ.)",
    "ครัวเรือนยากจนเป้าหมาย",
    "โคก หนอง นา โมเดล",
    "ผ้าไทยใส่ให้สนุก",
    "ธนาคารขยะชุมชน",
    "ปลูกผักสวนครัวรั้วกินได้",
    "อาสาพัฒนา (อสพ.)",
    "เยาวชนรักษ์ถิ่น",
)
ITEMS = (
    "วัสดุสำนักงาน",
    "น้ำมันเชื้อเพลิง",
    "ครุภัณฑ์คอมพิวเตอร์",
    "จ้างเหมาบริการทำความสะอาด",
    "ซ่อมแซมรถยนต์ราชการ",
    "อาหารว่างและเครื่องดื่มการประชุม",
    "ป้ายประชาสัมพันธ์",
    "เช่าเครื่องถ่ายเอกสาร",
    "หมึกพิมพ์",
    "จ้างพิมพ์เอกสาร",
)
TEMPLATES = {
    "9(1)": (
        "คำสั่งแต่งตั้งคณะกรรมการ{project}",
        "ผลการพิจารณาอนุมัติเงินยืมกองทุนพัฒนาบทบาทสตรี {district}",
        "ผลการพิจารณาคัดเลือกหมู่บ้าน{project} ประจำปี {year}",
        "คำวินิจฉัยอุทธรณ์คำสั่งทางปกครอง เรื่องเงินกองทุน {district}",
        "ประกาศผลการคัดเลือกทุนการศึกษาบุตรผู้นำชุมชน ปี {year}",
    ),
    "9(2)": (
        "นโยบายการกำกับดูแลองค์การที่ดี ปีงบประมาณ {year}",
        "นโยบายการเปิดเผยข้อมูลข่าวสารของสำนักงาน",
        "แนวทางการตีความระเบียบกองทุนหมู่บ้าน ฉบับที่ {n}",
        "นโยบายคุ้มครองข้อมูลส่วนบุคคล (PDPA)",
        "ประกาศเจตนารมณ์การต่อต้านการทุจริต ปี {year}",
    ),
    "9(3)": (
        "แผนปฏิบัติการประจำปีงบประมาณ {year}",
        "แผนงานโครงการ{project} ปีงบประมาณ {year}",
        "งบประมาณรายจ่ายประจำปี {year} {district}",
        "แผนการใช้จ่ายงบประมาณ ไตรมาสที่ {q} ปี {year}",
        "รายงานผลการดำเนินงานโครงการ{project}",
        "แผนยุทธศาสตร์การพัฒนาชุมชน {district} พ.ศ. {year}",
    ),
    "9(4)": (
        "คู่มือการปฏิบัติงาน{project}",
        "คู่มือการให้บริการข้อมูลข่าวสารแก่ประชาชน",
        "คู่มือการยื่นคำขอรับเงินอุดหนุนกลุ่มอาชีพ",
        "ขั้นตอนการจดทะเบียนกลุ่มออมทรัพย์เพื่อการผลิต",
        "คู่มือประชาชนตามพระราชบัญญัติการอำนวยความสะดวก เรื่อง{project}",
    ),
    "9(5)": (
        "สิ่งพิมพ์เผยแพร่ผลงาน{project}",
        "วารสารพัฒนาชุมชน{district} ฉบับที่ {n}/{year}",
        "รายงานประจำปี {year} สำนักงานพัฒนาชุมชน",
    ),
    "9(6)": (
        "สัญญาเช่าพื้นที่ตั้งตู้จำหน่ายสินค้า {district}",
        "สัญญาร่วมดำเนินงานตลาดชุมชนกับภาคเอกชน ฉบับที่ {n}",
        "สัญญาเช่าเครื่องถ่ายเอกสาร ปี {year}",
    ),
    "9(7)": (
        "มติคณะกรรมการกองทุนหมู่บ้าน{district} ครั้งที่ {n}/{year}",
        "มติที่ประชุมคณะกรรมการอำนวยการกองทุนพัฒนาบทบาทสตรี ครั้งที่ {n}/{year}",
        "มติคณะรัฐมนตรีเรื่อง{project}",
    ),
    "9(8)": (
        "ข้อมูลการดำเนินงานตามเกณฑ์ ITA ข้อ O{n}",
        "รายงานการกำกับติดตามการใช้จ่ายงบประมาณ เดือน{month}",
        "สถิติการให้บริการศูนย์ข้อมูลข่าวสาร ไตรมาสที่ {q}/{year}",
    ),
    "9(8).1": (
        "สรุปผลการจัดซื้อจัดจ้างประจำเดือน{month} (แบบ สขร.๑)",
        "สรุปผลการจัดซื้อจัดจ้าง{item} เดือน{month}",
    ),
    "9(8).2": (
        "ข้อมูลตามหลักเกณฑ์ความโปร่งใส: รายงานการประเมินความเสี่ยงการทุจริต ปี {year}",
        "ข้อมูลตามหลักเกณฑ์ความโปร่งใส: แผนการจัดซื้อจัดจ้างประจำปี {year}",
    ),
    "9(8).3": (
        "ประกาศเชิญชวนจัดซื้อ{item}",
        "ประกาศผู้ชนะการเสนอราคาจ้าง{item}",
        "สัญญาจ้าง{item} เลขที่ {n}/{year}",
    ),
}
SUMMARIES = (
    "เพื่อให้การดำเนินงาน{project}เป็นไปอย่างมีประสิทธิภาพ โปร่งใส ตรวจสอบได้",
    "รายละเอียดกิจกรรม งบประมาณ และตัวชี้วัดของ{project} พื้นที่{district}",
    "จัดซื้อ{item} วิธีเฉพาะเจาะจง ผู้ได้รับการคัดเลือกเสนอราคาต่ำสุด",
    "ผลการประชุมและมติที่เกี่ยวข้องกับ{project}",
    "",
)
KEYWORDS = ("แผนงาน", "งบประมาณ", "จัดซื้อจัดจ้าง", "กองทุน", "สตรี", "ชุมชน", "ITA", "โปร่งใส", "คู่มือ", "มติ")
DEMO_FILES = 12


def _district(office) -> str:
    return office.name.replace("สำนักงานพัฒนาชุมชน", "").replace(" (ตัวอย่าง)", "")


def _rows(ctx: SeedContext, categories: dict[str, Category]):
    rng = ctx.rng
    codes = list(TEMPLATES)
    weights = [3, 1, 4, 2, 1, 1, 2, 2, 4, 1, 3]
    offices = ctx.offices
    creators = [u.id for u in ctx.users.get("clerk", [])] or [None]
    serial = {o.id: 0 for o in offices}
    for _ in range(ctx.documents):
        code = rng.choices(codes, weights)[0]
        category = categories[code]
        office = offices[0] if rng.random() < 0.35 else rng.choice(offices)
        older = rng.random() < 0.1
        doc_day = ctx.random_day(weekdays_only=True) - (
            timedelta(days=rng.randrange(365, 3 * 365)) if older else timedelta()
        )
        created = ctx.random_instant(min(ctx.today, doc_day + timedelta(days=rng.randrange(0, 10))))
        updated = created
        if rng.random() < 0.2:  # revised some time later
            later = min(ctx.today, created.date() + timedelta(days=rng.randrange(1, 200)))
            updated = max(created, ctx.random_instant(later))
        digits = thai_digits if rng.random() < 0.6 else str
        slots = {
            "project": rng.choice(PROJECTS),
            "district": _district(office),
            "year": digits(fiscal_year(doc_day)),
            # a month is of its calendar year: ตุลาคม 2566 is in fiscal year 2567
            "month": f"{THAI_MONTHS[doc_day.month - 1]} {digits(be_year(doc_day))}",
            "q": rng.randrange(1, 5),
            "n": rng.randrange(1, 30),
            "item": rng.choice(ITEMS),
        }
        title = rng.choice(TEMPLATES[code]).format(**slots)
        summary = rng.choice(SUMMARIES).format(**slots)
        keywords = ";".join(rng.sample(KEYWORDS, rng.randrange(0, 3)))
        serial[office.id] += 1
        ref = f"นว {office.id:04d}/{serial[office.id]}"
        roll = rng.random()
        state = "published" if roll < 0.9 else "draft" if roll < 0.96 else "withdrawn"
        roll = rng.random()
        disclosure = "open" if roll < 0.9 else "partial" if roll < 0.97 else "closed"
        creator = rng.choice(creators)
        # Most entries were reviewed on time; some are overdue, so the completeness view has work to
        # show.
        review_by = review_date(updated.date(), category.review_months)
        if rng.random() < 0.08:
            review_by = ctx.today - timedelta(days=rng.randrange(1, 120))
        yield {
            "office_id": office.id,
            "category_id": category.id,
            "ref": ref,
            "title": title,
            "summary": summary,
            "keywords": keywords,
            "doc_date": doc_day,
            "fiscal_year": fiscal_year(doc_day),
            "location": f"แฟ้ม {rng.randrange(1, 40)} ชั้น {'ABCDEFGH'[rng.randrange(8)]}",
            "disclosure": disclosure,
            "withheld_ground": None
            if disclosure == "open"
            else rng.choice(["15(3)", "15(5)", "15(6)"]),
            "review_by": review_by,
            "state": state,
            "withdrawn_reason": "เอกสารถูกแทนที่ด้วยฉบับปรับปรุง" if state == "withdrawn" else None,
            "created_at": created,
            "created_by_id": creator,
            "updated_at": updated,
            "updated_by_id": creator,
            "is_demo": True,
            **search_columns(ref, title, summary, keywords),
        }


def _pdf(text: str) -> bytes:
    """A tiny valid one-page PDF (Latin text only: the demo file's content does not matter)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def seed(ctx: SeedContext) -> None:
    ensure_categories()
    categories = {c.code: c for c in db.session.scalars(select(Category))}
    ctx.bulk_insert(IndexEntry, _rows(ctx, categories), label="index entries")
    rebuild_words(db.session.connection(), missing_only=True)  # PostgreSQL's words
    ids = list(
        db.session.scalars(
            select(IndexEntry.id)
            .where(IndexEntry.office_id.in_(ctx.office_ids))
            .order_by(IndexEntry.id)
        )
    )
    ctx.extra["document_ids"] = ids
    public = list(
        db.session.scalars(
            select(IndexEntry.id)
            .where(
                IndexEntry.office_id.in_(ctx.office_ids),
                IndexEntry.state == "published",
                IndexEntry.disclosure == "open",
            )
            .order_by(IndexEntry.id)
            .limit(DEMO_FILES)
        )
    )
    ctx.extra["public_document_ids"] = public
    for entry_id in public:
        data = _pdf(f"Demo document {entry_id} - infocenter")
        name = f"เอกสารตัวอย่าง-{entry_id}.pdf"
        checked = uploads.CheckedFile(name, data, "application/pdf", "pdf")
        db.session.add(EntryFile.from_checked(checked, None, entry_id=entry_id))
    ctx.echo(f"  index entries: {len(ids):,} (files: {len(public)})")


def clear(ctx: SeedContext) -> None:
    if not ctx.office_ids:
        return
    demo_entries = select(IndexEntry.id).where(IndexEntry.office_id.in_(ctx.office_ids))
    uploads.remove(
        EntryFile.upload_folder,
        *db.session.scalars(
            select(EntryFile.stored_name).where(EntryFile.entry_id.in_(demo_entries))
        ),
    )
    db.session.execute(delete(EntryFile).where(EntryFile.entry_id.in_(demo_entries)))
    db.session.execute(delete(IndexEntry).where(IndexEntry.office_id.in_(ctx.office_ids)))
