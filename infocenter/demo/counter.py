"""Demo visits at the counter and online usage events over the last twelve months.

Distributions follow what a provincial information center sees: mostly members of the public
inspecting documents, more visits early in the fiscal year and before the budget is published,
most online use on phones, a share of robots. Rows are written in bulk (100k visits and 1M events
take a few minutes); visits link to ``ctx.extra["document_ids"]`` entries when the catalogue
seeder ran.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from sqlalchemy import delete, func, select, text

from ..catalogue.models import IndexEntry
from ..counter.models import (
    FeeRate,
    Visit,
    VisitEntry,
    VisitorType,
    VisitPurpose,
    ensure_counter_defaults,
)
from ..extensions import db
from ..usage.models import UsageEvent
from ..usage.rollup import forget as forget_usage_rollup
from . import SeedContext

VISITOR_TYPES = {
    "public": 55,
    "business": 12,
    "government": 13,
    "media": 3,
    "academic": 10,
    "other": 7,
}
PURPOSES = {
    "inspect": 40,
    "copy": 25,
    "certified_copy": 10,
    "advice": 18,
    "section11": 4,
    "other": 3,
}
CHANNELS = {"walk_in": 70, "phone": 18, "letter": 5, "email": 7}
OUTCOMES = {"full": 80, "partial": 10, "referred": 10}
PAPERS = {"A4": 80, "F4": 15, "B4": 5}
SATISFACTION = {5: 45, 4: 35, 3: 14, 2: 4, 1: 2}
# Busier months: October–November (new fiscal year) and March (budget planning).
MONTH_WEIGHT = {1: 9, 2: 8, 3: 11, 4: 6, 5: 8, 6: 8, 7: 8, 8: 9, 9: 9, 10: 12, 11: 11, 12: 7}
WAIVER_REASONS = ("ผู้มีรายได้น้อย", "นักเรียนใช้ประกอบการศึกษา", "ผู้สูงอายุ", "หน่วยงานราชการขอใช้")
FIRST = (
    "สมชาย",
    "สมศรี",
    "วิชัย",
    "มาลี",
    "ประยุทธ",
    "สุดา",
    "อนันต์",
    "กาญจนา",
    "ธีระ",
    "พิมพ์ใจ",
    "บุญมี",
    "จันทร์เพ็ญ",
)
LAST = ("ใจดี", "ศรีสุข", "มั่นคง", "รักษ์ไทย", "บุญเรือง", "แก้วมณี", "ทองดี", "สุขสวัสดิ์", "พรหมมา", "อินทร์แก้ว")
QUERIES = (
    ("งบประมาณ", 30),
    ("แผนปฏิบัติราชการ", 18),
    ("จัดซื้อจัดจ้าง", 25),
    ("สขร.1", 12),
    ("ประกาศผู้ชนะ", 10),
    ("กองทุนหมู่บ้าน", 9),
    ("โครงการพัฒนาชุมชน", 8),
    ("คำสั่งแต่งตั้ง", 7),
    ("OTOP", 9),
    ("สัญญาจ้าง", 6),
    ("รายงานผลการดำเนินงาน", 6),
    ("คู่มือการปฏิบัติงาน", 5),
    ("ประชุมคณะกรรมการ", 4),
    ("กข.คจ.", 3),
    ("ผลการพิจารณา", 3),
    ("ราคากลาง", 5),
    ("ITA", 4),
    ("สวัสดิการ", 2),
)
# Searches people make that the index has nothing for.
NO_RESULT_QUERIES = (
    ("เงินช่วยเหลือน้ำท่วม", 4),
    ("บัตรสวัสดิการแห่งรัฐ", 3),
    ("ทุนการศึกษา", 2),
    ("สมัครงาน", 3),
    ("ใบอนุญาตก่อสร้าง", 2),
)
EVENT_KINDS = {"search": 35, "view": 45, "download": 14, "request": 1, "api": 5}
UA = {"mobile": 55, "desktop": 38, "other": 2, "robot": 5}


class _Pick:
    """Weighted choice without rebuilding cumulative weights on every call (millions of draws)."""

    def __init__(self, rng, weights: dict):
        self.rng, self.keys = rng, list(weights)
        self.cum = list(accumulate(weights.values()))

    def __call__(self):
        return self.rng.choices(self.keys, cum_weights=self.cum)[0]


def _day_picker(ctx: SeedContext, weekdays_only: bool):
    days = [ctx.start + timedelta(days=i) for i in range(365)]
    days = [d for d in days if d <= ctx.today and (not weekdays_only or d.weekday() < 5)]
    return _Pick(ctx.rng, {d: MONTH_WEIGHT[d.month] for d in days})


def _next_ids(model, count: int) -> range:
    """Ids for rows inserted in bulk with their ids given (so links can point at them at once)."""
    start = (db.session.scalar(select(func.max(model.id))) or 0) + 1
    return range(start, start + count)


def _fix_sequence(table: str) -> None:
    # Explicit ids leave PostgreSQL's sequence behind; move it past them.
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def _visits(ctx: SeedContext) -> None:
    ensure_counter_defaults()
    rng = ctx.rng
    types = {t.code: t.id for t in db.session.scalars(select(VisitorType))}
    purposes = {p.code: p.id for p in db.session.scalars(select(VisitPurpose))}
    rates = {r.code: r for r in db.session.scalars(select(FeeRate))}
    certify = rates["certify"].satang if "certify" in rates else 500
    pick_type = _Pick(rng, {types[k]: w for k, w in VISITOR_TYPES.items() if k in types})
    pick_purpose = _Pick(rng, {k: w for k, w in PURPOSES.items() if k in purposes})
    pick_channel, pick_outcome = _Pick(rng, CHANNELS), _Pick(rng, OUTCOMES)
    pick_paper, pick_sat = (
        _Pick(rng, {k: w for k, w in PAPERS.items() if k in rates}),
        _Pick(rng, SATISFACTION),
    )
    pick_day = _day_picker(ctx, weekdays_only=True)
    # The provincial office serves about a third of all visitors; districts share the rest.
    offices = ctx.office_ids
    district_weights = {o: 1 + (i % 3) for i, o in enumerate(offices[1:])}
    province_weight = max(1, sum(district_weights.values()) * 35 // 65)
    pick_office = _Pick(rng, {offices[0]: province_weight, **district_weights})
    clerks = ctx.users.get("clerk", []) + ctx.users.get("admin", [])
    by_office = {}
    for user in clerks:
        by_office.setdefault(user.office_id, []).append(user.id)
    all_clerks = [u.id for u in clerks] or [None]
    documents = ctx.extra.get("document_ids") or []
    now = datetime.now(UTC)

    rows, links = [], []
    ids = _next_ids(Visit, ctx.visits)
    for visit_id in ids:
        office = pick_office()
        purpose = pick_purpose()
        at = ctx.random_instant(pick_day())
        copied = certified = fee = 0
        paper = None
        if purpose in ("copy", "certified_copy"):
            copied = max(1, int(rng.expovariate(1 / 8)))
            certified = copied if purpose == "certified_copy" else 0
            paper = rates[pick_paper()]
            fee = copied * paper.satang + certified * certify
        waived = bool(fee) and rng.random() < 0.08
        outcome = "section11" if purpose == "section11" and rng.random() < 0.8 else pick_outcome()
        named = rng.random() < 0.3
        voided = rng.random() < 0.01
        rows.append(
            {
                "id": visit_id,
                "office_id": office,
                "visited_at": at,
                "backdated": rng.random() < 0.05,
                "source": "counter",
                "visitor_type_id": pick_type(),
                "purpose_id": purposes[purpose],
                "channel": pick_channel(),
                "outcome": outcome,
                "pages_copied": copied,
                "pages_certified": certified,
                "fee_rate_id": paper.id if paper else None,
                "fee_satang": fee,
                "fee_waived": waived,
                "waiver_reason": rng.choice(WAIVER_REASONS) if waived else None,
                "visitor_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if named else None,
                "visitor_contact": f"08{rng.randrange(10**7, 10**8)}"
                if named and rng.random() < 0.6
                else None,
                "personal_erased_at": None,
                "satisfaction": pick_sat() if rng.random() < 0.6 else None,
                "note": "",
                "served_by_id": rng.choice(by_office.get(office) or all_clerks),
                "created_at": min(at, now),
                "voided_at": at + timedelta(minutes=5) if voided else None,
                "voided_by_id": None,
                "void_reason": "บันทึกซ้ำ (ข้อมูลตัวอย่าง)" if voided else None,
                "is_demo": True,
            }
        )
    ctx.bulk_insert(Visit.__table__, rows, label="visits")  # Core inserts: no ORM bookkeeping
    _fix_sequence("visits")
    if documents:
        for visit_id, row in zip(ids, rows, strict=True):
            if row["purpose_id"] in (
                purposes["inspect"],
                purposes["copy"],
                purposes["certified_copy"],
            ):
                # A few popular documents and a long tail, as at a real counter.
                for entry in {
                    documents[min(int(rng.paretovariate(1.2)) - 1, len(documents) - 1)]
                    if rng.random() < 0.5
                    else rng.choice(documents)
                    for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))
                }:
                    links.append({"visit_id": visit_id, "entry_id": entry})
        ctx.bulk_insert(VisitEntry.__table__, links)
    ctx.echo(f"  visits: {len(rows):,} (entries consulted: {len(links):,})")


def _events(ctx: SeedContext) -> None:
    rng = ctx.rng
    # Online, people see public entries only.
    office_of = (
        dict(
            db.session.execute(
                select(IndexEntry.id, IndexEntry.office_id)
                .where(IndexEntry.office_id.in_(ctx.office_ids), IndexEntry.is_public)
                .order_by(IndexEntry.id)
                .limit(200000)
            ).all()
        )
        if ctx.office_ids
        else {}
    )
    documents = list(office_of)
    pick_kind, pick_ua = _Pick(rng, EVENT_KINDS), _Pick(rng, UA)
    pick_query, pick_none = _Pick(rng, dict(QUERIES)), _Pick(rng, dict(NO_RESULT_QUERIES))
    pick_day = _day_picker(ctx, weekdays_only=False)
    now = datetime.now(UTC)

    def rows():
        made = 0
        while made < ctx.online_events:
            # A session: one browser on one day, a handful of events minutes apart.
            key = secrets.token_hex(16)
            ua = pick_ua()
            at = ctx.random_instant(pick_day(), office_hours=rng.random() < 0.7)
            for _ in range(min(1 + int(rng.expovariate(1 / 3)), ctx.online_events - made)):
                kind = pick_kind()
                if kind in ("view", "download") and not documents:
                    kind = "search"
                entry = query = result = None
                if kind in ("view", "download"):
                    entry = (
                        documents[min(int(rng.paretovariate(1.1)) - 1, len(documents) - 1)]
                        if rng.random() < 0.6
                        else rng.choice(documents)
                    )
                elif kind == "search":
                    if rng.random() < 0.1:
                        query, result = pick_none(), 0
                    else:
                        query, result = pick_query(), rng.randrange(1, 150)
                # Double clicks, which the counting removes.
                repeats = 2 if rng.random() < 0.05 and made + 2 <= ctx.online_events else 1
                for r in range(repeats):
                    made += 1
                    yield {
                        "at": min(at + timedelta(seconds=r * rng.randrange(2, 20)), now),
                        "kind": kind,
                        "session_key": key,
                        "ua_class": ua,
                        "office_id": office_of.get(entry),
                        "entry_id": entry,
                        "query": query,
                        "result_count": result,
                        "is_demo": True,
                    }
                at += timedelta(seconds=rng.randrange(20, 600))

    total = ctx.bulk_insert(UsageEvent.__table__, rows(), label="online events")
    ctx.echo(f"  online events: {total:,}")


def seed(ctx: SeedContext) -> None:
    if ctx.visits:
        _visits(ctx)
    if ctx.online_events:
        _events(ctx)


def clear(ctx: SeedContext) -> None:
    demo_visits = select(Visit.id).where(Visit.is_demo.is_(True))
    db.session.execute(delete(VisitEntry).where(VisitEntry.visit_id.in_(demo_visits)))
    db.session.execute(delete(Visit).where(Visit.is_demo.is_(True)))
    db.session.execute(delete(UsageEvent).where(UsageEvent.is_demo.is_(True)))
    forget_usage_rollup()  # the daily aggregates held the deleted events
