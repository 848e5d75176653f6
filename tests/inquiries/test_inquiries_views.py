"""Request pages: public intake with its spam guard, the private status page, staff lists, the
request page and its steps, notes and files, the holiday table, and `flask inquiries remind`."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from infocenter.auth.models import User
from infocenter.extensions import db
from infocenter.inquiries.models import Holiday, Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.thai import local_today, now_utc
from tests.factories import REQUEST_FORM, post_request


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_public_intake_gives_number_secret_and_working_status_link(app, client, make_office):
    make_office("NSW")
    response = post_request(client)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/requests/new/done"
    )
    done = client.get("/requests/new/done")
    page = done.get_data(as_text=True)
    number = re.search(r'id="tracking-no">([^<]+)<', page).group(1)
    secret = re.search(r'id="status-secret">([^<]+)<', page).group(1)
    link = re.search(r'id="status-link">([^<]+)<', page).group(1)
    assert re.fullmatch(r"NSW-25\d\d-00001", number)
    assert done.headers["Cache-Control"] == "no-store"
    # The receipt is shown once only.
    assert client.get("/requests/new/done").status_code == 302
    with app.app_context():
        inquiry = db.session.scalars(select(Inquiry)).one()
        assert inquiry.channel == "online" and inquiry.requester_email == "malee@example.com"
        assert secret not in inquiry.secret_hash
    status = client.get(link.replace("http://localhost", "").replace("&amp;", "&"))
    text = status.get_data(as_text=True)
    assert 'id="status-result"' in text and number in text and "รับคำขอแล้ว" in text


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_public_intake_keeps_input_and_explains_errors(app, client, make_office):
    make_office("NSW")
    response = post_request(client, requester_email="not-an-email", consent="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "รูปแบบอีเมลไม่ถูกต้อง" in page and "ประกาศการคุ้มครองข้อมูลส่วนบุคคล" in page
    assert REQUEST_FORM["subject"] in page
    response = post_request(client, requester_email="", requester_phone="", requester_address="")
    assert "กรุณาให้ช่องทางติดต่ออย่างน้อยหนึ่งทาง" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Inquiry.id)) is None


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_spam_guard_honeypot_and_forged_start(app, client, make_office):
    make_office("NSW")
    page = post_request(client, website="http://spam.example").get_data(as_text=True)
    assert "ต้องเว้นว่างไว้" in page and REQUEST_FORM["requester_name"] in page
    page = post_request(client, started="forged").get_data(as_text=True)
    assert "แบบฟอร์มไม่สมบูรณ์" in page
    with app.app_context():
        assert db.session.scalar(select(Inquiry.id)) is None


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=30)
def test_spam_guard_refuses_a_form_sent_too_fast(app, client, make_office):
    make_office("NSW")
    page = post_request(client).get_data(as_text=True)
    assert "เร็วผิดปกติ" in page and REQUEST_FORM["subject"] in page
    with app.app_context():
        assert db.session.scalar(select(Inquiry.id)) is None


def test_public_form_has_pdpa_notice_and_csrf(app, make_office):
    make_office("NSW")
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/requests/new").get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'id="pdpa-notice"' in page and "มาตรา ๒๔ (๔)" in page
    assert client.post("/requests/new", data=REQUEST_FORM).status_code == 400


def _make(app, office_id, **kw):
    with app.app_context():
        data = NewInquiry(
            office_id=office_id,
            channel=kw.pop("channel", "counter"),
            requester_name=kw.pop("name", "นายทดสอบ"),
            subject=kw.pop("subject", "ขอข้อมูลโครงการ"),
            received_at=kw.pop("received_at", now_utc()),
            **kw,
        )
        inquiry, secret = create_inquiry(data)
        db.session.commit()
        return inquiry.id, inquiry.tracking_no, secret


def test_status_page_reveals_nothing_without_the_secret(app, client, make_office):
    office = make_office("NSW")
    _, number, secret = _make(app, office, requester_email="a@example.com", subject="ความลับของผู้ขอ")
    _, other_number, _ = _make(app, office, name="ผู้ขออีกคน")
    miss_pages = []
    for data in (
        {"no": number, "key": "wrong-secret"},
        {"no": number, "contact": "b@example.com"},
        {"no": other_number, "key": secret},
        {"no": "NSW-2999-00001", "key": secret},
    ):
        response = client.post("/requests/status", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'id="status-miss"' in page and 'id="status-result"' not in page
        assert "ความลับของผู้ขอ" not in page and "ผู้ขออีกคน" not in page
        miss_pages.append(re.sub(r'value="[^"]*"', "", page))
    # Wrong number and wrong secret answer alike (apart from what was typed).
    assert len(set(miss_pages)) == 1
    assert 'id="status-miss"' not in client.get(f"/requests/status?no={number}").get_data(
        as_text=True
    )
    ok = client.post("/requests/status", data={"no": number, "contact": "A@example.com"}).get_data(
        as_text=True
    )
    assert 'id="status-result"' in ok
    # The requester's subject and name are not shown on the public page at all, even with the
    # secret.
    assert "ความลับของผู้ขอ" not in ok


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_status_page_is_rate_limited(app, client, make_office):
    make_office("NSW")
    codes = [
        client.post(
            "/requests/status", data={"no": "NSW-2568-00001", "key": f"guess{i}"}
        ).status_code
        for i in range(40)
    ]
    assert codes[0] == 200 and 429 in codes


def test_staff_lists_overdue_first_and_highlighted(app, client, make_office, login_as):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    old = now_utc() - timedelta(days=60)
    overdue_id, overdue_no, _ = _make(app, office, received_at=old, name="ผู้ขอเกินกำหนด")
    fresh_id, fresh_no, _ = _make(app, office, name="ผู้ขอใหม่")
    page = client.get("/requests/").get_data(as_text=True)
    assert page.index(overdue_no) < page.index(fresh_no)
    row = page[page.rindex("<tr", 0, page.index(overdue_no)) : page.index(overdue_no)]
    assert "overdue" in row
    only_overdue = client.get("/requests/?status=overdue").get_data(as_text=True)
    assert overdue_no in only_overdue and fresh_no not in only_overdue
    bad = client.get("/requests/?from=31/02/2568").get_data(as_text=True)
    assert "ไม่มีวันที่" in bad


def test_staff_only_see_their_office(app, client, make_office, login_as):
    province = make_office("NSW")
    district = make_office("TKL", kind="district", parent_id=province)
    other = make_office("CMS", kind="district", parent_id=province)
    login_as("clerk", office_id=district)
    mine_id, mine_no, _ = _make(app, district)
    other_id, other_no, _ = _make(app, other)
    page = client.get("/requests/").get_data(as_text=True)
    assert mine_no in page and other_no not in page
    assert client.get(f"/requests/{other_id}").status_code == 404
    assert client.get(f"/requests/{mine_id}").status_code == 200
    assert (
        client.post(f"/requests/{other_id}/step", data={"step": "acknowledged"}).status_code == 404
    )


def test_request_page_steps_notes_files_and_refused_step(app, client, make_office, login_as):
    office = make_office("NSW")
    username = login_as("clerk", office_id=office)
    inquiry_id, number, _ = _make(app, office)
    url = f"/requests/{inquiry_id}"
    assert client.post(url + "/step", data={"step": "acknowledged"}).status_code == 302
    refused = client.post(url + "/step", data={"step": "resume"})
    assert refused.status_code == 400 and "ขั้นตอนที่ทำได้ตอนนี้" in refused.get_data(as_text=True)
    extend = client.post(
        url + "/step", data={"step": "extended", "note": "", "new_due": "1/1/2600"}
    )
    assert extend.status_code == 400 and "เหตุผล" in extend.get_data(as_text=True)
    bad_date = client.post(url + "/step", data={"step": "in_progress", "day": "32/13/2568"})
    assert bad_date.status_code == 400 and "32/13/2568" in bad_date.get_data(as_text=True)
    assert client.post(url + "/notes", data={"text": "โทรแจ้งผู้ขอแล้ว"}).status_code == 302
    upload = client.post(
        url + "/files",
        data={"file": (io.BytesIO(b"%PDF-1.4 reply"), "หนังสือตอบ.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    close = client.post(
        url + "/step",
        data={
            "step": "closed",
            "outcome": "refused",
            "grounds": ["15(5)"],
            "fee_charged": "0",
            "fee_waived": "10",
        },
    )
    assert close.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "โทรแจ้งผู้ขอแล้ว" in page and "หนังสือตอบ.pdf" in page and "มาตรา ๑๕ (๕)" in page
    assert page.count('class="list-group-item"') == 3  # received, acknowledged, closed
    with app.app_context():
        inquiry = db.session.get(Inquiry, inquiry_id)
        assert inquiry.status == "closed" and inquiry.fee_waived_satang == 1000
        assert inquiry.events[1].actor and inquiry.events[1].user.username == username
        file_id = inquiry.files[0].id
    with client.get(f"{url}/files/{file_id}") as download:
        assert download.status_code == 200 and download.data == b"%PDF-1.4 reply"


def test_a_clerk_assigns_an_officer_of_the_office_and_no_one_else(
    app, client, make_office, make_user, login_as
):
    office, other = make_office("NSW"), make_office("NSW01")
    login_as("clerk", office_id=office)
    officer = make_user("clerk", username="somchai", office_id=office)
    stranger = make_user("clerk", username="outsider", office_id=other)
    inquiry_id, _, _ = _make(app, office)
    with app.app_context():
        ids = {
            u.username: u.id
            for u in db.session.scalars(select(User).where(User.username.in_([officer, stranger])))
        }
    url = f"/requests/{inquiry_id}/assign"
    assert client.post(url, data={"assigned_to_id": ids["somchai"]}).status_code == 302
    refused = client.post(url, data={"assigned_to_id": ids["outsider"]}, follow_redirects=True)
    assert "เลือกผู้รับผิดชอบไม่ถูกต้อง" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Inquiry, inquiry_id).assigned_to_id == ids["somchai"]


def test_supervisor_reads_but_cannot_act(app, client, make_office, login_as):
    office = make_office("NSW")
    login_as("supervisor", office_id=office)
    inquiry_id, _, _ = _make(app, office)
    assert client.get(f"/requests/{inquiry_id}").status_code == 200
    assert (
        client.post(f"/requests/{inquiry_id}/step", data={"step": "acknowledged"}).status_code
        == 403
    )


def test_staff_intake_after_hours_and_my_list(app, client, make_office, login_as):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    response = client.post(
        "/requests/create",
        data={
            "office_id": office,
            "channel": "letter",
            "received_date": "11/04/2568",
            "received_time": "16:45",
            "requester_name": "นายจดหมาย",
            "requester_address": "99 ถนนสวรรค์วิถี",
            "subject": "ขอแผนงานประจำปี",
            "assigned_to_id": "0",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        inquiry = db.session.scalars(select(Inquiry)).one()
        assert inquiry.start_on == date(2025, 4, 17)  # after hours on Friday, then Songkran
        assert inquiry.channel == "letter" and inquiry.tracking_no == "NSW-2568-00001"
    bad = client.post(
        "/requests/create",
        data={
            "office_id": office,
            "channel": "counter",
            "received_time": "25:99",
            "requester_name": "x",
            "subject": "y",
            "assigned_to_id": "0",
            "requester_phone": "0812345678",
        },
    )
    assert "ชช:นน" in bad.get_data(as_text=True)
    mine = client.get("/requests/mine").get_data(as_text=True)
    assert "NSW-2568-00001" not in mine  # not assigned to me
    assert client.get("/requests/create").status_code == 200


def test_admin_adds_an_office_day_off(app, client, make_office, login_as):
    office = make_office("NSW")
    login_as("admin", office_id=office)
    page = client.get("/requests/holidays?year=2025").get_data(as_text=True)
    assert "วันสงกรานต์" in page
    response = client.post(
        "/requests/holidays?year=2025",
        data={"day": "25/04/2568", "name": "วันหยุดสำนักงาน", "office_id": office},
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalars(select(Holiday).where(Holiday.day == date(2025, 4, 25))).one()
        assert row.office_id == office
        holiday_id = row.id
    again = client.post(
        "/requests/holidays?year=2025",
        data={"day": "25/04/2568", "name": "ซ้ำ", "office_id": office},
    )
    assert "มีอยู่ในตารางแล้ว" in again.get_data(as_text=True)
    assert client.post(f"/requests/holidays/{holiday_id}/delete").status_code == 302


def test_holidays_page_reads_a_year_without_copying_it_until_the_admin_asks(
    app, client, make_office, login_as
):
    from sqlalchemy import func

    from infocenter.inquiries.deadlines import DeadlineRule
    from infocenter.inquiries.models import HolidayYear

    office = make_office("NSW")
    login_as("admin", office_id=office)
    page = client.get("/requests/holidays?year=2027").get_data(as_text=True)
    # Shown from the package, nothing written, no delete button yet, a button to copy the year.
    assert "วันสงกรานต์" in page and "/requests/holidays/copy" in page
    assert "/delete" not in page
    with app.app_context():
        assert db.session.get(HolidayYear, 2027) is None
        assert db.session.scalar(select(func.count(Holiday.id))) == 0
        due = DeadlineRule(office).due_from(date(2027, 4, 9))
    assert client.post("/requests/holidays/copy", data={"year": "2027"}).status_code == 302
    page = client.get("/requests/holidays?year=2027").get_data(as_text=True)
    assert "/delete" in page and "/requests/holidays/copy" not in page
    with app.app_context():
        assert db.session.get(HolidayYear, 2027) is not None
        assert DeadlineRule(office).due_from(date(2027, 4, 9)) == due
    # An admin's first change to an uncopied year copies it first: the new day is added to it.
    assert (
        client.post(
            "/requests/holidays", data={"day": "02/05/2571", "name": "วันหยุดพิเศษ", "office_id": 0}
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(HolidayYear, 2028) is not None
        names = set(
            db.session.scalars(
                select(Holiday.name).where(
                    Holiday.day.between(date(2028, 1, 1), date(2028, 12, 31))
                )
            )
        )
        assert "วันหยุดพิเศษ" in names and "วันสงกรานต์" in names


def test_remind_marks_due_soon_and_overdue(app, runner, make_office, make_user):
    office = make_office("NSW")
    overdue_id, _, _ = _make(app, office, received_at=now_utc() - timedelta(days=60))
    fresh_id, _, _ = _make(app, office)
    with app.app_context():
        inquiry = db.session.get(Inquiry, fresh_id)
        # Due in two working days' time: inside the three-working-day window.
        from infocenter.inquiries.deadlines import DeadlineRule

        inquiry.due_date = DeadlineRule(office).add_working_days(local_today(), 2)
        db.session.commit()
    result = runner.invoke(args=["inquiries", "remind"])
    assert result.exit_code == 0, result.output
    assert "overdue: 1, due soon: 1" in result.output and "no e-mail" in result.output
    with app.app_context():
        assert db.session.get(Inquiry, overdue_id).alert == "overdue"
        assert db.session.get(Inquiry, fresh_id).alert == "due_soon"
        waiting = db.session.get(Inquiry, overdue_id)
        transition(waiting, "acknowledged", None)
        transition(waiting, "waiting", None, note="รอค่าธรรมเนียม")
        db.session.commit()
    result = runner.invoke(args=["inquiries", "remind"])
    assert "overdue: 0, due soon: 1, cleared: 1" in result.output
