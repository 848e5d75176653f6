"""`flask restore` in one process makes every running worker drop its caches at its next request
(a generation stamp in the instance folder), and the restored SQLite file is not world-readable."""

from __future__ import annotations

import os
import stat
import time

from infocenter import cache
from infocenter.ops.backup import bump_cache_generation


def test_a_restore_elsewhere_drops_this_workers_caches(app, client):
    before = [c.generation for c in cache._CACHES]
    client.get("/healthz")  # the worker has looked once
    client.get("/healthz")
    assert [c.generation for c in cache._CACHES] == before  # nothing happened: caches kept
    time.sleep(0.01)
    with app.app_context():
        bump_cache_generation()  # what `flask restore` does, in another process
    client.get("/healthz")
    assert all(c.generation > g for c, g in zip(cache._CACHES, before, strict=True))
    after = [c.generation for c in cache._CACHES]
    client.get("/healthz")
    assert [c.generation for c in cache._CACHES] == after  # once per restore, not every request


def test_restored_sqlite_file_is_private(app, runner, tmp_path):
    with app.app_context():
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            return
        database = app.config["SQLALCHEMY_DATABASE_URI"].split("sqlite:///", 1)[1]
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    os.chmod(database, 0o644)
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
