"""Shared test data: factories and fixed data sets that tests in several folders use.

The fixtures built on them (``lists``, ``events``, ``offices``, ``smtp``...) are in conftest.py.
"""

from __future__ import annotations

import re
import socket
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

from flask import has_app_context
from sqlalchemy import select

import infocenter
from infocenter.admin.operations import ensure_main_office
from infocenter.catalogue.models import Category, IndexEntry
from infocenter.counter.models import (
    FeeRate,
    Visit,
    VisitEntry,
    VisitorType,
    VisitPurpose,
    ensure_counter_defaults,
)
from infocenter.extensions import db
from infocenter.thai import OFFICE_TZ, FiscalQuarter

PASSWORD = "correct-horse-battery"  # of every user make_user makes

# --- the index ---


def make_entry(
    app,
    office_id: int | None = None,
    title: str = "คู่มือการให้บริการ",
    *,
    category: str = "9(3)",
    **fields,
) -> int:
    """An index entry (published unless ``state`` says otherwise), committed; returns its id.

    ``office_id`` None files it under the default office; ``category`` is a code ("9(3)");
    ``created_at`` alone also sets ``updated_at``. Works inside an app context or opens one."""

    def add() -> int:
        values = {"state": "published", **fields}
        if "created_at" in values:
            values.setdefault("updated_at", values["created_at"])
        entry = IndexEntry(
            office_id=ensure_main_office().id if office_id is None else office_id,
            category_id=db.session.scalar(select(Category.id).where(Category.code == category)),
            title=title,
            **values,
        )
        db.session.add(entry)
        db.session.commit()
        return entry.id

    if has_app_context():
        return add()
    with app.app_context():
        return add()


def seed_demo_documents(runner, documents: int):
    """`flask demo seed` with index entries only (no visits, events or requests)."""
    result = runner.invoke(
        args=["demo", "seed", "--documents", str(documents), "--visits", "0"]
        + ["--online-events", "0", "--requests", "0"]
    )
    assert result.exit_code == 0, result.output
    return result


def category_id(app, code="9(3)") -> int:
    """The id of the index category with this code ("9(3)")."""
    with app.app_context():
        return db.session.scalar(select(Category.id).where(Category.code == code))


def entry_form(app, office_id, **over):
    """The staff index form, filled in (a published 9(3) entry); ``over`` changes fields."""
    data = {
        "office_id": office_id,
        "category_id": category_id(app),
        "ref": "นว 0018/1",
        "title": "แผนปฏิบัติการประจำปี ๒๕๖๗",
        "summary": "โครงการพัฒนาชุมชน",
        "keywords": "แผน; งบประมาณ",
        "doc_date": "29/04/2563",
        "location": "แฟ้ม 1",
        "disclosure": "open",
        "withheld_ground": "",
        "review_by": "",
        "state": "published",
    }
    data.update(over)
    return data


# --- the counter ---


def form(lists, **overrides) -> dict:
    """The counter's visit form, filled in from ``lists``; a None in ``overrides`` leaves it out."""
    data = {
        "visitor_type_id": lists["types"]["public"],
        "purpose_id": lists["purposes"]["inspect"],
        "channel": "walk_in",
        "outcome": "full",
        "entries": "",
        "pages_copied": "0",
        "pages_certified": "0",
        "fee_rate_id": lists["rates"]["A4"],
        "waiver_reason": "",
        "visitor_name": "",
        "visitor_contact": "",
        "satisfaction": "",
        "visited_at": "",
        "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# A past register to import: its header and rows (a blank line, Thai digits and dates included).
REGISTER_HEADER = "วันที่,เวลา,ประเภทผู้ใช้บริการ,วัตถุประสงค์,ช่องทาง,ผลการให้บริการ,รายการที่ขอดู,จำนวนหน้าสำเนา,จำนวนหน้ารับรอง,ขนาดกระดาษ,ยกเว้นค่าธรรมเนียม,เหตุผลที่ยกเว้น,ชื่อ,ติดต่อ,ความพึงพอใจ,หมายเหตุ"  # noqa: E501
REGISTER_ROWS = [
    "05/01/2563,09:15,ประชาชน,ตรวจดูข้อมูล,มาติดต่อด้วยตนเอง,ได้รับบริการครบถ้วน,นว 0017/1,,,,,,,,5,",
    "06/01/2563,,หน่วยงานรัฐ,ขอสำเนา,โทรศัพท์,,นว 0017/1; นว 0017/2,4,1,F4,ใช่,ผู้มีรายได้น้อย,นายก ข,0812345678,,โทรมาก่อน",  # noqa: E501
    "",
    "๗ ม.ค. ๒๕๖๓,13:00,สื่อมวลชน,อื่นๆ,email,referred,,,,,,,,,,",
]


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join([REGISTER_HEADER, *lines]) + "\n").encode("utf-8-sig")


Q2_2563 = FiscalQuarter(2563, 2)  # 1 Jan – 31 Mar 2020


def local(y, mo, d, h=10, mi=0, s=0) -> datetime:
    """An aware instant given as Bangkok wall-clock time."""
    return datetime(y, mo, d, h, mi, s, tzinfo=OFFICE_TZ)


