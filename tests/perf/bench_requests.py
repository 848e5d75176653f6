"""Section 11 request statistics benchmark (issue 5), on requests made by `flask demo seed`.

One year's stats.requests.summary() against the same flow, median and bands computed by loading
the requests into Python (the results must be equal). Also the time to open one request
(numbering, due date on working days, first step, commit).

Run: make bench  (BENCH_REQUESTS=1000 by default; BENCH_DATABASE_URL=postgresql://... for
PostgreSQL).
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from sqlalchemy import select

from infocenter import create_app
from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry
from infocenter.stats import Scope
from infocenter.stats import requests as rs
from infocenter.thai import local_today, to_local

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench_requests")
    os.environ["INFOCENTER_INSTANCE"] = str(folder / "instance")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ.get(
                "BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite'}"
            ),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
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
            "50",
            "--visits",
            "50",
            "--online-events",
            "10",
            "--requests",
            str(REQUESTS),
        ]
    )
    assert result.exit_code == 0, result.output
    print(f"\nflask demo seed --requests {REQUESTS:,}: {time.perf_counter() - started:.1f} s")
    yield app
    with app.app_context():
        app.test_cli_runner().invoke(args=["demo", "clear"])
        db.engine.dispose()


def _python_baseline(scope: Scope):
    """The flow and completion figures by loading every request into Python (the naive way)."""
    rows = db.session.scalars(select(Inquiry)).all()
    lo, hi = scope.bounds_utc
    start = sum(
        1
        for r in rows
        if r.received_at < lo and (r.closed_on is None or r.closed_on >= scope.start)
    )
    received = sum(1 for r in rows if lo <= r.received_at < hi)
    closed = [r for r in rows if r.closed_on and scope.start <= r.closed_on <= scope.end]
    end = sum(
        1 for r in rows if r.received_at < hi and (r.closed_on is None or r.closed_on > scope.end)
    )
    days = [r.days_to_close for r in closed if r.days_to_close is not None]
    return (start, received, len(closed), end), (statistics.median(days) if days else None)


def _best(fn, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
        db.session.expire_all()
    return min(times), value


def test_request_statistics_against_python(seeded):
    with seeded.app_context():
        today = local_today()
        scope = Scope(today.replace(year=today.year - 1), today)
        t_sql, summary = _best(lambda: rs.summary(scope))
        t_py, (flow, median) = _best(lambda: _python_baseline(scope))
        f = summary.flow
        assert (f.pending_start, f.received, f.closed, f.pending_end) == flow
        assert summary.to_complete.median == (float(median) if median is not None else None)
        office_id = db.session.scalar(select(Inquiry.office_id).limit(1))
        saves = []
        for i in range(20):
            t = time.perf_counter()
            create_inquiry(
                NewInquiry(
                    office_id=office_id,
                    channel="counter",
                    requester_name=f"bench {i}",
                    subject="bench",
                )
            )
            db.session.commit()
            saves.append(time.perf_counter() - t)
        print(f"\n{'what':<44}{'seconds':>10}")
        print(f"{'stats.requests.summary (SQL, all figures)':<44}{t_sql:>10.4f}")
        print(f"{'baseline: flow + median in Python':<44}{t_py:>10.4f}")
        print(f"{'open one request (median of 20)':<44}{statistics.median(saves):>10.4f}")
        print(
            f"requests: {REQUESTS:,}; received {f.received:,}, closed {f.closed:,}, "
            f"median completion {summary.to_complete.median} days; "
            "oldest pending received "
            f"{to_local(seeded_oldest()).date() if seeded_oldest() else '-'}"
        )


def seeded_oldest():
    return db.session.scalar(
        select(Inquiry.received_at)
        .where(Inquiry.closed_on.is_(None))
        .order_by(Inquiry.received_at)
        .limit(1)
    )
