"""E-mail goes through a real SMTP server on 127.0.0.1 (aiosmtpd), not a mock of smtplib."""

from datetime import timedelta

import pytest

from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry
from infocenter.mail import send_mail
from infocenter.thai import now_utc
from tests.factories import free_port


def test_thai_mail_delivered(app, smtp):
    with app.app_context():
        assert send_mail("someone@example.com", "ทดสอบภาษาไทย ที่นี่", "เนื้อหา: ข้อมูลข่าวสาร ๑๒๓") is True
    ((rcpt, msg),) = smtp.messages
    assert rcpt == ["someone@example.com"]
    assert msg["Subject"] == "ทดสอบภาษาไทย ที่นี่"
    assert "ข้อมูลข่าวสาร ๑๒๓" in msg.get_content()
    assert "info@nsw.example.go.th" in msg["From"]


def test_no_smtp_no_mail_and_no_error(app):
    with app.app_context():
        assert send_mail("someone@example.com", "x", "y") is False


def test_server_down_is_logged_not_raised(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    with app.app_context():
        assert send_mail("someone@example.com", "x", "y") is False


def _make(app, office_id, **kw):
    with app.app_context():
        inquiry, secret = create_inquiry(
            NewInquiry(
                office_id=office_id,
                channel="counter",
                requester_name="นายผู้ขอ",
                subject="ขอข้อมูล",
                **kw,
            )
        )
        db.session.commit()
        return inquiry.id, inquiry.tracking_no


def test_requester_told_of_each_status_change(app, client, smtp, make_office, login_as):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    inquiry_id, number = _make(app, office, requester_email="requester@example.com")
    client.post(f"/requests/{inquiry_id}/step", data={"step": "acknowledged"})
    client.post(
        f"/requests/{inquiry_id}/step",
        data={"step": "closed", "outcome": "refused", "grounds": ["15(2)"]},
    )
    subjects = [msg["Subject"] for _, msg in smtp.messages]
    assert subjects == [
        f"คำขอข้อมูลข่าวสาร {number}: ตอบรับคำขอแล้ว",
        f"คำขอข้อมูลข่าวสาร {number}: ดำเนินการเสร็จสิ้น",
    ]
    body = smtp.messages[-1][1].get_content()
    assert "มาตรา ๑๕ (๒)" in body and "คณะกรรมการวินิจฉัยการเปิดเผยข้อมูลข่าวสาร" in body
    # No address given: nothing sent.
    silent_id, _ = _make(app, office)
    client.post(f"/requests/{silent_id}/step", data={"step": "acknowledged"})
    assert len(smtp.messages) == 2


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_online_requester_gets_number_and_secret(app, client, smtp, make_office):
    import re

    office = make_office("NSW")
    page = client.get("/requests/new").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/requests/new",
        data={
            "requester_name": "นางผู้ขอ",
            "requester_email": "online@example.com",
            "subject": "ขอข้อมูลงบประมาณ",
            "consent": "y",
            "started": started,
            "office_id": office,
        },
    )
    ((rcpt, msg),) = smtp.messages
    assert rcpt == ["online@example.com"]
    body = msg.get_content()
    assert (
        "รหัสลับสำหรับตรวจสอบสถานะ" in body and "/requests/status?no=NSW-" in body and "&key=" in body
    )


def test_remind_mails_assigned_officers(app, runner, smtp, make_office, make_user):
    from infocenter.auth.models import User

    office = make_office("NSW")
    make_user("clerk", username="officer", office_id=office, email="officer@example.go.th")
    with app.app_context():
        officer_id = db.session.scalar(db.select(User.id).where(User.username == "officer"))
    inquiry_id, number = _make(
        app, office, assigned_to_id=officer_id, received_at=now_utc() - timedelta(days=60)
    )
    result = runner.invoke(args=["inquiries", "remind"])
    assert result.exit_code == 0 and "e-mails sent: 1" in result.output, result.output
    ((rcpt, msg),) = smtp.messages
    assert rcpt == ["officer@example.go.th"]
    assert number in msg.get_content() and "เกินกำหนด" in msg["Subject"]
    with app.app_context():
        assert db.session.get(Inquiry, inquiry_id).alert == "overdue"
