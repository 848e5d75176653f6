"""Counter statistics checked against numbers computed by hand on a fixed register (see the
comments in factories.make_register)."""

from __future__ import annotations

from datetime import date

import pytest

from infocenter.stats import Scope
from infocenter.stats import visits as vs
from tests.factories import Q2_2563, make_register


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
