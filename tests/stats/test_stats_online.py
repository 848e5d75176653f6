"""Online statistics by the COUNTER rules, checked against hand-computed numbers."""

from __future__ import annotations

from infocenter.stats import Scope
from infocenter.stats import online as on
from tests.factories import Q2_2563


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
