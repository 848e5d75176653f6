"""Statistics of online use, counted by the COUNTER rules (DOMAIN.md).

- robots and crawlers (``ua_class = 'robot'``) are never counted;
- double-click rule: a repeat of the same event (same session, kind, entry or query) less than
  30 seconds after the previous one counts once — a window function (LAG) in the database;
- unique counts: one per session per item (entry, or query for searches) per clock hour.
Staff and test requests are never recorded at all (``infocenter.usage.record``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, and_, case, cast, distinct, event, false, func, or_, select, true
from sqlalchemy.orm import Session

from ..admin.models import Office
from ..counter.models import Visit
from ..dbtypes import epoch_seconds, local_month
from ..extensions import db
from ..usage.models import EVENT_KINDS, UsageEvent
from . import Scope
from .visits import month_label, scope_months

DOUBLE_CLICK_SECONDS = 30


@dataclass(frozen=True)
class OnlineCount:
    """One kind of online event: total (after the double-click rule) and unique (session × item × hour)."""

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
    # provincial office (the same rule as admin.models.default_office, without creating one).
    return db.session.scalar(select(Office.id).order_by(Office.kind != "province", Office.id).limit(1))


def _office_where(scope: Scope):
    if scope.office_ids is None:
        return true()
    site = _site_office_id()
    no_office = UsageEvent.office_id.is_(None) if site in scope.office_ids else false()
    return or_(UsageEvent.office_id.in_(scope.office_ids), no_office)


def _human(scope: Scope, kinds: tuple[str, ...] | None = None):
    """Events of people (not robots) in the scope."""
    where = and_(scope.time_filter(UsageEvent.at), _office_where(scope), UsageEvent.ua_class != "robot")
    if kinds:
        where = and_(where, UsageEvent.kind.in_(kinds))
    return where


def counted_events(scope: Scope, kinds: tuple[str, ...] | None = None):
    """A subquery of the events that count: humans only, double clicks removed."""
    e = UsageEvent
    ts = epoch_seconds(e.at)
    previous = func.lag(ts).over(partition_by=(e.session_key, e.kind, e.entry_id, e.query), order_by=(e.at, e.id))
    raw = select(e.id, e.at, e.kind, e.session_key, e.entry_id, e.query, e.result_count,
                 ts.label("ts"), previous.label("prev_ts")).where(_human(scope, kinds)).subquery("raw")
    return (
        select(raw)
        .where(or_(raw.c.prev_ts.is_(None), raw.c.ts - raw.c.prev_ts >= DOUBLE_CLICK_SECONDS))
        .subquery("counted")
    )


_CACHE = "stats.online.summary"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_summaries(session: Session) -> None:
    session.info.pop(_CACHE, None)


def _summary(scope: Scope) -> dict[tuple[str, str], tuple[int, int, int]]:
    """{(month, kind): (total, unique, searches without result)} in one pass over the events.

    The window function is the costly part, so the figures of one scope are computed once and
    kept for the rest of the database transaction (a report or a dashboard asks for them several
    times). Monthly uniques add up to the scope's: an hour never straddles two Bangkok months.
    """
    cache = db.session.info.setdefault(_CACHE, {})
    if scope in cache:
        return cache[scope]
    c = counted_events(scope)
    month = local_month(c.c.at)
    item_hour = (c.c.session_key + "|" + func.coalesce(cast(c.c.entry_id, String), "") + "|"
                 + func.coalesce(c.c.query, "") + "|" + cast(c.c.ts // 3600, String))
    rows = db.session.execute(
        select(month, c.c.kind, func.count(), func.count(distinct(item_hour)),
               func.count(case((and_(c.c.kind == "search", c.c.result_count == 0), 1))))
        .group_by(month, c.c.kind)
    )
    cache[scope] = {(m, kind): (int(total), int(unique), int(zero)) for m, kind, total, unique, zero in rows}
    return cache[scope]


def online_totals(scope: Scope) -> list[OnlineCount]:
    """Searches, entry views, downloads, online requests and API calls: total and unique."""
    totals: dict[str, list[int]] = {k: [0, 0] for k in EVENT_KINDS}
    for (_month, kind), (total, unique, _zero) in _summary(scope).items():
        totals[kind][0] += total
        totals[kind][1] += unique
    return [OnlineCount(k, label, *totals[k]) for k, label in EVENT_KINDS.items()]


def online_total(scope: Scope, kind: str) -> OnlineCount:
    """One kind of online event from ``online_totals`` ('search', 'view', 'download', 'request', 'api')."""
    return next(c for c in online_totals(scope) if c.kind == kind)


def searches_without_results(scope: Scope) -> int:
    """Counted searches that found nothing (what people look for and the index lacks)."""
    return sum(zero for (_month, _kind), (_total, _unique, zero) in _summary(scope).items())


def top_queries(scope: Scope, limit: int = 10, *, zero_results_only: bool = False) -> list[QueryCount]:
    """The most frequent normalised search queries, most frequent first."""
    c = counted_events(scope, ("search",))
    n = func.count().label("n")
    zero = func.count(func.nullif(c.c.result_count, 0)).label("found")
    stmt = (select(c.c.query, n, zero).where(c.c.query.is_not(None), c.c.query != "")
            .group_by(c.c.query).order_by(n.desc(), c.c.query).limit(limit))
    if zero_results_only:
        stmt = stmt.where(c.c.result_count == 0)
    return [QueryCount(q, int(count), int(count) - int(found)) for q, count, found in db.session.execute(stmt)]


def robot_events(scope: Scope) -> int:
    """Events from robots and crawlers in the scope (recorded, never counted as use)."""
    where = and_(scope.time_filter(UsageEvent.at), _office_where(scope), UsageEvent.ua_class == "robot")
    return db.session.scalar(select(func.count(UsageEvent.id)).where(where)) or 0


def online_by_month(scope: Scope) -> dict[str, dict[str, int]]:
    """Counted events per office-local month and kind: {'2020-04': {'search': 12, 'view': 30, ...}}."""
    out: dict[str, dict[str, int]] = {m: {k: 0 for k in EVENT_KINDS} for m in scope_months(scope)}
    for (month, kind), (total, _unique, _zero) in _summary(scope).items():
        out.setdefault(month, {k: 0 for k in EVENT_KINDS})[kind] = total
    return out


def walkin_vs_online_by_month(scope: Scope) -> list[MonthSeries]:
    """Per month, visits at the counter (not voided) beside online use (counted searches, views,
    downloads and online requests; API calls left out) — the report's bar chart."""
    online = {m: sum(n for k, n in kinds.items() if k != "api") for m, kinds in online_by_month(scope).items()}
    vmonth = local_month(Visit.visited_at)
    visits = dict(db.session.execute(
        select(vmonth, func.count(Visit.id))
        .where(scope.time_filter(Visit.visited_at), scope.office_filter(Visit.office_id), Visit.voided_at.is_(None))
        .group_by(vmonth)
    ).all())
    return [MonthSeries(m, month_label(m), int(visits.get(m, 0)), int(online.get(m, 0))) for m in scope_months(scope)]
