"""Statistics of the register of service use (the counter): what the dashboard and the PDF show.

Voided visits are excluded everywhere. Every figure is a GROUP BY in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import aliased

from ..catalogue.models import SECTION9, Category, IndexEntry
from ..counter.models import CHANNELS, OUTCOMES, Visit, VisitEntry, VisitorType, VisitPurpose
from ..dbtypes import local_date, local_month
from ..extensions import db
from ..thai import month_label
from . import Count, Scope


@dataclass(frozen=True)
class DayCount:
    """Visits on one office-local day."""

    day: date
    count: int


@dataclass(frozen=True)
class MonthCount:
    """A count for one office-local month; ``month`` is 'YYYY-MM' (CE), ``label`` e.g. 'ม.ค.
    2563'."""

    month: str
    label: str
    count: int


@dataclass(frozen=True)
class EntryCount:
    """An index entry and how many visits consulted it."""

    entry_id: int
    ref: str
    title: str
    category_code: str
    count: int


@dataclass(frozen=True)
class CopiesAndFees:
    """Pages copied (plain and certified) and fees in baht, collected and waived."""

    visits_with_copies: int
    pages_copied: int  # all pages
    pages_plain: int
    pages_certified: int
    fees_collected: float  # baht
    fees_waived: float  # baht
    waived_visits: int


@dataclass(frozen=True)
class Satisfaction:
    """Mean satisfaction (1–5) and the number of answers; mean is None with no answer."""

    mean: float | None
    n: int
    by_score: tuple[int, int, int, int, int]  # answers of 1, 2, 3, 4, 5


