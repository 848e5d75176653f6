"""The scored relevance ranking: the exact phrase in the title first, then the phrase elsewhere,
every term in the title; a term in the title over the summary over the keywords, more often
over once; newer documents break ties. Scores are worked out from the stored text, so the
same corpus gives the same order on SQLite and PostgreSQL (this file runs on both)."""

from datetime import date

import pytest
from sqlalchemy import select

from infocenter.catalogue import search as search_module
from infocenter.catalogue.models import Category, IndexEntry
from infocenter.catalogue.search import search_entries
from infocenter.extensions import db

# key: (title, summary, keywords, date)
CORPUS = {
    "kw_new": ("รายงานประจำปี", "", "ประปาหมู่บ้าน", date(2024, 6, 1)),
    "summary_mid": ("รายงานการประชุม", "เรื่องประปาหมู่บ้าน", "", date(2023, 6, 1)),
    "title_old": ("ประปาหมู่บ้านบ้านหนองบัว", "", "", date(2021, 1, 1)),
    "title_twice": ("ประปาหมู่บ้าน ซ่อมประปาหมู่บ้าน", "", "", date(2020, 1, 1)),
    "phrase_title": ("ค่าน้ำประปา เดือนมีนาคม", "", "", date(2019, 1, 1)),
    "scattered_new": ("น้ำดื่มสะอาด", "ระบบประปา", "", date(2024, 7, 1)),
    "both_new": ("คู่มือการใช้น้ำ", "", "", date(2024, 1, 1)),
    "both_old": ("คู่มือการใช้น้ำ", "", "", date(2022, 1, 1)),
}
QUERIES = [
    # title (twice, then once) > summary > keywords, whatever the dates
    ("ประปาหมู่บ้าน", ["title_twice", "title_old", "summary_mid", "kw_new"]),
    # the phrase "น้ำประปา" in an old title beats newer entries with the words apart
    ("น้ำ ประปา", ["phrase_title", "scattered_new"]),
    # the same text: the newer document first
    ("คู่มือการใช้น้ำ", ["both_new", "both_old"]),
]


@pytest.fixture
def corpus(app, make_office):
    office = make_office("NSW")
    ids = {}
    with app.app_context():
        cat = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        for key, (title, summary, keywords, day) in CORPUS.items():
            entry = IndexEntry(
                office_id=office,
                category_id=cat,
                title=title,
                summary=summary,
                keywords=keywords,
                doc_date=day,
                state="published",
                disclosure="open",
            )
            db.session.add(entry)
            db.session.flush()
            ids[key] = entry.id
        db.session.commit()
    return ids


@pytest.mark.parametrize("query,order", QUERIES, ids=[q for q, _ in QUERIES])
def test_scored_order(app, corpus, query, order):
    by_id = {v: k for k, v in corpus.items()}
    with app.app_context():
        assert [by_id[h.entry.id] for h in search_entries(query).items] == order


def test_api_gives_the_same_order(client, corpus):
    data = client.get("/api/v1/documents", query_string={"q": "ประปาหมู่บ้าน"}).get_json()
    assert [i["id"] for i in data["items"]] == [corpus[k] for k in QUERIES[0][1]]


def test_an_old_title_match_outside_the_scored_window_still_comes_first(
    app, corpus, make_office, monkeypatch
):
    """Only the newest matches are scored (work follows the page); the newest entries with the
    phrase in the title are scored too, so an old title is not lost behind newer mentions."""
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    with app.app_context():
        old = db.session.get(IndexEntry, corpus["title_old"])
        for day in range(1, 6):
            db.session.add(
                IndexEntry(
                    office_id=old.office_id,
                    category_id=old.category_id,
                    title=f"บันทึกข้อความ {day}",
                    summary="ตรวจประปาหมู่บ้าน",
                    doc_date=date(2025, 1, day),
                    state="published",
                    disclosure="open",
                )
            )
        db.session.commit()
        page = search_entries("ประปาหมู่บ้าน", per_page=3)
        assert [h.entry.id for h in page.items][:2] == [corpus["title_twice"], corpus["title_old"]]
        later = search_entries("ประปาหมู่บ้าน", page=2, per_page=3)
        everything = search_entries("ประปาหมู่บ้าน", per_page=100)
    # pages join up: no entry twice, none lost
    ids = [h.entry.id for h in page.items + later.items]
    assert ids == [h.entry.id for h in everything.items][:6] and len(set(ids)) == 6
    assert everything.total == 9
