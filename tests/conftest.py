"""Fixtures: an app per test on a real database (SQLite always, PostgreSQL too when
TEST_DATABASE_URL is set), a client, a CLI runner, and factories for offices and users; then the
data sets several test folders share (counter lists, the fixed register with online events, the
fixed requests, an SMTP server). Plain helpers and factories (``make_entry``...) are in
factories.py."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import text

from infocenter import create_app
from infocenter.catalogue.models import Category, IndexEntry
from infocenter.counter.models import FeeRate, VisitorType, VisitPurpose, ensure_counter_defaults
from infocenter.extensions import db
from infocenter.inquiries.deadlines import DeadlineRule
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.thai import OFFICE_TZ
from infocenter.usage.models import UsageEvent
from infocenter.usage.record import forget_salt_cache

from .dbs import BACKENDS, drop_postgres_database, fresh_postgres_database
from .factories import CATALOG, PASSWORD, Inbox, free_port, local, make_register


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A PostgreSQL database of this test session's own (dropped at the end), or None."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    url = fresh_postgres_database(base, f"ic_test_{os.getpid()}_{uuid.uuid4().hex[:6]}")
    yield url
    drop_postgres_database(base, url)


_pg_schema_ready: set[str] = set()


def _reset_postgres(app) -> None:
    """Tables made once per session, emptied before each test (much faster than re-creating)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        if url not in _pg_schema_ready:
            db.drop_all()
            db.create_all()
            _pg_schema_ready.add(url)
        else:
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.remove()
    # The day's usage salt is kept per process by database URL and day; the emptied tables no
    # longer hold the one an earlier test made.
    forget_salt_cache()


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path, monkeypatch, pg_url):
    """A fresh app and empty database for one test."""
    backend = request.param
    if backend == "postgresql" and not pg_url:
        pytest.skip("PostgreSQL not configured (set TEST_DATABASE_URL)")
    monkeypatch.setenv("INFOCENTER_INSTANCE", str(tmp_path / "instance"))
    for key in (
        "DATABASE_URL",
        "SECRET_KEY",
        "SMTP_HOST",
        "LINE_CHANNEL_ACCESS_TOKEN",
        "RATELIMIT_STORAGE_URI",
    ):
        monkeypatch.delenv(key, raising=False)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": pg_url
        if backend == "postgresql"
        else f"sqlite:///{tmp_path / 'test.sqlite'}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "REPORTS_DIR": str(tmp_path / "reports"),
        # Background documents made inside the request (tests/test_report_jobs.py runs threads).
        "REPORT_JOBS_INLINE": True,
        "OFFICE_CODE": "NSW",
        "OFFICE_NAME": "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์",
    }
    marker = request.node.get_closest_marker("app_config")
    if marker:
        config.update(marker.kwargs)
    app = create_app(config)
    if backend == "postgresql":
        _reset_postgres(app)
    else:
        with app.app_context():
            db.create_all()
    with app.app_context():
        # What the migrations put in a fresh database.
        from infocenter.catalogue.models import ensure_categories
        from infocenter.catalogue.synonyms import ensure_synonyms
        from infocenter.counter.models import ensure_counter_defaults

        ensure_categories()
        ensure_synonyms()
        ensure_counter_defaults()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_office(app):
    """Factory: make_office(code="NSW01", kind="district") -> office id."""

    def make(
        code: str = "NSW",
        name: str | None = None,
        kind: str = "province",
        parent_id: int | None = None,
    ) -> int:
        from infocenter.admin.models import Office

        with app.app_context():
            office = Office(
                code=code, name=name or f"สำนักงานทดสอบ {code}", kind=kind, parent_id=parent_id
            )
            db.session.add(office)
            db.session.commit()
            return office.id

    return make


