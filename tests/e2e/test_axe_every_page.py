"""axe-core on every page of the route table that renders HTML, as an administrator (who sees
every staff page) in Thai and English, on a desktop (1366 px) and a phone (375 px): no critical
and no serious violation. One browser context per language and width, reused for every page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from infocenter.extensions import db

from .conftest import DEMO_PASSWORD, axe_violations

pytestmark = pytest.mark.browser

# Not HTML pages: files, feeds, JSON, PDFs and assets.
NOT_HTML = (
    "static",
    "bootstrap.static",
    "main.font",
    "ops.healthz",
    "publishing.image",
    "catalogue.download",
    "catalogue.staff_download",
    "inquiries.download",
    "catalogue.export_entries",
)


def _first_ids(app) -> dict[str, object]:
    """An existing record for each URL parameter of the route table."""
    from infocenter.admin.models import Office
    from infocenter.auth.models import User
    from infocenter.catalogue.models import Category, IndexEntry
    from infocenter.counter.models import FeeRate, Visit, VisitorType
    from infocenter.inquiries.models import Inquiry
    from infocenter.publishing.models import LineGroup, Post
    from infocenter.thai import local_today

    with app.app_context():

        def first(model, *where):
            return db.session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))

        return {
            "office_id": first(Office),
            "user_id": first(User),
            "visit_id": first(Visit, Visit.voided_at.is_(None)),
            "rate_id": first(FeeRate),
            "item_id": first(VisitorType),
            "kind": "types",
            "entry_id": first(IndexEntry, IndexEntry.state == "published"),
            "inquiry_id": first(Inquiry),
            "category_id": first(Category),
            "group_pk": first(LineGroup),
            "post_id": first(Post),
            "month": local_today().strftime("%Y-%m"),
        }


def html_pages(app) -> list[str]:
    ids = _first_ids(app)
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if (
            "GET" not in rule.methods
            or rule.endpoint in NOT_HTML
            or rule.endpoint.startswith("catalogue_api.")
        ):
            continue
        if rule.rule.endswith((".pdf", ".atom", ".csv", ".xlsx", ".json", ".xml", ".txt")):
            continue  # files, not pages
        if any(ids.get(arg) is None for arg in rule.arguments):
            continue  # no such record in the demo data
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", str(ids[arg])).replace(f"<{arg}>", str(ids[arg]))
        urls.append(path)
    return urls


# List pages whose filter changes how rows are drawn (overdue rows in red, badges per state):
# scanned as filtered too, so the styling axe checks is the one people see.
FILTERED = (
    "/requests/?status=overdue",
    "/requests/?status=all",
    "/staff/index?state=draft",
    "/staff/index?state=withdrawn",
    "/staff/plan?status=late",
    "/staff/plan?status=done",
    "/staff/posts?state=draft",
    "/staff/posts?state=scheduled",
)
# Rows that must be on the page when it is scanned (else the check proves nothing).
MUST_SHOW = {"/requests/?status=overdue": "tr.overdue"}


def _an_overdue_request(app) -> None:
    """At least one open request past its due date (the demo's may all be answered in time)."""
    from datetime import timedelta

    from infocenter.admin.models import Office
    from infocenter.inquiries.models import OPEN_STATUSES, Inquiry
    from infocenter.inquiries.operations import NewInquiry, create_inquiry
    from infocenter.thai import local_today, now_utc

    with app.app_context():
        overdue = db.session.scalar(
            select(Inquiry.id).where(
                Inquiry.status.in_(OPEN_STATUSES),
                Inquiry.status != "waiting",
                Inquiry.due_date < local_today(),
            )
        )
        if overdue is None:
            from infocenter.audit import acting_as

            with acting_as("e2e"):
                create_inquiry(
                    NewInquiry(
                        office_id=db.session.scalar(Office.main_query(Office.id)),
                        channel="letter",
                        received_at=now_utc() - timedelta(days=60),
                        requester_name="นายทดสอบ เกินกำหนด",
                        subject="ขอสำเนาคำสั่งแต่งตั้งคณะกรรมการ",
                        is_demo=True,
                    )
                )
                db.session.commit()


@pytest.mark.parametrize("language, width", [("th", 1366), ("en", 1366), ("th", 375), ("en", 375)])
def test_every_page_has_no_serious_accessibility_violation(browser, live_server, language, width):
    _an_overdue_request(live_server.app)
    context = browser.new_context(
        base_url=live_server, locale="th-TH", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.fill("#username", "demo-admin")
        page.fill("#password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/staff")
        if language == "en":
            page.goto("/")
            with page.expect_navigation():  # the button is in the collapsed menu on a phone
                page.locator("button[lang=en]").first.evaluate(
                    "button => button.form.requestSubmit(button)"
                )
            assert page.locator("html").get_attribute("lang") == "en"
        found = {}
        pages = html_pages(live_server.app)
        assert len(pages) > 50
        for url in pages + list(FILTERED):
            response = page.goto(url)
            assert response.ok and "/login" not in page.url, url
            if url in MUST_SHOW:
                assert page.locator(MUST_SHOW[url]).count() > 0, url
            violations = axe_violations(page)
            if violations:
                found[url] = violations
        assert not found, "\n".join(f"{url}: {v}" for url, vs in found.items() for v in vs)
    finally:
        context.close()
