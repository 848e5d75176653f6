"""English on the counter, admin, dashboard and profile pages: labels, form errors, flash messages,
import errors, charts and the fee preview's words; Thai stays the default."""

from __future__ import annotations

import io
import re

from infocenter.admin.models import Office
from infocenter.audit import AuditEntry
from infocenter.counter.models import CHANNELS, Visit
from infocenter.extensions import db
from tests.factories import REGISTER_ROWS, csv_bytes, form


def english(client) -> None:
    client.post("/lang/en")


def test_counter_page_form_and_flash_in_english(app, client, login_as, lists):
    login_as("clerk")
    english(client)
    page = client.get("/counter").get_data(as_text=True)
    assert "Service counter — record a visit" in page and ">Visitor type<" in page
    assert ">In person<" in page and ">Served in full<" in page and "5 Very satisfied" in page
    # The fee preview's words for counter.js come from the page, in its language.
    assert 'data-amount="{amount} baht"' in page and 'data-locale="en-GB"' in page
    assert "Personal data notice:" in page and "Section 24(4)" in page

    # A form error: more pages certified than copied.
    page = client.post(
        "/counter", data=form(lists, pages_copied="1", pages_certified="3")
    ).get_data(as_text=True)
    assert "Pages certified cannot exceed the pages copied" in page
    assert "จำนวนหน้ารับรอง" not in page

    # The flash message after saving, with the fee.
    page = client.post(
        "/counter", data=form(lists, pages_copied="2"), follow_redirects=True
    ).get_data(as_text=True)
    assert re.search(r"Visit no\. \d+ recorded, fee 2\.00 baht", page)
    assert ">Today&#39;s visitors" in page or ">Today's visitors" in page
    assert "2 pages" in page and "In person" in page


def test_void_and_edit_in_english(app, client, login_as, lists):
    login_as("clerk")
    client.post("/counter", data=form(lists))
    with app.app_context():
        visit_id = db.session.scalar(db.select(Visit.id))
    english(client)
    page = client.get(f"/counter/{visit_id}/edit").get_data(as_text=True)
    assert f"Edit visit no. {visit_id}" in page and "Save changes <small>(Alt+S)</small>" in page
    year = re.search(r'name="visited_at"[^>]*value="\d\d/\d\d/(\d{4}) ', page).group(1)
    assert int(year) < 2400  # the Common Era on English pages (Buddhist Era on Thai ones)

    page = client.post(f"/counter/{visit_id}/void", data={"reason": "x"}).get_data(as_text=True)
    assert "The reason must be 3–500 characters long" in page
    page = client.post(
        f"/counter/{visit_id}/void", data={"reason": "recorded twice"}, follow_redirects=True
    ).get_data(as_text=True)
    assert f"Visit {visit_id} voided" in page and "Voided: recorded twice" in page


