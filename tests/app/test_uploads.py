"""The one upload store: request files checked by content like entry files; old Office formats."""

from __future__ import annotations

import io

import pytest

from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry
from infocenter.uploads import OLE2_MAGIC, content_type

pytestmark = pytest.mark.postgres

HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
OLE2 = OLE2_MAGIC + b"\x00" * 1024  # the header of a Word 97-2003 / Excel 97-2003 file


@pytest.fixture
def inquiry_url(app, make_office, login_as):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    with app.app_context():
        inquiry, _ = create_inquiry(
            NewInquiry(office_id=office, channel="online", requester_name="ผู้ขอ", subject="ขอสำเนา")
        )
        db.session.commit()
        return f"/requests/{inquiry.id}"


def _upload(client, url, data, name):
    return client.post(
        url + "/files", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


@pytest.mark.parametrize(
    "data,name",
    [
        (HTML, "หนังสือตอบ.pdf"),
        (HTML, "letter.html"),
        (b"MZ\x90\x00" * 50, "a.pdf"),
        (OLE2, "setup.msi"),
        (b"", "empty.pdf"),
    ],
)
def test_request_file_of_the_wrong_content_is_refused(app, client, inquiry_url, data, name):
    response = _upload(client, inquiry_url, data, name)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ไม่รับไฟล์ประเภทนี้" in page or "ไฟล์ว่างเปล่า" in page
    with app.app_context():
        assert db.session.scalars(db.select(Inquiry)).one().files == []


@pytest.mark.parametrize(
    "data,name,mime",
    [
        (b"%PDF-1.4 reply", "หนังสือตอบ.pdf", "application/pdf"),
        (OLE2, "คำสั่ง.doc", "application/msword"),
        (OLE2, "ตาราง.XLS", "application/vnd.ms-excel"),
        (OLE2, "นำเสนอ.ppt", "application/vnd.ms-powerpoint"),
    ],
)
def test_request_files_accepted_by_content_and_stored_under_a_generated_name(
    app, client, inquiry_url, data, name, mime
):
    assert _upload(client, inquiry_url, data, name).status_code == 302
    with app.app_context():
        item = db.session.scalars(db.select(Inquiry)).one().files[0]
        assert item.mime_type == mime and item.original_name == name
        assert name not in item.stored_name and item.size == len(data)
        file_id = item.id
    download = client.get(f"{inquiry_url}/files/{file_id}")
    try:
        assert download.status_code == 200 and download.data == data
    finally:
        download.close()


def test_content_type_needs_the_bytes_not_the_name():
    assert content_type(HTML, "x.pdf") is None
    assert content_type(b"%PDF-1.7", "x.txt") == "application/pdf"
    assert content_type(OLE2, "x.doc") == "application/msword"
    assert content_type(OLE2, "x.pdf") is None  # OLE2 bytes named as something else
    assert content_type(b"hello", "x.doc") is None
