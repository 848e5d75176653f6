"""The Thai search cases, run on every backend the `app` fixture covers (SQLite FTS5 trigram and,
with TEST_DATABASE_URL, PostgreSQL pg_trgm): input variants, short queries, all terms, ranking,
filters, highlighting, and that non-public entries never show."""

from datetime import date

import pytest
from sqlalchemy import select

from infocenter.catalogue.models import Category, IndexEntry
from infocenter.catalogue.search import highlight, search_entries
from infocenter.extensions import db
from infocenter.thai import query_terms

# (key, category, title, summary, keywords, doc_date, state, disclosure)
ENTRIES = [
    (
        "plan",
        "9(3)",
        "แผนปฏิบัติการประจำปีงบประมาณ ๒๕๖๗",
        "โครงการพัฒนาศักยภาพผู้นำชุมชน",
        "แผนปฏิบัติการ;งบประมาณ",
        date(2023, 10, 5),
        "published",
        "open",
    ),
    (
        "water",
        "9(8).1",
        "สรุปผลการจัดซื้อจัดจ้างประจำเดือนมกราคม ๒๕๖๗ (แบบ สขร.๑)",
        "ค่าน้ำมันเชื้อเพลิงและวัสดุสำนักงาน",
        "จัดซื้อจัดจ้าง;น้ำมัน",
        date(2024, 2, 5),
        "published",
        "open",
    ),
    (
        "manual",
        "9(4)",
        "คู่มือการให้บริการข้อมูลข่าวสารแก่ประชาชน",
        "ขั้นตอนการขอตรวจดูและขอสำเนาเอกสาร",
        "คู่มือ;บริการ",
        date(2022, 11, 15),
        "published",
        "partial",
    ),
    (
        "loan",
        "9(1)",
        "ผลการพิจารณาเงินกู้กองทุนพัฒนาบทบาทสตรี",
        "แผนปฏิบัติการกลุ่มอาชีพแม่บ้าน",
        "กองทุน;สตรี",
        date(2024, 1, 10),
        "published",
        "open",
    ),
    ("draft", "9(3)", "ร่างแผนปฏิบัติการลับ", "", "", date(2024, 1, 1), "draft", "open"),
    ("closed", "9(3)", "แผนปฏิบัติการที่ไม่เปิดเผย", "", "", date(2024, 1, 1), "published", "closed"),
    ("withdrawn", "9(3)", "แผนปฏิบัติการที่ถอนแล้ว", "", "", date(2024, 1, 1), "withdrawn", "open"),
    (
        "ox",
        "9(2)",
        "นโยบาย OK ด้านข้อมูล",
        "ระบบ AI ช่วยค้นหา",
        "",
        date(2021, 5, 1),
        "published",
        "open",
    ),
]


@pytest.fixture
def entries(app, make_office):
    office = make_office("NSW")
    other = make_office("NSW01", kind="district")
    ids = {}
    with app.app_context():
        cats = {c.code: c.id for c in db.session.scalars(select(Category))}
        for key, code, title, summary, keywords, doc_date, state, disclosure in ENTRIES:
            entry = IndexEntry(
                office_id=other if key == "loan" else office,
                category_id=cats[code],
                title=title,
                summary=summary,
                keywords=keywords,
                doc_date=doc_date,
                state=state,
                disclosure=disclosure,
                ref=f"นว 0018/{len(ids) + 1:04d}",
                withheld_ground="15(5)" if disclosure != "open" else None,
            )
            db.session.add(entry)
            db.session.flush()
            ids[key] = entry.id
        db.session.commit()
    return ids


def _keys(app, entries, query, **kw):
    by_id = {v: k for k, v in entries.items()}
    with app.app_context():
        page = search_entries(query, **kw)
        return [by_id[h.entry.id] for h in page.items]


# Every input variant of DOMAIN.md "Thai text" must find the same entries.
VARIANTS = [
    ("น้ำมัน", {"water"}),
    ("น\u0e49\u0e4d\u0e32มัน", {"water"}),  # sara am as nikhahit + sara aa, tone before
    ("น\u0e4d\u0e49\u0e32มัน", {"water"}),  # ... tone after nikhahit
    ("แผนปฏิบัติการ", {"plan", "loan"}),
    ("\u0e40\u0e40ผนปฏิบัติการ", {"plan", "loan"}),  # แ typed as เ + เ
    ("แผน\u200bปฏิบัติ\u200bการ", {"plan", "loan"}),  # zero-width spaces from a web page
    ("แผน ปฏิบัติ การ", {"plan", "loan"}),  # spaces typed between Thai words
    # Thai digits; and (issue 14) the year also finds fiscal year 2567's entries whose text does not
    # say it
    ("ปีงบประมาณ ๒๕๖๗", {"plan", "water", "loan"}),
    ("ปีงบประมาณ 2567", {"plan", "water", "loan"}),  # Arabic digits for text stored in Thai digits
    ("สขร.1", {"water"}),
    ("สขร.๑", {"water"}),
    ("นว 0018/0003", {"manual"}),  # the reference number
    ("ok", {"ox"}),  # case folded
]


@pytest.mark.parametrize("query,expected", VARIANTS)
def test_every_input_variant_finds_the_same_entries(app, entries, query, expected):
    assert set(_keys(app, entries, query)) == expected


