"""Index entries typed at the counter (and in a staff request's entries) are resolved exactly and
only among the entries the clerk may see; anything else is refused with a message naming it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from infocenter.catalogue.models import Category, IndexEntry
from infocenter.counter.models import Visit
from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from tests.factories import form

REFS = [
    "นว 0015/1",
    "นว 0015/14",
    "นว 0015/10",
    "นว 0015/11",
    "นว 0015/12",
    "นว 00151/1",
    " นว 0015/1/2",
]


@pytest.fixture
def refs(app, lists):
    """The look-alike references of the issue, in the default office, published; {ref: id}."""
    with app.app_context():
        from infocenter.admin.operations import ensure_main_office

        office = ensure_main_office().id
        cat = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        entries = [
            IndexEntry(
                office_id=office, category_id=cat, title=f"เรื่อง {r}", ref=r, state="published"
            )
            for r in REFS
        ]
        db.session.add_all(entries)
        db.session.commit()
        return {e.ref: e.id for e in entries}


def linked(app) -> list[list[int]]:
    with app.app_context():
        return [v.entry_ids for v in db.session.scalars(select(Visit).order_by(Visit.id))]


@pytest.mark.parametrize(
    "typed", ["นว 0015/1", "นว0015/1", "นว ๐๐๑๕/๑", "  นว   0015/1 ", "นว๐๐๑๕/๑", "นว 0015/1,"]
)
def test_a_typed_reference_links_that_entry_and_no_other(app, client, login_as, lists, refs, typed):
    login_as("clerk")
    response = client.post("/counter", data=form(lists, entries=typed))
    assert response.status_code == 302
    assert linked(app) == [[refs["นว 0015/1"]]]


def test_ids_typed_with_thai_digits_or_spaces(app, client, login_as, lists, refs):
    login_as("clerk")
    target = refs["นว 0015/14"]
    from infocenter.thai import thai_digits

    response = client.post(
        "/counter", data=form(lists, entries=f"# {thai_digits(target)}; #{target}")
    )
    assert response.status_code == 302
    assert linked(app) == [[target]]


@pytest.mark.parametrize(
    "typed, named",
    [
        ("นว 0015/99", "“นว 0015/99”"),
        ("นว 0015", "“นว 0015”"),
        ("งบประมาณ", "“งบประมาณ”"),
        ("#9999999999999999999", "#9999999999999999999"),
        ("นว 0015/1, นว 0015/77", "“นว 0015/77”"),
    ],
)
def test_a_reference_that_matches_nothing_is_refused_by_name(
    app,
    client,
    login_as,
    lists,
    refs,
    typed,
    named,
):
    login_as("clerk")
    response = client.post("/counter", data=form(lists, entries=typed))
    assert response.status_code == 200
    assert named in response.get_data(as_text=True) and "ไม่พบ" in response.get_data(as_text=True)
    assert linked(app) == []


@pytest.fixture
def other_office(app, make_office):
    """Another office's draft entry and public entry: (office id, draft id, public id)."""
    office = make_office("OTH", kind="district")
    with app.app_context():
        cat = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        draft = IndexEntry(
            office_id=office,
            category_id=cat,
            title="ร่างลับของอีกสำนักงาน",
            ref="อส 0001/9",
            state="draft",
        )
        public = IndexEntry(
            office_id=office,
            category_id=cat,
            title="ประกาศเปิดเผยของอีกสำนักงาน",
            ref="อส 0001/10",
            state="published",
        )
        db.session.add_all([draft, public])
        db.session.commit()
        return office, draft.id, public.id


def test_a_district_clerk_cannot_see_or_link_another_offices_draft(
    app,
    client,
    login_as,
    lists,
    make_office,
    other_office,
):
    _, draft, public = other_office
    login_as("clerk", office_id=make_office("D1", kind="district"))
    for typed in (f"#{draft}", "อส 0001/9", "อส0001/9"):
        page = client.post("/counter", data=form(lists, entries=typed)).get_data(as_text=True)
        assert "ร่างลับของอีกสำนักงาน" not in page and "ไม่พบ" in page, typed
    assert linked(app) == []
    # The other office's public entry may be consulted at any counter.
    assert client.post("/counter", data=form(lists, entries="อส 0001/10")).status_code == 302
    assert linked(app) == [[public]]


def test_a_staff_request_cannot_link_another_offices_draft(
    app, client, login_as, make_office, other_office
):
    _, draft, public = other_office
    office = make_office("D2", kind="district")
    login_as("clerk", office_id=office)
    data = {
        "office_id": office,
        "channel": "letter",
        "received_date": "",
        "received_time": "",
        "requester_name": "นายสมชาย ขอข้อมูล",
        "requester_email": "somchai@example.com",
        "subject": "ขอสำเนาสัญญา",
        "assigned_to_id": 0,
    }
    page = client.post(
        "/requests/create", data={**data, "entry_ids": f"{public}, {draft}"}
    ).get_data(as_text=True)
    assert f"ไม่พบรายการเลขที่ #{draft}" in page and "ร่างลับของอีกสำนักงาน" not in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Inquiry.id))) == 0
    assert (
        client.post("/requests/create", data={**data, "entry_ids": str(public)}).status_code == 302
    )
    with app.app_context():
        assert [e.id for e in db.session.scalars(select(Inquiry)).one().entries] == [public]
