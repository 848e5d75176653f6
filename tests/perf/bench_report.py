"""Quarterly report benchmark (issues 6 and 20): does the report meet its targets?

Seeds the demo data of `flask demo seed` (``run_seed``: BENCH_EVENTS online events, BENCH_VISITS
visits, BENCH_REQUESTS requests over the twelve months up to today, 16 offices) plus one more year
before it, so the report's year-before quarter has data; runs the nightly `flask usage rollup`;
then measures, for the last whole quarter:

- one office and the province, in this process (stats + PDF, median of 3, warm: how the web's
  background job makes them in a worker);
- one office and the province (16 offices + total, ``--all``) through ``flask report quarterly``
  in a fresh process each: wall time including app start, and the child's own peak RSS (VmHWM);
- the headline figures beside a plain-Python recount of the rows (they must agree).

Then BENCH_HISTORY_YEARS (5) more years are seeded before those and everything is measured
again: the report must not grow with the history. Targets (asserted, after the table is
printed): one office ≤ BENCH_TARGET_OFFICE_S (2 s) in process and
≤ BENCH_TARGET_OFFICE_CLI_S (4 s) from the CLI, the province ≤ BENCH_TARGET_PROVINCE_S (6 s)
from the CLI, peak RSS ≤ BENCH_TARGET_RSS_MB (300 MB), history ≤ 1.5× + 0.5 s.

Sizes: BENCH_EVENTS (1,000,000), BENCH_VISITS (100,000), BENCH_REQUESTS (10,000; seeded one by
one through the operations, ~20 a second), BENCH_HISTORY_YEARS, BENCH_HISTORY_SCALE (0.5 of each
year's events and visits), BENCH_HISTORY_REQUESTS (300 a year). Quick run:
BENCH_EVENTS=100000 BENCH_VISITS=10000 BENCH_REQUESTS=300 BENCH_HISTORY_YEARS=2.

Seeding at full size takes many minutes, so a SQLite run keeps its seeded databases (after the
first phase, and after the history) in BENCH_SEED_CACHE (/tmp/infocenter-bench-seed; outside git)
under a name made of the sizes and today's date, and a later run copies them (and upgrades them to
the newest migration) instead of seeding again. BENCH_SEED_CACHE="" turns this off.

Database: BENCH_DATABASE_URL (the same forms as DATABASE_URL: sqlite:///…, postgres://…,
postgresql://…); else a throwaway PostgreSQL database when TEST_DATABASE_URL is set; else a
SQLite file. Run: make bench, or .venv/bin/python -m pytest tests/perf -k report -s -o addopts=""
"""

from __future__ import annotations

import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from sqlalchemy import func, or_, select

from infocenter import PROJECT_ROOT, create_app
from infocenter.config import normalize_database_url
from infocenter.counter.models import Visit
from infocenter.demo import SeedContext
from infocenter.demo.commands import run_seed
from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.stats import Scope
from infocenter.thai import FiscalQuarter, local_today, now_utc
from infocenter.usage.models import UsageEvent
from infocenter.usage.rollup import rollup
from tests.dbs import drop_postgres_database, fresh_postgres_database

EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
VISITS = int(os.environ.get("BENCH_VISITS", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "10000"))
HISTORY_YEARS = int(os.environ.get("BENCH_HISTORY_YEARS", "5"))
HISTORY_SCALE = float(
    os.environ.get("BENCH_HISTORY_SCALE", "0.5")
)  # of each year's events and visits
HISTORY_REQUESTS = int(os.environ.get("BENCH_HISTORY_REQUESTS", "300"))
REPEAT = 3
TARGET_OFFICE_S = float(os.environ.get("BENCH_TARGET_OFFICE_S", "2"))
TARGET_OFFICE_CLI_S = float(os.environ.get("BENCH_TARGET_OFFICE_CLI_S", "4"))
TARGET_PROVINCE_S = float(os.environ.get("BENCH_TARGET_PROVINCE_S", "6"))
TARGET_RSS_MB = float(os.environ.get("BENCH_TARGET_RSS_MB", "300"))

SEED_CACHE = os.environ.get("BENCH_SEED_CACHE", "/tmp/infocenter-bench-seed")

RESULTS: dict[str, dict[str, float]] = {}  # label -> seconds, rss_mb


def _quarter() -> FiscalQuarter:
    """The last whole quarter before today (the seeders fill the twelve months up to today)."""
    return FiscalQuarter.of(local_today()).previous()


