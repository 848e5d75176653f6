"""A query naming an older year (งบประมาณ 2567): the matches dated after that year are read
first, then the walk goes back from the year's last day (SQLite: search._newest_fts, because
FTS5 walks backwards slowly; PostgreSQL: search._split_at_year, because the planner tests every
newer row). What a search finds must not change: every page, total and "more than" flag is the
same as the plain newest-first walk's, whether the newer matches are none, a few, or more than
the walk wants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from infocenter.catalogue import search
from infocenter.catalogue.models import Category, IndexEntry
from infocenter.catalogue.search import search_entries
from infocenter.extensions import db

LIMIT = 12  # the count limit ("more than 12"), small so the corpus can exceed it


def _seed(app, newer: int) -> None:
    """Fiscal year 2567's budget papers, and ``newer`` later papers that cite its budget among
    many later ones that do not (งบประมาณ 2568, 2569, and amounts such as 1,567 บาท)."""
    with app.app_context():
        cat = db.session.scalar(select(Category.id).where(Category.code == "9(3)"))
        from infocenter.admin.operations import ensure_main_office

        office = ensure_main_office().id
        rows = []
        for i in range(30):  # FY 2567: 1 Oct 2023 - 30 Sep 2024
            rows.append(
                (
                    f"รายงานผลการใช้จ่ายงบประมาณ 2567 ครั้งที่ {i}",
                    date(2023, 10, 5) + timedelta(days=i * 11),
                )
            )
        for i in range(40):  # later years, mostly not about 2567
            cites = i < newer
            title = (
                f"ทบทวนงบประมาณ 2567 เทียบกับปีถัดไป ฉบับที่ {i}"
                if cites
                else f"แผนการใช้จ่ายงบประมาณ {2568 + i % 2} วงเงิน 1,567 บาท ฉบับที่ {i}"
            )
            rows.append((title, date(2024, 11, 1) + timedelta(days=i * 17)))
        for n, (title, day) in enumerate(rows):
            db.session.add(
                IndexEntry(
                    office_id=office,
                    category_id=cat,
                    title=title,
                    summary="ปีงบประมาณ ๒๕๖๗" if n < 30 and n % 3 == 0 else "",
                    doc_date=day,
                    state="published" if n % 7 else "draft",
                )
            )
        db.session.commit()


def _answers(query: str) -> list:
    out = []
    for page in (1, 2, 3, 5):
        result = search_entries(query, page=page, per_page=4)
        out.append(([h.entry.id for h in result.items], result.total, result.total_is_lower_bound))
    return out


@pytest.mark.app_config(SEARCH_COUNT_LIMIT=LIMIT, SEARCH_CACHE_SECONDS=0)  # no cached answers
@pytest.mark.parametrize("newer", [0, 3, 10, 25], ids=["none", "in-window", "past-window", "many"])
def test_a_year_query_finds_the_same_as_the_plain_walk(app, monkeypatch, newer):
    # As in production, the scored window is smaller than the count limit; on PostgreSQL the
    # walk of the newest rows is too short to find an older year's matches and there are too
    # many of them to order at once, so the split at the year is what answers.
    monkeypatch.setattr(search, "RANK_WINDOW", 5)
    monkeypatch.setattr(search, "MANY_WALK", 3)
    monkeypatch.setattr(search, "MANY_WALK_MAX", 3)
    monkeypatch.setattr(search, "SORT_LIMIT", 15)
    _seed(app, newer)
    queries = ["งบประมาณ 2567", "ปี2567", "งบประมาณ ๒๕๖๗", "ทบทวนงบประมาณ 2567", "1,567", "๑๕๖๗"]
    with app.app_context():
        split = [_answers(q) for q in queries]
        # Without the year's last day (nor reading a number's matches forwards, SQLite), every
        # search walks newest first from the top.
        monkeypatch.setattr(search, "fiscal_year_range", lambda year: (None, None))
        monkeypatch.setattr(search, "_numeric", lambda groups: False)
        assert split == [_answers(q) for q in queries]
        # And the first page is what an exact count gives.
        exact = search_entries("งบประมาณ 2567", per_page=100, count_limit=None)
        assert split[0][0][0] == [h.entry.id for h in exact.items][:4]
        assert exact.total >= 25 and split[0][0][1:] == (LIMIT, True)


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_the_newer_matches_are_read_forwards_then_the_year_backwards(app, monkeypatch):
    """The statements the FTS5 walk runs for a year query: forwards after the year, then
    backwards from its last day (not one walk back from the newest entry)."""
    _seed(app, 3)
    seen: list[str] = []
    real = search._column

    def column(stmt):
        seen.append(str(stmt.compile(compile_kwargs={"literal_binds": False})))
        return real(stmt)

    monkeypatch.setattr(search, "_column", column)
    with app.app_context():
        search_entries("งบประมาณ 2567")
    fts = [s for s in seen if "index_entries_fts MATCH" in s and "ORDER BY" in s]
    assert any("rowid >=" in s and "DESC" not in s for s in fts)
    assert any("rowid <" in s and "DESC" in s for s in fts)
    assert not any("DESC" in s and "rowid <" not in s for s in fts)
