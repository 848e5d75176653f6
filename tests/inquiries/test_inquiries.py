"""Section 11 requests: tracking numbers, the status machine (every valid step, refusal of invalid
ones), closing with outcomes and grounds, stored durations, and the audit trail."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from infocenter.audit import AuditEntry
from infocenter.extensions import db
from infocenter.inquiries.deadlines import DeadlineRule
from infocenter.inquiries.models import Inquiry, InquiryCounter
from infocenter.inquiries.operations import (
    TRANSITIONS,
    InquiryError,
    NewInquiry,
    create_inquiry,
    find_for_status,
    transition,
)
from infocenter.thai import OFFICE_TZ


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def rule():
    return DeadlineRule(None, days=15, working=True)


def new(office_id, when=datetime(2025, 6, 16, 10, 0, tzinfo=OFFICE_TZ), **kw):
    data = NewInquiry(
        office_id=office_id,
        channel=kw.pop("channel", "counter"),
        requester_name="นายสมชาย ขอข้อมูล",
        subject="สำเนาสัญญาจ้างโครงการถนน",
        received_at=when,
        **kw,
    )
    inquiry, secret = create_inquiry(data)
    db.session.commit()
    return inquiry, secret


def test_tracking_number_office_fiscal_year_sequence(ctx, make_office):
    office = make_office("NSW")
    other = make_office("TKL", kind="district")
    a, _ = new(office, datetime(2025, 9, 30, 10, tzinfo=OFFICE_TZ))  # FY 2568
    b, _ = new(office, datetime(2025, 10, 1, 10, tzinfo=OFFICE_TZ))  # FY 2569 starts 1 Oct 2025
    c, _ = new(office, datetime(2025, 10, 2, 10, tzinfo=OFFICE_TZ))
    d, _ = new(other, datetime(2025, 10, 2, 10, tzinfo=OFFICE_TZ))
    assert [a.tracking_no, b.tracking_no, c.tracking_no, d.tracking_no] == [
        "NSW-2568-00001",
        "NSW-2569-00001",
        "NSW-2569-00002",
        "TKL-2569-00001",
    ]
    counter = db.session.get(InquiryCounter, (office, 2569))
    assert counter.n == 2


def test_intake_sets_due_date_and_first_step(ctx, make_office):
    office = make_office()
    inquiry, secret = new(office)
    assert inquiry.status == "received"
    assert inquiry.start_on == date(2025, 6, 16)
    assert inquiry.due_date == inquiry.base_due_date == rule().due_from(date(2025, 6, 16))
    assert [e.to_status for e in inquiry.events] == ["received"]
    assert inquiry.secret_hash != secret and len(secret) >= 12
    # The secret is stored only as a hash.
    assert secret not in (inquiry.secret_hash or "")


def test_every_valid_step_through_to_closed(ctx, make_office):
    office = make_office()
    inquiry, _ = new(office)
    r = rule()
    transition(inquiry, "acknowledged", None, day=date(2025, 6, 17), rule=r)
    transition(inquiry, "in_progress", None, day=date(2025, 6, 18), rule=r)
    transition(inquiry, "waiting", None, day=date(2025, 6, 18), note="ขอให้ชำระค่าสำเนา", rule=r)
    transition(inquiry, "resume", None, day=date(2025, 6, 23), rule=r)
    assert inquiry.status == "in_progress"  # back to where it was
    transition(
        inquiry,
        "extended",
        None,
        day=date(2025, 7, 1),
        note="เอกสารอยู่ที่คลัง",
        new_due=date(2025, 7, 31),
        rule=r,
    )
    transition(inquiry, "waiting", None, day=date(2025, 7, 2), note="ขอให้ระบุปี", rule=r)
    transition(inquiry, "resume", None, day=date(2025, 7, 4), rule=r)
    assert inquiry.status == "extended"
    transition(inquiry, "in_progress", None, day=date(2025, 7, 7), rule=r)
    transition(
        inquiry,
        "extended",
        None,
        day=date(2025, 7, 8),
        note="ขอขยายอีกครั้ง",
        new_due=date(2025, 8, 20),
        rule=r,
    )
    transition(
        inquiry,
        "closed",
        None,
        day=date(2025, 7, 25),
        outcome="partial",
        grounds=["15(5)", "15(2)"],
        fee_charged=Decimal("12.50"),
        fee_waived=Decimal("0"),
        rule=r,
    )
    db.session.commit()
    assert [e.to_status for e in inquiry.events] == [
        "received",
        "acknowledged",
        "in_progress",
        "waiting",
        "in_progress",
        "extended",
        "waiting",
        "extended",
        "in_progress",
        "extended",
        "closed",
    ]
    assert inquiry.days_to_ack == 1
    assert inquiry.waiting_days == 5 + 2
    # Received 16 Jun, closed 25 Jul: 39 days, 7 of them waiting.
    assert inquiry.days_to_close == 32
    assert inquiry.extension_count == 2
    assert inquiry.timeliness == "extended"
    assert inquiry.ground_codes == ["15(2)", "15(5)"]
    assert inquiry.fee_charged_satang == 1250


@pytest.mark.parametrize("status", list(TRANSITIONS))
def test_invalid_steps_are_refused_with_a_thai_message(ctx, make_office, status):
    office = make_office()
    inquiry, _ = new(office)
    inquiry.status = status
    if status == "waiting":
        inquiry.waiting_since = date(2025, 6, 17)
    db.session.commit()
    for step in ("acknowledged", "in_progress", "waiting", "resume", "extended", "closed"):
        if step in TRANSITIONS[status]:
            continue
        with pytest.raises(InquiryError) as err:
            transition(
                inquiry,
                step,
                None,
                day=date(2025, 6, 20),
                note="x",
                new_due=date(2025, 12, 1),
                outcome="full",
            )
        assert "ไม่ได้" in str(err.value) and "สถานะ" in str(err.value)
        db.session.rollback()
    assert db.session.get(Inquiry, inquiry.id).status == status


def test_close_requires_grounds_that_fit_the_outcome(ctx, make_office):
    office = make_office()
    inquiry, _ = new(office)
    transition(inquiry, "acknowledged", None, day=date(2025, 6, 16))
    with pytest.raises(InquiryError, match="มาตรา ๑๔ หรือมาตรา ๑๕"):
        transition(inquiry, "closed", None, day=date(2025, 6, 20), outcome="refused")
    with pytest.raises(InquiryError, match="มาตรา ๑๒"):
        transition(inquiry, "closed", None, day=date(2025, 6, 20), outcome="transferred")
    with pytest.raises(InquiryError, match="ไม่ต้องระบุเหตุ"):
        transition(
            inquiry, "closed", None, day=date(2025, 6, 20), outcome="full", grounds=["15(1)"]
        )
    with pytest.raises(InquiryError, match="ผลการพิจารณา"):
        transition(inquiry, "closed", None, day=date(2025, 6, 20), outcome=None)
    transition(
        inquiry, "closed", None, day=date(2025, 6, 20), outcome="transferred", agency="กรมที่ดิน"
    )
    db.session.commit()
    assert inquiry.ground_codes == ["12"]
    assert inquiry.transfer_agency == "กรมที่ดิน"
    assert inquiry.timeliness == "on_time"


def test_extension_needs_reason_and_later_date(ctx, make_office):
    inquiry, _ = new(make_office())
    transition(inquiry, "acknowledged", None, day=date(2025, 6, 16))
    with pytest.raises(InquiryError, match="เหตุผล"):
        transition(inquiry, "extended", None, day=date(2025, 6, 20), new_due=date(2025, 8, 1))
    with pytest.raises(InquiryError, match="หลังวันครบกำหนดเดิม"):
        transition(
            inquiry,
            "extended",
            None,
            day=date(2025, 6, 20),
            note="งานมาก",
            new_due=date(2025, 6, 20),
        )
    with pytest.raises(InquiryError, match="อนาคต"):
        transition(inquiry, "in_progress", None, day=date(2099, 1, 1))


def test_late_close_and_waiting_close(ctx, make_office):
    office = make_office()
    late, _ = new(office)
    transition(late, "closed", None, day=date(2025, 8, 1), outcome="not_held")
    assert late.timeliness == "late" and late.days_to_ack is None
    withdrawn, _ = new(office)
    transition(withdrawn, "acknowledged", None, day=date(2025, 6, 16))
    transition(withdrawn, "waiting", None, day=date(2025, 6, 17), note="ขอให้ชี้แจง")
    transition(withdrawn, "closed", None, day=date(2025, 6, 27), outcome="withdrawn")
    db.session.commit()
    assert withdrawn.waiting_days == 10 and withdrawn.waiting_since is None
    assert withdrawn.days_to_close == 1


def test_status_lookup_needs_secret_or_contact(ctx, make_office):
    inquiry, secret = new(
        make_office(), requester_email="Somchai@Example.com", requester_phone="081-234-5678"
    )
    assert find_for_status(inquiry.tracking_no, secret=secret) == inquiry
    assert find_for_status(inquiry.tracking_no.lower(), secret=secret) == inquiry
    assert find_for_status(inquiry.tracking_no, contact="somchai@example.com") == inquiry
    assert find_for_status(inquiry.tracking_no, contact="0812345678") == inquiry
    assert find_for_status(inquiry.tracking_no) is None
    assert find_for_status(inquiry.tracking_no, secret="wrong") is None
    assert find_for_status(inquiry.tracking_no, contact="other@example.com") is None
    assert find_for_status("NSW-2568-99999", secret=secret) is None


def test_changes_are_audited(ctx, make_office):
    inquiry, _ = new(make_office())
    transition(inquiry, "acknowledged", None, day=date(2025, 6, 17))
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.record_type == "Inquiry", AuditEntry.record_id == str(inquiry.id)
        )
    ).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["status"] == ["received", "acknowledged"]
    assert entries[0].changes["secret_hash"] == ["***", "***"]
    assert (
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "InquiryEvent")
        ).first()
        is not None
    )
