"""stats.index: the "complete and current" figures, checked against numbers worked out by hand."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from infocenter.catalogue.models import Category, IndexEntry
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import index as index_stats
from infocenter.thai import FiscalQuarter


def _at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=UTC)


def _entry(
    office_id,
    code,
    title,
    created,
    updated=None,
    state="published",
    disclosure="open",
    doc_date=None,
    review_by=None,
):
    cat = db.session.scalar(select(Category).where(Category.code == code))
    db.session.add(
        IndexEntry(
            office_id=office_id,
            category_id=cat.id,
            title=title,
            created_at=created,
            updated_at=updated or created,
            state=state,
            disclosure=disclosure,
            doc_date=doc_date,
            review_by=review_by,
        )
    )


def test_completeness_by_category_office_and_total(app, make_office):
    a = make_office("AAA")
    b = make_office("BBB", kind="district")
    q = FiscalQuarter(2567, 2)  # 1 Jan 2024 – 31 Mar 2024
    with app.app_context():
        # Office AAA
        _entry(
            a,
            "9(1)",
            "คำวินิจฉัยเก่า",
            _at(2023, 6, 1),
            doc_date=date(2023, 5, 30),
            review_by=date(2024, 1, 15),
        )
        _entry(
            a,
            "9(1)",
            "คำวินิจฉัยใหม่",
            _at(2024, 2, 1),
            doc_date=date(2024, 1, 31),
            review_by=date(2025, 2, 1),
        )
        _entry(
            a,
            "9(3)",
            "แผนงานปรับปรุง",
            _at(2023, 9, 1),
            updated=_at(2024, 3, 10),
            doc_date=date(2023, 8, 1),
            review_by=date(2025, 3, 10),
        )
        _entry(
            a,
            "9(8).1",
            "สขร.๑ มกราคม",
            _at(2024, 2, 5),
            doc_date=date(2024, 2, 1),
            review_by=date(2025, 2, 5),
        )
        _entry(
            a,
            "9(8)",
            "ข้อมูลอื่น",
            _at(2023, 1, 1),
            doc_date=date(2022, 12, 1),
            review_by=date(2024, 1, 1),
        )
        # Not counted: a draft, a withdrawn entry, a closed entry, one created after the quarter.
        _entry(a, "9(2)", "ร่างนโยบาย", _at(2024, 2, 1), state="draft")
        _entry(a, "9(2)", "นโยบายที่ถอน", _at(2024, 2, 1), state="withdrawn")
        _entry(a, "9(4)", "คู่มือลับ", _at(2024, 2, 1), disclosure="closed")
        _entry(a, "9(5)", "สิ่งพิมพ์ภายหลัง", _at(2024, 4, 2))
        # Office BBB: one partly withheld entry (still public).
        _entry(
            b,
            "9(8).3",
            "ประกาศผู้ชนะ",
            _at(2024, 3, 31, 16),
            disclosure="partial",
            doc_date=date(2024, 3, 30),
            review_by=date(2025, 3, 31),
        )
        db.session.commit()

        result = index_stats.completeness(Scope.quarter(q), as_of=date(2024, 3, 31))
        cats = {r.key: r for r in result.categories}
        assert [r.key for r in result.categories] == [f"9({i})" for i in range(1, 9)]
        assert (
            cats["9(1)"].public_entries,
            cats["9(1)"].new_in_period,
            cats["9(1)"].past_review,
        ) == (2, 1, 1)
        assert cats["9(1)"].newest_doc_date == date(2024, 1, 31)
        assert (
            cats["9(3)"].public_entries,
            cats["9(3)"].new_in_period,
            cats["9(3)"].updated_in_period,
        ) == (1, 0, 1)
        # 9(8) counts itself and its sub-items: AAA's 9(8), AAA's 9(8).1, BBB's 9(8).3.
        assert (
            cats["9(8)"].public_entries,
            cats["9(8)"].new_in_period,
            cats["9(8)"].past_review,
        ) == (3, 2, 1)
        assert cats["9(8)"].newest_doc_date == date(2024, 3, 30)
        assert result.empty_categories == ["9(2)", "9(4)", "9(5)", "9(6)", "9(7)"]
        subs = {r.key: r.public_entries for r in result.sub_items}
        assert subs == {"9(8).1": 1, "9(8).2": 0, "9(8).3": 1}
        offices = {r.key: r for r in result.offices}
        assert offices["AAA"].public_entries == 5 and offices["BBB"].public_entries == 1
        assert offices["BBB"].empty_categories == (
            "9(1)",
            "9(2)",
            "9(3)",
            "9(4)",
            "9(5)",
            "9(6)",
            "9(7)",
        )
        assert (
            result.total.public_entries,
            result.total.new_in_period,
            result.total.updated_in_period,
            result.total.past_review,
        ) == (6, 3, 1, 2)

        # Office scope: only BBB.
        only_b = index_stats.completeness(Scope.quarter(q, [b]), as_of=date(2024, 3, 31))
        assert only_b.total.public_entries == 1
        assert [o.key for o in only_b.offices] == ["BBB"]
        assert {r.key: r.public_entries for r in only_b.categories}["9(8)"] == 1
