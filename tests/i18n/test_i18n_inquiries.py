"""Requests and reports in English: pages, form errors, flash messages, e-mails in the requester's
language whoever takes the step, and the official documents (letters, quarterly report) staying
Thai."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.thai import OFFICE_TZ
from tests.factories import REQUEST_FORM, post_request
from tests.pdfread import loose, pdftotext

THAI = re.compile(r"[\u0E00-\u0E7F]")


def _english(client):
    client.post("/lang/en")


def _closed(app, office_id, outcome="refused", grounds=("15(2)",), **kw):
    with app.app_context():
        inquiry, _ = create_inquiry(
            NewInquiry(
                office_id=office_id,
                channel="counter",
                requester_name="นางสาวพิมพ์ใจ ทองดี",
                subject="สำเนารายงาน",
                received_at=datetime(2025, 6, 16, 10, tzinfo=OFFICE_TZ),
            )
        )
        transition(inquiry, "acknowledged", None, day=date(2025, 6, 17))
        transition(
            inquiry,
            "closed",
            None,
            day=date(2025, 6, 30),
            outcome=outcome,
            grounds=list(grounds),
            **kw,
        )
        db.session.commit()
        return inquiry.id, inquiry.tracking_no


# --- public pages -------------------------------------------------------------------------------


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_public_form_and_its_errors_in_english_thai_by_default(app, client, make_office):
    make_office("NSW")
    thai = client.get("/requests/new").get_data(as_text=True)
    assert "ยื่นคำขอข้อมูลข่าวสาร (มาตรา ๑๑)" in thai and "ประกาศการคุ้มครองข้อมูลส่วนบุคคล" in thai
    _english(client)
    page = client.get("/requests/new").get_data(as_text=True)
    assert "Request information (Section 11)" in page and "Personal data protection notice" in page
    assert "Personal Data Protection Act B.E. 2562" in page and "Send the request" in page
    assert "ยื่นคำขอข้อมูลข่าวสาร (มาตรา ๑๑)" not in page
    page = post_request(client, requester_email="not-an-email", consent="").get_data(as_text=True)
    assert "The e-mail address is not valid" in page
    assert "Please read the personal data protection notice" in page
    page = post_request(
        client, requester_email="", requester_phone="", requester_address=""
    ).get_data(as_text=True)
    assert "Please give at least one way to contact you" in page
    page = post_request(client, website="http://spam.example").get_data(as_text=True)
    assert "The “Website” field must be left empty" in page
    with app.app_context():
        assert db.session.scalar(select(Inquiry.id)) is None


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_receipt_and_status_page_in_english(app, client, make_office):
    make_office("NSW")
    _english(client)
    assert post_request(client).status_code == 302
    done = client.get("/requests/new/done").get_data(as_text=True)
    assert (
        "The office has received your request" in done
        and "Secret code for checking the status" in done
    )
    link = (
        re.search(r'id="status-link">([^<]+)<', done)
        .group(1)
        .replace("http://localhost", "")
        .replace("&amp;", "&")
    )
    status = client.get(link).get_data(as_text=True)
    assert "Check the status of a request for information" in status
    assert "Status" in status and "Received" in status and "รับคำขอแล้ว" not in status
    miss = client.get("/requests/status?no=NSW-2568-99999&key=wrong").get_data(as_text=True)
    assert "No request matches the number and secret code" in miss
    with app.app_context():
        assert db.session.scalars(select(Inquiry)).one().language == "en"
    # The same link opened later in another browser (from the e-mail) opens in English too.
    assert "lang=en" in link
    other = app.test_client()
    page = other.get(link).get_data(as_text=True)
    assert '<html lang="en">' in page and "Check the status of a request for information" in page
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)  # remembered in the session
    other.get("/?lang=xx")
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)  # unknown value ignored


def test_closed_request_status_in_english(app, client, make_office):
    office = make_office("NSW")
    _, number = _closed(app, office, "transferred", grounds=(), agency="กรมที่ดิน")
    with app.app_context():
        inquiry = db.session.scalars(select(Inquiry)).one()
        inquiry.requester_phone = "0812345678"
        db.session.commit()
    _english(client)
    page = client.post("/requests/status", data={"no": number, "contact": "081-234-5678"}).get_data(
        as_text=True
    )
    assert 'id="status-result"' in page
    assert "Referred to/forwarded to another agency (Section 12)" in page
    assert "Section 12 the information is under the control of another agency" in page
    assert "Agency: กรมที่ดิน" in page and "Date completed" in page and "30 June 2025" in page


# --- e-mails ------------------------------------------------------------------------------------


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_english_requester_is_written_to_in_english_whoever_takes_the_step(
    app,
    client,
    smtp,
    make_office,
    make_user,
    auth,
):
    office = make_office("NSW")
    _english(client)
    assert post_request(client, office_id=office).status_code == 302
    ((rcpt, msg),) = smtp.messages
    number = db_number(app)
    assert rcpt == [REQUEST_FORM["requester_email"]]
    assert msg["Subject"] == f"Request for information {number}: Received"
    body = msg.get_content()
    assert body.startswith(f"Dear {REQUEST_FORM['requester_name']},")
    assert (
        f"Your request for information no. {number}" in body
        and "Secret code for checking the status:" in body
    )
    assert "Due by:" in body and not THAI.search(
        body.replace(REQUEST_FORM["requester_name"], "").replace("สำนักงานทดสอบ NSW", "")
    )
    assert "Information center" in msg["From"]

    # A clerk working in Thai takes the steps: the requester still hears in English, the clerk reads
    # Thai.
    client.post("/lang/th")
    make_user("clerk", username="clerk-th", office_id=office)
    auth.login("clerk-th")
    with app.app_context():
        inquiry_id = db.session.scalars(select(Inquiry.id)).one()
    response = client.post(
        f"/requests/{inquiry_id}/step", data={"step": "acknowledged"}, follow_redirects=True
    )
    assert "บันทึกขั้นตอนแล้ว: สถานะ “ตอบรับคำขอแล้ว” และแจ้งผู้ขอทางอีเมลแล้ว" in response.get_data(
        as_text=True
    )
    client.post(
        f"/requests/{inquiry_id}/step",
        data={"step": "closed", "outcome": "refused", "grounds": ["15(2)"]},
    )
    subjects = [m["Subject"] for _, m in smtp.messages]
    assert subjects[1:] == [
        f"Request for information {number}: Acknowledged",
        f"Request for information {number}: Completed",
    ]
    body = smtp.messages[-1][1].get_content()
    assert "Decision: Disclosure refused" in body and "Legal ground: Section 15(2)" in body
    assert "Information Disclosure Tribunal" in body and "คณะกรรมการวินิจฉัย" not in body


def db_number(app) -> str:
    with app.app_context():
        return db.session.scalars(select(Inquiry.tracking_no)).one()


def test_request_recorded_by_staff_in_english_mails_the_requester_in_thai(
    app,
    client,
    smtp,
    make_office,
    login_as,
):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    _english(client)
    response = client.post(
        "/requests/create",
        data={
            "office_id": office,
            "channel": "letter",
            "received_date": "2025-04-11",
            "received_time": "10:00",
            "requester_name": "นายสมชาย ขอข้อมูล",
            "requester_email": "somchai@example.com",
            "subject": "ขอสำเนาสัญญา",
            "assigned_to_id": 0,
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    number = db_number(app)
    assert (
        f"Request {number} saved, reply due " in page
        and "tell the requester; it will not be shown again" in page
    )
    ((_, msg),) = smtp.messages
    assert msg["Subject"] == f"คำขอข้อมูลข่าวสาร {number}: รับคำขอแล้ว"
    assert "เรียน นายสมชาย ขอข้อมูล" in msg.get_content() and "Information" not in msg["From"]
    with app.app_context():
        assert db.session.scalars(select(Inquiry)).one().language == "th"


# --- staff pages --------------------------------------------------------------------------------


def test_request_page_steps_and_messages_in_english(app, client, make_office, login_as):
    office = make_office("NSW")
    inquiry_id, number = _closed(app, office)
    login_as("clerk", office_id=office)
    _english(client)
    page = client.get(f"/requests/{inquiry_id}").get_data(as_text=True)
    assert f"Request no. {number}" in page and "Completed" in page
    assert "Disclosure refused (On time)" in page and "Section 15(2)" in page
    assert "Reply letter (PDF)" in page and "History" in page and "by ระบบ" in page

    with app.app_context():
        open_inquiry, _ = create_inquiry(
            NewInquiry(office_id=office, channel="email", requester_name="นายก", subject="ขอข้อมูล")
        )
        db.session.commit()
        open_id = open_inquiry.id
    page = client.get(f"/requests/{open_id}").get_data(as_text=True)
    assert "Acknowledge the request" in page and "Close the request with a decision" in page
    assert "Legal grounds (when refusing or disclosing in part; choose one or more)" in page
    assert "Disclosed in full" in page and "— choose —" in page
    # A step that cannot be taken now, and a closing without a decision: messages in English.
    response = client.post(f"/requests/{open_id}/step", data={"step": "extended", "note": "x"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The step “Extension of time” cannot be taken while the request is “Received”" in text
    response = client.post(f"/requests/{open_id}/step", data={"step": "closed"})
    assert "Please choose the decision on the request" in response.get_data(as_text=True)
    response = client.post(
        f"/requests/{open_id}/step", data={"step": "acknowledged"}, follow_redirects=True
    )
    assert "Step recorded: status “Acknowledged”" in response.get_data(as_text=True)
    # The letter of an open request does not apply: said in English, and the letter itself stays
    # Thai.
    response = client.get(f"/requests/{open_id}/letter/reply.pdf", follow_redirects=True)
    assert "This request has not been closed with a decision yet" in response.get_data(as_text=True)
    listing = client.get("/requests/?status=all").get_data(as_text=True)
    assert (
        "All requests" in listing
        and "Disclosure refused" in listing
        and "Filter requests" in listing
    )


def test_letters_stay_thai_on_english_pages(app, client, make_office, login_as, tmp_path):
    office = make_office("NSW")
    inquiry_id, _ = _closed(app, office, "refused", grounds=("15(5)",))
    login_as("clerk", office_id=office)
    _english(client)
    with client.get(f"/requests/{inquiry_id}/letter/refusal.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        path = tmp_path / "refusal.pdf"
        path.write_bytes(response.data)
    text = loose(pdftotext(path))
    assert loose("มาตรา ๑๕ (๕) ข้อมูลข่าวสารส่วนบุคคล") in text
    assert loose("ท่านมีสิทธิอุทธรณ์ต่อคณะกรรมการวินิจฉัยการเปิดเผยข้อมูลข่าวสาร") in text
    assert "Section" not in text and "Tribunal" not in text


def test_holidays_named_in_the_pages_language(app, client, login_as):
    login_as("admin")
    thai = client.get("/requests/holidays?year=2025").get_data(as_text=True)
    assert "วันสงกรานต์" in thai
    _english(client)
    page = client.get("/requests/holidays?year=2025").get_data(as_text=True)
    assert "Songkran Festival" in page and "วันสงกรานต์" not in page
    assert "Holidays for counting request due dates, 2025" in page
    response = client.post(
        "/requests/holidays?year=2025",
        data={"day": "2025-04-25", "name": "วันหยุดสำนักงาน", "office_id": 0},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert (
        "Holiday added." in page and "วันหยุดสำนักงาน" in page
    )  # a name an admin typed is shown as typed
    again = client.post(
        "/requests/holidays?year=2025", data={"day": "2025-04-14", "name": "ซ้ำ", "office_id": 0}
    )
    assert "This day is already in the table (Songkran Festival)" in again.get_data(as_text=True)


# --- reports ------------------------------------------------------------------------------------


def test_reports_page_in_english_and_the_report_in_thai(app, client, login_as, tmp_path):
    from infocenter.admin.operations import ensure_main_office

    with app.app_context():  # a request in the quarter, so the report has its section on requests
        inquiry, _ = create_inquiry(
            NewInquiry(
                office_id=ensure_main_office().id,
                channel="online",
                requester_name="นายก",
                subject="ขอข้อมูล",
                received_at=datetime(2020, 2, 10, 10, tzinfo=OFFICE_TZ),
            )
        )
        transition(inquiry, "closed", None, day=date(2020, 2, 20), outcome="full")
        db.session.commit()
    login_as("admin")
    _english(client)
    page = client.get("/reports/").get_data(as_text=True)
    assert "Quarterly service statistics report" in page and "Q2 (Jan–Mar)" in page
    assert "No reports yet" in page and "Print the information index (PDF)" in page
    response = client.post(
        "/reports/", data={"fiscal_year": "2700", "quarter": "1", "office": "all"}
    )
    assert "This quarter has not begun yet" in response.get_data(as_text=True)
    response = client.post("/reports/", data={"fiscal_year": "63", "quarter": "1", "office": "all"})
    assert "Please enter the fiscal year in the Buddhist Era (B.E.)" in response.get_data(
        as_text=True
    )
    response = client.post(
        "/reports/",
        data={"fiscal_year": "2563", "quarter": "2", "office": "all", "thai_digits": "y"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert re.search(r"Report RPT-2563-Q2-\d+ made \(\d+ pages?\)", page)
    assert (
        "Quarter 2, fiscal year B.E. 2563" in page and "All offices and the province total" in page
    )
    from infocenter.reports.models import Report

    with app.app_context():
        report_id = db.session.scalars(select(Report.id)).one()
    with client.get(f"/reports/{report_id}.pdf") as response:
        path = tmp_path / "report.pdf"
        path.write_bytes(response.data)
    text = loose(pdftotext(path))
    assert loose("ให้ข้อมูลครบถ้วน") in text and loose("ยื่นทางออนไลน์") in text
    assert "Disclosed" not in text and "Filed online" not in text
