"""Tracking numbers stay unique and gap-free when 20 clerks save at the same moment (file-based
SQLite and, with TEST_DATABASE_URL, PostgreSQL): each thread has its own app context and session."""

import threading
from datetime import datetime

from sqlalchemy import func, select

from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry, InquiryCounter
from infocenter.inquiries.operations import NewInquiry, create_inquiry
from infocenter.thai import OFFICE_TZ

THREADS = 20


def test_twenty_concurrent_creations_get_distinct_numbers(app, make_office):
    office_id = make_office("NSW")
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith(
        ("sqlite:////", "postgresql")
    )  # a real file / server
    with app.app_context():
        from infocenter.inquiries.deadlines import ensure_holidays

        ensure_holidays(2025)  # seeded once up front, so every thread races only for the number
        db.session.commit()
    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def clerk(i: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                data = NewInquiry(
                    office_id=office_id,
                    channel="counter",
                    requester_name=f"ผู้ขอ {i}",
                    subject="ขอสำเนาเอกสาร",
                    received_at=datetime(2025, 6, 16, 10, tzinfo=OFFICE_TZ),
                )
                inquiry, _ = create_inquiry(data)
                db.session.commit()
                with lock:
                    numbers.append(inquiry.tracking_no)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001  (reported below)
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(numbers) == THREADS
    assert sorted(numbers) == [f"NSW-2568-{n:05d}" for n in range(1, THREADS + 1)]
    with app.app_context():
        assert db.session.scalar(select(func.count(Inquiry.id))) == THREADS
        assert db.session.get(InquiryCounter, (office_id, 2568)).n == THREADS
