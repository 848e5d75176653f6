"""The words of each entry (catalogue/words.py, PostgreSQL's index_entry_words): a way to count
"more than 1,000" without reading the matches, which must never change what a search finds.

- every word kept is a piece of the entry's text (so the count they give is a lower bound);
- the results, totals and "more than" flags are the same with the words and without them, for
  common terms, rare ones, terms found only inside longer words, older years, alternatives and
  filters;
- the words follow the entry: on insert, edit, delete, `flask index reindex` and the demo seed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from infocenter.admin.models import Office
from infocenter.catalogue import search
from infocenter.catalogue.models import Category, IndexEntry, search_columns
from infocenter.catalogue.search import search_entries
from infocenter.catalogue.words import EntryWords, entry_words
from infocenter.extensions import db
from infocenter.thai import search_key
from tests.factories import seed_demo_documents

# Pieces of what offices really write: compounds the dictionary keeps whole, words it splits,
# abbreviations with dots, Latin and digits, Thai digits, stray spaces.
PIECES = [
    "กองทุนหมู่บ้าน",
    "กลุ่มสตรี",
    "จัดซื้อจัดจ้าง",
    "โอทอป",
    "หนึ่งตำบลหนึ่งผลิตภัณฑ์",
    "พ.ร.บ.",
    "พรบ.",
    "สขร.๑",
    "อบต.",
    "ITA",
    "capital",
    "ปีงบประมาณ ๒๕๖๗",
    "2567",
    "นว 0015/742",
    "ผ้าไทย",
    "ความโปร่งใส",
    "  ",
    "(จปฐ.)",
    "สตรีท",
    "เเผนงาน",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8), st.sampled_from(["", " ", "\n"]))
def test_every_word_is_a_piece_of_the_text(pieces, glue):
    body = "\n".join(search_key(p) for p in glue.join(pieces).split("\n"))
    words = entry_words(body)
    assert words == sorted(set(words))
    assert all(w in body and 3 <= len(w) <= 60 for w in words), [w for w in words if w not in body]


def test_words_of_a_real_text():
    body = search_columns("นว 0015/742", "ส่งเสริมอาชีพกลุ่มสตรี", keywords="โอทอป;กองทุนหมู่บ้าน;(จปฐ.)")[
        "search_body"
    ]
    words = entry_words(body)
    for expected in ("สตรี", "กลุ่มสตรี", "โอทอป", "กองทุนหมู่บ้าน", "กองทุน", "จปฐ"):
        assert expected in words, expected


# --- the same results with the words and without them -----------------------------------------

LIMIT = 12
TITLES = [
    # common, and a word: counted from the words
    ("ส่งเสริมอาชีพกลุ่มสตรี รุ่นที่ {i}", 40),
    # common, but only ever inside a longer word: the words count none, the text counts all
    ("สตรีทฟู้ดชุมชน ครั้งที่ {i}", 30),
    # common in an older year only
    ("งบประมาณ 2560 ฉบับที่ {i}", 30),
    # common through an abbreviation's forms
    ("ประกาศใช้ พ.ร.บ. ข้อมูลข่าวสาร ฉบับที่ {i}", 15),
    ("แนวทางตาม พรบ. ข้อมูลข่าวสาร ฉบับที่ {i}", 15),
    # rare
    ("จัดซื้อครุภัณฑ์คอมพิวเตอร์ {i}", 5),
]
QUERIES = [
    "สตรี",
    "สตรีท",
    "กลุ่มสตรี",
    "สตรี ชุมชน",
    "ทฟู้ด",
    "งบประมาณ 2560",
    "2560",
    "พรบ",
    "พ.ร.บ. ข้อมูลข่าวสาร",
    "ครุภัณฑ์คอมพิวเตอร์",
    "ไม่มีคำนี้",
    "ที่",
]


def _seed(app, make_office):
    make_office("NSW")
    make_office("TKL", kind="district")
    with app.app_context():
        offices = list(db.session.scalars(select(Office).order_by(Office.id)))
        cats = list(db.session.scalars(select(Category).where(Category.parent_id.is_(None))))
        n = 0
        for title, count in TITLES:
            for i in range(count):
                n += 1
                old = "2560" in title
                db.session.add(
                    IndexEntry(
                        office_id=offices[n % len(offices)].id,
                        category_id=cats[n % 3].id,
                        title=title.format(i=i),
                        summary="สรุปผลการดำเนินงาน" if n % 4 else "",
                        keywords="ชุมชน;สตรี" if n % 5 == 0 else "",
                        doc_date=(date(2017, 6, 1) if old else date(2025, 1, 1))
                        + timedelta(days=n * 3),
                        state="published" if n % 9 else "draft",
                        disclosure="closed" if n % 13 == 0 else "open",
                    )
                )
        db.session.commit()


def _answers(query: str, **filters) -> list:
    out = []
    for page in (1, 2, 4):
        result = search_entries(query, page=page, per_page=5, **filters)
        out.append(([h.entry.id for h in result.items], result.total, result.total_is_lower_bound))
    return out


@pytest.mark.app_config(SEARCH_COUNT_LIMIT=LIMIT, SEARCH_CACHE_SECONDS=0)  # no cached answers
@pytest.mark.parametrize("walk", [3000, 20], ids=["walk-finds-them", "walk-too-short"])
def test_the_same_results_with_and_without_the_words(app, make_office, monkeypatch, walk):
    # The scored window smaller than the count limit, as in production (100 and 1,000); and on
    # PostgreSQL a walk of the newest rows long enough for the newest matches, or too short
    # (a term of older years), and few enough to be ordered in Python, or not.
    monkeypatch.setattr(search, "RANK_WINDOW", 4)
    monkeypatch.setattr(search, "MANY_WALK", walk)
    monkeypatch.setattr(search, "SORT_LIMIT", 5000 if walk > 100 else 25)
    _seed(app, make_office)
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "TKL"))
        cases = [(q, {}) for q in QUERIES] + [
            ("สตรี", {"office": office.id}),
            ("สตรี", {"category": "9(2)"}),
            ("พรบ", {"fiscal_year": 2568}),
        ]
        if db.engine.dialect.name == "postgresql":
            assert _held() == _public()
        with_words = [_answers(q, **f) for q, f in cases]
        db.session.execute(text("DELETE FROM index_entry_words"))
        without = [_answers(q, **f) for q, f in cases]
        db.session.rollback()
        assert with_words == without
        # And both are what an exact count gives, page by page.
        for (query, filters), answers in zip(cases, with_words, strict=True):
            exact = search_entries(query, per_page=100, count_limit=None, **filters)
            ids = [h.entry.id for h in exact.items]
            assert answers[0][0] == ids[:5], query
            total, more = answers[0][1:]
            assert (total, more) == ((LIMIT, True) if exact.total > LIMIT else (exact.total, False))


# --- the words follow the entry --------------------------------------------------------------


def _held() -> int:
    return db.session.scalar(select(func.count()).select_from(EntryWords))


def _public() -> int:
    return db.session.scalar(select(func.count()).where(IndexEntry.is_public))


def _words_of(entry_id: int) -> list[str] | None:
    return db.session.scalar(select(EntryWords.words).where(EntryWords.entry_id == entry_id))


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_words_follow_inserts_edits_and_deletes(app, make_office):
    make_office("NSW")
    with app.app_context():
        office = db.session.scalar(select(Office))
        cat = db.session.scalar(select(Category))
        entry = IndexEntry(
            office_id=office.id, category_id=cat.id, title="ส่งเสริมกลุ่มสตรี", state="published"
        )
        db.session.add(entry)
        db.session.commit()
        assert "สตรี" in _words_of(entry.id)
        entry.title = "กองทุนหมู่บ้าน"
        db.session.commit()
        words = _words_of(entry.id)
        assert "กองทุนหมู่บ้าน" in words and "สตรี" not in words
        entry.location = "แฟ้ม 3"  # the text is the same: the words are left alone
        db.session.commit()
        assert _words_of(entry.id) == words
        entry.disclosure = "closed"  # only the public search counts from the words
        db.session.commit()
        assert _words_of(entry.id) is None
        entry.disclosure = "open"
        db.session.commit()
        assert _words_of(entry.id) == words

        # Whatever writes the row, the database forgets words that could overstate a count.
        def by_sql(change: str) -> None:
            db.session.execute(
                text(f"UPDATE index_entries SET {change} WHERE id = :i"), {"i": entry.id}
            )
            db.session.commit()

        by_sql("state = 'withdrawn'")
        assert _words_of(entry.id) is None
        db.session.refresh(entry)
        entry.state = "published"
        db.session.commit()
        assert _words_of(entry.id) == words
        by_sql("search_body = 'อื่น'")
        assert _words_of(entry.id) is None
        entry_id = entry.id
        db.session.delete(entry)
        db.session.commit()
        assert _words_of(entry_id) is None


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_reindex_and_the_demo_seed_fill_the_words(app, runner):
    seed_demo_documents(runner, 60)
    with app.app_context():
        entries = _public()
        assert entries >= 30
        assert _held() == entries
        db.session.execute(text("DELETE FROM index_entry_words"))
        db.session.commit()
    result = runner.invoke(args=["index", "reindex"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _held() == entries