def _database_url(folder) -> tuple[str, str | None]:
    """(URL, PostgreSQL base to drop it from afterwards or None)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return normalize_database_url(os.environ["BENCH_DATABASE_URL"]), None
    if os.environ.get("TEST_DATABASE_URL"):
        base = os.environ["TEST_DATABASE_URL"]
        return fresh_postgres_database(base, f"ic_bench_{uuid.uuid4().hex[:8]}"), base
    return f"sqlite:///{folder / 'bench.sqlite'}", None


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench_report")
    os.environ["INFOCENTER_INSTANCE"] = str(folder / "instance")
    url, pg_base = _database_url(folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
            "REPORTS_DIR": str(folder / "reports"),
            "COUNT_USAGE": False,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if pg_base:
        drop_postgres_database(pg_base, url)


def _seed_year() -> SeedContext:
    ctx = SeedContext(
        rng=random.Random(2540),
        documents=2000,
        visits=VISITS,
        online_events=EVENTS,
        requests=REQUESTS,
        echo=lambda *_: None,
    )
    started = time.perf_counter()
    run_seed(ctx)
    print(
        f"\nrun_seed: {VISITS:,} visits, {EVENTS:,} online events, {REQUESTS:,} requests: "
        f"{time.perf_counter() - started:.0f} s"
    )
    return ctx


def _seed_history(ctx: SeedContext, years: range) -> None:
    """Years before the seeded one (1 = the year before), by the same seeders with ``today`` moved
    back."""
    started = time.perf_counter()
    for year in years:
        back = replace(
            ctx,
            today=ctx.today - timedelta(days=365 * year),
            rng=random.Random(year),
            visits=int(VISITS * HISTORY_SCALE),
            online_events=int(EVENTS * HISTORY_SCALE),
            requests=HISTORY_REQUESTS,
        )
        for name in ("infocenter.demo.counter", "infocenter.demo.inquiries"):
            import_module(name).seed(back)
            db.session.flush()
        db.session.commit()
    totals = (
        db.session.scalar(select(func.count()).select_from(Visit)),
        db.session.scalar(select(func.count()).select_from(UsageEvent)),
        db.session.scalar(select(func.count()).select_from(Inquiry)),
    )
    print(
        f"history: {len(years)} years at {HISTORY_SCALE:g}× the events and visits, "
        f"{HISTORY_REQUESTS} "
        f"requests a year: {time.perf_counter() - started:.0f} s; now {totals[0]:,} visits, "
        f"{totals[1]:,} online events, {totals[2]:,} requests"
    )


def _sqlite_file() -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def _seed_cache(stage: str) -> Path | None:
    """Where the seeded SQLite database of ``stage`` is kept between runs (None: not kept)."""
    if not SEED_CACHE or _sqlite_file() is None:
        return None
    sizes = (
        f"e{EVENTS}-v{VISITS}-r{REQUESTS}-y{HISTORY_YEARS}-s{HISTORY_SCALE:g}-h{HISTORY_REQUESTS}"
    )
    return Path(SEED_CACHE) / f"{sizes}-{local_today():%Y%m%d}-{stage}.sqlite"


def _keep(stage: str) -> None:
    """Copy the seeded database into the cache."""
    cache = _seed_cache(stage)
    if cache is None:
        return
    db.session.commit()
    cache.parent.mkdir(parents=True, exist_ok=True)
    part = cache.with_suffix(".part")
    source = db.engine.raw_connection()  # SQLite's online backup: WAL included, session kept
    try:
        copy = sqlite3.connect(part)
        source.driver_connection.backup(copy)
        copy.close()
    finally:
        source.close()
    part.replace(cache)
    print(f"seeded database kept in {cache}")


def _restore(stage: str) -> bool:
    """Replace the bench database by the kept one of ``stage``; False when there is none."""
    cache = _seed_cache(stage)
    if cache is None or not cache.exists():
        return False
    target = _sqlite_file()
    db.session.remove()
    db.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(cache, target)
    from flask_migrate import upgrade

    upgrade()  # migrations added since it was kept
    print(f"seeded database copied from {cache} (BENCH_SEED_CACHE)")
    return True


def _report(fq: FiscalQuarter, office_ids) -> bytes:
    """The whole report: every statistic (stats functions) and the PDF."""
    from infocenter.admin.models import Office
    from infocenter.reports import quarterly

    office = db.session.get(Office, office_ids[0])
    section = quarterly.collect(fq, office_ids, office.name)
    meta = quarterly.ReportMeta(
        report_code="BENCH-1", generated_at=now_utc(), office=office, addressee="ผู้บังคับบัญชา"
    )
    out = io.BytesIO()
    quarterly.build_pdf(out, fq, [section], meta, whole=office.name)
    return out.getvalue()


def _province_report(fq: FiscalQuarter) -> bytes:
    """The province's default report (its memo, every office side by side and its tables), as the
    web's background job makes it in a worker that has made one before (warm)."""
    from infocenter.reports import quarterly
    from infocenter.reports.operations import sections_for

    sections, sender, side_by_side = sections_for(fq, None, True)
    meta = quarterly.ReportMeta(
        report_code="BENCH-2", generated_at=now_utc(), office=sender, addressee="ผู้บังคับบัญชา"
    )
    out = io.BytesIO()
    quarterly.build_pdf(
        out, fq, sections, meta, whole=f"ศูนย์ข้อมูลข่าวสาร{sender.name}", rollup=side_by_side
    )
    return out.getvalue()


