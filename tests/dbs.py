"""Which databases the suite runs on, and throwaway PostgreSQL databases."""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url

from infocenter.config import normalize_database_url

BACKENDS = ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


def _admin_conninfo(base: str) -> str:
    url = make_url(normalize_database_url(base))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def fresh_postgres_database(base: str, name: str) -> str:
    """Create an empty database ``name`` on the server of ``base``; return its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(_admin_conninfo(base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(normalize_database_url(base)).set(database=name)
    return url.render_as_string(hide_password=False)


def drop_postgres_database(base: str, url: str) -> None:
    import psycopg

    name = make_url(url).database
    with psycopg.connect(_admin_conninfo(base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
