"""Security by default: headers, CSP-clean pages, cookies, proxy, rate limits, redirects, logs."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from infocenter import PROJECT_ROOT, create_app
from infocenter.extensions import db
from tests.factories import PASSWORD


def _get_routes(app) -> list[str]:
    """Every GET URL that needs no argument (the pages a visitor can open directly)."""
    return sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
        }
    )


class InlineFinder(HTMLParser):
    """Collects everything a strict Content-Security-Policy would block."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
            if (
                name in ("href", "src")
                and (value or "").startswith(("http://", "https://", "//"))
                and tag
                in (
                    "script",
                    "link",
                )
            ):
                self.problems.append(f"<{tag} {name}={value}> loads from another site")
        if tag == "style":
            self.problems.append("<style> block")
        if tag == "script":
            self._in_script = not dict(attrs).get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")


def test_headers_on_every_page(client):
    """CSP without inline script, no framing, no sniffing, no referrer to other sites."""
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    # Plain HTTP: no HSTS (it would be ignored and is wrong on a LAN-only install).
    assert "Strict-Transport-Security" not in response.headers
    error = client.get("/no-such-page")
    assert error.status_code == 404 and "Content-Security-Policy" in error.headers


@pytest.mark.parametrize("role", ["anonymous", "admin", "clerk"])
def test_pages_comply_with_the_csp(app, client, login_as, role):
    """No page rendered today has inline script, inline style or event handlers (they would be
    blocked)."""
    if role != "anonymous":
        login_as(role)
    problems = []
    checked = 0
    for path in _get_routes(app):
        if path in ("/logout",):
            continue
        response = client.get(path)
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        finder = InlineFinder()
        finder.feed(response.get_data(as_text=True))
        checked += 1
        problems += [f"{path}: {p}" for p in finder.problems]
    assert checked >= 2
    assert not problems, "\n".join(problems)


def test_staff_pages_not_cached(client, login_as):
    login_as("admin")
    assert client.get("/staff").headers["Cache-Control"] == "no-store"


@pytest.mark.app_config(PUBLIC_BASE_URL="https://info.example.go.th")
def test_secure_cookies_and_hsts_under_https(client, make_user):
    username = make_user("clerk")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "remember": "y"},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    session = [c for c in cookies if c.startswith("session=")]
    assert session and all(
        "Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in session
    )
    remember = [c for c in cookies if c.startswith("infocenter_remember=")]
    assert remember and "Secure" in remember[0]
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_cookies_without_https_are_httponly_and_samesite(client, make_user):
    response = client.post("/login", data={"username": make_user("clerk"), "password": PASSWORD})
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


# --- rate limits ------------------------------------------------------------------------------


def _post_logins(client, n, **kwargs):
    return [
        client.post(
            "/login", data={"username": "nobody", "password": "wrong"}, **kwargs
        ).status_code
        for _ in range(n)
    ]


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_login_limited_with_thai_page(client):
    codes = _post_logins(client, 31)
    assert codes[:30] == [200] * 30
    assert codes[30] == 429
    response = client.post("/login", data={"username": "nobody", "password": "wrong"})
    assert response.status_code == 429
    assert "ส่งคำขอถี่เกินไป" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers
    # Reading the login page is not limited.
    assert client.get("/login").status_code == 200


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_forwarded_for_ignored_without_trusted_proxy(client):
    """A client cannot dodge the limit by inventing X-Forwarded-For when no proxy is configured."""
    codes = [
        client.post(
            "/login",
            data={"username": "x", "password": "y"},
            headers={"X-Forwarded-For": f"198.51.100.{i}"},
        ).status_code
        for i in range(31)
    ]
    assert codes[-1] == 429


@pytest.mark.app_config(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1)
def test_proxy_fix_gives_each_client_its_own_budget(client):
    """Behind nginx (TRUSTED_PROXIES=1) the limit is per real client address, and HTTPS is seen."""
    first = _post_logins(client, 31, headers={"X-Forwarded-For": "203.0.113.7"})
    assert first[-1] == 429
    other = client.post(
        "/login",
        data={"username": "x", "password": "y"},
        headers={"X-Forwarded-For": "203.0.113.8", "X-Forwarded-Proto": "https"},
    )
    assert other.status_code == 200
    assert "Strict-Transport-Security" in other.headers


LIMITED = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_SEARCH": "3 per minute",
    "RATELIMIT_API": "3 per minute",
    "RATELIMIT_REQUESTS": "2 per minute",
    "RATELIMIT_REQUEST_STATUS": "3 per minute",
}


