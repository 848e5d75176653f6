"""A citizen's journeys in a real browser: search in Thai, open an entry, download its file;
file a Section 11 request online and check its status."""

import re

import pytest
from sqlalchemy import select

from infocenter.catalogue.models import EntryFile, IndexEntry
from infocenter.extensions import db

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def _entry_with_file(app) -> tuple[int, str]:
    with app.app_context():
        entry = db.session.scalars(
            select(IndexEntry)
            .join(EntryFile)
            .where(IndexEntry.state == "published", IndexEntry.disclosure == "open")
            .order_by(IndexEntry.id)
            .limit(1)
        ).first()
        return entry.id, entry.title


def test_citizen_searches_in_thai_opens_an_entry_and_downloads_its_file(page, live_app):
    entry_id, title = _entry_with_file(live_app)
    page.goto("/")
    # Typed the way people type: with "ํา" as two characters if the title has sara am.
    query = title.split(" ")[0].replace("\u0e33", "\u0e4d\u0e32")
    page.get_by_role("searchbox").fill(query)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")
    screenshot(page, "public-search")
    assert page.locator("mark").count() > 0  # matches are highlighted
    page.locator(f'a[href="/documents/{entry_id}"]').first.click()
    page.wait_for_url(f"**/documents/{entry_id}")
    assert page.get_by_role("heading", level=1).inner_text().strip() == title
    screenshot(page, "public-entry")
    # PDFs open in the browser's viewer (inline); fetch the link the citizen clicks.
    link = page.locator(f'a[href^="/documents/{entry_id}/files/"]').first
    file_name = link.inner_text().strip()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert file_name.endswith(".pdf")


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search?q=%E0%B9%81%E0%B8%9C%E0%B8%99")  # "แผน"
    assert page.locator("mark").count() > 0
    context.close()


def test_citizen_files_a_request_and_checks_its_status(page):
    page.goto("/requests/new")
    page.get_by_label("ชื่อ–นามสกุลผู้ขอ").fill("นายประชา ชาวนคร")
    page.get_by_label("อีเมล").fill("pracha@example.com")
    page.get_by_label("ข้อมูลข่าวสารที่ต้องการ").fill("สำเนาสัญญาจ้างเหมาบริการทำความสะอาด ปีงบประมาณ 2568")
    page.get_by_label("ข้าพเจ้าได้อ่านและรับทราบประกาศการคุ้มครองข้อมูลส่วนบุคคลข้างต้นแล้ว").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="ส่งคำขอ").click()
    page.wait_for_url("**/requests/new/done")
    tracking_no = page.locator("#tracking-no").inner_text().strip()
    secret = page.locator("#status-secret").inner_text().strip()
    assert (
        re.search(r"-25\d\d-\d{5}$", tracking_no) and secret
    )  # office code, BE fiscal year, sequence
    screenshot(page, "public-request-done")
    # Later, on another visit: type the number and the secret.
    page.context.clear_cookies()
    page.goto("/requests/status")
    page.get_by_label("เลขที่คำขอ").fill(tracking_no)
    page.get_by_label("รหัสลับ").fill(secret)
    page.keyboard.press("Enter")
    result = page.locator("#status-result")
    result.wait_for()
    assert tracking_no in result.inner_text()
    screenshot(page, "public-request-status")
    # A wrong secret reveals nothing.
    page.goto("/requests/status")
    page.get_by_label("เลขที่คำขอ").fill(tracking_no)
    page.get_by_label("รหัสลับ").fill("wrong-secret")
    page.keyboard.press("Enter")
    page.locator("#status-miss").wait_for()
    assert "pracha@example.com" not in page.content() and "ทำความสะอาด" not in page.content()


@pytest.mark.parametrize(
    "path", ["/search?q=แผน", "/categories", "/requests/new", "/requests/status", "/news"]
)
def test_more_public_pages_have_no_serious_accessibility_violations(page, path):
    page.goto(path)
    assert axe_violations(page) == []


def test_entry_page_is_accessible(page, live_app):
    entry_id, _ = _entry_with_file(live_app)
    page.goto(f"/documents/{entry_id}")
    assert axe_violations(page) == []
