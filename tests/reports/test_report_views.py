"""The reports page: make a report, list and download it, a supervisor acknowledges it."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from infocenter.extensions import db
from infocenter.reports.models import Report


def make(client, **data):
    form = {"fiscal_year": "2563", "quarter": "2", "office": "all", "thai_digits": "y", **data}
    return client.post("/reports/", data=form)


def test_clerk_makes_lists_and_downloads_a_report(app, client, login_as, events):
    login_as("clerk", office_id=events["a"])
    response = make(client, office=str(events["a"]))
    assert response.status_code == 302
    page = client.get("/reports/").get_data(as_text=True)
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        code, sha = report.code, report.sha256
        assert report.generated_by.username == "clerk1" and report.generated_via == "web"
    assert code in page and "รอผู้บังคับบัญชารับทราบ" in page
    with client.get(f"/reports/{report.id}.pdf") as r:
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert hashlib.sha256(r.data).hexdigest() == sha


def test_clerk_of_a_district_cannot_report_on_all_offices(app, client, login_as, events):
    login_as("clerk", office_id=events["b"])
    response = make(client, office="all")
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(
        as_text=True
    ) or "ไม่ถูกต้อง" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Report.id))) == 0


def test_bad_year_keeps_the_input_and_says_what_to_type(app, client, login_as, events):
    login_as("admin")
    response = make(client, fiscal_year="63")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "กรุณาระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2563" in body and 'value="63"' in body


def test_future_quarter_is_refused(app, client, login_as, events):
    login_as("admin")
    response = make(client, fiscal_year="2700", quarter="1")
    assert "ไตรมาสนี้ยังไม่เริ่ม" in response.get_data(as_text=True)


def test_supervisor_acknowledges_once_and_clerk_cannot(
    app, client, login_as, auth, make_user, events
):
    login_as("admin")
    assert make(client).status_code == 302
    with app.app_context():
        report_id = db.session.scalars(select(Report.id)).one()
    auth.logout()
    login_as("clerk")
    assert client.post(f"/reports/{report_id}/acknowledge", data={"note": ""}).status_code == 403
    auth.logout()
    supervisor = login_as(
        "supervisor", office_id=events["a"]
    )  # provincial supervisor sees all offices
    response = client.post(
        f"/reports/{report_id}/acknowledge", data={"note": "รับทราบ ให้ปรับปรุงหมวด ๙(๕)"}
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.get(Report, report_id)
        assert report.acknowledged_by.username == supervisor and report.acknowledged_at is not None
        first = report.acknowledged_at
    client.post(f"/reports/{report_id}/acknowledge", data={"note": "again"})
    with app.app_context():
        assert db.session.get(Report, report_id).acknowledged_at == first
    page = client.get("/reports/").get_data(as_text=True)
    assert "รับทราบแล้ว" in page and "ให้ปรับปรุงหมวด" in page


def test_district_staff_do_not_see_other_offices_reports(app, client, login_as, auth, events):
    login_as("admin")
    make(client)  # all offices
    with app.app_context():
        report_id = db.session.scalars(select(Report.id)).one()
    auth.logout()
    login_as("clerk", office_id=events["b"])
    assert client.get(f"/reports/{report_id}.pdf").status_code == 404
    assert "RPT-" not in client.get("/reports/").get_data(as_text=True)
