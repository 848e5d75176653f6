"""The public pages record their use: search, entry view, file download, API call — one row each,
only for the public (not staff), and counted by the COUNTER rules."""

from __future__ import annotations

import pytest

from infocenter.catalogue.models import Category, EntryFile, IndexEntry
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import online as on
from infocenter.thai import local_today
from infocenter.usage.models import UsageEvent

BROWSER = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile "
    "Safari/537.36"
}
counting = pytest.mark.app_config(COUNT_USAGE_IN_TESTS=True)


@pytest.fixture
def entry(app, make_office):
    office = make_office("NSW", kind="province")
    with app.app_context():
        cat = db.session.scalar(db.select(Category.id).where(Category.code == "9(3)"))
        e = IndexEntry(
            office_id=office,
            category_id=cat,
            title="งบประมาณรายจ่ายประจำปี",
            ref="นว 1/2567",
            state="published",
            disclosure="open",
        )
        db.session.add(e)
        db.session.flush()
        f = EntryFile(
            entry_id=e.id,
            original_name="งบ.pdf",
            stored_name="abc123.pdf",
            mime_type="application/pdf",
            size=8,
            sha256="0" * 64,
        )
        db.session.add(f)
        db.session.commit()
        path = f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4")
        return {"id": e.id, "file": f.id, "office": office}


def kinds(app) -> list[tuple]:
    with app.app_context():
        return [
            (e.kind, e.entry_id, e.query, e.result_count)
            for e in db.session.scalars(db.select(UsageEvent).order_by(UsageEvent.id))
        ]


@counting
def test_public_pages_record_one_event_each(app, client, entry):
    assert client.get("/search?q=งบ ประมาณ", headers=BROWSER).status_code == 200
    assert client.get("/search?q=งบประมาณ&page=2", headers=BROWSER).status_code in (
        200,
        404,
    )  # paging: not a search
    assert client.get("/search?q=ไม่มีเรื่องนี้แน่นอน", headers=BROWSER).status_code == 200
    assert client.get(f"/documents/{entry['id']}", headers=BROWSER).status_code == 200
    with client.get(f"/documents/{entry['id']}/files/{entry['file']}", headers=BROWSER) as response:
        assert response.status_code == 200
    assert client.get("/api/v1/documents?q=งบประมาณ", headers=BROWSER).status_code == 200
    assert kinds(app) == [
        ("search", None, "งบประมาณ", 1),
        ("search", None, "ไม่มีเรื่องนี้แน่นอน", 0),
        ("view", entry["id"], None, None),
        ("download", entry["id"], None, None),
        ("api", None, "งบประมาณ", 1),
    ]
    with app.app_context():
        scope = Scope(local_today(), local_today())
        totals = {c.kind: c.total for c in on.online_totals(scope)}
        assert totals == {"search": 2, "view": 1, "download": 1, "request": 0, "api": 1}
        assert on.searches_without_results(scope) == 1
        assert on.top_queries(scope)[0].query in ("งบประมาณ", "ไม่มีเรื่องนี้แน่นอน")


@counting
def test_a_reload_within_30_seconds_counts_once(app, client, entry):
    for _ in range(3):
        client.get(f"/documents/{entry['id']}", headers=BROWSER)
    assert len(kinds(app)) == 3
    with app.app_context():
        assert on.online_total(Scope(local_today(), local_today()), "view").total == 1


@counting
def test_crawlers_and_staff_are_not_counted(app, client, entry, login_as):
    client.get(
        f"/documents/{entry['id']}", headers={"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)"}
    )
    login_as("clerk")
    client.get(f"/documents/{entry['id']}", headers=BROWSER)
    client.get("/search?q=งบประมาณ", headers=BROWSER)
    assert kinds(app) == [("view", entry["id"], None, None)]  # the robot's, flagged
    with app.app_context():
        scope = Scope(local_today(), local_today())
        assert on.online_total(scope, "view").total == 0
        assert on.robot_events(scope) == 1


def test_without_the_switch_tests_record_nothing(app, client, entry):
    client.get(f"/documents/{entry['id']}", headers=BROWSER)
    assert kinds(app) == []
