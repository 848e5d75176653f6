"""Migrations apply from empty on SQLite and PostgreSQL, match the models, and round-trip."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from infocenter import create_app
from infocenter.extensions import db, migrate
from tests.dbs import BACKENDS, drop_postgres_database, fresh_postgres_database


def test_one_head():
    """History is linear: a second head means two migrations claim the same parent."""
    from alembic.config import Config

    from infocenter import PROJECT_ROOT

    cfg = Config(str(PROJECT_ROOT / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1, f"several heads: {heads}; set down_revision to the newest revision"


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    url = fresh_postgres_database(base, f"ic_mig_{uuid.uuid4().hex[:8]}")
    yield url
    drop_postgres_database(base, url)


def _ignored(obj, name, type_, reflected, compare_to):
    # Search-index side tables (FTS5 shadow tables, trigram indexes) and the newest-first index
    # (NULLS LAST on PostgreSQL only) are created by raw DDL.
    if type_ == "index" and name == "ix_index_entries_public_newest":
        return False
    return not (type_ == "table" and name and (name.endswith("_fts") or "_fts_" in name))


def test_upgrade_matches_models_and_round_trips(empty_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("INFOCENTER_INSTANCE", str(tmp_path / "inst"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_db_url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {
            "offices",
            "users",
            "audit_log",
            "settings",
            "categories",
            "index_entries",
        } <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": _ignored, "compare_type": False}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        with db.engine.connect() as conn:
            assert (
                conn.execute(
                    text("SELECT count(*) FROM categories WHERE parent_id IS NULL")
                ).scalar()
                == 13
            )  # 7(1)–7(5), 9(1)–9(8)
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()
        assert "index_entries" in set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert migrate.directory.endswith("migrations")


def test_old_audit_rows_lose_their_personal_text(empty_db_url, tmp_path, monkeypatch):
    """Rows written before personal free text was kept out of the log are redacted by 0020, through
    the one path the append-only triggers allow; the triggers hold again afterwards."""
    import json

    monkeypatch.setenv("INFOCENTER_INSTANCE", str(tmp_path / "inst"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_db_url, "SECRET_KEY": "x", "TESTING": True})
    planted = "สมชาย ใจดี 081-234-5678"
    with app.app_context():
        upgrade(revision="0019_usage_daily")
        with db.engine.begin() as conn:
            insert = text(
                "INSERT INTO audit_log (at, actor, action, record_type, record_id, changes, "
                "reason) "
                "VALUES (CURRENT_TIMESTAMP, 'clerk', :action, :type, '1', :changes, :reason)"
            )
            conn.execute(
                insert,
                {
                    "action": "update",
                    "type": "Visit",
                    "reason": f"ยกเลิกรายการผู้ใช้บริการ: {planted}",
                    "changes": json.dumps({"note": [None, planted], "copies": [0, 2]}),
                },
            )
            conn.execute(
                insert,
                {
                    "action": "create",
                    "type": "Inquiry",
                    "reason": None,
                    "changes": json.dumps(
                        {"subject": [None, planted], "channel": [None, "walk_in"]}
                    ),
                },
            )
            conn.execute(
                insert,
                {
                    "action": "create",
                    "type": "InquiryNote",
                    "reason": None,
                    "changes": json.dumps({"text": [None, planted]}),
                },
            )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT record_type, changes, reason FROM audit_log ORDER BY id")
            ).all()
        dumped = json.dumps(
            [[r[0], r[1] if isinstance(r[1], str) else json.dumps(r[1]), r[2]] for r in rows],
            ensure_ascii=False,
        )
        assert "สมชาย" not in dumped and "081-234-5678" not in dumped
        assert "copies" in dumped and "walk_in" in dumped  # other values stay
        assert rows[0][2] == "ยกเลิกรายการผู้ใช้บริการ"
        with pytest.raises(Exception, match="append-only"):  # the triggers are back
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE audit_log SET reason = 'x'"))
        db.session.remove()
        db.engine.dispose()
