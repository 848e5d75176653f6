"""The index, search, privacy, login and error pages in English: labels, form errors, flash
messages, import and upload errors, Section codes in Arabic digits — and Thai stays the default."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from infocenter.catalogue.models import IndexEntry
from infocenter.extensions import db
from infocenter.thai import DateParseError, parse_thai_date
from tests.factories import entry_form, make_entry

HEADER = "ref,title,category,date,summary,keywords,location\n"


def _form(app, office_id, **over):
    return entry_form(app, office_id, **{"title": "แผนปฏิบัติการประจำปี", **over})


@pytest.fixture
def clerk(app, login_as, make_office):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    return office


def _english(client):
    assert client.post("/lang/en").status_code == 302


def test_entry_form_errors_and_flash_in_english(app, client, clerk):
    # Thai by default.
    page = client.post(
        "/staff/index/new", data=_form(app, clerk, title="", doc_date="31/02/2563")
    ).get_data(as_text=True)
    assert "กรุณากรอกชื่อเรื่อง" in page and "ไม่มีวันที่ “31/02/2563” ในปฏิทิน" in page

    _english(client)
    page = client.get("/staff/index/new").get_data(as_text=True)
    assert "Add an entry to the index" in page and ">Section 9 category<" in page
    assert (
        "Section 15(5) personal information" in page
        and "Partly disclosed (partly withheld)" in page
    )
    assert "มาตรา ๑๕" not in page and "เปิดเผยบางส่วน" not in page
    page = client.post(
        "/staff/index/new",
        data=_form(app, clerk, title="", doc_date="31/02/2563", disclosure="partial"),
    ).get_data(as_text=True)
    assert "Please enter the title" in page
    assert "There is no date “31/02/2563” in the calendar" in page
    assert "Please choose the ground for withholding under Section 14 or 15" in page
    assert "Not saved yet" in page and "กรุณา" not in page

    response = client.post("/staff/index/new", data=_form(app, clerk, doc_date="29 Apr 2020"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Saved “แผนปฏิบัติการประจำปี”." in page and "History of changes" in page and ">Create<" in page
    )
    with app.app_context():
        entry = db.session.scalars(select(IndexEntry)).one()
        assert entry.doc_date == date(2020, 4, 29)
        entry_id = entry.id
    # The edit form offers the date the English way, and it reads back.
    page = client.get(f"/staff/index/{entry_id}/edit").get_data(as_text=True)
    assert 'value="29 Apr 2020"' in page
    response = client.post(f"/staff/index/{entry_id}/withdraw", data={"reason": ""})
    assert response.status_code == 400
    assert "Please give the reason for withdrawing the entry" in response.get_data(as_text=True)
    client.post(f"/staff/index/{entry_id}/withdraw", data={"reason": "มีฉบับใหม่"})
    page = client.get(f"/staff/index/{entry_id}").get_data(as_text=True)
    assert (
        "The entry has been withdrawn from the public index" in page
        and "Withdrawn. Reason: มีฉบับใหม่" in page
    )


def test_upload_error_in_english(app, client, clerk):
    entry_id = make_entry(app, clerk)
    response = client.post(
        f"/staff/index/{entry_id}/files",
        data={"file": (io.BytesIO(b"plain text"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert "ไม่รับไฟล์ประเภทนี้" in response.get_data(as_text=True)
    _english(client)
    response = client.post(
        f"/staff/index/{entry_id}/files",
        data={"file": (io.BytesIO(b"plain text"), "a.pdf")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This type of file is not accepted (checked from its content, not its extension)" in page
    assert "JPEG or PNG" in page and "ไม่รับ" not in page


def test_import_page_in_english(app, client, clerk):
    bad = (HEADER + "1,,9(3),,,,\n2,แผน,9(12),วันอังคาร,,,\n").encode()
    page = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(bad), "bad.csv"), "office_id": clerk},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "แถวที่ 2: ไม่มีชื่อเรื่อง" in page  # Thai by default
    _english(client)
    page = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(bad), "bad.csv"), "office_id": clerk},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Row 2: No title; please enter the document" in page and "(column title)" in page
    assert (
        "Row 3: Unknown category “9(12)”" in page
        and "Row 3: Cannot read the date “วันอังคาร”" in page
    )
    assert "3 errors found. Nothing has been imported." in page
    page = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(b"x"), "index.txt"), "office_id": clerk},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Row 1: column ชื่อเรื่อง, หมวด not found" in page  # a one-column text file
    good = (HEADER + "1,แผนปฏิบัติการ,๙(๓),2020-10-05,,,\n2,คู่มือ,9(4),,,,\n").encode()
    page = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(good), "index.csv"), "office_id": clerk},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Preview of the import (2 entries)" in page and "Confirm: import 2 entries" in page
    assert "Published · Open" in page and "<td>9(3)</td>" in page
    response = client.post("/staff/index/import/confirm")
    assert "Imported 2 entries." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_public_pages_in_english(app, client, make_office):
    office = make_office("NSW")
    make_entry(
        app,
        office,
        title="แผนปฏิบัติการ",
        ref="นว 1/2563",
        doc_date=date(2020, 4, 29),
        disclosure="partial",
        withheld_ground="15(5)",
        location="ตู้ 2",
    )
    _english(client)
    page = client.get("/search?q=แผนปฏิบัติการ").get_data(as_text=True)
    assert "1 entry found for “แผนปฏิบัติการ”" in page and "No. นว 1/2563" in page
    assert ">9(3)</span>" in page and "๙(๓)" not in page
    page = client.get("/search?q=ไม่มีเรื่องนี้").get_data(as_text=True)
    assert "No information matches “ไม่มีเรื่องนี้”." in page and "Browse by category" in page
    entry_id = client.get("/api/v1/documents").get_json()["items"][0]["id"]
    page = client.get(f"/documents/{entry_id}").get_data(as_text=True)
    assert "Section 9(3)" in page and "29 April 2020" in page
    assert (
        "Partly disclosed (partly withheld) — partly withheld under Section 15(5) personal "
        "information" in page
    )
    assert "No file online." in page and "kept at: ตู้ 2" in page
    page = client.get(f"/documents/{entry_id}/print").get_data(as_text=True)
    assert '<html lang="en">' in page and "Back to the entry" in page
    page = client.get("/categories").get_data(as_text=True)
    assert (
        "Section 9 information categories" in page and "Section 9(8)" in page and "9(8).1" in page
    )
    page = client.get("/privacy").get_data(as_text=True)
    assert "Privacy notice" in page and "<strong>without storing IP addresses</strong>" in page


def test_staff_index_pages_in_english(app, client, login_as):
    login_as("admin")
    _english(client)
    page = client.get("/staff/index/completeness?year=2563&quarter=9").get_data(as_text=True)
    assert "The chosen quarter is not valid; showing the current quarter instead." in page
    page = client.get("/staff/index/completeness?year=2563&quarter=3").get_data(as_text=True)
    assert "Quarter 3, fiscal year B.E. 2563 (1 April 2020 – 30 June 2020)" in page
    assert "Categories with no public entry yet: Section 9(1), Section 9(2)" in page
    page = client.get("/staff/index").get_data(as_text=True)
    assert "0 entries" in page and "No entries match the chosen filters." in page
    form = {
        "code": "9(8).9",
        "name_th": "ทดสอบ",
        "review_months": 200,
        "sort_order": 90,
        "active": "y",
    }
    page = client.post("/staff/index/categories/new", data=form).get_data(as_text=True)
    assert "Enter 1 to 120 months" in page and "ระบุ" not in page
    page = client.post(
        "/staff/index/categories/new", data=form | {"code": "9(7).1", "review_months": 12}
    ).get_data(as_text=True)
    assert "code must start with “9(8).”, e.g. 9(8).4" in page
    response = client.post(
        "/staff/index/categories/new",
        data={
            "code": "9(8).9",
            "name_th": "ทดสอบ",
            "review_months": 12,
            "sort_order": 90,
            "active": "y",
        },
    )
    assert "Saved category 9(8).9." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_password_form_error_in_english(client, login_as):
    login_as("clerk")
    form = {"current": "x", "new": "long-enough-password", "confirm": "different-password"}
    assert "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน" in client.post("/account/password", data=form).get_data(
        as_text=True
    )
    _english(client)
    assert "The two new passwords differ" in client.post("/account/password", data=form).get_data(
        as_text=True
    )


def test_date_errors_follow_the_language_and_stay_thai_outside_a_request(app):
    with pytest.raises(DateParseError) as error:
        parse_thai_date("31/02/2563")
    assert str(error.value) == "ไม่มีวันที่ “31/02/2563” ในปฏิทิน กรุณาตรวจสอบวัน เดือน ปี"
    with app.test_request_context("/") as ctx:
        ctx.session["lang"] = "en"
        assert (
            str(error.value)
            == "There is no date “31/02/2563” in the calendar. Please check the day, month and "
            "year."
        )
    assert parse_thai_date("29 Apr 2020") == parse_thai_date("29 april 2020") == date(2020, 4, 29)
