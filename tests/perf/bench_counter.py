"""Counter benchmark (issue 4), on data made by `flask demo seed`:

1. saving a visit through the /counter form (median, p95);
2. one quarter's statistics (every function of stats.visits and stats.online) over 100k visits and
   1M online events in the database: time and peak Python memory (tracemalloc), against the same
   figures computed by loading the quarter's rows into Python — whose results must be equal.

Run: make bench  (BENCH_VISITS=20000 BENCH_EVENTS=200000 for a quicker run;
BENCH_DATABASE_URL=postgresql://... to run on PostgreSQL).
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc
from collections import Counter
from dataclasses import asdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from infocenter import create_app
from infocenter.catalogue.models import SECTION9
from infocenter.counter.models import CHANNELS, OUTCOMES, Visit, VisitEntry
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import online as on
from infocenter.stats import visits as vs
from infocenter.thai import FiscalQuarter, local_today, to_local
from infocenter.usage.models import EVENT_KINDS, UsageEvent

VISITS = int(os.environ.get("BENCH_VISITS", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
SAVES = int(os.environ.get("BENCH_SAVES", "200"))
PASSWORD = "bench-password-2540"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench_counter")
    os.environ["INFOCENTER_INSTANCE"] = str(folder / "instance")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ.get(
                "BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite'}"
            ),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
            "COUNT_USAGE": False,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(
        args=[
            "demo",
            "seed",
            "--documents",
            "2000",
            "--visits",
            str(VISITS),
            "--online-events",
            str(EVENTS),
            "--requests",
            "0",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    print(
        f"\nflask demo seed --visits {VISITS:,} --online-events {EVENTS:,}: "
        f"{time.perf_counter() - started:.1f} s"
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def test_saving_a_visit(seeded):
    client = seeded.test_client()
    assert (
        client.post("/login", data={"username": "demo-clerk", "password": PASSWORD}).status_code
        == 302
    )
    page = client.get("/counter").get_data(as_text=True)
    assert "เคาน์เตอร์บริการ" in page
    with seeded.app_context():
        from infocenter.counter.models import FeeRate, VisitorType, VisitPurpose

        types = list(db.session.scalars(select(VisitorType.id)))
        purposes = list(db.session.scalars(select(VisitPurpose.id)))
        a4 = db.session.scalar(select(FeeRate.id).where(FeeRate.code == "A4"))
        entries = list(db.session.scalars(select(VisitEntry.entry_id).limit(50)))
    posts, cycles = [], []
    for i in range(SAVES):
        data = {
            "visitor_type_id": types[i % len(types)],
            "purpose_id": purposes[i % len(purposes)],
            "channel": "walk_in",
            "outcome": "full",
            "entries": f"#{entries[i % len(entries)]}" if entries else "",
            "pages_copied": str(i % 7),
            "pages_certified": "0",
            "fee_rate_id": a4,
            "satisfaction": "5",
        }
        t0 = time.perf_counter()
        response = client.post("/counter", data=data)
        t1 = time.perf_counter()
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        client.get("/counter").close()  # the page the clerk sees next, with today's visits
        t2 = time.perf_counter()
        posts.append((t1 - t0) * 1000)
        cycles.append((t2 - t0) * 1000)
    print(f"\nSaving a visit through the form ({SAVES} saves, {VISITS:,} visits in the register)")
    print(
        f"  POST /counter            median {statistics.median(posts):6.1f} ms   p95 "
        f"{_pct(posts, 95):6.1f} ms"
    )
    print(
        f"  POST + reload the page   median {statistics.median(cycles):6.1f} ms   p95 "
        f"{_pct(cycles, 95):6.1f} ms"
    )
    assert _pct(posts, 95) < 1000


def sql_statistics(scope: Scope) -> dict:
    """Every counter and online figure of a quarter, from the statistics functions (SQL GROUP
    BY)."""
    return {
        "visits": vs.visit_count(scope),
        "by_day": {d.day: d.count for d in vs.visits_by_day(scope)},
        "by_month": {m.month: m.count for m in vs.visits_by_month(scope)},
        "by_type": {c.label: c.count for c in vs.visits_by_visitor_type(scope)},
        "by_purpose": {c.label: c.count for c in vs.visits_by_purpose(scope)},
        "by_channel": {c.key: c.count for c in vs.visits_by_channel(scope)},
        "by_outcome": {c.key: c.count for c in vs.visits_by_outcome(scope)},
        "by_category": {c.key: c.count for c in vs.entries_by_category(scope)},
        "top_entries": sorted((e.count, -e.entry_id) for e in vs.top_entries(scope, 10)),
        "fees": asdict(vs.copies_and_fees(scope)),
        "satisfaction": (round(vs.satisfaction(scope).mean or 0, 6), vs.satisfaction(scope).n),
        "online": {c.kind: (c.total, c.unique) for c in on.online_totals(scope)},
        "no_result": on.searches_without_results(scope),
        "top_queries": [(q.query, q.count) for q in on.top_queries(scope, 10)],
        "series": [(m.month, m.visits, m.online) for m in on.walkin_vs_online_by_month(scope)],
    }


def python_statistics(scope: Scope) -> dict:
    """The same figures computed the naive way: load the quarter's rows as objects, count in
    Python."""
    lo, hi = scope.bounds_utc
    visits = db.session.scalars(
        select(Visit)
        .where(Visit.visited_at >= lo, Visit.visited_at < hi, Visit.voided_at.is_(None))
        .options(selectinload(Visit.entries))
    ).all()
    local_days = [to_local(v.visited_at).date() for v in visits]
    months = Counter(d.strftime("%Y-%m") for d in local_days)
    cats, per_entry = Counter(), Counter()
    for v in visits:
        for link in v.entries:
            cats[link.entry.category.section] += 1
            per_entry[link.entry_id] += 1
    copied = sum(v.pages_copied for v in visits)
    certified = sum(v.pages_certified for v in visits)
    scores = [v.satisfaction for v in visits if v.satisfaction is not None]
    events = db.session.scalars(
        select(UsageEvent).where(
            UsageEvent.at >= lo, UsageEvent.at < hi, UsageEvent.ua_class != "robot"
        )
    ).all()
    events.sort(key=lambda e: (e.session_key, e.kind, e.entry_id or 0, e.query or "", e.at, e.id))
    counted, previous = [], None
    for e in events:
        key = (e.session_key, e.kind, e.entry_id, e.query)
        ts = int(e.at.timestamp())
        if previous is None or previous[0] != key or ts - previous[1] >= on.DOUBLE_CLICK_SECONDS:
            counted.append((e, ts))
        previous = (key, ts)
    totals = Counter(e.kind for e, _ in counted)
    uniques = Counter(
        k
        for k, *_ in {(e.kind, e.session_key, e.entry_id, e.query, ts // 3600) for e, ts in counted}
    )
    queries = Counter(e.query for e, _ in counted if e.kind == "search" and e.query)
    online_months = Counter(
        to_local(e.at).strftime("%Y-%m")
        for e, _ in counted
        if e.kind in ("search", "view", "download", "request")
    )
    return {
        "visits": len(visits),
        "by_day": dict(sorted(Counter(local_days).items())),
        "by_month": {m: months.get(m, 0) for m in vs.scope_months(scope)},
        "by_type": {
            **{c.label: 0 for c in vs.visits_by_visitor_type(scope)},
            **Counter(v.visitor_type.name for v in visits),
        },
        "by_purpose": {
            **{c.label: 0 for c in vs.visits_by_purpose(scope)},
            **Counter(v.purpose.name for v in visits),
        },
        "by_channel": {k: sum(v.channel == k for v in visits) for k in CHANNELS},
        "by_outcome": {k: sum(v.outcome == k for v in visits) for k in OUTCOMES},
        "by_category": {code: cats.get(code, 0) for code, *_ in SECTION9},
        "top_entries": sorted(
            (n, -i) for i, n in sorted(per_entry.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        ),
        "fees": {
            "visits_with_copies": sum(v.pages_copied > 0 for v in visits),
            "pages_copied": copied,
            "pages_plain": copied - certified,
            "pages_certified": certified,
            "fees_collected": sum(v.fee_satang for v in visits if not v.fee_waived) / 100,
            "fees_waived": sum(v.fee_satang for v in visits if v.fee_waived) / 100,
            "waived_visits": sum(v.fee_waived and v.fee_satang > 0 for v in visits),
        },
        "satisfaction": (round(sum(scores) / len(scores), 6) if scores else 0, len(scores)),
        "online": {k: (totals.get(k, 0), uniques.get(k, 0)) for k in EVENT_KINDS},
        "no_result": sum(1 for e, _ in counted if e.kind == "search" and e.result_count == 0),
        "top_queries": sorted(queries.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
        "series": [(m, months.get(m, 0), online_months.get(m, 0)) for m in vs.scope_months(scope)],
    }


def _measure(fn, scope: Scope) -> tuple[dict, float, float]:
    """(result, seconds, peak MiB): time without tracemalloc, memory in a second traced run."""
    db.session.expunge_all()
    t0 = time.perf_counter()
    result = fn(scope)
    seconds = time.perf_counter() - t0
    db.session.expunge_all()
    tracemalloc.start()
    fn(scope)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db.session.expunge_all()
    return result, seconds, peak / 2**20


def test_quarter_statistics(seeded):
    quarter = FiscalQuarter.of(local_today()).previous()
    scope = Scope.quarter(quarter)
    with seeded.app_context():
        lo, hi = scope.bounds_utc
        n_visits = db.session.scalar(
            select(db.func.count(Visit.id)).where(Visit.visited_at >= lo, Visit.visited_at < hi)
        )
        n_events = db.session.scalar(
            select(db.func.count(UsageEvent.id)).where(UsageEvent.at >= lo, UsageEvent.at < hi)
        )
        sql, sql_s, sql_mb = _measure(sql_statistics, scope)
        py, py_s, py_mb = _measure(python_statistics, scope)
    dialect = seeded.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    print(
        f"\nOne quarter's statistics ({quarter.label(thai=False)}, {dialect}): {n_visits:,} of "
        f"{VISITS:,} visits, "
        f"{n_events:,} of {EVENTS:,} online events in the quarter"
    )
    print(f"{'method':<34}{'time s':>9}{'peak MiB':>10}")
    print(f"{'stats functions (SQL GROUP BY)':<34}{sql_s:>9.2f}{sql_mb:>10.1f}")
    print(f"{'rows loaded into Python':<34}{py_s:>9.2f}{py_mb:>10.1f}")
    print(
        f"SQL is {py_s / sql_s:.1f}× faster and uses {py_mb / max(sql_mb, 0.01):.0f}× less memory; "
        f"online {sql['online']}"
    )
    assert sql == py, "the SQL statistics and the Python recount disagree"
    assert sql_mb < py_mb
