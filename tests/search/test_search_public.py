"""Which index entries are public is one rule, IndexEntry.is_public (issue 19): a draft, a
withdrawn and a closed entry are invisible through every path that used a copy of the rule —
search (words, reference, #id, suggestions), the API, the document page, category counts,
statistics, the Atom feed and the printed index."""

from datetime import date

import pytest
from sqlalchemy import select

from infocenter.catalogue.models import Category, IndexEntry
from infocenter.catalogue.search import category_counts, search_entries
from infocenter.extensions import db
from infocenter.reports.printed_index import public_entries
from infocenter.stats import Scope
from infocenter.stats import index as ix
from infocenter.thai import FiscalQuarter, local_today

ROWS = {  # key: (ref, state, disclosure)
    "public": ("นว 0099/1", "published", "open"),
    "partial": ("นว 0099/2", "published", "partial"),
    "draft": ("นว 0099/3", "draft", "open"),
    "withdrawn": ("นว 0099/4", "withdrawn", "open"),
    "closed": ("นว 0099/5", "published", "closed"),
}
HIDDEN = ("draft", "withdrawn", "closed")


@pytest.fixture
def rows(app, make_office):
    office = make_office("NSW")
    ids = {}
    with app.app_context():
        cat = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        for key, (ref, state, disclosure) in ROWS.items():
            entry = IndexEntry(
                office_id=office,
                category_id=cat,
                ref=ref,
                title=f"บันทึกการมองเห็นทดสอบ {key}",
                summary="ความลับเฉพาะกิจ",
                doc_date=date(2024, 1, 5),
                state=state,
                disclosure=disclosure,
                withheld_ground="15(5)" if disclosure != "open" else None,
            )
            db.session.add(entry)
            db.session.flush()
            ids[key] = entry.id
        db.session.commit()
    return ids, office


def test_the_rule_is_the_same_on_an_entry_and_in_a_query(app, rows):
    ids, _ = rows
    with app.app_context():
        in_sql = set(db.session.scalars(select(IndexEntry.id).where(IndexEntry.is_public)))
        on_rows = {e.id for e in db.session.scalars(select(IndexEntry)) if e.is_public}
    assert in_sql == on_rows == {ids["public"], ids["partial"]}


def test_hidden_entries_never_show_in_search(app, rows):
    ids, _ = rows
    visible = {ids["public"], ids["partial"]}
    with app.app_context():
        assert {h.entry.id for h in search_entries("บันทึกการมองเห็นทดสอบ").items} == visible
        assert {h.entry.id for h in search_entries("ความลับ").items} == visible
        for key in HIDDEN:
            ref = ROWS[key][0]
            for query in (ref, ref.replace(" ", ""), f"#{ids[key]}", f"บันทึกการมองเห็นทดสอบ {key}"):
                page = search_entries(query)
                assert ids[key] not in {h.entry.id for h in page.items}, query
        # a misspelling close to a hidden title suggests nothing hidden
        page = search_entries("บันทึกการมองเหนทดสอบdraft")
        assert ids["draft"] not in {h.entry.id for h in page.items}
        assert sum(category_counts().values()) >= 2
        cat = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        assert category_counts()[cat] == 2


def test_hidden_entries_never_show_through_the_api_or_pages(client, rows):
    ids, _ = rows
    data = client.get("/api/v1/documents", query_string={"q": "บันทึกการมองเห็นทดสอบ"}).get_json()
    assert {i["id"] for i in data["items"]} == {ids["public"], ids["partial"]} and data[
        "total"
    ] == 2
    for key in HIDDEN:
        assert client.get(f"/api/v1/documents/{ids[key]}").status_code == 404
        assert client.get(f"/documents/{ids[key]}").status_code == 404
        data = client.get("/api/v1/documents", query_string={"q": ROWS[key][0]}).get_json()
        assert ids[key] not in {i["id"] for i in data["items"]}
    assert client.get(f"/api/v1/documents/{ids['public']}").status_code == 200
    feed = client.get("/feeds/index.atom").get_data(as_text=True)
    assert "บันทึกการมองเห็นทดสอบ public" in feed
    for key in HIDDEN:
        assert f"บันทึกการมองเห็นทดสอบ {key}" not in feed


def test_hidden_entries_are_not_counted_or_printed(app, rows):
    ids, office = rows
    with app.app_context():
        scope = Scope.quarter(FiscalQuarter.of(local_today()), (office,))
        assert ix.total(scope).public_entries == 2
        printed = {row[0].id for row in public_entries(None)}
        assert printed == {ids["public"], ids["partial"]}
