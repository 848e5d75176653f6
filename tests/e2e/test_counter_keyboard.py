"""The counter never records the wrong thing, tried as a clerk would: keyboard only, in Chromium.
Thai digits in the page fields, an exact reference and Enter, a double Enter, Tab through the
form, and leaving with typed input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from infocenter.counter.models import FeeRate, Visit
from infocenter.extensions import db

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def _visits(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Visit.id)))


def _newest(app) -> Visit:
    with app.app_context():
        visit = db.session.scalars(select(Visit).order_by(Visit.id.desc()).limit(1)).one()
        db.session.expunge(visit)
        return visit


@pytest.fixture(scope="module")
def lookalikes(live_app) -> dict[str, int]:
    """Published look-alike references in the demo clerk's office: {ref: id}."""
    from infocenter.auth.models import User
    from infocenter.catalogue.models import Category, IndexEntry

    with live_app.app_context():
        office = db.session.scalar(select(User.office_id).where(User.username == "demo-clerk"))
        category = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        refs = {}
        for ref in ("นว 0015/14", "นว 0015/12", "นว 0015/1", "นว 0015/10"):
            entry = db.session.scalar(select(IndexEntry).where(IndexEntry.ref == ref))
            if entry is None:
                entry = IndexEntry(
                    office_id=office,
                    category_id=category,
                    ref=ref,
                    state="published",
                    title=f"คำสั่งจังหวัดทดสอบเลขที่ {ref}",
                )
                db.session.add(entry)
                db.session.flush()
            refs[ref] = entry.id
        db.session.commit()
        return refs


def _counter(page) -> None:
    login(page, "demo-clerk")
    page.goto("/counter")
    page.wait_for_load_state("load")


def test_thai_digits_typed_in_pages_are_saved_with_their_fee(page, live_app):
    _counter(page)
    before = _visits(live_app)
    page.focus("#pages_copied")
    page.keyboard.press("Control+A")
    page.keyboard.type("๑๒")
    assert page.input_value("#pages_copied") == "๑๒"  # the browser kept what was typed
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _visits(live_app) == before + 1
    visit = _newest(live_app)
    with live_app.app_context():
        rate = db.session.get(FeeRate, visit.fee_rate_id)
        assert visit.pages_copied == 12 and visit.fee_satang == 12 * rate.satang > 0


def test_a_typed_reference_and_enter_links_that_entry_and_no_other(page, live_app, lookalikes):
    _counter(page)
    before = _visits(live_app)
    page.focus("#entries")
    page.keyboard.type("นว 0015/1")
    # Suggestions open (none chosen); Enter keeps what was typed and saves.
    page.wait_for_selector("#entry-suggestions [role=option]", state="visible")
    assert page.locator("#entry-suggestions [aria-selected=true]").count() == 0
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _visits(live_app) == before + 1
    assert _newest(live_app).entry_ids == [lookalikes["นว 0015/1"]]


def test_arrow_keys_choose_a_suggestion(page, live_app, lookalikes):
    _counter(page)
    page.focus("#entries")
    page.keyboard.type("นว 0015/1")
    page.wait_for_selector("#entry-suggestions [role=option]", state="visible")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses the suggestion, does not save
    assert page.input_value("#entries").startswith("#")
    assert "/counter" in page.url and page.locator("#entry-suggestions").is_hidden()


def test_a_double_enter_saves_one_visit(page, live_app):
    _counter(page)
    before = _visits(live_app)
    page.focus("#visitor_name")
    page.keyboard.type("ผู้มาติดต่อกดซ้ำ")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)  # let a second request, if any was sent, be saved
    assert page.get_by_text("บันทึกผู้ใช้บริการรายที่").count() >= 1
    assert _visits(live_app) == before + 1


def test_tab_from_the_contact_field_stays_in_the_form(page):
    _counter(page)
    page.focus("#visitor_contact")
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, type: e.type || '', href: e.getAttribute('href'),
                    inForm: !!e.closest('#visit-form'),
                    text: (e.innerText || e.id || '').slice(0, 40)}; }""")
        seen.append(focused)
        if focused["tag"] == "BUTTON" and focused["type"] == "submit":
            break
    assert seen[-1]["tag"] == "BUTTON", seen
    leaving = [f for f in seen if f["tag"] == "A"]
    assert not leaving, f"a link that leaves the page is in the form's tab order: {leaving}"
    assert all(f["inForm"] for f in seen), seen


def test_leaving_with_typed_input_asks_first(page):
    _counter(page)
    page.focus("#note")
    page.keyboard.type("ขอสำเนาคำสั่งจังหวัด")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator("a[accesskey=n]").focus()  # "clear the form" leaves the page
    page.keyboard.press("Enter")
    page.wait_for_timeout(1000)
    assert asked == ["beforeunload"]
    assert page.input_value("#note") == "ขอสำเนาคำสั่งจังหวัด"


def test_a_refused_visit_focuses_the_error_summary(page, live_app):
    _counter(page)
    page.focus("#entries")
    page.keyboard.type("นว 9999/99")
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible() and "“นว 9999/99”" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    page.keyboard.press("Tab")  # the first error's link
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "entries"
    assert page.input_value("#entries") == "นว 9999/99"
    assert axe_violations(page) == []
