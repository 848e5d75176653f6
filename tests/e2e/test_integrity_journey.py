"""The integrity plan in a real browser: a clerk links an index entry as evidence, a supervisor
sees the activity turn done, a citizen opens the evidence from /transparency."""

import pytest
from sqlalchemy import select

from infocenter.extensions import db

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def _late_activity_and_public_entry(app) -> tuple[int, str, int, str]:
    from infocenter.catalogue.models import IndexEntry
    from infocenter.integrity.stats import plan_for_year, plan_progress

    with app.app_context():
        late = next(
            p.activity
            for p in plan_progress(plan_for_year())
            if p.status == "late" and p.activity.provincial and not p.activity.districts
        )
        entry = db.session.scalars(
            select(IndexEntry)
            .where(
                IndexEntry.state == "published",
                IndexEntry.disclosure == "open",
                IndexEntry.office_id
                == db.session.scalar(select(IndexEntry.office_id).order_by(IndexEntry.office_id)),
            )
            .order_by(IndexEntry.id.desc())
            .limit(1)
        ).first()
        return late.id, late.code, entry.id, entry.title


def test_clerk_links_evidence_supervisor_sees_done_citizen_opens_it(browser, live_server, live_app):
    activity_id, code, entry_id, title = _late_activity_and_public_entry(live_app)

    clerk = browser.new_context(base_url=live_server, locale="th-TH").new_page()
    login(clerk, "demo-clerk")
    clerk.goto("/staff/plan?status=late")
    clerk.get_by_role("link", name=code, exact=True).first.click()
    clerk.wait_for_url(f"**/staff/plan/activities/{activity_id}")
    clerk.get_by_label("เลขรายการหรือเลขที่หนังสือในดัชนี").fill(str(entry_id))
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="เชื่อมหลักฐาน").click()
    assert clerk.locator("#evidence").get_by_text(title).first.is_visible()
    assert axe_violations(clerk) == []
    screenshot(clerk, "integrity-activity")
    clerk.context.close()

    supervisor = browser.new_context(base_url=live_server, locale="th-TH").new_page()
    login(supervisor, "demo-supervisor")
    supervisor.goto("/staff/plan?status=done")
    row = supervisor.locator("tr", has=supervisor.get_by_role("link", name=code, exact=True))
    assert row.locator('[data-status="done"]').first.is_visible()
    supervisor.context.close()

    citizen = browser.new_context(base_url=live_server, locale="th-TH").new_page()
    citizen.goto("/transparency")
    assert axe_violations(citizen) == []
    citizen.locator(f"#activity-{activity_id}").get_by_role("link", name=title).first.click()
    citizen.wait_for_url(f"**/documents/{entry_id}")
    assert citizen.get_by_role("heading", name=title).first.is_visible()
    screenshot(citizen, "integrity-transparency-document")
    citizen.context.close()
