"""Counter statistics checked against numbers computed by hand on a fixed register (see the
comments)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from infocenter.catalogue.models import Category, IndexEntry
from infocenter.counter.models import (
    FeeRate,
    Visit,
    VisitEntry,
    VisitorType,
    VisitPurpose,
    ensure_counter_defaults,
)
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import visits as vs
from infocenter.thai import OFFICE_TZ, FiscalQuarter

Q2_2563 = FiscalQuarter(2563, 2)  # 1 Jan – 31 Mar 2020


def local(y, mo, d, h=10, mi=0, s=0) -> datetime:
    """An aware instant given as Bangkok wall-clock time."""
    return datetime(y, mo, d, h, mi, s, tzinfo=OFFICE_TZ)


def make_register(app, make_office) -> dict:
    """The fixed register: offices A (province) and B (district), four entries, nine visits."""
    a = make_office("NSW", kind="province")
    b = make_office("NSW01", kind="district", parent_id=a)
    with app.app_context():
        ensure_counter_defaults()
        cat = {c.code: c.id for c in db.session.scalars(db.select(Category))}
        types = {t.code: t.id for t in db.session.scalars(db.select(VisitorType))}
        purposes = {p.code: p.id for p in db.session.scalars(db.select(VisitPurpose))}
        rates = {r.code: r.id for r in db.session.scalars(db.select(FeeRate))}
        entries = {}
        for key, office, code in (
            ("e1", a, "9(1)"),
            ("e2", a, "9(3)"),
            ("e3", a, "9(8).1"),
            ("e4", b, "9(8)"),
        ):
            entry = IndexEntry(
                office_id=office,
                category_id=cat[code],
                title=f"เอกสาร {key}",
                ref=f"นว {key}",
                state="published",
            )
            db.session.add(entry)
            db.session.flush()
            entries[key] = entry.id

        def visit(office, when, vtype, purpose, channel, outcome, links=(), sat=None, **kw):
            v = Visit(
                office_id=office,
                visited_at=when,
                visitor_type_id=types[vtype],
                purpose_id=purposes[purpose],
                channel=channel,
                outcome=outcome,
                satisfaction=sat,
                **kw,
            )
            v.entries = [VisitEntry(entry_id=entries[k]) for k in links]
            db.session.add(v)
            return v

        # v1: 00:30 on 1 Jan local is still 31 Dec in UTC — counts on 1 Jan.
        visit(a, local(2020, 1, 1, 0, 30), "public", "inspect", "walk_in", "full", ("e1", "e2"), 5)
        # v2: 10 A4 pages = 10 baht collected.
        visit(
            a,
            local(2020, 1, 15, 10),
            "public",
            "copy",
            "walk_in",
            "full",
            ("e1",),
            4,
            pages_copied=10,
            fee_rate_id=rates["A4"],
            fee_satang=1000,
        )
        # v3: 4 F4 pages, all certified: 4 × 1.50 + 4 × 5 = 26 baht, waived.
        visit(
            a,
            local(2020, 1, 15, 23, 30),
            "business",
            "certified_copy",
            "letter",
            "partial",
            ("e3",),
            3,
            pages_copied=4,
            pages_certified=4,
            fee_rate_id=rates["F4"],
            fee_satang=2600,
            fee_waived=True,
            waiver_reason="ผู้มีรายได้น้อย",
        )
        # v4: a telephone enquiry referred elsewhere, no entry, no satisfaction answer.
        visit(a, local(2020, 2, 10, 9), "government", "advice", "phone", "referred")
        # v5: 23:59 on 31 Mar local, the last minute of the quarter; 3 B4 pages, 1 certified = 6 + 5
        # = 11 baht.
        visit(
            a,
            local(2020, 3, 31, 23, 59),
            "media",
            "section11",
            "email",
            "section11",
            ("e3", "e2"),
            4,
            pages_copied=3,
            pages_certified=1,
            fee_rate_id=rates["B4"],
            fee_satang=1100,
        )
        # v6: 00:10 on 1 Apr local (still 31 Mar in UTC) — outside the quarter.
        visit(a, local(2020, 4, 1, 0, 10), "public", "inspect", "walk_in", "full", ("e1",), 1)
        # v7: voided — never counted.
        visit(
            a,
            local(2020, 2, 20, 11),
            "public",
            "inspect",
            "walk_in",
            "full",
            ("e1",),
            1,
            voided_at=local(2020, 2, 20, 12),
            void_reason="บันทึกซ้ำ",
        )
        # v8: office B, 2 A4 pages = 2 baht.
        visit(
            b,
            local(2020, 2, 20, 10),
            "academic",
            "inspect",
            "walk_in",
            "full",
            ("e4",),
            2,
            pages_copied=2,
            fee_rate_id=rates["A4"],
            fee_satang=200,
        )
        # v9: 23:00 on 31 Dec 2019 local — before the quarter.
        visit(a, local(2019, 12, 31, 23), "public", "inspect", "walk_in", "full", ("e1",), 5)
        db.session.commit()
    return {"a": a, "b": b, "entries": entries}


@pytest.fixture
def register(app, make_office):
    return make_register(app, make_office)


def counts(rows) -> dict[str, int]:
    return {r.key: r.count for r in rows}


def test_visits_by_day_and_month_use_bangkok_dates(app, register):
    with app.app_context():
        scope = Scope.quarter(Q2_2563)
        assert vs.visit_count(scope) == 6
        assert [(d.day, d.count) for d in vs.visits_by_day(scope)] == [
            (date(2020, 1, 1), 1),
            (date(2020, 1, 15), 2),
            (date(2020, 2, 10), 1),
            (date(2020, 2, 20), 1),
            (date(2020, 3, 31), 1),
        ]
        months = vs.visits_by_month(scope)
        assert [(m.month, m.label, m.count) for m in months] == [
            ("2020-01", "ม.ค. 2563", 3),
            ("2020-02", "ก.พ. 2563", 2),
            ("2020-03", "มี.ค. 2563", 1),
        ]


def test_visits_by_type_purpose_channel_outcome(app, register):
    with app.app_context():
        scope = Scope.quarter(Q2_2563)
        assert counts(vs.visits_by_visitor_type(scope)) == {
            "public": 2,
            "business": 1,
            "government": 1,
            "media": 1,
            "academic": 1,
            "other": 0,
        }
        assert counts(vs.visits_by_purpose(scope)) == {
            "inspect": 2,
            "copy": 1,
            "certified_copy": 1,
            "advice": 1,
            "section11": 1,
            "other": 0,
        }
        assert counts(vs.visits_by_channel(scope)) == {
            "walk_in": 3,
            "phone": 1,
            "letter": 1,
            "email": 1,
        }
        assert counts(vs.visits_by_outcome(scope)) == {
            "full": 3,
            "partial": 1,
            "referred": 1,
            "section11": 1,
        }
        labels = [c.label for c in vs.visits_by_visitor_type(scope)]
        assert labels[0] == "ประชาชน"


def test_entries_consulted_by_category_and_top_entries(app, register):
    with app.app_context():
        scope = Scope.quarter(Q2_2563)
        by_cat = counts(vs.entries_by_category(scope))
        # 9(8).1 (e3, twice) and 9(8) itself (e4, once) both count under 9(8).
        assert by_cat == {
            "9(1)": 2,
            "9(2)": 0,
            "9(3)": 2,
            "9(4)": 0,
            "9(5)": 0,
            "9(6)": 0,
            "9(7)": 0,
            "9(8)": 3,
        }
        top = vs.top_entries(scope, limit=3)
        e = register["entries"]
        assert [(t.entry_id, t.count, t.category_code) for t in top] == [
            (e["e1"], 2, "9(1)"),
            (e["e2"], 2, "9(3)"),
            (e["e3"], 2, "9(8)"),
        ]
        assert top[0].title == "เอกสาร e1"


def test_copies_fees_and_satisfaction(app, register):
    with app.app_context():
        scope = Scope.quarter(Q2_2563)
        fees = vs.copies_and_fees(scope)
        assert fees == vs.CopiesAndFees(
            visits_with_copies=4,
            pages_copied=19,
            pages_plain=14,
            pages_certified=5,
            fees_collected=23.0,
            fees_waived=26.0,
            waived_visits=1,
        )
        sat = vs.satisfaction(scope)
        assert (sat.n, sat.by_score) == (5, (0, 1, 1, 2, 1))
        assert sat.mean == pytest.approx(3.6)


def test_one_office_only(app, register):
    with app.app_context():
        scope = Scope.quarter(Q2_2563, [register["a"]])
        assert vs.visit_count(scope) == 5
        assert counts(vs.entries_by_category(scope))["9(8)"] == 2
        assert vs.satisfaction(scope).mean == pytest.approx(4.0)
        fees = vs.copies_and_fees(scope)
        assert (fees.fees_collected, fees.fees_waived) == (21.0, 26.0)
        only_b = Scope.quarter(Q2_2563, [register["b"]])
        assert counts(vs.visits_by_visitor_type(only_b))["academic"] == 1
        assert vs.visit_count(only_b) == 1


def test_empty_scope_gives_zeros_not_errors(app, register):
    with app.app_context():
        scope = Scope(date(2010, 1, 1), date(2010, 1, 31))
        assert vs.visit_count(scope) == 0
        assert vs.visits_by_day(scope) == []
        assert [m.count for m in vs.visits_by_month(scope)] == [0]
        assert vs.satisfaction(scope) == vs.Satisfaction(None, 0, (0, 0, 0, 0, 0))
        assert vs.copies_and_fees(scope).fees_collected == 0
        assert vs.top_entries(scope) == []