@pytest.fixture
def make_user(app, make_office):
    """Factory: make_user("clerk", username=None, office_id=None) -> username (password
    PASSWORD)."""
    counter = {"n": 0}

    def make(role: str, username: str | None = None, office_id: int | None = None, **fields) -> str:
        from infocenter.admin.operations import ensure_main_office
        from infocenter.auth.models import User

        counter["n"] += 1
        username = username or f"{role}{counter['n']}"
        with app.app_context():
            if office_id is None:
                office_id = ensure_main_office().id
            user = User(username=username, role=role, office_id=office_id, **fields)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
        return username

    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(client, make_user, auth):
    """login_as("clerk") makes a user of that role, logs the client in and returns the username."""

    def do(role: str, **kwargs) -> str:
        username = make_user(role, **kwargs)
        response = auth.login(username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return username

    return do


# --- shared data (helpers in factories.py) ---


@pytest.fixture(autouse=True, scope="session")
def compiled_catalog():
    """`make` compiles the catalogue; compile it here too when pytest runs on its own."""
    po, mo = CATALOG / "messages.po", CATALOG / "messages.mo"
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with po.open("rb") as src, mo.open("wb") as dst:
            write_mo(dst, read_po(src))


@pytest.fixture
def lists(app):
    """Ids of the default lists and two index entries: {'types': {code: id}, ..., 'entries':
    [...]}."""
    with app.app_context():
        ensure_counter_defaults()
        from infocenter.admin.operations import ensure_main_office

        office = ensure_main_office()
        cat = db.session.scalar(db.select(Category.id).where(Category.code == "9(3)"))
        entries = [
            IndexEntry(office_id=office.id, category_id=cat, title=t, ref=r, state="published")
            for t, r in (("งบประมาณรายจ่ายประจำปี 2567", "นว 0017/1"), ("แผนปฏิบัติราชการ", "นว 0017/2"))
        ]
        db.session.add_all(entries)
        db.session.commit()
        return {
            "types": {t.code: t.id for t in db.session.scalars(db.select(VisitorType))},
            "purposes": {p.code: p.id for p in db.session.scalars(db.select(VisitPurpose))},
            "rates": {r.code: r.id for r in db.session.scalars(db.select(FeeRate))},
            "entries": [e.id for e in entries],
        }


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; the app sends to it, ``.messages`` holds what arrived."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="info@nsw.example.go.th")
    yield inbox
    controller.stop()


@pytest.fixture
def events(app, make_office):
    """The fixed register (``make_register``) plus online events, counted by hand in
    stats/test_stats_online.py; returns the register."""
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


def _at_ten(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 10, 0, tzinfo=OFFICE_TZ)


@pytest.fixture
def offices(app, make_office):
    """Offices A and B with the fixed requests described in stats/test_stats_requests.py."""
    a = make_office("AAA")
    b = make_office("BBB", kind="district")
    with app.app_context():
        rule = DeadlineRule(None, days=15, working=True)

        def req(office, received, channel="counter", steps=()):
            inquiry, _ = create_inquiry(
                NewInquiry(
                    office_id=office,
                    channel=channel,
                    requester_name="ผู้ขอ",
                    subject="ขอข้อมูล",
                    received_at=_at_ten(received),
                )
            )
            for step, day, kw in steps:
                transition(inquiry, step, None, day=day, rule=rule, **kw)
            return inquiry

        ack = "acknowledged"
        req(a, date(2025, 3, 10), steps=[(ack, date(2025, 3, 11), {})])
        req(
            a,
            date(2025, 3, 20),
            steps=[(ack, date(2025, 3, 21), {}), ("closed", date(2025, 4, 4), {"outcome": "full"})],
        )
        req(
            a,
            date(2025, 4, 2),
            "online",
            steps=[
                (ack, date(2025, 4, 3), {}),
                (
                    "closed",
                    date(2025, 4, 30),
                    {
                        "outcome": "refused",
                        "grounds": ["15(5)", "15(2)"],
                        "fee_waived": Decimal("10"),
                    },
                ),
            ],
        )
        req(
            a,
            date(2025, 5, 7),
            "letter",
            steps=[
                (ack, date(2025, 5, 7), {}),
                ("waiting", date(2025, 5, 8), {"note": "ขอให้ชี้แจง"}),
                ("resume", date(2025, 5, 18), {}),
                (
                    "extended",
                    date(2025, 5, 20),
                    {"note": "เอกสารจำนวนมาก", "new_due": date(2025, 6, 30)},
                ),
                (
                    "closed",
                    date(2025, 6, 25),
                    {"outcome": "partial", "grounds": ["15(5)"], "fee_charged": Decimal("25.00")},
                ),
            ],
        )
        req(a, date(2025, 6, 15), "email")
        req(
            a,
            date(2025, 6, 20),
            steps=[(ack, date(2025, 6, 20), {}), ("closed", date(2025, 7, 2), {"outcome": "full"})],
        )
        req(a, date(2025, 7, 1))
        req(a, date(2025, 2, 1), steps=[("closed", date(2025, 3, 20), {"outcome": "withdrawn"})])
        req(
            b,
            date(2025, 4, 10),
            steps=[
                (
                    "closed",
                    date(2025, 4, 20),
                    {"outcome": "transferred", "agency": "สำนักงานที่ดินจังหวัด"},
                )
            ],
        )
        db.session.commit()
    return a, b