def _headline_report(fq: FiscalQuarter, office_ids) -> tuple:
    """The headline figures as the report reads them (stats functions)."""
    from infocenter.reports import quarterly
    from infocenter.stats import requests as rstats

    h = quarterly.headline(fq, office_ids, rstats.summary(Scope.quarter(fq, office_ids)))
    return (
        h.visits,
        {k: h.online.get(k, 0) for k in ("search", "view", "download")},
        h.requests_received,
        h.requests_closed,
    )


def _headline_baseline(fq: FiscalQuarter, office_ids) -> tuple:
    """The same figures by loading the quarter's rows into Python (raw events, then the COUNTER
    double-click rule and robots applied in Python)."""
    scope = Scope.quarter(fq, office_ids)
    lo, hi = scope.bounds_utc
    visits = [
        v
        for v in db.session.scalars(
            select(Visit).where(
                Visit.office_id.in_(office_ids), Visit.visited_at >= lo, Visit.visited_at < hi
            )
        )
        if v.voided_at is None
    ]
    events = db.session.execute(
        select(
            UsageEvent.kind,
            UsageEvent.session_key,
            UsageEvent.entry_id,
            UsageEvent.query,
            UsageEvent.at,
            UsageEvent.ua_class,
        )
        # Searches belong to no office: the website's, run by the main office.
        .where(
            or_(UsageEvent.office_id.in_(office_ids), UsageEvent.office_id.is_(None)),
            UsageEvent.at >= lo,
            UsageEvent.at < hi,
        )
    ).all()
    last: dict[tuple, object] = {}
    online: Counter = Counter()
    for kind, key, entry, query, at, ua in sorted(events, key=lambda e: e.at):
        if ua == "robot":
            continue
        k = (kind, key, entry, query)
        if k in last and (at - last[k]).total_seconds() < 30:
            last[k] = at
            continue
        last[k] = at
        online[kind] += 1
    inquiries = db.session.scalars(select(Inquiry).where(Inquiry.office_id.in_(office_ids))).all()
    received = sum(1 for i in inquiries if lo <= i.received_at < hi)
    closed = sum(
        1 for i in inquiries if i.closed_on is not None and fq.start <= i.closed_on <= fq.end
    )
    return (
        len(visits),
        {k: online.get(k, 0) for k in ("search", "view", "download")},
        received,
        closed,
    )


