"""Statistics of online use, counted by the COUNTER rules (``infocenter.usage.counting``,
DOMAIN.md):
robots never counted, a repeat within 30 seconds counts once, uniques one per session × item × hour.

The days ``flask usage rollup`` has rolled up are read from the daily aggregates (``usage_daily``);
the days after (today, or all of them when the rollup never ran) are counted from the raw events,
so a figure is never stale and never depends on when the rollup ran. Staff and test requests are
never recorded at all (``infocenter.usage.record``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import (
    and_,
    case,
    distinct,
    event,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from ..admin.models import Office
from ..counter.models import Visit
from ..dbtypes import local_month
from ..extensions import db
from ..thai import month_label
from ..usage.counting import (
    DOUBLE_CLICK_SECONDS,  # noqa: F401  (its home is usage.counting)
    counts,
    item_hour,
    with_previous,
)
from ..usage.models import EVENT_KINDS, UsageDaily, UsageEvent
from ..usage.rollup import rolled_up_through
from . import Scope
from .visits import scope_months


@dataclass(frozen=True)
class OnlineCount:
    """One kind of online event: total (after the double-click rule) and unique (session × item ×
    hour)."""

    kind: str
    label: str
    total: int
    unique: int


@dataclass(frozen=True)
class QueryCount:
    """A normalised search query and how many counted searches used it."""

    query: str
    count: int
    zero_results: int  # of which found nothing


@dataclass(frozen=True)
class MonthSeries:
    """Walk-in visits and online use (counted events) in one office-local month."""

    month: str
    label: str
    visits: int
    online: int


def _site_office_id() -> int | None:
    # Searches and API calls belong to no office: they are the website's, run by the first
    # provincial office (the same rule as admin.models.main_office).
    return db.session.scalar(Office.main_query(Office.id))


def _office_where(scope: Scope, column=UsageEvent.office_id):
    if scope.office_ids is None:
        return true()
    site = _site_office_id()
    no_office = column.is_(None) if site in scope.office_ids else false()
    return or_(column.in_(scope.office_ids), no_office)


def _human(scope: Scope, kinds: tuple[str, ...] | None = None):
    """Events of people (not robots) in the scope's offices (the dates are the window's)."""
    where = and_(_office_where(scope), UsageEvent.ua_class != "robot")
    if kinds:
        where = and_(where, UsageEvent.kind.in_(kinds))
    return where


def counted_events(scope: Scope, kinds: tuple[str, ...] | None = None):
    """A subquery of the raw events that count: humans only, double clicks removed."""
    lo, hi = scope.bounds_utc
    raw = with_previous(lo, hi, _human(scope, kinds))
    return select(raw).where(counts(raw, lo)).subquery("counted")


_CACHE = "stats.online.summary"
_THROUGH = "rolled up through"


def _split(scope: Scope) -> tuple[Scope | None, Scope | None]:
    """The part of the scope read from the daily aggregates, and the part counted from raw
    events."""
    cache = db.session.info.setdefault(_CACHE, {})
    if _THROUGH not in cache:
        cache[_THROUGH] = rolled_up_through()
    through = cache[_THROUGH]
    if through is None or through < scope.start:
        return None, scope
    if through >= scope.end:
        return scope, None
    return replace(scope, end=through), replace(scope, start=through + timedelta(days=1))


def _daily_where(scope: Scope, kinds: tuple[str, ...] | None = None):
    where = and_(scope.date_filter(UsageDaily.day), _office_where(scope, UsageDaily.office_id))
    if kinds:
        where = and_(where, UsageDaily.kind.in_(kinds))
    return where


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_summaries(session: Session) -> None:
    session.info.pop(_CACHE, None)


def _summary(scope: Scope) -> dict[tuple[str, str], tuple[int, int, int]]:
    """{(month, kind): (total, unique, searches without result)}: the rolled-up days summed from
    ``usage_daily``, the days after counted from the raw events (the window function, the costly
    part).

    The figures of one scope are computed once and kept for the rest of the database transaction
    (a report or a dashboard asks for them several times). Daily and monthly uniques add up to the
    scope's: an hour never straddles two Bangkok days.
    """
    cache = db.session.info.setdefault(_CACHE, {})
    if scope in cache:
        return cache[scope]
    out: dict[tuple[str, str], tuple[int, int, int]] = {}

    def tally(month: str, kind: str, total, unique, zero) -> None:
        t, u, z = out.get((month, kind), (0, 0, 0))
        out[(month, kind)] = (t + int(total), u + int(unique), z + int(zero))

    daily, raw = _split(scope)
    if daily is not None:
        d = UsageDaily
        year, month = func.extract("year", d.day), func.extract("month", d.day)
        for y, m, kind, total, unique, zero in db.session.execute(
            select(
                year,
                month,
                d.kind,
                func.sum(d.total),
                func.sum(d.uniques),
                func.sum(d.zero_results),
            )
            .where(_daily_where(daily))
            .group_by(year, month, d.kind)
        ):
            tally(f"{int(y):04d}-{int(m):02d}", kind, total, unique, zero)
    if raw is not None:
        c = counted_events(raw)
        month = local_month(c.c.at)
        for m, kind, total, unique, zero in db.session.execute(
            select(
                month,
                c.c.kind,
                func.count(),
                func.count(distinct(item_hour(c.c))),
                func.count(case((and_(c.c.kind == "search", c.c.result_count == 0), 1))),
            ).group_by(month, c.c.kind)
        ):
            tally(m, kind, total, unique, zero)
    cache[scope] = out
    return out


def online_totals(scope: Scope) -> list[OnlineCount]:
    """Searches, entry views, downloads, online requests and API calls: total and unique."""
    totals: dict[str, list[int]] = {k: [0, 0] for k in EVENT_KINDS}
    for (_month, kind), (total, unique, _zero) in _summary(scope).items():
        totals[kind][0] += total
        totals[kind][1] += unique
    return [OnlineCount(k, label, *totals[k]) for k, label in EVENT_KINDS.items()]


def online_total(scope: Scope, kind: str) -> OnlineCount:
    """One kind of online event from ``online_totals`` ('search', 'view', 'download', 'request',
    'api')."""
    return next(c for c in online_totals(scope) if c.kind == kind)


def searches_without_results(scope: Scope) -> int:
    """Counted searches that found nothing (what people look for and the index lacks)."""
    return sum(zero for (_month, _kind), (_total, _unique, zero) in _summary(scope).items())


def top_queries(
    scope: Scope, limit: int = 10, *, zero_results_only: bool = False
) -> list[QueryCount]:
    """The most frequent normalised search queries, most frequent first."""
    daily, raw = _split(scope)
    parts = []
    if daily is not None:
        d = UsageDaily
        where = [_daily_where(daily, ("search",)), d.total > 0]
        if zero_results_only:
            where.append(d.zero_results > 0)
        parts.append(
            select(
                d.query.label("query"),
                (d.zero_results if zero_results_only else d.total).label("n"),
                d.zero_results.label("zero"),
            ).where(*where)
        )
    if raw is not None:
        c = counted_events(raw, ("search",))
        is_zero = case((c.c.result_count == 0, 1), else_=0)
        part = select(c.c.query.label("query"), literal(1).label("n"), is_zero.label("zero"))
        parts.append(part.where(c.c.result_count == 0) if zero_results_only else part)
    u = union_all(*parts).subquery("searches") if len(parts) > 1 else parts[0].subquery("searches")
    n = func.sum(u.c.n).label("n")
    stmt = (
        select(u.c.query, n, func.sum(u.c.zero))
        .where(u.c.query.is_not(None), u.c.query != "")
        .group_by(u.c.query)
        .order_by(n.desc(), u.c.query)
        .limit(limit)
    )
    return [
        QueryCount(q, int(count), int(count) if zero_results_only else int(zero))
        for q, count, zero in db.session.execute(stmt)
    ]


def robot_events(scope: Scope) -> int:
    """Events from robots and crawlers in the scope (recorded, never counted as use)."""
    daily, raw = _split(scope)
    n = 0
    if daily is not None:
        n += db.session.scalar(select(func.sum(UsageDaily.robots)).where(_daily_where(daily))) or 0
    if raw is not None:
        where = and_(
            raw.time_filter(UsageEvent.at), _office_where(raw), UsageEvent.ua_class == "robot"
        )
        n += db.session.scalar(select(func.count(UsageEvent.id)).where(where)) or 0
    return int(n)


def online_by_month(scope: Scope) -> dict[str, dict[str, int]]:
    """Counted events per office-local month and kind: {'2020-04': {'search': 12, 'view': 30,
    ...}}."""
    out: dict[str, dict[str, int]] = {m: {k: 0 for k in EVENT_KINDS} for m in scope_months(scope)}
    for (month, kind), (total, _unique, _zero) in _summary(scope).items():
        out.setdefault(month, {k: 0 for k in EVENT_KINDS})[kind] = total
    return out


def walkin_vs_online_by_month(scope: Scope) -> list[MonthSeries]:
    """Per month, visits at the counter (not voided) beside online use (counted searches, views,
    downloads and online requests; API calls left out) — the report's bar chart."""
    online = {
        m: sum(n for k, n in kinds.items() if k != "api")
        for m, kinds in online_by_month(scope).items()
    }
    vmonth = local_month(Visit.visited_at)
    visits = dict(
        db.session.execute(
            select(vmonth, func.count(Visit.id))
            .where(
                scope.time_filter(Visit.visited_at),
                scope.office_filter(Visit.office_id),
                Visit.voided_at.is_(None),
            )
            .group_by(vmonth)
        ).all()
    )
    return [
        MonthSeries(m, month_label(m, style="short"), int(visits.get(m, 0)), int(online.get(m, 0)))
        for m in scope_months(scope)
    ]
