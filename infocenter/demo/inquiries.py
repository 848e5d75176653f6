"""Demo Section 11 requests over the last twelve months, in every state and with every outcome.

Requests go through the same operations as real ones (numbering, due dates on working days,
steps), so the lists, the reminders and the statistics show consistent figures. A few are linked
to demo counter visits recorded as "รับเป็นคำขอตามมาตรา ๑๑" when the counter seeder ran.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, select

from ..audit import acting_as
from ..extensions import db
from ..inquiries.deadlines import DeadlineRule, ensure_holidays
from ..inquiries.models import Inquiry, InquiryCounter, InquiryNote
from ..inquiries.operations import InquiryError, NewInquiry, create_inquiry, transition
from . import SeedContext

FIRST = ("สมชาย", "สมศรี", "วิชัย", "มาลี", "อนันต์", "กาญจนา", "ธีระ", "พิมพ์ใจ", "บุญมี", "จันทร์เพ็ญ")
LAST = ("ใจดี", "ศรีสุข", "มั่นคง", "รักษ์ไทย", "บุญเรือง", "แก้วมณี", "ทองดี", "สุขสวัสดิ์")
SUBJECTS = (
    "สำเนาสัญญาจ้างก่อสร้างศูนย์เรียนรู้ชุมชน ปีงบประมาณ {fy}",
    "รายชื่อผู้ได้รับการสนับสนุนเงินทุนกองทุนพัฒนาบทบาทสตรี ปี {fy}",
    "รายงานการประชุมคณะกรรมการกองทุนหมู่บ้าน ครั้งที่ 3/{fy}",
    "เอกสารประกอบการจัดซื้อวัสดุสำนักงาน (ใบเสนอราคาและผลการพิจารณา) ปี {fy}",
    "ผลการคัดเลือกหมู่บ้านเศรษฐกิจพอเพียงต้นแบบ ปี {fy}",
    "หลักเกณฑ์การพิจารณาเงินยืมโครงการแก้ไขปัญหาความยากจน (กข.คจ.)",
    "รายละเอียดงบประมาณโครงการพัฒนาผลิตภัณฑ์ OTOP ปี {fy}",
    "คำสั่งแต่งตั้งคณะกรรมการตรวจรับพัสดุ ปี {fy}",
)
AGENCIES = (
    "สำนักงานที่ดินจังหวัดนครสวรรค์",
    "องค์การบริหารส่วนจังหวัดนครสวรรค์",
    "สำนักงานสาธารณสุขจังหวัดนครสวรรค์",
)
CHANNELS = ("counter", "counter", "online", "online", "letter", "email")
# The final state of each request; the first ones guarantee every state and outcome appears.
GUARANTEED = (
    "received",
    "acknowledged",
    "in_progress",
    "waiting",
    "extended",
    "full",
    "partial",
    "refused",
    "transferred",
    "not_held",
    "withdrawn",
)
WEIGHTED = {
    "full": 40,
    "partial": 12,
    "refused": 6,
    "transferred": 8,
    "not_held": 5,
    "withdrawn": 4,
}
GROUNDS = ("15(1)", "15(2)", "15(3)", "15(5)", "15(5)", "15(6)")


def seed(ctx: SeedContext) -> None:
    if ctx.requests <= 0 or not ctx.offices:
        return
    rng = ctx.rng
    clerks = {u.office_id: u for u in ctx.users.get("clerk", [])}
    default_clerk = (ctx.users.get("clerk") or [None])[0]
    visits = _section11_visits(ctx)
    rules: dict[int, DeadlineRule] = {}
    made = []
    with acting_as("demo seed"):
        # The public holidays of the demo's years, copied as `flask inquiries holidays` would, so
        # the admin's holidays page shows rows to edit (due dates are the same either way).
        for year in range(ctx.today.year - 1, ctx.today.year + 2):
            ensure_holidays(year)
        for i in range(ctx.requests):
            target = GUARANTEED[i] if i < len(GUARANTEED) else _pick_target(rng)
            office = ctx.offices[0] if rng.random() < 0.6 else rng.choice(ctx.offices)
            # Open requests are recent; closed ones spread over the year.
            if target in WEIGHTED:
                day = ctx.today - timedelta(days=rng.randrange(20, 365))
            else:
                # Old enough for the steps before the target state to have happened (holidays
                # included).
                day = ctx.today - timedelta(
                    days=rng.randrange(0, 5) if target == "received" else rng.randrange(20, 45)
                )
            received_at = ctx.random_instant(day)
            visit = visits.pop() if visits and target in WEIGHTED and rng.random() < 0.5 else None
            if visit is not None:  # opened from a walk-in visit: same office, same moment
                office = next((o for o in ctx.offices if o.id == visit.office_id), office)
                received_at = visit.visited_at
            name = f"{rng.choice(('นาย', 'นาง', 'นางสาว'))}{rng.choice(FIRST)} {rng.choice(LAST)}"
            officer = clerks.get(office.id) or default_clerk
            inquiry, _ = create_inquiry(
                NewInquiry(
                    office_id=office.id,
                    channel=rng.choice(CHANNELS),
                    received_at=received_at,
                    requester_name=name,
                    requester_email=f"demo{i + 1}@example.com" if rng.random() < 0.6 else "",
                    requester_phone=f"08{rng.randrange(10000000, 99999999)}"
                    if rng.random() < 0.5
                    else "",
                    subject=rng.choice(SUBJECTS).format(fy=inquiry_fy(received_at.date())),
                    assigned_to_id=officer.id if officer and rng.random() < 0.85 else None,
                    visit_id=visit.id if visit is not None else None,
                    is_demo=True,
                )
            )
            rule = rules.setdefault(office.id, DeadlineRule(office.id))
            _walk(ctx, inquiry, target, rule)
            made.append(inquiry)
        db.session.flush()
    ctx.extra["inquiry_ids"] = [i.id for i in made]


def inquiry_fy(d: date) -> int:
    from ..thai import fiscal_year

    return fiscal_year(d)


def _pick_target(rng) -> str:
    keys, weights = list(WEIGHTED), list(WEIGHTED.values())
    return rng.choices(keys, weights=weights)[0]


def _walk(ctx: SeedContext, inquiry: Inquiry, target: str, rule: DeadlineRule) -> None:
    """Take the steps from receipt to ``target``, each on a plausible day no later than today."""
    rng = ctx.rng
    day = inquiry.start_on

    def step(name: str, gap: int, **kw) -> bool:
        nonlocal day
        nxt = day + timedelta(days=gap)
        if nxt > ctx.today:
            return False
        try:
            transition(inquiry, name, None, day=nxt, rule=rule, **kw)
        except InquiryError:
            return False
        day = nxt
        return True

    if target == "received":
        return
    if not step("acknowledged", rng.randrange(0, 3)) or target == "acknowledged":
        return
    if not step("in_progress", rng.randrange(0, 4)) or target == "in_progress":
        return
    if target == "waiting":
        step("waiting", rng.randrange(1, 4), note="ขอให้ผู้ขอระบุปีและชื่อโครงการให้ชัดเจน")
        return
    if (
        target != "extended"
        and rng.random() < 0.25
        and step("waiting", rng.randrange(1, 5), note="แจ้งค่าธรรมเนียมสำเนา รอผู้ขอชำระ")
    ):
        step("resume", rng.randrange(2, 9))
    if target == "extended" or rng.random() < 0.15:
        step(
            "extended",
            rng.randrange(3, 10),
            note="เอกสารจำนวนมาก ต้องตรวจสอบและปกปิดข้อมูลส่วนบุคคลก่อนเปิดเผย",
            new_due=inquiry.due_date + timedelta(days=rng.randrange(10, 30)),
        )
        if target == "extended":
            return
    grounds: list[str] = []
    agency = ""
    fee = None
    if target in ("partial", "refused"):
        grounds = sorted(set(rng.sample(GROUNDS, rng.randrange(1, 3))))
    if target == "transferred":
        agency = rng.choice(AGENCIES)
    if target in ("full", "partial") and rng.random() < 0.5:
        fee = Decimal(rng.randrange(3, 60))
    waived = fee if fee and rng.random() < 0.2 else None
    closed = step(
        "closed",
        rng.randrange(2, 16),
        outcome=target,
        grounds=grounds,
        agency=agency,
        fee_charged=None if waived else fee,
        fee_waived=waived,
    )
    if closed and rng.random() < 0.3:
        inquiry.notes.append(InquiryNote(text="ส่งหนังสือตอบทางไปรษณีย์ลงทะเบียนแล้ว"))


def _section11_visits(ctx: SeedContext) -> list:
    """Demo counter visits recorded as a Section 11 request, to link some requests to (if any)."""
    try:
        from ..counter.models import Visit
    except ImportError:  # the counter feature is not installed
        return []
    return list(
        db.session.execute(
            select(Visit.id, Visit.office_id, Visit.visited_at)
            .where(Visit.is_demo.is_(True), Visit.outcome == "section11", Visit.voided_at.is_(None))
            .order_by(Visit.id)
            .limit(ctx.requests)
        )
    )


def clear(ctx: SeedContext) -> None:
    # Steps, grounds, notes, files and index links go with their request (ON DELETE CASCADE).
    demo = Inquiry.is_demo.is_(True)
    if ctx.office_ids:  # requests made in a demo office go with it, demo or not
        demo = demo | Inquiry.office_id.in_(ctx.office_ids)
    db.session.execute(delete(Inquiry).where(demo))
    if ctx.office_ids:
        db.session.execute(
            delete(InquiryCounter).where(InquiryCounter.office_id.in_(ctx.office_ids))
        )