@pytest.mark.app_config(**LIMITED)
@pytest.mark.parametrize("path", ["/search?q=แผน", "/api/v1/documents?q=แผน", "/api/v1/categories"])
def test_search_and_api_limited(app, client, path):
    if not any(rule.rule == urlsplit(path).path for rule in app.url_map.iter_rules()):
        pytest.skip(f"{urlsplit(path).path} not built yet")
    codes = [client.get(path).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.json["error"]["code"] == 429
        assert "ถี่เกินไป" in response.json["error"]["title"]
    else:
        assert "ส่งคำขอถี่เกินไป" in response.get_data(as_text=True)


@pytest.mark.app_config(**LIMITED)
def test_online_request_submission_limited(app, client):
    if "/requests/new" not in {rule.rule for rule in app.url_map.iter_rules()}:
        pytest.skip("/requests/new not built yet")
    codes = [client.post("/requests/new", data={}).status_code for _ in range(12)]
    assert codes[0] != 429 and codes[-1] == 429
    # Reading the form stays open.
    assert client.get("/requests/new").status_code == 200


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis not configured (set TEST_REDIS_URL)")
    return url


@pytest.mark.parametrize("backend", ["redis"])
def test_limits_shared_through_redis(tmp_path, monkeypatch, redis_url, backend):
    """With RATELIMIT_STORAGE_URI on Redis the counts live in Redis, shared by every worker."""
    import redis

    monkeypatch.setenv("INFOCENTER_INSTANCE", str(tmp_path / "instance"))
    prefix = f"ic-test-{uuid.uuid4().hex[:8]}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "t",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": prefix,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.sqlite'}",
        "UPLOAD_DIR": str(tmp_path / "u"),
        "REPORTS_DIR": str(tmp_path / "r"),
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    store = redis.Redis.from_url(redis_url)
    try:
        codes = _post_logins(client, 31)
        assert codes[-1] == 429 and codes[:30] == [200] * 30
        keys = store.keys(f"*{prefix}*")
        assert keys, "no rate-limit key written to Redis"
        # A second worker process (a fresh app on the same store) sees the same count.
        second = create_app(config).test_client()
        assert second.post("/login", data={"username": "x", "password": "y"}).status_code == 429
    finally:
        for key in store.keys(f"*{prefix}*"):
            store.delete(key)
        with app.app_context():
            db.engine.dispose()


# --- input hygiene, redirects, logs -------------------------------------------------------------


def test_nul_bytes_refused_with_a_message(client):
    response = client.get("/login?next=%00")
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    response = client.post("/login", data={"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


OPEN_REDIRECTS = [
    "//evil.example",
    "https://evil.example/",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "///evil.example",
    "https:/evil.example",
]


def _browser_target(location: str) -> tuple[str, str]:
    """Where a browser would go: it drops tabs/newlines and treats backslashes as slashes."""
    cleaned = "".join(ch for ch in location if ch not in "\t\r\n").replace("\\", "/").strip()
    parts = urlsplit(cleaned)
    return parts.scheme, parts.netloc


@pytest.mark.parametrize("target", OPEN_REDIRECTS + ["/\t/evil.example", "/%09/evil.example"])
def test_login_next_never_leaves_the_site(client, make_user, target):
    username = make_user("clerk")
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    scheme, netloc = _browser_target(response.headers["Location"])
    assert netloc in ("", "localhost") and scheme in ("", "http")
    # Already logged in: GET /login?next=... behaves the same.
    again = client.get("/login", query_string={"next": target})
    assert again.status_code == 302
    scheme, netloc = _browser_target(again.headers["Location"])
    assert netloc in ("", "localhost")


def test_login_next_keeps_local_paths(client, make_user):
    response = client.post(
        "/login",
        data={"username": make_user("admin"), "password": PASSWORD, "next": "/admin/users"},
    )
    assert response.headers["Location"].endswith("/admin/users")


def test_no_secret_in_logs(app, client, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    username = make_user("clerk")
    client.post("/login", data={"username": username, "password": "a-wrong-secret-pw"})
    client.post("/login", data={"username": username, "password": PASSWORD})
    client.get("/healthz")
    text = caplog.text
    for secret in ("a-wrong-secret-pw", PASSWORD, app.config["SECRET_KEY"]):
        assert secret not in text


def test_pg_tools_get_the_password_from_the_environment_not_argv():
    from sqlalchemy.engine import make_url

    from infocenter.ops.backup import _pg_args

    dsn, env = _pg_args(
        make_url("postgresql+psycopg://ic:s3cret-pw@db.local:5432/infocenter?sslmode=require")
    )
    assert "s3cret-pw" not in dsn
    assert dsn == "postgresql://ic@db.local:5432/infocenter?sslmode=require"
    assert env["PGPASSWORD"] == "s3cret-pw"


def test_gunicorn_access_log_has_no_query_strings():
    """Queries can hold names and search words: the access log keeps the path only."""
    import runpy

    conf = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    fmt = conf["access_log_format"]
    assert "%(U)s" in fmt
    assert "%(r)s" not in fmt and "%(q)s" not in fmt and "%(f)s" not in fmt
    assert conf["workers"] >= 2 and conf["timeout"] > 0
    assert "forwarded_allow_ips" in conf


@pytest.mark.app_config(COUNT_USAGE_IN_TESTS=True)
def test_gunicorn_warms_the_public_pages_without_counting_or_keeping_connections(app, monkeypatch):
    """Before forking, the master answers a few public pages (statement cache, translations and
    search code ready in every worker): no usage is counted and no database connection is left
    for the workers to share."""
    import runpy
    import sys
    import types

    from infocenter.usage.models import UsageEvent

    conf = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    monkeypatch.setitem(sys.modules, "wsgi", types.SimpleNamespace(app=app))
    failures = []
    server = types.SimpleNamespace(log=types.SimpleNamespace(exception=failures.append))
    conf["when_ready"](server)
    assert failures == []
    assert app.config["COUNT_USAGE"] is True  # put back
    with app.app_context():
        assert (
            db.engine.pool.checkedout() == 0 and db.engine.pool.checkedin() == 0
        )  # nothing to share
        assert db.session.scalar(db.select(db.func.count(UsageEvent.id))) == 0
    assert app.test_client().get("/search?q=แผน").status_code == 200
    with app.app_context():  # counting works again after the warm-up
        assert db.session.scalar(db.select(db.func.count(UsageEvent.id))) == 1


# --- database tuning and health -----------------------------------------------------------------


def test_sqlite_tuned_for_a_small_office(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite only")
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            assert cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cur.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cur.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
            # Foreign keys are enforced, not just declared.
            with pytest.raises(sqlite3.IntegrityError):
                cur.execute(
                    "INSERT INTO users (username, password_hash, role, office_id, active, "
                    "failed_logins)"
                    " VALUES ('x', 'x', 'clerk', 999999, 1, 0)"
                )
        finally:
            raw.close()


def test_healthz_reports_ok_without_secrets(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "uploads": "ok", "reports": "ok"}
    text = response.get_data(as_text=True)
    assert app.config["SECRET_KEY"] not in text
    assert app.config["SQLALCHEMY_DATABASE_URI"] not in text and "127.0.0.1" not in text


def test_healthz_503_when_database_is_down(tmp_path, monkeypatch):
    monkeypatch.setenv("INFOCENTER_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "UPLOAD_DIR": str(tmp_path / "u"),
            "REPORTS_DIR": str(tmp_path / "r"),
            # A path SQLite cannot open: the directory does not exist.
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite'}",
        }
    )
    with app.test_client() as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["checks"]["database"] == "unavailable"
    assert "missing" not in response.get_data(as_text=True)


# --- no user content rendered unescaped -----------------------------------------------------------

# Every place that bypasses autoescaping, with why it is safe. A new one fails this test until
# reviewed.
REVIEWED_UNESCAPED = {
    (
        "templates/base.html",
        "|safe",
    ): "a fixed <code> snippet passed into a translated string; no user input",
    (
        "infocenter/catalogue/search.py",
        "Markup",
    ): "highlight(): escapes every chunk, adds only <mark>",
    (
        "infocenter/dashboard/charts.py",
        "Markup",
    ): "SVG charts: labels and titles go through escape()",
    # Fixed <code>/<em> snippets passed into translated sentences so a translation can move them;
    # nothing typed by a user (Jinja's ~ escapes any operand that is not already markup).
    ("templates/catalogue/import.html", "|safe"): "fixed <code> lists of the import columns",
    (
        "templates/counter/import.html",
        "|safe",
    ): "fixed <em>/<code> around column names and the CLI command",
    ("templates/inquiries/holidays.html", "|safe"): "a fixed <code> package name",
    ("templates/publishing/_line_off.html", "|safe"): "a fixed <code> setting name",
    ("templates/publishing/line.html", "|safe"): "fixed <code> snippets; the API base (config) is "
    "inserted by Markup %, which escapes it",
}


def test_autoescape_bypasses_are_reviewed():

    root = PROJECT_ROOT
    found = set()
    for path in list((root / "templates").rglob("*.html")) + list(
        (root / "infocenter").rglob("*.py")
    ):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        if rel == "infocenter/security.py":
            continue
        for marker, pattern in (
            ("|safe", r"\|\s*safe\b"),
            ("Markup", r"\bMarkup\("),
            ("autoescape false", r"autoescape\s+false"),
        ):
            if re.search(pattern, text):
                found.add((rel, marker))
    unreviewed = found - set(REVIEWED_UNESCAPED)
    assert not unreviewed, f"review these for user content rendered unescaped: {sorted(unreviewed)}"


def test_user_text_is_escaped_on_pages(app, client, login_as, make_office):
    """A name typed by a user with HTML in it shows as text, never as markup."""
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    make_office("EVIL1", name=evil, kind="district")
    login_as("admin")
    body = client.get("/admin/offices").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in body
    assert "<script>alert(" not in body and "<img src=x" not in body
