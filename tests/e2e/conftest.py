"""End-to-end fixtures: the app served by a real WSGI server on 127.0.0.1 (free port, fresh
database with demo data) and Debian's Chromium driven by Playwright.

Skipped, with a message saying so, only when no Chromium is installed; `.ci/run` installs it.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

DEMO_PASSWORD = "demo-password-e2e"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("no Chromium installed (apt-get install chromium); end-to-end tests skipped")
    return path


@pytest.fixture(scope="session")
def live_app(live_server):
    """The app behind the live server (for looking things up in its database)."""
    return live_server.app


def _read_whole_file(file, buffer_size=8192):
    """A ``wsgi.file_wrapper`` that reads the file and closes it at once.

    Werkzeug's development server does not close a response's file when the browser drops the
    connection half-way (a navigation while a stylesheet is still loading), so the file is only
    closed by the garbage collector, with a ResourceWarning that this suite treats as an error.
    Static files here are small; reading them whole leaves nothing open to leak.
    """
    try:
        return [file.read()]
    finally:
        file.close()


def _no_open_files(app):
    def middleware(environ, start_response):
        environ["wsgi.file_wrapper"] = _read_whole_file
        return app(environ, start_response)

    return middleware


class LiveServer(str):
    """The base URL, carrying the app it serves."""

    app = None


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Base URL of the app served on a free port over a fresh SQLite database with demo data."""
    from werkzeug.serving import make_server

    from infocenter import create_app
    from infocenter.extensions import db

    tmp = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'e2e.sqlite'}",
            "SECRET_KEY": "e2e-secret",
            "UPLOAD_DIR": str(tmp / "uploads"),
            "REPORTS_DIR": str(tmp / "reports"),
            "RATELIMIT_ENABLED": False,
            "INQUIRY_MIN_FILL_SECONDS": 0,
        }
    )
    with app.app_context():
        db.create_all()
        from infocenter.catalogue.models import ensure_categories

        ensure_categories()
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "demo",
            "seed",
            "--documents",
            "200",
            "--visits",
            "200",
            "--online-events",
            "500",
            "--requests",
            "20",
            "--password",
            DEMO_PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, _no_open_files(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = LiveServer(f"http://127.0.0.1:{server.server_port}")
    url.app = app
    yield url
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) with the base URL set; Thai locale, phone-sized or
    desktop."""
    context = browser.new_context(
        base_url=live_server,
        locale="th-TH",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact (tests/artifacts/NAME.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form, by keyboard."""
    page.goto("/login")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff")


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's serious and critical violations on the current page (axe runs locally)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in impacts:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
    return found