def scope_months(scope: Scope) -> list[str]:
    """Every 'YYYY-MM' month the scope touches, in order (so empty months show as zero)."""
    months, y, m = [], scope.start.year, scope.start.month
    while (y, m) <= (scope.end.year, scope.end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _where(scope: Scope):
    """The visits a scope covers: its dates and offices, never voided visits."""
    return and_(
        scope.time_filter(Visit.visited_at),
        scope.office_filter(Visit.office_id),
        Visit.voided_at.is_(None),
    )


def visit_count(scope: Scope) -> int:
    """How many visits (not voided) the scope covers."""
    return db.session.scalar(select(func.count(Visit.id)).where(_where(scope))) or 0


def visits_by_day(scope: Scope) -> list[DayCount]:
    """Visits per office-local day, only days with visits, oldest first."""
    day = local_date(Visit.visited_at)
    rows = db.session.execute(
        select(day.label("day"), func.count(Visit.id))
        .where(_where(scope))
        .group_by(day)
        .order_by(day)
    )
    return [DayCount(d if isinstance(d, date) else date.fromisoformat(d), n) for d, n in rows]


def visits_by_month(scope: Scope) -> list[MonthCount]:
    """Visits per office-local month, every month of the scope (zero when none)."""
    month = local_month(Visit.visited_at)
    counts = dict(
        db.session.execute(
            select(month, func.count(Visit.id)).where(_where(scope)).group_by(month)
        ).all()
    )
    return [
        MonthCount(m, month_label(m, style="short"), counts.get(m, 0)) for m in scope_months(scope)
    ]


def _by_lookup(scope: Scope, model, column) -> list[Count]:
    # An outer join keeps active types with no visit (zero), so report tables have every row.
    stmt = (
        select(model.code, model.name, model.active, func.count(Visit.id))
        .select_from(model)
        .outerjoin(Visit, and_(column == model.id, _where(scope)))
        .group_by(model.id, model.code, model.name, model.active, model.sort_order)
        .order_by(model.sort_order, model.id)
    )
    return [
        Count(code, name, n) for code, name, active, n in db.session.execute(stmt) if active or n
    ]


def visits_by_visitor_type(scope: Scope) -> list[Count]:
    """Visits per visitor type (ประชาชน, หน่วยงานรัฐ …), every active type listed."""
    return _by_lookup(scope, VisitorType, Visit.visitor_type_id)


def visits_by_purpose(scope: Scope) -> list[Count]:
    """Visits per purpose (ตรวจดูข้อมูล, ขอสำเนา …), every active purpose listed."""
    return _by_lookup(scope, VisitPurpose, Visit.purpose_id)


def _by_fixed(scope: Scope, column, labels: dict[str, str]) -> list[Count]:
    counts = dict(
        db.session.execute(
            select(column, func.count(Visit.id)).where(_where(scope)).group_by(column)
        ).all()
    )
    return [Count(key, label, counts.get(key, 0)) for key, label in labels.items()]


def visits_by_channel(scope: Scope) -> list[Count]:
    """Visits per channel: walk-in, telephone, letter, e-mail."""
    return _by_fixed(scope, Visit.channel, CHANNELS)


def visits_by_outcome(scope: Scope) -> list[Count]:
    """Visits per outcome: served in full, in part, referred (§12), turned into a §11 request."""
    return _by_fixed(scope, Visit.outcome, OUTCOMES)


def entries_by_category(scope: Scope) -> list[Count]:
    """Index entries consulted at the counter per Section 9 category; 9(8)'s sub-items count under
    9(8)."""
    parent = aliased(Category)
    section = func.coalesce(parent.code, Category.code)
    stmt = _consulted(scope, parent, section, func.count()).group_by(section)
    counts = dict(db.session.execute(stmt).all())
    return [Count(code, name, counts.get(code, 0)) for code, name, _en in SECTION9]


def _consulted(scope: Scope, parent, *columns) -> Select:
    """``columns`` over the index entries consulted at the counter in ``scope``: each visit's
    entry with its category and, for 9(8)'s sub-items, the parent category (``parent``)."""
    return (
        select(*columns)
        .select_from(VisitEntry)
        .join(Visit, Visit.id == VisitEntry.visit_id)
        .join(IndexEntry, IndexEntry.id == VisitEntry.entry_id)
        .join(Category, Category.id == IndexEntry.category_id)
        .outerjoin(parent, parent.id == Category.parent_id)
        .where(_where(scope))
    )


def top_entries(scope: Scope, limit: int = 10) -> list[EntryCount]:
    """The index entries consulted most often at the counter, most consulted first."""
    parent = aliased(Category)
    n = func.count().label("n")
    stmt = (
        _consulted(
            scope,
            parent,
            IndexEntry.id,
            IndexEntry.ref,
            IndexEntry.title,
            func.coalesce(parent.code, Category.code),
            n,
        )
        .group_by(IndexEntry.id, IndexEntry.ref, IndexEntry.title, parent.code, Category.code)
        .order_by(n.desc(), IndexEntry.id)
        .limit(limit)
    )
    return [
        EntryCount(i, ref, title, code, c) for i, ref, title, code, c in db.session.execute(stmt)
    ]


def copies_and_fees(scope: Scope) -> CopiesAndFees:
    """Pages copied (plain and certified) and fees collected and waived, in baht."""
    waived = Visit.fee_waived.is_(True)
    row = db.session.execute(
        select(
            func.count(case((Visit.pages_copied > 0, Visit.id))),
            func.coalesce(func.sum(Visit.pages_copied), 0),
            func.coalesce(func.sum(Visit.pages_certified), 0),
            func.coalesce(func.sum(case((waived, 0), else_=Visit.fee_satang)), 0),
            func.coalesce(func.sum(case((waived, Visit.fee_satang), else_=0)), 0),
            func.count(case((and_(waived, Visit.fee_satang > 0), Visit.id))),
        ).where(_where(scope))
    ).one()
    with_copies, copied, certified, collected, waived_satang, waived_visits = (int(v) for v in row)
    return CopiesAndFees(
        with_copies,
        copied,
        copied - certified,
        certified,
        collected / 100,
        waived_satang / 100,
        waived_visits,
    )


def satisfaction(scope: Scope) -> Satisfaction:
    """Mean satisfaction score of the visits that gave one, with the number of answers."""
    score = Visit.satisfaction
    row = db.session.execute(
        select(
            func.avg(score),
            func.count(score),
            *(func.count(case((score == s, 1))) for s in range(1, 6)),
        ).where(_where(scope))
    ).one()
    mean, n, *by_score = row
    return Satisfaction(
        float(mean) if mean is not None else None, int(n), tuple(int(v) for v in by_score)
    )


def counted(scope: Scope):
    """The condition selecting the visits the scope's counts count (for lists that must match
    them)."""
    return _where(scope)
