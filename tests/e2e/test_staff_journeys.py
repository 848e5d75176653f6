"""Staff journeys in a real browser: a clerk logs a visit with the keyboard only and edits it;
a supervisor makes, downloads and acknowledges the quarterly report; the dashboard."""

import pytest
from sqlalchemy import func, select

from infocenter.counter.models import Visit
from infocenter.extensions import db

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def _public_entry(app) -> tuple[int, str]:
    from infocenter.catalogue.models import IndexEntry

    with app.app_context():
        entry = db.session.scalars(
            select(IndexEntry)
            .where(IndexEntry.state == "published", IndexEntry.disclosure == "open")
            .limit(1)
        ).first()
        return entry.id, entry.title


def _visit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Visit.id)))


def test_clerk_logs_a_visit_with_the_keyboard_only_and_edits_it(page, live_app):
    login(page, "demo-clerk")
    page.goto("/counter")
    before = _visit_count(live_app)
    entry_id, _ = _public_entry(live_app)
    # Focus starts on the first field; choose options by typing and move with Tab.
    focused = page.evaluate("document.activeElement.id")
    assert focused == "visitor_type_id"
    page.keyboard.press("ArrowDown")  # another visitor type
    page.keyboard.press("Tab")  # purpose
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # channel: keep walk-in
    page.keyboard.press("Tab")  # outcome: keep served in full
    page.keyboard.press("Tab")  # entries consulted
    page.keyboard.type(f"#{entry_id}")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # pages copied
    page.keyboard.type("4")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter saves
    assert _visit_count(live_app) == before + 1
    assert page.get_by_role("status").first.is_visible()
    screenshot(page, "counter")
    # Edit the visit just saved, still by keyboard: focus its edit link and press Enter.
    edit_link = page.locator('a[href^="/counter/"][href$="/edit"]').first
    edit_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/edit")
    page.get_by_label("หมายเหตุ").fill("ขอสำเนาแผนปฏิบัติการเพิ่ม")
    with page.expect_navigation():
        page.get_by_role("button", name="บันทึก").first.press("Enter")
    with live_app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(Visit.note == "ขอสำเนาแผนปฏิบัติการเพิ่ม")) == 1
        )
    assert axe_violations(page) == []


def test_counter_is_accessible(page):
    login(page, "demo-clerk")
    page.goto("/counter")
    assert axe_violations(page) == []


def test_clerk_pages_back_through_the_register_of_earlier_days(page, live_app):
    login(page, "demo-clerk")
    page.goto("/counter")
    page.get_by_role("link", name="ทะเบียนผู้ใช้บริการทั้งหมดของวันนี้และวันก่อน ๆ").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("ทะเบียนผู้ใช้บริการ วันที่")
    page.get_by_role("link", name="« วันก่อน").click()
    assert "day=" in page.url and page.get_by_role("link", name="วันถัดไป »").is_visible()
    page.get_by_label("วันที่").fill("31/02/2569")
    page.get_by_role("button", name="แสดง").click()
    assert page.get_by_text("ไม่มีวันที่ “31/02/2569” ในปฏิทิน").is_visible()
    assert page.get_by_label("วันที่").input_value() == "31/02/2569"  # kept as typed
    # Back through the demo register until a day with visits: its rows and totals are shown.
    for _ in range(14):
        page.get_by_role("link", name="« วันก่อน").click()
        if page.locator("#todays-visits").count():
            break
    rows = page.locator("#todays-visits tbody tr").count()
    assert 0 < rows <= 50 and page.locator("#day-totals").is_visible()
    screenshot(page, "counter-register")
    assert axe_violations(page) == []


def test_supervisor_makes_downloads_and_acknowledges_the_quarterly_report(page):
    login(page, "demo-supervisor")
    page.goto("/reports/")
    page.get_by_label("หน่วยงาน").first.select_option(index=1)  # the provincial office alone
    page.get_by_role("button", name="จัดทำรายงาน").click()
    # Made in the background: the status page says so politely, asks again by itself (job.js)
    # and offers the file when it is done.
    page.wait_for_url("**/reports/jobs/*")
    assert page.locator("#job-status[aria-live=polite]").count() == 1
    link = page.get_by_role("link", name="ดาวน์โหลด PDF")
    link.wait_for(timeout=180_000)
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.body()[:5] == b"%PDF-"
    assert axe_violations(page) == []
    page.get_by_role("link", name="กลับไปหน้ารายงาน").click()
    page.get_by_role("button", name="รับทราบรายงาน").first.click()
    page.wait_for_load_state()
    assert "นางสาวพรทิพย์ ศรีสวัสดิ์" in page.content()  # who acknowledged
    screenshot(page, "reports")


def test_dashboard_shows_charts_and_is_accessible(page):
    login(page, "demo-supervisor")
    page.goto("/dashboard")
    assert page.locator("svg.chart").count() >= 1
    screenshot(page, "dashboard")
    assert axe_violations(page) == []