def make_register(app, make_office) -> dict:
    """The fixed register: offices A (province) and B (district), four entries, nine visits."""
    a = make_office("NSW", kind="province")
    b = make_office("NSW01", kind="district", parent_id=a)
    with app.app_context():
        ensure_counter_defaults()
        cat = {c.code: c.id for c in db.session.scalars(db.select(Category))}
        types = {t.code: t.id for t in db.session.scalars(db.select(VisitorType))}
        purposes = {p.code: p.id for p in db.session.scalars(db.select(VisitPurpose))}
        rates = {r.code: r.id for r in db.session.scalars(db.select(FeeRate))}
        entries = {}
        for key, office, code in (
            ("e1", a, "9(1)"),
            ("e2", a, "9(3)"),
            ("e3", a, "9(8).1"),
            ("e4", b, "9(8)"),
        ):
            entry = IndexEntry(
                office_id=office,
                category_id=cat[code],
                title=f"เอกสาร {key}",
                ref=f"นว {key}",
                state="published",
            )
            db.session.add(entry)
            db.session.flush()
            entries[key] = entry.id

        def visit(office, when, vtype, purpose, channel, outcome, links=(), sat=None, **kw):
            v = Visit(
                office_id=office,
                visited_at=when,
                visitor_type_id=types[vtype],
                purpose_id=purposes[purpose],
                channel=channel,
                outcome=outcome,
                satisfaction=sat,
                **kw,
            )
            v.entries = [VisitEntry(entry_id=entries[k]) for k in links]
            db.session.add(v)
            return v

        # v1: 00:30 on 1 Jan local is still 31 Dec in UTC — counts on 1 Jan.
        visit(a, local(2020, 1, 1, 0, 30), "public", "inspect", "walk_in", "full", ("e1", "e2"), 5)
        # v2: 10 A4 pages = 10 baht collected.
        visit(
            a,
            local(2020, 1, 15, 10),
            "public",
            "copy",
            "walk_in",
            "full",
            ("e1",),
            4,
            pages_copied=10,
            fee_rate_id=rates["A4"],
            fee_satang=1000,
        )
        # v3: 4 F4 pages, all certified: 4 × 1.50 + 4 × 5 = 26 baht, waived.
        visit(
            a,
            local(2020, 1, 15, 23, 30),
            "business",
            "certified_copy",
            "letter",
            "partial",
            ("e3",),
            3,
            pages_copied=4,
            pages_certified=4,
            fee_rate_id=rates["F4"],
            fee_satang=2600,
            fee_waived=True,
            waiver_reason="ผู้มีรายได้น้อย",
        )
        # v4: a telephone enquiry referred elsewhere, no entry, no satisfaction answer.
        visit(a, local(2020, 2, 10, 9), "government", "advice", "phone", "referred")
        # v5: 23:59 on 31 Mar local, the last minute of the quarter; 3 B4 pages, 1 certified = 6 + 5
        # = 11 baht.
        visit(
            a,
            local(2020, 3, 31, 23, 59),
            "media",
            "section11",
            "email",
            "section11",
            ("e3", "e2"),
            4,
            pages_copied=3,
            pages_certified=1,
            fee_rate_id=rates["B4"],
            fee_satang=1100,
        )
        # v6: 00:10 on 1 Apr local (still 31 Mar in UTC) — outside the quarter.
        visit(a, local(2020, 4, 1, 0, 10), "public", "inspect", "walk_in", "full", ("e1",), 1)
        # v7: voided — never counted.
        visit(
            a,
            local(2020, 2, 20, 11),
            "public",
            "inspect",
            "walk_in",
            "full",
            ("e1",),
            1,
            voided_at=local(2020, 2, 20, 12),
            void_reason="บันทึกซ้ำ",
        )
        # v8: office B, 2 A4 pages = 2 baht.
        visit(
            b,
            local(2020, 2, 20, 10),
            "academic",
            "inspect",
            "walk_in",
            "full",
            ("e4",),
            2,
            pages_copied=2,
            fee_rate_id=rates["A4"],
            fee_satang=200,
        )
        # v9: 23:00 on 31 Dec 2019 local — before the quarter.
        visit(a, local(2019, 12, 31, 23), "public", "inspect", "walk_in", "full", ("e1",), 5)
        db.session.commit()
    return {"a": a, "b": b, "entries": entries}


# --- requests and mail ---


REQUEST_FORM = {
    "requester_name": "นางสาวมาลี ใจงาม",
    "requester_email": "malee@example.com",
    "requester_phone": "",
    "requester_address": "",
    "subject": "ขอสำเนาสัญญาจ้างก่อสร้างถนนหมู่ 5 ปีงบประมาณ 2568",
    "purpose": "",
    "consent": "y",
    "website": "",
}


def post_request(client, **changes):
    page = client.get("/requests/new").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    office = re.search(r'name="office_id"[^>]*value="(\d+)"|<option selected value="(\d+)"', page)
    data = {**REQUEST_FORM, "started": started, **changes}
    if office:
        data.setdefault("office_id", office.group(1) or office.group(2))
    return client.post("/requests/new", data=data)


class Inbox:
    """aiosmtpd handler keeping every message delivered."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        self.messages.append((envelope.rcpt_tos, msg))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- translations ---


CATALOG = Path(infocenter.__file__).parent / "translations" / "en" / "LC_MESSAGES"
