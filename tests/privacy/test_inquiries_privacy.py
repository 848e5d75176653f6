"""Requesters' personal data: redacted in the audit log, erased after the retention period
(PDPA)."""

from datetime import date, datetime

from sqlalchemy import select

from infocenter.audit import AuditEntry
from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.thai import OFFICE_TZ


def test_erase_after_retention_keeps_statistics(app, runner, make_office):
    office = make_office("NSW")
    with app.app_context():
        old, _ = create_inquiry(
            NewInquiry(
                office_id=office,
                channel="online",
                requester_name="นายเก่า มาก",
                requester_email="old@example.com",
                subject="ขอข้อมูล",
                received_at=datetime(2023, 1, 9, 10, tzinfo=OFFICE_TZ),
            )
        )
        transition(old, "closed", None, day=date(2023, 1, 20), outcome="full")
        fresh, _ = create_inquiry(
            NewInquiry(
                office_id=office,
                channel="online",
                requester_name="นางใหม่ ล่าสุด",
                requester_email="new@example.com",
                subject="ขอข้อมูล",
            )
        )
        db.session.commit()
        old_id, fresh_id = old.id, fresh.id
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert "requests: 1 would be erased" in dry.output
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "data, notes and reply files of 1 requests" in result.output, (
        result.output
    )
    with app.app_context():
        old = db.session.get(Inquiry, old_id)
        assert old.requester_email == "" and "นายเก่า" not in old.requester_name
        assert (
            old.personal_erased_at is not None
            and old.outcome == "full"
            and old.days_to_close is not None
        )
        assert db.session.get(Inquiry, fresh_id).requester_email == "new@example.com"
        for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "Inquiry")
        ):
            flat = str(entry.changes)
            assert (
                "old@example.com" not in flat
                and "นายเก่า" not in flat
                and "new@example.com" not in flat
            )
