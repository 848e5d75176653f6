"""Bounded totals: the public search counts at most SEARCH_COUNT_LIMIT matches past the page
("พบมากกว่า … รายการ"), so a common word costs no more than a rare one; the pages themselves
are the same as with an exact count, and staff lists keep exact totals."""

from datetime import date

import pytest
from sqlalchemy import select

from infocenter.admin.models import Office
from infocenter.catalogue.models import Category, IndexEntry
from infocenter.catalogue.search import search_entries
from infocenter.extensions import db

N = 25
LIMIT = 10


def _seed(app, make_office):
    make_office("NSW")
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "NSW"))
        cat = db.session.scalar(select(Category).where(Category.code == "9(3)"))
        for i in range(N):
            db.session.add(
                IndexEntry(
                    office_id=office.id,
                    category_id=cat.id,
                    title=f"จัดซื้อวัสดุสำนักงาน ชุดที่ {i}",
                    summary="สรุปผลการจัดซื้อ",
                    doc_date=date(2024, 1 + i % 12, 1 + i % 27),
                    state="published",
                    disclosure="open",
                )
            )
        db.session.commit()


# A term the trigram index answers, one too short for it (plain SQL), and browsing a category.
QUERIES = [{"q": "จัดซื้อวัสดุ"}, {"q": "ชุ"}, {"category": "9(3)"}]


@pytest.mark.app_config(SEARCH_COUNT_LIMIT=LIMIT)
@pytest.mark.parametrize("params", QUERIES, ids=["fts", "short", "category"])
def test_api_total_is_a_lower_bound_past_the_limit(app, client, make_office, params):
    _seed(app, make_office)
    first = client.get("/api/v1/documents", query_string={**params, "per_page": 5}).get_json()
    assert (first["total"], first["total_is_lower_bound"]) == (LIMIT, True)
    seen = [d["id"] for d in first["items"]]
    for page in range(2, 6):
        data = client.get(
            "/api/v1/documents", query_string={**params, "per_page": 5, "page": page}
        ).get_json()
        seen += [d["id"] for d in data["items"]]
    # The last page counts up to the limit past its own offset: it knows the end.
    assert (data["total"], data["total_is_lower_bound"]) == (N, False)
    with app.app_context():
        exact = search_entries(
            params.get("q", ""), params.get("category"), per_page=100, count_limit=None
        )
        assert (exact.total, exact.total_is_lower_bound) == (N, False)
        assert seen == [hit.entry.id for hit in exact.items]  # the same pages, in the same order


@pytest.mark.app_config(SEARCH_COUNT_LIMIT=LIMIT)
def test_page_says_more_than(app, client, make_office):
    _seed(app, make_office)
    html = client.get("/search", query_string={"q": "จัดซื้อวัสดุ"}).get_data(as_text=True)
    # The page shows 20: at least that many are counted (then "more than 20").
    assert "พบมากกว่า 20 รายการ สำหรับ “จัดซื้อวัสดุ”" in html
    assert "หน้า 1 จาก" not in html
    html = client.get("/search", query_string={"category": "9(3)"}).get_data(as_text=True)
    assert "พบมากกว่า 20 รายการ" in html


@pytest.mark.app_config(SEARCH_COUNT_LIMIT=LIMIT)
def test_exact_under_the_limit_and_for_staff(app, client, make_office):
    _seed(app, make_office)
    data = client.get("/api/v1/documents", query_string={"q": "ชุดที่ 13"}).get_json()
    assert (data["total"], data["total_is_lower_bound"]) == (1, False)
    with app.app_context():
        staff = search_entries("จัดซื้อวัสดุ", public_only=False)
        assert (staff.total, staff.total_is_lower_bound) == (N, False)
