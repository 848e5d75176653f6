"""The supervisor's dashboard in a real browser (issue 16): filter by office, a quarter in
progress compared with the same days of the previous quarter, and every link opens."""

import pytest

from infocenter.thai import FiscalQuarter, local_today

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def test_supervisor_filters_the_dashboard_by_office(page):
    login(page, "demo-supervisor")
    page.goto("/dashboard")
    assert page.locator("#offices-table tbody tr").count() >= 2  # every office side by side
    district = page.locator("#office option").nth(2)
    name = district.inner_text().strip()
    page.locator("#office").select_option(index=2)
    with page.expect_navigation():
        page.get_by_role("button", name="แสดง").click()
    assert "office=" in page.url
    assert name in page.locator("main p.text-muted").first.inner_text()
    assert page.locator("#offices-table").count() == 0
    assert page.locator("#office").input_value() != ""
    screenshot(page, "dashboard-office")
    assert axe_violations(page) == []


def test_mid_quarter_the_comparison_says_same_period(page):
    if local_today() == FiscalQuarter.of(local_today()).end:
        pytest.skip("today is the quarter's last day: the quarter is whole")
    login(page, "demo-supervisor")
    page.goto("/dashboard")
    assert "ถึงวันที่" in page.locator("#as-of").inner_text()
    assert "ช่วงเดียวกันของไตรมาสก่อน" in page.locator("main").inner_text()


def test_every_dashboard_link_opens_for_a_supervisor(page):
    login(page, "demo-supervisor")
    page.goto("/dashboard")
    hrefs = page.locator("main a[href^='/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert any(h.startswith("/dashboard/visits") for h in hrefs)
    for href in sorted(set(hrefs)):
        response = page.request.get(href)
        assert response.status == 200, (href, response.status)
    page.locator("main a[href^='/dashboard/visits']").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ผู้มาติดต่อที่ศูนย์"
