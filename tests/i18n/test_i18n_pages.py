"""In English, no page speaks Thai of its own.

A browser-less crawl of the demo office in English — the public site as a citizen, the staff
site as the administrator, the counter as a clerk — follows every internal link (one page per
URL shape) and collects the Thai text left on each page: visible text and the attributes people
read (placeholder, title, aria-label, alt, value of buttons). Thai that is the office's own data
(anything stored in the database: entry titles, category names, office names, visitor types…)
is allowed; any other Thai is a string that was not marked for translation or not translated.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import JSON, String, Text, select

from infocenter.extensions import db

PASSWORD = "demo-password-1"
THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+(?:[ \t]+[\u0E00-\u0E7F]+)*")
READ_ATTRIBUTES = re.compile(
    r'\b(?:placeholder|title|aria-label|alt|value|content|data-confirm)="([^"]*)"'
)
SKIP = re.compile(
    r"^/(?:logout|lang/|static/|bootstrap/|api/|feeds/|healthz)|\.(?:pdf|csv|xlsx|atom|png|svg|txt)$|/(?:download|files?)/|/export"
)
ALLOWED = {"ไทย"}  # the language switch names Thai in Thai
MAX_PAGES = 220


def _data_text(app) -> str:
    """Every text value stored in the database, joined: Thai found inside it is data."""
    parts: list[str] = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                parts.extend(
                    v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in row if v
                )
    return " \n ".join(" ".join(part.split()) for part in parts)


def _visible(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = " \n ".join(READ_ATTRIBUTES.findall(page))
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    text = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape(text + "\n" + attributes)


def _shape(path: str) -> str:
    """/requests/12?page=2 and /requests/7?page=3 are one page shape."""
    parts = urlsplit(path)
    keys = "&".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return re.sub(r"\d+", "N", parts.path) + ("?" + keys if keys else "")


def _crawl(client, starts: list[str], data: str) -> tuple[dict[str, list[str]], int]:
    seen_shapes: set[str] = set()
    queue = list(starts)
    problems: dict[str, list[str]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen_shapes or SKIP.search(urlsplit(path).path):
            continue
        seen_shapes.add(shape)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            response.close()
            continue
        visited += 1
        page = response.get_data(as_text=True)
        response.close()
        visible = " ".join(_visible(page).replace("\n", "\x00").split()).replace("\x00", "\n")
        left = sorted(
            {run for run in THAI_RUN.findall(visible) if run not in ALLOWED and run not in data}
        )
        if left:
            problems[path] = left
        for href in re.findall(r'href="([^"#]+)', page):
            href = html.unescape(href)
            target = urlsplit(urljoin("http://localhost" + path, href))
            if target.netloc == "localhost":
                queue.append(target.path + ("?" + target.query if target.query else ""))
    return problems, visited


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(
        args=[
            "demo",
            "seed",
            "--documents",
            "25",
            "--visits",
            "30",
            "--online-events",
            "60",
            "--requests",
            "12",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    return _data_text(app)


def _english(client, username: str | None = None):
    if username:
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302
    client.post("/lang/en")


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}: {runs}" for path, runs in sorted(problems.items()))


PUBLIC_STARTS = [
    "/",
    "/search?q=แผน",
    "/categories",
    "/about",
    "/privacy",
    "/requests/new",
    "/requests/status",
    "/news",
    "/login",
    "/nope",
]
STAFF_STARTS = [
    "/staff",
    "/dashboard",
    "/staff/index",
    "/staff/index/new",
    "/staff/index/import",
    "/staff/index/completeness",
    "/staff/index/categories",
    "/counter",
    "/counter/import",
    "/counter/lists",
    "/requests/",
    "/requests/?status=overdue",
    "/requests/mine",
    "/requests/create",
    "/requests/holidays",
    "/reports/",
    "/staff/posts",
    "/staff/posts/new",
    "/staff/line",
    "/staff/publishing/plan",
    "/admin/",
    "/admin/offices",
    "/admin/users",
    "/admin/users/new",
    "/admin/settings",
    "/admin/audit",
    "/admin/profile",
    "/account/password",
]


@pytest.mark.parametrize(
    "who, starts, at_least",
    [
        (None, PUBLIC_STARTS, 8),  # a citizen
        ("demo-admin", STAFF_STARTS, 40),
        ("demo-clerk", ["/counter", "/requests/mine"], 2),
    ],
    ids=["public", "staff", "counter"],
)
def test_pages_in_english(app, client, demo, who, starts, at_least):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the pages are the same on both databases; crawled once, on SQLite")
    _english(client, who)
    problems, visited = _crawl(client, starts, demo)
    assert visited >= at_least
    assert not problems, "Thai left on English pages:\n" + _report(problems)
