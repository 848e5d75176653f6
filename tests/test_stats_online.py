"""Online statistics by the COUNTER rules, checked against hand-computed numbers."""

from __future__ import annotations

import pytest

from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import online as on
from infocenter.usage.models import UsageEvent

from .test_stats_visits import Q2_2563, local, make_register


@pytest.fixture
def events(app, make_office):
    reg = make_register(app, make_office)
    e1, e4 = reg["entries"]["e1"], reg["entries"]["e4"]
    a, b = reg["a"], reg["b"]

    def ev(session, kind, when, entry=None, office=None, query=None, results=None, ua="desktop"):
        return {
            "session_key": session,
            "kind": kind,
            "at": when,
            "entry_id": entry,
            "office_id": office,
            "query": query,
            "result_count": results,
            "ua_class": ua,
            "is_demo": False,
        }

    rows = [
        ev("s1", "search", local(2020, 1, 10, 10, 0, 0), query="ภาษี", results=3),  # counted
        ev(
            "s1", "search", local(2020, 1, 10, 10, 0, 20), query="ภาษี", results=3
        ),  # 20 s later: double click
        ev(
            "s1", "search", local(2020, 1, 10, 10, 0, 55), query="ภาษี", results=3
        ),  # 35 s later: counted
        ev(
            "s2", "search", local(2020, 1, 10, 11, 0, 0), query="งบประมาณ", results=0
        ),  # counted, no result
        ev("s2", "search", local(2020, 1, 10, 11, 59, 50), query="ภาษี", results=3),  # counted
        ev(
            "s2", "search", local(2020, 1, 10, 12, 0, 10), query="ภาษี", results=3
        ),  # double click across the hour
        ev(
            "bot", "search", local(2020, 1, 10, 10, 0, 0), query="ภาษี", results=3, ua="robot"
        ),  # robot
        ev("s1", "view", local(2020, 2, 1, 9, 0, 0), entry=e1, office=a),  # counted
        ev("s1", "view", local(2020, 2, 1, 9, 0, 10), entry=e1, office=a),  # double click
        ev(
            "s1", "view", local(2020, 2, 1, 9, 40, 0), entry=e1, office=a
        ),  # counted, same hour: not unique
        ev("s2", "view", local(2020, 2, 1, 9, 0, 0), entry=e4, office=b),  # counted (office B)
        ev("s1", "download", local(2020, 3, 5, 14, 0, 0), entry=e1, office=a),
        ev(
            "s2", "download", local(2020, 3, 5, 14, 0, 0), entry=e1, office=a
        ),  # other session: counted
        ev("s1", "api", local(2020, 3, 5, 14, 1, 0)),
        ev("s1", "view", local(2020, 4, 1, 0, 10), entry=e1, office=a),  # 1 Apr local: outside
    ]
    with app.app_context():
        db.session.execute(db.insert(UsageEvent), rows)
        db.session.commit()
    return reg


def totals(scope) -> dict[str, tuple[int, int]]:
    return {c.kind: (c.total, c.unique) for c in on.online_totals(scope)}


def test_totals_and_uniques_follow_counter_rules(app, events):
    with app.app_context():
        scope = Scope.quarter(Q2_2563)
        assert totals(scope) == {
            "search": (4, 3),
            "view": (3, 2),
            "download": (2, 2),
            "request": (0, 0),
            "api": (1, 1),
        }
        assert on.online_total(scope, "view").label == "การเปิดดูรายการ"
        assert on.robot_events(scope) == 1


def test_searches_without_results_and_top_queries(app, events):
    with app.app_context():
        scope = Scope.quarter(Q2_2563)
        assert on.searches_without_results(scope) == 1
        assert on.top_queries(scope) == [
            on.QueryCount("ภาษี", 3, 0),
            on.QueryCount("งบประมาณ", 1, 1),
        ]
        assert on.top_queries(scope, zero_results_only=True) == [on.QueryCount("งบประมาณ", 1, 1)]


def test_office_scope_gives_site_wide_events_to_the_provincial_office(app, events):
    with app.app_context():
        only_b = Scope.quarter(Q2_2563, [events["b"]])
        assert totals(only_b) == {
            "search": (0, 0),
            "view": (1, 1),
            "download": (0, 0),
            "request": (0, 0),
            "api": (0, 0),
        }
        only_a = Scope.quarter(Q2_2563, [events["a"]])
        assert totals(only_a)["search"] == (4, 3)
        assert totals(only_a)["view"] == (2, 1)


def test_walkin_vs_online_by_month(app, events):
    with app.app_context():
        scope = Scope.quarter(Q2_2563)
        series = on.walkin_vs_online_by_month(scope)
        # API calls are not part of "online use" in the chart.
        assert [(m.month, m.visits, m.online) for m in series] == [
            ("2020-01", 3, 4),
            ("2020-02", 2, 3),
            ("2020-03", 1, 2),
        ]
        by_month = on.online_by_month(scope)
        assert by_month["2020-03"] == {
            "search": 0,
            "view": 0,
            "download": 2,
            "request": 0,
            "api": 1,
        }
