"""Rate limits: declared on each public view, set by the RATELIMIT_* settings, and shared by every
worker process (a SQLite file on one machine by default, Redis when configured)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ProcessPoolExecutor

import pytest

from infocenter import PROJECT_ROOT, create_app
from infocenter.extensions import db
from infocenter.ratelimit_store import SQLiteStorage

ROOT = PROJECT_ROOT

# (method, path, setting) for every public route that carries a limit.
LIMITED_ROUTES = [
    ("GET", "/search?q=แผน", "RATELIMIT_SEARCH"),
    ("GET", "/api/v1/documents?q=แผน", "RATELIMIT_API"),
    ("GET", "/api/v1/documents/1", "RATELIMIT_API"),
    ("GET", "/api/v1/categories", "RATELIMIT_API"),
    ("POST", "/requests/new", "RATELIMIT_REQUESTS"),
    ("GET", "/requests/status", "RATELIMIT_REQUEST_STATUS"),
    ("POST", "/login", "RATELIMIT_LOGIN"),
]


def _hit(client, method, path):
    if method == "POST":
        return client.post(path, data={"username": "x", "password": "y"}).status_code
    return client.get(path).status_code


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
@pytest.mark.parametrize("method,path,key", LIMITED_ROUTES)
def test_each_limit_follows_its_setting(app, client, method, path, key):
    app.config[key] = "2 per minute"
    codes = [_hit(client, method, path) for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429
    # The setting is read at request time: raise it and the same client may go on.
    app.config[key] = "5 per minute"
    assert _hit(client, method, path) != 429


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_every_public_search_api_and_request_route_is_covered(app):
    """A new public route under /api/, /search or /requests/new|status must declare its limit."""
    covered = {path.split("?")[0] for _, path, _ in LIMITED_ROUTES} | {
        "/api/v1/documents/<int:entry_id>"
    }
    public = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/", "/search", "/requests/status"))
        or rule.rule == "/requests/new"
    }
    assert public <= covered


def test_default_storage_is_a_shared_file(app):
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("sqlite:////")


def test_redis_url_in_the_environment_selects_redis(monkeypatch):
    from infocenter.config import env_overrides

    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    assert env_overrides()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    assert env_overrides()["RATELIMIT_STORAGE_URI"] == "memory://"


def _count_in_process(args) -> list[int]:
    path, n = args
    store = SQLiteStorage(f"sqlite:///{path}")
    return [store.incr("k", 60) for _ in range(n)]


def test_sqlite_store_counts_atomically_across_processes(tmp_path):
    path = tmp_path / "rl.sqlite"
    with ProcessPoolExecutor(4) as pool:
        results = [c for chunk in pool.map(_count_in_process, [(str(path), 25)] * 4) for c in chunk]
    assert sorted(results) == list(range(1, 101))  # every increment seen once, none lost
    store = SQLiteStorage(f"sqlite:///{path}")
    assert store.get("k") == 100 and store.check()
    store.clear("k")
    assert store.get("k") == 0


def _open_and_count(path: str) -> str:
    try:
        SQLiteStorage(f"sqlite:///{path}").incr("k", 60)
        return "ok"
    except Exception as error:  # noqa: BLE001  (reported by the test)
        return repr(error)


def test_workers_starting_together_all_open_a_new_store(tmp_path):
    """Eight workers open the same new file at once (gunicorn's start): switching it to WAL
    needs it alone, and SQLite may answer "database is locked" without waiting; none fails."""
    with ProcessPoolExecutor(8) as pool:
        for round_no in range(20):
            path = str(tmp_path / f"rl{round_no}.sqlite")
            answers = list(pool.map(_open_and_count, [path] * 8))
            assert answers == ["ok"] * 8, answers
            assert SQLiteStorage(f"sqlite:///{path}").get("k") == 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis not configured (set TEST_REDIS_URL)")
    return url


@pytest.mark.parametrize("storage", ["default", "redis"])
def test_limit_holds_across_three_gunicorn_workers(tmp_path, storage, request):
    """30 searches at a 5-per-minute limit against gunicorn with 3 workers: at most 5 pass."""
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "GUNICORN_ACCESSLOG": "",
        "INFOCENTER_INSTANCE": str(instance),
        "SECRET_KEY": "t",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite'}",
        "RATELIMIT_SEARCH": "5 per minute",
        "RATELIMIT_ENABLED": "1",
        "UPLOAD_DIR": str(tmp_path / "u"),
        "REPORTS_DIR": str(tmp_path / "r"),
    }
    for key in ("RATELIMIT_STORAGE_URI", "REDIS_URL", "TEST_DATABASE_URL"):
        env.pop(key, None)
    if storage == "redis":
        env["RATELIMIT_STORAGE_URI"] = request.getfixturevalue("redis_url")
        env["RATELIMIT_KEY_PREFIX"] = f"ic-gunicorn-{uuid.uuid4().hex[:8]}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SECRET_KEY": "t",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115  (closed in finally)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "3", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=10):
                    break
            except OSError:  # not listening yet, or still warming up
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError(
                        "gunicorn did not start:\n"
                        + (tmp_path / "gunicorn.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.5)
        codes = []
        for _ in range(30):
            try:
                # A new connection each time, so the three workers share the requests.
                with urllib.request.urlopen(f"{base}/search?q=x", timeout=30) as response:
                    codes.append(response.status)
            except urllib.error.HTTPError as error:
                codes.append(error.code)
                error.close()
        assert codes.count(200) <= 5 and codes.count(429) >= 25, codes
        assert codes[:5] == [200] * 5
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        log.close()
