"""The Section 9 index: is it complete and current? (dimension 2, item 2 of the integrity plan)

Per Section 9 category (9(8) sub-items counted under 9(8), and also listed on their own) and
per office: public entries, entries new and updated in the period, the newest document date,
entries past their review-by date, and the categories with nothing.

Definitions, so the dashboard and the PDF say the same thing:
- *public*: published and not "not public" (``closed``), as it stands now, created by the end
  of the period;
- *new in the period*: public, created in the period;
- *updated in the period*: public, created before the period and changed during it;
- *past review*: public, review-by date before ``as_of`` (default: the end of the period, or
  today if the period has not ended).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select

from ..admin.models import Office
from ..catalogue.models import Category, IndexEntry
from ..extensions import db
from ..thai import local_today
from . import Scope


@dataclass(frozen=True)
class IndexRow:
    """The figures of one category or one office."""

    key: str  # category code ("9(3)", "9(8).1") or office code
    label: str  # Thai name
    public_entries: int = 0
    new_in_period: int = 0
    updated_in_period: int = 0
    newest_doc_date: date | None = None
    past_review: int = 0

    @property
    def empty(self) -> bool:
        return self.public_entries == 0


@dataclass(frozen=True)
class OfficeRow(IndexRow):
    """One office's figures, with the Section 9 categories it has nothing in."""

    empty_categories: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class IndexCompleteness:
    """The whole "complete and current" table."""

    scope: Scope
    as_of: date
    categories: list[IndexRow]  # 9(1)..9(8); 9(8) includes its sub-items
    sub_items: list[IndexRow]  # the 9(8) sub-items on their own
    offices: list[OfficeRow]
    empty_categories: list[str]  # codes of 9(1)..9(8) with no public entry
    total: IndexRow  # all categories together


def _as_of(scope: Scope, as_of: date | None) -> date:
    return as_of or min(scope.end, local_today())


def _figures(scope: Scope, as_of: date):
    """The aggregate columns shared by every grouping (one row per group, counted by the
    database)."""
    lo, hi = scope.bounds_utc
    created_in = and_(IndexEntry.created_at >= lo, IndexEntry.created_at < hi)
    updated_in = and_(
        IndexEntry.created_at < lo, IndexEntry.updated_at >= lo, IndexEntry.updated_at < hi
    )
    past = IndexEntry.review_by < as_of
    return (
        func.count(IndexEntry.id).label("public_entries"),
        func.coalesce(func.sum(case((created_in, 1), else_=0)), 0).label("new_in_period"),
        func.coalesce(func.sum(case((updated_in, 1), else_=0)), 0).label("updated_in_period"),
        func.max(IndexEntry.doc_date).label("newest_doc_date"),
        func.coalesce(func.sum(case((past, 1), else_=0)), 0).label("past_review"),
    )


def _public(scope: Scope):
    _, hi = scope.bounds_utc
    return and_(
        IndexEntry.is_public, IndexEntry.created_at < hi, scope.office_filter(IndexEntry.office_id)
    )


def _row(cls, key: str, label: str, agg, **extra) -> IndexRow:
    if agg is None:
        return cls(key, label, **extra)
    return cls(
        key,
        label,
        int(agg.public_entries),
        int(agg.new_in_period),
        int(agg.updated_in_period),
        agg.newest_doc_date,
        int(agg.past_review),
        **extra,
    )


# Completeness is judged per Section 9 item; Section 7 items (kept beside them) are not counted
# there.
SECTION9_ONLY = Category.code.like("9(%")


def by_category(scope: Scope, as_of: date | None = None) -> list[IndexRow]:
    """Figures per Section 9 category 9(1)..9(8), the 9(8) sub-items counted under 9(8)."""
    as_of = _as_of(scope, as_of)
    section = func.coalesce(Category.parent_id, Category.id)
    rows = db.session.execute(
        select(section.label("section_id"), *_figures(scope, as_of))
        .select_from(IndexEntry)
        .join(Category, IndexEntry.category_id == Category.id)
        .where(_public(scope))
        .group_by(section)
    ).all()
    found = {r.section_id: r for r in rows}
    tops = db.session.scalars(
        select(Category)
        .where(Category.parent_id.is_(None), SECTION9_ONLY)
        .order_by(Category.sort_order)
    )
    return [_row(IndexRow, c.code, c.name_th, found.get(c.id)) for c in tops]


def by_sub_item(scope: Scope, as_of: date | None = None) -> list[IndexRow]:
    """Figures per 9(8) sub-item (and any other sub-category), on their own."""
    as_of = _as_of(scope, as_of)
    rows = db.session.execute(
        select(IndexEntry.category_id, *_figures(scope, as_of))
        .join(Category, IndexEntry.category_id == Category.id)
        .where(_public(scope), Category.parent_id.is_not(None))
        .group_by(IndexEntry.category_id)
    ).all()
    found = {r.category_id: r for r in rows}
    subs = db.session.scalars(
        select(Category)
        .where(Category.parent_id.is_not(None), Category.active.is_(True))
        .order_by(Category.sort_order, Category.code)
    )
    return [_row(IndexRow, c.code, c.name_th, found.get(c.id)) for c in subs]


def by_office(scope: Scope, as_of: date | None = None) -> list[OfficeRow]:
    """Figures per office in the scope, with the Section 9 categories each office has nothing in."""
    as_of = _as_of(scope, as_of)
    rows = db.session.execute(
        select(IndexEntry.office_id, *_figures(scope, as_of))
        .where(_public(scope))
        .group_by(IndexEntry.office_id)
    ).all()
    found = {r.office_id: r for r in rows}
    section = func.coalesce(Category.parent_id, Category.id)
    present: dict[int, set[int]] = {}
    for office_id, section_id in db.session.execute(
        select(IndexEntry.office_id, section)
        .join(Category, IndexEntry.category_id == Category.id)
        .where(_public(scope))
        .group_by(IndexEntry.office_id, section)
    ):
        present.setdefault(office_id, set()).add(section_id)
    tops = list(
        db.session.execute(
            select(Category.id, Category.code)
            .where(Category.parent_id.is_(None), SECTION9_ONLY)
            .order_by(Category.sort_order)
        )
    )
    offices = db.session.scalars(
        select(Office).where(scope.office_filter(Office.id)).order_by(Office.code)
    )
    out = []
    for office in offices:
        have = present.get(office.id, set())
        missing = tuple(code for cid, code in tops if cid not in have)
        out.append(
            _row(
                OfficeRow, office.code, office.name, found.get(office.id), empty_categories=missing
            )
        )
    return out


def total(scope: Scope, as_of: date | None = None) -> IndexRow:
    """Figures over the whole index in the scope."""
    as_of = _as_of(scope, as_of)
    agg = db.session.execute(select(*_figures(scope, as_of)).where(_public(scope))).one()
    return _row(IndexRow, "total", "รวมทุกหมวด", agg)


def completeness(scope: Scope, as_of: date | None = None) -> IndexCompleteness:
    """Everything the "complete and current" view and the quarterly report show."""
    as_of = _as_of(scope, as_of)
    categories = by_category(scope, as_of)
    return IndexCompleteness(
        scope=scope,
        as_of=as_of,
        categories=categories,
        sub_items=by_sub_item(scope, as_of),
        offices=by_office(scope, as_of),
        empty_categories=[c.key for c in categories if c.empty],
        total=total(scope, as_of),
    )