@pytest.mark.parametrize(
    "query,expected",
    [
        (
            "ก",
            {"plan", "water", "manual", "loan"},
        ),  # one Thai character (under the trigram minimum)
        ("สต", {"loan"}),  # two characters
        ("AI", {"ox"}),  # two Latin letters
        ("แผน สต", {"loan"}),  # a long and a short term together
        ("คู่มือ ขอ", {"manual"}),
    ],
)
def test_one_and_two_character_queries(app, entries, query, expected):
    assert set(_keys(app, entries, query)) == expected


def test_all_terms_are_required(app, entries):
    assert set(_keys(app, entries, "แผนปฏิบัติการ สตรี")) == {"loan"}
    assert _keys(app, entries, "แผนปฏิบัติการ ไม่มีคำนี้แน่นอน") == []


def test_non_public_entries_never_found(app, entries):
    found = set(_keys(app, entries, "แผนปฏิบัติการ"))
    assert not found & {"draft", "closed", "withdrawn"}
    with app.app_context():
        staff = search_entries("แผนปฏิบัติการ", public_only=False)
    assert staff.total == 5


def test_ranking_title_before_summary_phrase_first_then_newer(app, entries):
    # "plan" has the phrase in its title; "loan" only in its summary (and is newer).
    assert _keys(app, entries, "แผนปฏิบัติการ") == ["plan", "loan"]
    # No query: newest first.
    assert _keys(app, entries, "")[:3] == ["water", "loan", "plan"]


def test_ranking_exact_phrase_before_scattered_terms(app, make_office):
    office = make_office("NSW")
    with app.app_context():
        cat = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        scattered = IndexEntry(
            office_id=office,
            category_id=cat,
            title="งบประมาณ ของ แผน งาน",
            state="published",
            doc_date=date(2024, 5, 1),
        )
        exact = IndexEntry(
            office_id=office,
            category_id=cat,
            title="แผนงบประมาณ",
            state="published",
            doc_date=date(2020, 1, 1),
        )
        db.session.add_all([scattered, exact])
        db.session.commit()
        page = search_entries("แผน งบประมาณ")
        assert [h.entry.id for h in page.items] == [exact.id, scattered.id]


def test_filters_category_office_and_fiscal_year(app, entries):
    assert set(_keys(app, entries, "", category="9(3)")) == {"plan"}
    assert set(_keys(app, entries, "", category="๙(๓)")) == {"plan"}
    assert set(_keys(app, entries, "", category="9(8)")) == {"water"}  # includes its sub-items
    assert set(_keys(app, entries, "", office="NSW01")) == {"loan"}
    assert set(_keys(app, entries, "", fiscal_year="2567")) == {"plan", "water", "loan"}
    assert set(_keys(app, entries, "", fiscal_year="๒๕๖๔")) == {"ox"}
    assert set(_keys(app, entries, "แผน", category="9(1)", fiscal_year=2567)) == {"loan"}
    assert (
        _keys(app, entries, "", category="9(99)") == []
    )  # unknown filter: nothing, not everything


def test_pagination(app, entries):
    with app.app_context():
        first = search_entries("", per_page=2, page=1)
        second = search_entries("", per_page=2, page=2)
        assert first.total == 5 and first.pages == 3 and first.has_next and not first.has_prev
        assert not {h.entry.id for h in first.items} & {h.entry.id for h in second.items}


def test_highlight_marks_matches_and_escapes_everything_else():
    html = str(highlight("<script>alert(1)</script> แผนปฏิบัติการ", query_terms("ปฏิบัติ")))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>ปฏิบัติ</mark>" in html
    # A match found through normalisation marks the original characters.
    assert (
        str(highlight("ค่าน\u0e49\u0e4d\u0e32มัน", query_terms("น้ำมัน")))
        == "ค่า<mark>น\u0e49\u0e4d\u0e32มัน</mark>"
    )
    assert str(highlight("ปี ๒๕๖๗", query_terms("2567"))) == "ปี <mark>๒๕๖๗</mark>"


def test_search_page_html(client, entries):
    html = client.get("/search?q=แผน ปฏิบัติการ").get_data(as_text=True)
    assert "พบ 2 รายการ" in html
    assert "<mark>แผนปฏิบัติการ</mark>" in html
    assert "ร่างแผนปฏิบัติการลับ" not in html
    empty = client.get("/search?q=ไม่มีคำนี้แน่นอน").get_data(as_text=True)
    assert "ไม่พบข้อมูลข่าวสารที่ตรงกับ" in empty and "เลือกดูตามหมวด" in empty
    xss = client.get("/search?q=<script>x</script>").get_data(as_text=True)
    assert "<script>x</script>" not in xss


def test_search_index_follows_updates_and_deletes(app, entries):
    with app.app_context():
        entry = db.session.get(IndexEntry, entries["manual"])
        entry.title = "ระเบียบการใช้ห้องประชุม"
        db.session.commit()
        assert search_entries("คู่มือการให้บริการ").total == 0
        assert [h.entry.id for h in search_entries("ห้องประชุม").items] == [entries["manual"]]
        db.session.delete(entry)
        db.session.commit()
        assert search_entries("ห้องประชุม").total == 0
