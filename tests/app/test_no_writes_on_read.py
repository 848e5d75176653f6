"""A GET changes no row: every parameterless GET route of the url_map, opened anonymously and as
each role, leaves the row count of every table as it was (issue 19, "reads that write")."""

import pytest
from sqlalchemy import func, select

from infocenter.extensions import db

# Rows a read is meant to write: the visit log of public use (COUNTER statistics), logins.
LOGGED_ON_READ = {"usage_events", "login_tokens"}


def _seed_holidays_around_today() -> None:
    # Not yet moved (issue 19): public holidays are copied from the `holidays` package the first
    # time a year is needed (due dates, the holidays page); `flask inquiries holidays` seeds them
    # ahead. Seeded here as that command would, so the crawl sees every other write.
    from infocenter.inquiries.deadlines import ensure_holidays
    from infocenter.thai import local_today

    year = local_today().year
    for y in (year - 1, year, year + 1):
        ensure_holidays(y)
    db.session.commit()


def _counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
        if t.name not in LOGGED_ON_READ
    }


def _get_routes(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            paths.append(rule.rule)
    return sorted(set(paths))


@pytest.mark.parametrize("role", ["anonymous", "clerk", "supervisor", "admin"])
def test_no_get_route_changes_a_row(app, client, login_as, make_office, role):
    make_office()
    if role != "anonymous":
        login_as(role)
    paths = _get_routes(app)
    assert "/" in paths and "/requests/holidays" in paths
    with app.app_context():
        _seed_holidays_around_today()
        before = _counts()
    changed = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        with app.app_context():
            after = _counts()
            db.session.remove()
        diff = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if diff:
            changed[path] = diff
            before = after
    assert changed == {}


def test_public_pages_of_an_empty_database_create_no_office(app, client):
    with app.app_context():
        before = _counts()
    for path in ("/", "/privacy", "/about", "/about?office=NSW"):
        assert client.get(path).status_code in (200, 404), path
    with app.app_context():
        assert _counts() == before
    assert "นครสวรรค์" in client.get("/").get_data(as_text=True)