def _measure(label: str, fn, *args) -> object:
    """Median time of REPEAT runs in this process (warm)."""
    times, result = [], None
    for _ in range(REPEAT):
        # A new transaction each time: stats.online keeps a scope's figures for the transaction.
        db.session.rollback()
        started = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - started)
    db.session.rollback()
    RESULTS[label] = {"seconds": sorted(times)[len(times) // 2], "rss_mb": float("nan")}
    return result


# ``flask`` in the child, printing its own peak RSS (VmHWM) as it exits. Not wait4's ru_maxrss:
# Linux carries the high-water mark across fork and exec, so the child was charged this whole
# bench process (~480 MB with the seeded data in its caches) before it ran a line of its own.
_CLI_WITH_PEAK = """
import atexit, sys
def _peak():
    with open("/proc/self/status") as status:
        print(next(line for line in status if line.startswith("VmHWM")).strip(), flush=True)
atexit.register(_peak)
sys.argv[0] = "flask"
from flask.cli import main
main()
"""


def _cli(label: str, fq: FiscalQuarter, *args: str) -> None:
    """``flask report quarterly`` in a fresh process: wall time (app start included) and peak
    RSS."""
    from flask import current_app

    env = dict(
        os.environ,
        FLASK_APP="wsgi",
        DATABASE_URL=current_app.config["SQLALCHEMY_DATABASE_URI"],
        REPORTS_DIR=current_app.config["REPORTS_DIR"],
        SECRET_KEY="bench",
        COUNT_USAGE="0",
    )
    cmd = [
        sys.executable,
        "-c",
        _CLI_WITH_PEAK,
        "report",
        "quarterly",
        "--fiscal-year",
        str(fq.year),
        "--quarter",
        str(fq.quarter),
        *args,
    ]
    started = time.perf_counter()
    child = subprocess.Popen(
        cmd, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = child.stdout.read().decode()
    child.stdout.close()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    assert child.returncode == 0, output
    peak_kb = [int(line.split()[1]) for line in output.splitlines() if line.startswith("VmHWM")]
    RESULTS[label] = {"seconds": seconds, "rss_mb": peak_kb[-1] / 1024}


def _main_office():
    from infocenter.admin.operations import ensure_main_office

    return ensure_main_office()


def _run(phase: str) -> None:
    fq = _quarter()
    office = _main_office()
    offices = (office.id,)
    pdf = _measure(f"{phase}: one office, in process", _report, fq, offices)
    assert pdf.startswith(b"%PDF")
    pdf = _measure(f"{phase}: province (16 offices), in process", _province_report, fq)
    assert pdf.startswith(b"%PDF")
    _cli(f"{phase}: one office, CLI", fq, "--office", office.code)
    _cli(f"{phase}: province (16 offices), CLI", fq, "--all")
    ours = _measure(f"{phase}: headline via stats", _headline_report, fq, offices)
    base = _measure(f"{phase}: headline, rows into Python", _headline_baseline, fq, offices)
    assert ours[0] == base[0] and ours[2:] == base[2:], (ours, base)
    print(
        f"{phase}: {fq.label(thai=False)}, office {office.code}: visits {ours[0]:,}, online "
        f"{ours[1]}, "
        f"requests received {ours[2]:,}, closed {ours[3]:,} (baseline online {base[1]})"
    )


def _rollup() -> None:
    started = time.perf_counter()
    result = rollup()
    print(
        f"flask usage rollup: {result.rows:,} daily rows in {time.perf_counter() - started:.1f} s"
    )


def test_report_meets_its_targets_with_and_without_history(app):
    # One app context throughout: the SeedContext keeps the demo offices and users it made.
    with app.app_context():
        # Both stages kept from an earlier run, or both seeded now (the history needs the context).
        cached = _seed_cache("history") is not None and _seed_cache("history").exists()
        ctx = None
        if not (cached and _restore("first")):
            ctx = _seed_year()
            _seed_history(ctx, range(1, 2))  # the year before: the report compares with its quarter
            _rollup()  # as the nightly cron would
            _keep("first")
        first = "2 years"
        _run(first)
        if ctx is None:
            _restore("history")
        else:
            _seed_history(ctx, range(2, HISTORY_YEARS + 2))
            _rollup()
            _keep("history")
        last = f"{HISTORY_YEARS + 1} more years"
        _run(last)
    print()
    print(f"{'':48} {'time (s)':>10} {'peak RSS MB':>12}")
    for label, r in RESULTS.items():
        print(f"{label:48} {r['seconds']:10.2f} {r['rss_mb']:12.1f}")
    print(f"load average (uptime): {os.getloadavg()}")
    one, more = (
        RESULTS[f"{first}: one office, in process"],
        RESULTS[f"{last}: one office, in process"],
    )
    print(f"report time with history / without: {more['seconds'] / one['seconds']:.2f}×")
    missed = []
    for phase in (first, last):
        checks = [
            (f"{phase}: one office, in process", "seconds", TARGET_OFFICE_S),
            (f"{phase}: province (16 offices), in process", "seconds", TARGET_PROVINCE_S),
            (f"{phase}: one office, CLI", "seconds", TARGET_OFFICE_CLI_S),
            (f"{phase}: province (16 offices), CLI", "seconds", TARGET_PROVINCE_S),
            (f"{phase}: one office, CLI", "rss_mb", TARGET_RSS_MB),
            (f"{phase}: province (16 offices), CLI", "rss_mb", TARGET_RSS_MB),
        ]
        missed += [
            f"{label} {key} {RESULTS[label][key]:.2f} > {target:g}"
            for label, key, target in checks
            if RESULTS[label][key] > target
        ]
    # The report reads the quarter through indexes and aggregates: history may not make it slower.
    if more["seconds"] > one["seconds"] * 1.5 + 0.5:
        missed.append(f"history: {more['seconds']:.2f} s vs {one['seconds']:.2f} s")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    assert not missed, missed
