"""stats.index: the "complete and current" figures, checked against numbers worked out by hand."""

from datetime import UTC, date, datetime

from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import index as index_stats
from infocenter.thai import FiscalQuarter
from tests.factories import make_entry


def _at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=UTC)


def test_completeness_by_category_office_and_total(app, make_office):
    a = make_office("AAA")
    b = make_office("BBB", kind="district")
    q = FiscalQuarter(2567, 2)  # 1 Jan 2024 – 31 Mar 2024
    with app.app_context():
        # Office AAA
        make_entry(
            app,
            a,
            "คำวินิจฉัยเก่า",
            category="9(1)",
            created_at=_at(2023, 6, 1),
            doc_date=date(2023, 5, 30),
            review_by=date(2024, 1, 15),
        )
        make_entry(
            app,
            a,
            "คำวินิจฉัยใหม่",
            category="9(1)",
            created_at=_at(2024, 2, 1),
            doc_date=date(2024, 1, 31),
            review_by=date(2025, 2, 1),
        )
        make_entry(
            app,
            a,
            "แผนงานปรับปรุง",
            category="9(3)",
            created_at=_at(2023, 9, 1),
            updated_at=_at(2024, 3, 10),
            doc_date=date(2023, 8, 1),
            review_by=date(2025, 3, 10),
        )
        make_entry(
            app,
            a,
            "สขร.๑ มกราคม",
            category="9(8).1",
            created_at=_at(2024, 2, 5),
            doc_date=date(2024, 2, 1),
            review_by=date(2025, 2, 5),
        )
        make_entry(
            app,
            a,
            "ข้อมูลอื่น",
            category="9(8)",
            created_at=_at(2023, 1, 1),
            doc_date=date(2022, 12, 1),
            review_by=date(2024, 1, 1),
        )
        # Not counted: a draft, a withdrawn entry, a closed entry, one created after the quarter.
        make_entry(app, a, "ร่างนโยบาย", category="9(2)", created_at=_at(2024, 2, 1), state="draft")
        make_entry(
            app, a, "นโยบายที่ถอน", category="9(2)", created_at=_at(2024, 2, 1), state="withdrawn"
        )
        make_entry(
            app, a, "คู่มือลับ", category="9(4)", created_at=_at(2024, 2, 1), disclosure="closed"
        )
        make_entry(app, a, "สิ่งพิมพ์ภายหลัง", category="9(5)", created_at=_at(2024, 4, 2))
        # Office BBB: one partly withheld entry (still public).
        make_entry(
            app,
            b,
            "ประกาศผู้ชนะ",
            category="9(8).3",
            created_at=_at(2024, 3, 31, 16),
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
