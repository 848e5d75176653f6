"""Daily usage aggregates (``flask usage rollup``) give exactly the figures a recount from the raw
events gives — for random event streams with double clicks, robots, midnight and hour crossings,
late events added after a rollup, and random periods and offices."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import online as on
from infocenter.thai import local_day_bounds_utc
from infocenter.usage import rollup as ru
from infocenter.usage.counting import DOUBLE_CLICK_SECONDS
from infocenter.usage.models import UsageDaily, UsageEvent, UsageRollup
from tests.factories import local, make_register

START = local(2020, 1, 1, 23, 59, 45)  # 15 seconds before a local midnight
FIRST_DAY = date(2020, 1, 1)
QUERIES = ("ภาษี", "งบประมาณ", "")
SESSIONS = ("s1", "s2", "s3", "bot")  # "bot" is a robot's session

# One event: session, kind, item (entry or query), seconds after the previous event, result found.
event_st = st.tuples(
    st.integers(0, len(SESSIONS) - 1),
    st.sampled_from(("search", "view", "download", "request", "api")),
    st.integers(0, 2),
    st.one_of(
        st.sampled_from((0, 1, 29, 30, 31, 3599, 3600)),
        st.integers(0, 40),
        st.integers(0, 40),
        st.integers(0, 2 * 86400),
    ),
    st.booleans(),
)


@pytest.fixture
def register(app, make_office):
    return make_register(app, make_office)


def _rows(reg, stream, start):
    """Event rows from the drawn stream, times increasing from ``start``."""
    entries = [reg["entries"][k] for k in ("e1", "e2", "e4")]
    office_of = {
        reg["entries"]["e1"]: reg["a"],
        reg["entries"]["e2"]: reg["a"],
        reg["entries"]["e4"]: reg["b"],
    }
    at, rows = start, []
    for session, kind, item, gap, found in stream:
        at = at + timedelta(seconds=gap)
        row = {
            "at": at,
            "kind": kind,
            "session_key": SESSIONS[session],
            "ua_class": "robot" if SESSIONS[session] == "bot" else "desktop",
            "office_id": None,
            "entry_id": None,
            "query": None,
            "result_count": None,
            "is_demo": False,
        }
        if kind == "search":
            row.update(query=QUERIES[item], result_count=3 if found else 0)
        elif kind in ("view", "download"):
            row.update(entry_id=entries[item], office_id=office_of[entries[item]])
        elif kind == "request":
            row.update(office_id=(reg["a"], reg["b"], None)[item])
        rows.append(row)
    return rows


def _recount(rows, scope: Scope, site: int):
    """The COUNTER rules in plain Python over the raw rows: {kind: (total, unique)}, zero-result
    searches, robot events and {query: count} — an independent check of the SQL."""
    lo, hi = local_day_bounds_utc(scope.start, scope.end)
    previous: dict[tuple, int] = {}
    totals, uniques, queries = Counter(), {}, Counter()
    zero = robots = 0
    for row in sorted(enumerate(rows), key=lambda r: (r[1]["at"], r[0])):
        row = row[1]
        robot = row["ua_class"] == "robot"
        key = (
            robot,
            row["session_key"],
            row["kind"],
            row["office_id"],
            row["entry_id"],
            row["query"],
        )
        ts = int(row["at"].timestamp())
        prev, previous[key] = previous.get(key), ts
        office = row["office_id"] if row["office_id"] is not None else site
        if not (lo <= row["at"] < hi) or (
            scope.office_ids is not None and office not in scope.office_ids
        ):
            continue
        if robot:
            robots += 1
            continue
        if prev is not None and ts - prev < DOUBLE_CLICK_SECONDS:
            continue
        totals[row["kind"]] += 1
        uniques.setdefault(row["kind"], set()).add(key[1:] + (ts // 3600,))
        if row["kind"] == "search":
            zero += row["result_count"] == 0
            if row["query"]:
                queries[row["query"]] += 1
    counts = {
        k: (totals[k], len(uniques.get(k, ())))
        for k in ("search", "view", "download", "request", "api")
    }
    return counts, zero, robots, queries


def _figures(scope: Scope):
    db.session.rollback()  # a fresh transaction: nothing cached from before
    totals = {c.kind: (c.total, c.unique) for c in on.online_totals(scope)}
    queries = {q.query: q.count for q in on.top_queries(scope, limit=100)}
    return totals, on.searches_without_results(scope), on.robot_events(scope), Counter(queries)


def _check(rows, reg, scopes):
    for scope in scopes:
        expected = _recount(rows, scope, site=reg["a"])
        assert _figures(scope) == expected, scope
        zero_only = {
            q.query: q.count for q in on.top_queries(scope, limit=100, zero_results_only=True)
        }
        assert sum(zero_only.values()) <= expected[1]


@example(
    stream=[
        (0, "view", 0, 0, True),
        (0, "view", 0, 20, True),
        (1, "search", 1, 0, False),
        (1, "search", 1, 25, False),
        (3, "view", 0, 0, True),
    ],
    late=[(1, "search", 1, 0, False)],
    through=0,
    periods=[(1, 0, 0), (0, 1, 1)],
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    stream=st.lists(event_st, max_size=40),
    late=st.lists(event_st, max_size=8),
    through=st.integers(-1, 6),
    periods=st.lists(
        st.tuples(st.integers(-1, 6), st.integers(0, 5), st.integers(0, 3)), min_size=1, max_size=4
    ),
)
def test_aggregates_equal_a_recount_from_raw_events(app, register, stream, late, through, periods):
    reg = register
    offices = (None, (reg["a"],), (reg["b"],), (reg["a"], reg["b"]))
    scopes = [
        Scope(FIRST_DAY + timedelta(days=s), FIRST_DAY + timedelta(days=s + n), offices[o])
        for s, n, o in periods
    ]
    with app.app_context():
        for table in (UsageDaily, UsageRollup, UsageEvent):
            db.session.execute(delete(table))
        rows = _rows(reg, stream, START)
        if rows:
            db.session.execute(db.insert(UsageEvent), rows)
        db.session.commit()
        _check(rows, reg, scopes)  # nothing rolled up: all from raw events

        result = ru.rollup(FIRST_DAY + timedelta(days=through))
        assert ru.rolled_up_through() == FIRST_DAY + timedelta(days=through)
        assert result.rows == db.session.scalar(select(func.count(UsageDaily.id)))
        _check(rows, reg, scopes)

        # Late events (dated before the rollup's last day, added after it): still exact, and again
        # after the next rollup, which recomputes their days; a third run changes nothing.
        more = _rows(reg, late, START + timedelta(hours=7))
        if more:
            db.session.execute(db.insert(UsageEvent), more)
            db.session.commit()
        _check(rows + more, reg, scopes)
        ru.rollup(FIRST_DAY + timedelta(days=through))
        _check(rows + more, reg, scopes)
        before = db.session.execute(
            select(UsageDaily.day, UsageDaily.kind, UsageDaily.total).order_by(UsageDaily.id)
        ).all()
        assert ru.rollup(FIRST_DAY + timedelta(days=through)).start is None
        assert (
            db.session.execute(
                select(UsageDaily.day, UsageDaily.kind, UsageDaily.total).order_by(UsageDaily.id)
            ).all()
            == before
        )


def test_reports_read_the_aggregates_not_the_raw_events(app, register):
    """Once rolled up, a quarter's figures come from usage_daily: changing a raw event's row behind
    the rollup's back (which nothing in the product does) shows which table was read."""
    reg = register
    rows = _rows(
        reg,
        [(0, "view", 0, 0, True), (1, "view", 0, 5, True), (0, "search", 1, 60, False)],
        local(2020, 2, 1, 9),
    )
    with app.app_context():
        db.session.execute(db.insert(UsageEvent), rows)
        db.session.commit()
        scope = Scope(date(2020, 1, 1), date(2020, 3, 31))
        ru.rollup()
        db.session.execute(db.update(UsageEvent).values(ua_class="robot"))
        db.session.commit()
        assert on.online_total(scope, "view").total == 2
        assert on.searches_without_results(scope) == 1
        ru.forget()
        db.session.commit()
        assert on.online_total(scope, "view").total == 0


def test_usage_rollup_command_is_idempotent(app, register, runner):
    rows = _rows(
        register,
        [(0, "view", 0, 0, True), (0, "view", 0, 10, True), (3, "search", 0, 5, True)],
        local(2020, 2, 1, 9),
    )
    with app.app_context():
        db.session.execute(db.insert(UsageEvent), rows)
        db.session.commit()
    first = runner.invoke(args=["usage", "rollup"])
    assert first.exit_code == 0, first.output
    assert "รวมสถิติรายวัน" in first.output and "๑ กุมภาพันธ์ ๒๕๖๓" in first.output
    again = runner.invoke(args=["usage", "rollup"])
    assert again.exit_code == 0 and "เป็นปัจจุบันแล้ว" in again.output
    rebuilt = runner.invoke(args=["usage", "rollup", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    with app.app_context():
        daily = db.session.execute(
            select(UsageDaily.kind, UsageDaily.total, UsageDaily.robots).order_by(UsageDaily.kind)
        ).all()
        assert [tuple(r) for r in daily] == [("search", 0, 1), ("view", 1, 0)]
    bad = runner.invoke(args=["usage", "rollup", "--through", "31/02/2563"])
    assert bad.exit_code != 0 and "ไม่มีวันที่" in bad.output
