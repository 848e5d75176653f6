"""A misspelt term on PostgreSQL is matched against the vocabulary of the public entries' words
(``catalogue/words.py``: a materialised view with a trigram index, refreshed by ``flask index
optimize``) before the entries' text; what it suggests is the same, and a word gone since the
refresh is never suggested."""

import pytest
from sqlalchemy import select, text

from infocenter.catalogue import search as search_module
from infocenter.catalogue.models import IndexEntry
from infocenter.catalogue.search import search_entries
from infocenter.extensions import db
from tests.factories import make_entry

TITLES = [
    "ผลการประเมินคุณธรรมและความโปร่งใส ประจำปี 2567",
    "มาตรการส่งเสริมความโปร่งใสในการจัดซื้อจัดจ้าง",
    "คำสั่งแต่งตั้งคณะกรรมการกองทุนหมู่บ้าน",
    "รายงานผลการดำเนินงานกองทุนหมู่บ้านและชุมชนเมือง",
    "แผนปฏิบัติการประจำปีงบประมาณ 2568",
    "สรุปผลการจัดซื้อจัดจ้างน้ำมันเชื้อเพลิง",
]
# As citizens mistype them: a wrong vowel, a missing tone mark, ฎ for ฏ, a wrong tone mark.
TYPOS = {
    "ความโปร่งไส": "ความโปร่งใส",
    "กองทุนหมูบ้าน": "กองทุนหมู่บ้าน",
    "ปฎิบัติการ": "ปฏิบัติการ",
    "น้ำมันเชื่อเพลิง": "น้ำมันเชื้อเพลิง",
}


@pytest.fixture
def entries(app, runner):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the vocabulary is PostgreSQL's (SQLite ranks its FTS5 candidates)")
    ids = [make_entry(app, title=t) for t in TITLES]
    result = runner.invoke(args=["index", "optimize"])
    assert result.exit_code == 0, result.output
    assert "REFRESH search_vocabulary" in result.output
    return ids


def test_a_typo_is_matched_against_the_vocabulary(app, entries, monkeypatch):
    with app.app_context():
        words = dict(db.session.execute(text("SELECT word, entries FROM search_vocabulary")).all())
        assert words["กองทุนหมู่บ้าน"] == 2 and words["ความโปร่งใส"] == 2
        before = {typo: search_entries(typo).suggestion for typo in TYPOS}

        def never(*args):
            raise AssertionError("the entries' text was read: the vocabulary should answer")

        monkeypatch.setattr(search_module, "_fuzzy_candidates", never)
        monkeypatch.setattr(search_module, "_half_candidates", never)
        for typo, meant in TYPOS.items():
            page = search_entries(typo)
            assert page.suggestion == meant == before[typo], typo
            assert page.approximate and page.total >= 1


def test_a_word_gone_since_the_refresh_is_never_suggested(app, entries):
    with app.app_context():
        for entry in db.session.scalars(select(IndexEntry).where(IndexEntry.id.in_(entries[:2]))):
            entry.state = "withdrawn"  # the only two entries saying ความโปร่งใส
        db.session.commit()
        stale = "SELECT count(*) FROM search_vocabulary WHERE word = 'ความโปร่งใส'"
        assert db.session.scalar(text(stale)) == 1  # not refreshed yet
        assert search_module.closest_spelling("ความโปร่งไส") is None
        page = search_entries("ความโปร่งไส")
        assert page.suggestion is None and page.total == 0 and not page.items


def test_a_word_new_since_the_refresh_is_still_suggested(app, entries):
    make_entry(app, title="ประกาศรายชื่อผู้ได้รับเบี้ยยังชีพผู้สูงอายุ")  # after the refresh
    with app.app_context():
        assert not db.session.scalar(
            text("SELECT count(*) FROM search_vocabulary WHERE word = 'เบี้ยยังชีพ'")
        )
        page = search_entries("เบี้ยยังชีบ")
        assert page.suggestion == "เบี้ยยังชีพ" and page.approximate
