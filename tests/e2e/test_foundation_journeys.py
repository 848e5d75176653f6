"""Journeys through the foundation in a real browser: home page, login, an admin adds a user."""

import pytest

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def test_home_page_in_thai(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert "ศูนย์ข้อมูลข่าวสาร" in page.title()
    assert page.get_by_role("heading", level=1).inner_text().startswith("ศูนย์ข้อมูลข่าวสาร")
    screenshot(page, "home")


def test_admin_adds_a_user_who_then_logs_in(page):
    login(page, "demo-admin")
    page.goto("/admin/users/new")
    page.get_by_label("ชื่อผู้ใช้").fill("e2e-clerk")
    page.get_by_label("ชื่อ–นามสกุล").fill("นางสาวทดสอบ ระบบดี")
    page.get_by_label("บทบาท").select_option("clerk")
    page.get_by_label("รหัสผ่าน").fill("e2e-password-123")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url("**/admin/users")
    assert page.get_by_text("บันทึกผู้ใช้ e2e-clerk แล้ว").is_visible()
    screenshot(page, "admin-users")
    page.get_by_role("button", name="ออกจากระบบ").click()
    login(page, "e2e-clerk", "e2e-password-123")
    assert "นางสาวทดสอบ ระบบดี" in page.content()


def test_wrong_password_message_in_the_browser(page):
    page.goto("/login")
    page.get_by_label("ชื่อผู้ใช้").fill("demo-clerk")
    page.get_by_label("รหัสผ่าน").fill("not-the-password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert page.get_by_role("alert").inner_text().startswith("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    assert page.get_by_label("ชื่อผู้ใช้").input_value() == "demo-clerk"


@pytest.mark.parametrize("path", ["/", "/about", "/login"])
def test_public_pages_have_no_serious_accessibility_violations(page, path):
    page.goto(path)
    assert axe_violations(page) == []


def test_focus_is_visible_and_skip_link_works(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "ข้ามไปยังเนื้อหา" in focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
