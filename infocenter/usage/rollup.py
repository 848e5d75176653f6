"""Daily aggregates of online use: the COUNTER rules applied once (``flask usage rollup``).

The raw ``usage_events`` stay the source of truth; ``usage_daily`` holds, per office-local day ×
office × kind × entry/query, the counted total, the uniques, the searches without results and the
robot events. ``rollup()`` is idempotent: it recomputes whole days (delete, then INSERT … SELECT)
from the first day not yet rolled up — or the day of a late event, one inserted with an earlier
date after the last rollup (demo data, imports) — through yesterday. Today is never rolled up: it
is not over.

Figures are never stale: ``stats.online`` reads the aggregates only up to ``rolled_up_through()``
and counts the raw events for the days after it (at most a day or two when the nightly job runs,
the whole period when it never ran). Deleting events (``flask demo clear``) calls ``forget()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, delete, distinct, func, insert, select

from ..dbtypes import local_date
from ..extensions import db
from ..thai import local_day_bounds_utc, local_today, now_utc, to_local
from .counting import counts, item_hour, with_previous
from .models import UsageDaily, UsageEvent, UsageRollup

_STATE_ID = 1


@dataclass(frozen=True)
class RollupResult:
    """What a rollup did: the days recomputed (none when start > end) and the rows written."""

    start: date | None
    end: date
    rows: int


def _late_day(max_event_id: int) -> date | None:
    """The local day of the earliest event added since the rollup that saw ``max_event_id``."""
    first = db.session.scalar(select(func.min(UsageEvent.at)).where(UsageEvent.id > max_event_id))
    return to_local(first).date() if first is not None else None


def rolled_up_through() -> date | None:
    """The last local day whose figures ``usage_daily`` holds exactly, or None (none rolled up)."""
    state = db.session.execute(
        select(UsageRollup.through_day, UsageRollup.max_event_id).where(UsageRollup.id == _STATE_ID)
    ).first()
    if state is None:
        return None
    late = _late_day(state.max_event_id)
    if late is not None and late <= state.through_day:
        return late - timedelta(days=1)
    return state.through_day


def _daily_rows(start: date, end: date):
    """SELECT of the aggregate rows of the local days start..end from the raw events."""
    lo, hi = local_day_bounds_utc(start, end)
    raw = with_previous(lo, hi)
    counted = counts(raw, lo)
    day = local_date(raw.c.at)
    return (
        select(
            day,
            raw.c.office_id,
            raw.c.kind,
            raw.c.entry_id,
            raw.c.query,
            func.count(case((counted, 1))),
            func.count(distinct(case((counted, item_hour(raw.c))))),
            func.count(case((counted & (raw.c.kind == "search") & (raw.c.result_count == 0), 1))),
            func.count(case((raw.c.ua_class == "robot", 1))),
        )
        .where(raw.c.at >= lo)
        .group_by(day, raw.c.office_id, raw.c.kind, raw.c.entry_id, raw.c.query)
    )


def rollup(through: date | None = None, *, rebuild: bool = False) -> RollupResult:
    """Bring ``usage_daily`` up to ``through`` (default and at most yesterday); commits."""
    yesterday = local_today() - timedelta(days=1)
    through = min(through or yesterday, yesterday)
    state = db.session.get(UsageRollup, _STATE_ID, with_for_update=True)
    max_id = db.session.scalar(select(func.max(UsageEvent.id))) or 0
    if state is None or rebuild:
        first = db.session.scalar(select(func.min(UsageEvent.at)))
        start = to_local(first).date() if first is not None else None
        db.session.execute(delete(UsageDaily))
    else:
        through = max(through, state.through_day)  # never backwards: those days stay rolled up
        start = state.through_day + timedelta(days=1)
        late = _late_day(state.max_event_id)
        if late is not None:
            start = min(start, late)
    rows = 0
    if start is not None and start <= through:
        db.session.execute(
            delete(UsageDaily).where(UsageDaily.day >= start, UsageDaily.day <= through)
        )
        columns = [
            "day",
            "office_id",
            "kind",
            "entry_id",
            "query",
            "total",
            "uniques",
            "zero_results",
            "robots",
        ]
        db.session.execute(insert(UsageDaily).from_select(columns, _daily_rows(start, through)))
        rows = db.session.scalar(
            select(func.count(UsageDaily.id)).where(
                UsageDaily.day >= start, UsageDaily.day <= through
            )
        )
    if state is None:
        state = UsageRollup(id=_STATE_ID)
        db.session.add(state)
    state.through_day, state.max_event_id, state.rolled_at = through, max_id, now_utc()
    db.session.commit()
    return RollupResult(start if start is not None and start <= through else None, through, rows)


def forget() -> None:
    """Drop the aggregates (after events were deleted); the next rollup rebuilds them. No commit."""
    db.session.execute(delete(UsageRollup))
    db.session.execute(delete(UsageDaily))
