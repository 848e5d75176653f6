"""What keeps the public search page cheap: a fixed number of SQL queries whatever the number
of results, filter menus that follow edits at once, and the regular-expression highlighting
giving exactly what the character-by-character walk gives."""

import random
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select

from infocenter.admin.models import Office
from infocenter.catalogue.models import Category, EntryFile, IndexEntry
from infocenter.catalogue.search import highlight
from infocenter.extensions import db
from infocenter.thai import _key_with_map, _key_with_map_fast, query_terms, search_key

MAX_QUERIES = 8  # count, up to four ranking tiers, entries, their files, the usage event


@contextmanager
def counting_queries(app):
    """Count the SQL statements sent to the database inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_entries(app, office_codes, n, word):
    """n public entries whose titles contain word, spread over offices and categories, each with a
    file."""
    with app.app_context():
        cats = db.session.scalars(select(Category).where(Category.parent_id.is_(None))).all()
        offices = [db.session.scalar(select(Office).where(Office.code == c)) for c in office_codes]
        for i in range(n):
            entry = IndexEntry(
                office_id=offices[i % len(offices)].id,
                category_id=cats[i % len(cats)].id,
                title=f"{word}ครั้งที่ {i}",
                summary=f"สาระสำคัญของ{word} ๒๕๖๗ รายการ {i}",
                doc_date=date(2024, 1, 1 + i % 28),
                state="published",
                disclosure="open",
                ref=f"นว 0018/{i:04d}",
            )
            entry.files.append(
                EntryFile(
                    original_name=f"f{i}.pdf",
                    stored_name=f"s{word}{i}.pdf",
                    mime_type="application/pdf",
                    size=10,
                    sha256="0" * 64,
                )
            )
            db.session.add(entry)
        db.session.commit()


def test_search_page_query_count_does_not_grow_with_results(app, client, make_office):
    for code in ("NSW", "NSW01", "NSW02"):
        make_office(code, kind="province" if code == "NSW" else "district")
    _add_entries(app, ["NSW"], 2, "ประชุมสภา")
    _add_entries(app, ["NSW", "NSW01", "NSW02"], 45, "จัดซื้อวัสดุ")
    client.get(
        "/search?q=อุ่นเครื่อง"
    ).close()  # settings and filter menus load once, on the first page
    counts = {}
    for query in ("ประชุมสภา", "จัดซื้อวัสดุ", "จัดซื้อวัสดุ&page=2", "ไม่มีคำนี้แน่นอน", "จั"):
        with counting_queries(app) as seen:
            response = client.get(f"/search?q={query}")
            response.get_data(as_text=True)
        assert response.status_code == 200
        counts[query] = len(seen)
    assert "พบ 2 รายการ" in client.get("/search?q=ประชุมสภา").get_data(as_text=True)
    assert "<mark>จัดซื้อวัสดุ</mark>" in client.get("/search?q=จัดซื้อวัสดุ").get_data(as_text=True)
    assert max(counts.values()) <= MAX_QUERIES, counts
    # A full page of 20 (from three offices and several categories) costs no more than 2 results
    # (ranking tiers are read until the page is full, so fewer results may even cost one more).
    assert counts["จัดซื้อวัสดุ"] <= counts["ประชุมสภา"], counts


def test_api_query_count_does_not_grow_with_results(app, client, make_office):
    make_office("NSW")
    make_office("NSW01", kind="district")
    _add_entries(app, ["NSW"], 1, "ประชุมสภา")
    _add_entries(app, ["NSW", "NSW01"], 30, "จัดซื้อวัสดุ")
    client.get("/api/v1/documents?q=อุ่นเครื่อง").close()
    counts = {}
    for query in ("ประชุมสภา", "จัดซื้อวัสดุ"):
        with counting_queries(app) as seen:
            data = client.get(
                "/api/v1/documents", query_string={"q": query, "per_page": 50}
            ).get_json()
        counts[query] = (len(seen), data["total"])
    assert counts["ประชุมสภา"][1] == 1 and counts["จัดซื้อวัสดุ"][1] == 30
    assert counts["จัดซื้อวัสดุ"][0] <= counts["ประชุมสภา"][0] <= MAX_QUERIES, counts


def test_filter_menus_follow_new_categories_offices_and_years(app, client, make_office):
    make_office("NSW")
    _add_entries(app, ["NSW"], 1, "ประชุมสภา")
    html = client.get("/search").get_data(as_text=True)
    assert "สำนักงานใหม่ทดสอบ" not in html and '<option value="2560">' not in html
    make_office("NEW9", name="สำนักงานใหม่ทดสอบ")
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "NEW9"))
        cat = db.session.scalar(select(Category).where(Category.parent_id.is_(None)))
        db.session.add(
            IndexEntry(
                office_id=office.id,
                category_id=cat.id,
                title="เอกสารเก่า",
                doc_date=date(2017, 1, 5),
                fiscal_year=2560,
                state="published",
                disclosure="open",
            )
        )
        cat.name_th = "หมวดที่เปลี่ยนชื่อแล้ว"
        db.session.commit()
    html = client.get("/search").get_data(as_text=True)
    assert "สำนักงานใหม่ทดสอบ" in html
    assert '<option value="2560">' in html
    assert "หมวดที่เปลี่ยนชื่อแล้ว" in html


def test_fast_highlight_map_matches_the_character_walk():
    alphabet = list("กขนมาำัิ่้ํเแ ๒๕2Aa<&\u200b\t.") + [
        "\u0e4d\u0e32",
        "\u0e49\u0e4d\u0e32",
        "เเ",
        "  ",
    ]
    rng = random.Random(2540)
    fast_used = 0
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        fast = _key_with_map_fast(text, search_key(text))
        if fast is not None:
            fast_used += 1
            assert fast == _key_with_map(text), text
    assert fast_used > 500  # the fast path was really exercised


@pytest.mark.parametrize(
    "text,query,expected",
    [
        ("แผน ปฏิบัติ การ 2567", "แผนปฏิบัติการ", "<mark>แผน ปฏิบัติ การ</mark> 2567"),
        ("ABC abc", "b", "A<mark>B</mark>C a<mark>b</mark>c"),
        ("ค่าน้ำมัน น้ำมัน", "น้ำ มัน", "ค่า<mark>น้ำมัน</mark> <mark>น้ำมัน</mark>"),
        ("ปี ๒๕๖๗ <b>", "2567", "ปี <mark>๒๕๖๗</mark> &lt;b&gt;"),
        ("ไม่ตรงเลย", "ประชุม", "ไม่ตรงเลย"),
    ],
)
def test_highlight_examples(text, query, expected):
    assert str(highlight(text, query_terms(query))) == expected
