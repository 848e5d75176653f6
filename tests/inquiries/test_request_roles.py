"""Who may do what on a request, as the README's role table says: supervisors read and add notes
(their instructions), but neither move a request on nor attach files."""

from __future__ import annotations

import io

import pytest

from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry

pytestmark = pytest.mark.postgres


def test_supervisor_adds_a_note_but_cannot_act(app, client, make_office, login_as):
    office = make_office("NSW")
    login_as("supervisor", office_id=office, full_name="ผอ. ทดสอบ")
    with app.app_context():
        inquiry, _ = create_inquiry(
            NewInquiry(office_id=office, channel="online", requester_name="ผู้ขอ", subject="ขอสำเนา")
        )
        db.session.commit()
        url = f"/requests/{inquiry.id}"
    assert client.post(url + "/notes", data={"text": "ให้ตอบภายในสัปดาห์นี้"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "ให้ตอบภายในสัปดาห์นี้" in page and "ผอ. ทดสอบ" in page
    assert client.post(url + "/step", data={"step": "acknowledged"}).status_code == 403
    upload = client.post(
        url + "/files",
        data={"file": (io.BytesIO(b"%PDF-1.4 x"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 403
    with app.app_context():
        inquiry = db.session.scalars(db.select(Inquiry)).one()
        assert inquiry.status == "received" and inquiry.files == [] and len(inquiry.notes) == 1
