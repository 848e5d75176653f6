"""The counter opens a Section 11 request from a visit in one step; the visit's outcome links to
it."""

import re
from datetime import datetime

from sqlalchemy import select

from infocenter.extensions import db
from infocenter.thai import OFFICE_TZ


def _visit(app, office_id, **fields):
    from infocenter.counter.models import Visit, VisitorType, VisitPurpose, ensure_counter_defaults

    with app.app_context():
        ensure_counter_defaults()
        visit = Visit(
            office_id=office_id,
            visited_at=datetime(2025, 6, 16, 14, 5, tzinfo=OFFICE_TZ),
            visitor_type_id=db.session.scalar(select(VisitorType.id).limit(1)),
            purpose_id=db.session.scalar(select(VisitPurpose.id).limit(1)),
            channel="walk_in",
            visitor_name="นายสมปอง มาขอ",
            visitor_contact="somporng@example.com",
            note="ขอสำเนาผลการพิจารณาเงินกู้ กข.คจ. ปี 2567",
            **fields,
        )
        db.session.add(visit)
        db.session.commit()
        return visit.id


def test_visit_becomes_a_request_in_one_step(app, client, make_office, login_as):
    from infocenter.counter.models import Visit
    from infocenter.inquiries.models import Inquiry

    office = make_office("NSW")
    login_as("clerk", office_id=office)
    visit_id = _visit(app, office)
    link = f"/requests/create?visit_id={visit_id}"
    form = client.get(link).get_data(as_text=True)
    assert "นายสมปอง มาขอ" in form and "somporng@example.com" in form
    assert 'value="16 มิ.ย. 2568"' in form  # the visit's day, as every date field shows a date
    assert re.search(rf'name="visit_id" type="hidden" value="{visit_id}"', form)
    response = client.post(
        "/requests/create",
        data={
            "office_id": office,
            "channel": "counter",
            "received_date": "16/6/2568",
            "received_time": "14:05",
            "requester_name": "นายสมปอง มาขอ",
            "requester_email": "somporng@example.com",
            "subject": "ขอสำเนาผลการพิจารณาเงินกู้ กข.คจ. ปี 2567",
            "assigned_to_id": "0",
            "visit_id": str(visit_id),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        inquiry = db.session.scalars(select(Inquiry)).one()
        assert inquiry.visit_id == visit_id
        assert db.session.get(Visit, visit_id).outcome == "section11"
        inquiry_id = inquiry.id
    # Asked again for the same visit: goes to the request already opened.
    again = client.get(link)
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/requests/{inquiry_id}"
    )


def test_counter_list_shows_the_button_until_a_request_exists(app, client, make_office, login_as):
    from infocenter.counter.views import VISIT_ACTIONS

    office = make_office("NSW")
    login_as("clerk", office_id=office)
    assert any(a.endpoint == "inquiries.create" for a in VISIT_ACTIONS)
    from infocenter.counter.models import Visit, VisitorType, VisitPurpose, ensure_counter_defaults
    from infocenter.thai import now_utc

    with app.app_context():
        ensure_counter_defaults()
        visit = Visit(
            office_id=office,
            visited_at=now_utc(),
            channel="walk_in",
            visitor_type_id=db.session.scalar(select(VisitorType.id).limit(1)),
            purpose_id=db.session.scalar(select(VisitPurpose.id).limit(1)),
        )
        db.session.add(visit)
        db.session.commit()
        visit_id = visit.id
    page = client.get("/counter").get_data(as_text=True)
    assert f"/requests/create?visit_id={visit_id}" in page
    client.post(
        "/requests/create",
        data={
            "office_id": office,
            "channel": "counter",
            "requester_name": "ผู้ขอ",
            "requester_phone": "0812345678",
            "subject": "ขอข้อมูล",
            "assigned_to_id": "0",
            "visit_id": str(visit_id),
        },
    )
    page = client.get("/counter").get_data(as_text=True)
    assert f"/requests/create?visit_id={visit_id}" not in page


def test_other_office_visit_is_not_prefilled(app, client, make_office, login_as):
    province = make_office("NSW")
    district = make_office("TKL", kind="district", parent_id=province)
    login_as("clerk", office_id=district)
    visit_id = _visit(app, province)
    form = client.get(f"/requests/create?visit_id={visit_id}").get_data(as_text=True)
    assert "นายสมปอง มาขอ" not in form


def test_counter_page_queries_do_not_grow_with_the_visits_listed(
    app, client, make_office, login_as
):
    """The request button asks once per page which visits have a request, not once per row."""
    from sqlalchemy import event

    from infocenter.counter.models import Visit, VisitorType, VisitPurpose, ensure_counter_defaults
    from infocenter.thai import now_utc

    office = make_office("NSW")
    login_as("clerk", office_id=office)

    def add_visits(n):
        with app.app_context():
            ensure_counter_defaults()
            vt = db.session.scalar(select(VisitorType.id).limit(1))
            vp = db.session.scalar(select(VisitPurpose.id).limit(1))
            db.session.add_all(
                Visit(
                    office_id=office,
                    visited_at=now_utc(),
                    channel="walk_in",
                    visitor_type_id=vt,
                    purpose_id=vp,
                )
                for _ in range(n)
            )
            db.session.commit()

    def queries_for_page() -> int:
        count = {"n": 0}

        def counter(*args):
            count["n"] += 1

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            assert client.get("/counter").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        return count["n"]

    add_visits(2)
    queries_for_page()  # fills the per-process caches (settings, the layout's office name)
    few = queries_for_page()
    add_visits(30)
    assert queries_for_page() == few
