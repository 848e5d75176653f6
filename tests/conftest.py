"""Fixtures: an app per test on a real database (SQLite always, PostgreSQL too when
TEST_DATABASE_URL is set), a client, a CLI runner, and factories for offices and users."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from infocenter import create_app
from infocenter.extensions import db

from .dbs import BACKENDS, drop_postgres_database, fresh_postgres_database

PASSWORD = "correct-horse-battery"


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
    """Factory: make_user("clerk", username=None, office_id=None) -> username (password PASSWORD)."""
    counter = {"n": 0}

    def make(role: str, username: str | None = None, office_id: int | None = None, **fields) -> str:
        from infocenter.admin.models import default_office
        from infocenter.auth.models import User

        counter["n"] += 1
        username = username or f"{role}{counter['n']}"
        with app.app_context():
            if office_id is None:
                office_id = default_office().id
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