def test_import_errors_in_english(app, client, login_as, lists):
    login_as("clerk")
    english(client)
    page = client.get("/counter/import").get_data(as_text=True)
    # English pages name the English column aliases, which the importer accepts too.
    assert "<strong>visitor_type</strong>" in page and "walk_in, phone, letter, email" in page
    bad = [*REGISTER_ROWS, "08/01/2563,,มนุษย์ต่างดาว,ตรวจดูข้อมูล,fax,,,2,3,,,,,,9,"]
    page = client.post(
        "/counter/import",
        data={"file": (io.BytesIO(csv_bytes(bad)), "register.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Nothing was imported." in page
    assert "Row 6: Unknown visitor type “มนุษย์ต่างดาว”" in page
    assert "Row 6: Unknown channel “fax”; allowed: walk_in, phone, letter, email" in page
    assert "Row 6: Satisfaction “9” must be a number from 1 to 5" in page
    page = client.post(
        "/counter/import",
        data={"file": (io.BytesIO(csv_bytes(REGISTER_ROWS)), "register.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Register imported: 3 visits" in page


def test_admin_lists_and_fee_rates_in_english(client, login_as, lists):
    login_as("admin")
    english(client)
    page = client.get("/counter/lists").get_data(as_text=True)
    assert (
        "Add a visitor type" in page and "Add a purpose" in page and "Copying fee per page" in page
    )
    page = client.post(
        "/counter/fees/new",
        data={
            "name": "A3",
            "code": "",
            "kind": "page",
            "baht": "-1",
            "sort_order": "1",
            "active": "y",
        },
    ).get_data(as_text=True)
    assert "Please enter a number from 0 to 100,000" in page
    page = client.post(
        "/counter/lists/types/new",
        data={"name": "Tourist", "code": "", "sort_order": "5", "active": "y"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Visitor type “Tourist” saved" in page


def test_admin_pages_errors_and_flashes_in_english(app, client, login_as):
    login_as("admin")
    english(client)
    with app.app_context():
        office_id = db.session.scalar(db.select(Office.id))
    page = client.get("/admin/offices").get_data(as_text=True)
    assert "Add an office" in page and "Provincial Community Development Office" in page
    page = client.post(
        "/admin/offices/new", data={"code": "x", "name": "", "kind": "district", "parent_id": "0"}
    ).get_data(as_text=True)
    assert (
        "Please enter the office name" in page and "Codes use 2–16 Latin letters or digits" in page
    )
    page = client.post(
        "/admin/settings",
        data={"privacy_retention_days": "5", "public_per_page": "abc"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Must be between 30 and 3650" in page and "Please enter a number" in page
    assert "Not saved yet" in page and "Retention period of visitors" in page
    page = client.post(
        "/admin/settings",
        data={"privacy_retention_days": "200", "public_per_page": "20"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Settings saved" in page
    page = client.post(
        "/admin/users/new",
        data={
            "username": "somchai",
            "full_name": "Somchai",
            "position": "",
            "email": "",
            "role": "clerk",
            "office_id": str(office_id),
            "password": "",
            "active": "y",
        },
    ).get_data(as_text=True)
    assert "A new user needs a password" in page
    # The audit log names actions in English; what it stores stays as stored.
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<td>Edit</td>" in page or "<td>Create</td>" in page
    with app.app_context():
        assert set(db.session.scalars(db.select(AuditEntry.action))) <= {
            "create",
            "update",
            "delete",
        }


def test_dashboard_in_english(client, login_as):
    login_as("clerk")
    english(client)
    page = client.get("/dashboard?fy=2563&q=3").get_data(as_text=True)
    assert "Quarter 3, fiscal year B.E. 2563" in page and "ไตรมาส" not in page
    # The chart: months, legend and title follow the language.
    assert ">Apr 2020</text>" in page and ">Jun 2020</text>" in page and "เม.ย." not in page
    assert ">Visitors at the center</text>" in page
    assert (
        "Service users by month, Quarter 3, fiscal year B.E. 2563: at the center and online" in page
    )


def test_profile_in_english(client, login_as):
    login_as("admin")
    client.post(
        "/admin/profile",
        data={
            "officers": "นางมาลี | เจ้าพนักงาน | เจ้าหน้าที่",
            "appointment_order": "คำสั่งที่ 1",
            "appointment_date": "1/10/2562",
        },
    )
    english(client)
    page = client.get("/admin/profile").get_data(as_text=True)
    # the stored date as every date field shows it on an English page, and reads it back
    assert 'value="1 Oct 2019"' in page
    page = client.post(
        "/admin/profile", data={"officers": "a | b | c | d", "appointment_date": "1/10/2019"}
    ).get_data(as_text=True)
    assert "Line 1: please type it as name | position | duty" in page
    page = client.get("/about").get_data(as_text=True)
    assert "Appointed by คำสั่งที่ 1 dated 1 October 2019" in page and "Officers in charge" in page


def test_thai_stays_the_default(client, login_as, lists):
    login_as("clerk")
    page = client.post("/counter", data=form(lists), follow_redirects=True).get_data(as_text=True)
    assert re.search(r"บันทึกผู้ใช้บริการรายที่ \d+ แล้ว", page) and CHANNELS["walk_in"] in page
    assert 'data-amount="{amount} บาท"' in page and 'data-locale="th-TH"' in page
    page = client.get("/dashboard?fy=2563&q=3").get_data(as_text=True)
    assert "ไตรมาสที่ ๓ ปีงบประมาณ ๒๕๖๓" in page and ">เม.ย. 2563</text>" in page
