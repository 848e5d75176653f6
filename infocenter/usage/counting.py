"""The COUNTER rules as SQL, in one place: the statistics (``stats.online``) count raw events with
them and the daily rollup (``usage.rollup``) applies them once into ``usage_daily``.

- robots and crawlers (``ua_class = 'robot'``) are never counted;
- double-click rule: a repeat of the same event (same session, kind, office, entry or query) less
  than 30 seconds after the previous one counts once — a window function (LAG) in the database.
  The previous event is looked for up to 30 seconds before the period, so a count never depends
  on where a period starts (a day counted alone gives the same figures as inside a quarter);
- unique counts: one per session per item (office, entry or query) per clock hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.sql import Subquery

from ..dbtypes import epoch_seconds
from .models import UsageEvent

DOUBLE_CLICK_SECONDS = 30


def with_previous(lo: datetime, hi: datetime, *where) -> Subquery:
    """Events in [lo, hi) (and the 30 seconds before lo) matching ``where``, each with its time
    ``ts`` and the time ``prev_ts`` of the previous same event (None for a first one)."""
    e = UsageEvent
    ts = epoch_seconds(e.at)
    # ua_class = 'robot' in the partition: a robot's events never hide a person's (a session key
    # is the hash of address and browser, so they differ anyway; this makes it independent of that).
    previous = func.lag(ts).over(
        partition_by=(
            e.ua_class == "robot",
            e.session_key,
            e.kind,
            e.office_id,
            e.entry_id,
            e.query,
        ),
        order_by=(e.at, e.id),
    )
    return (
        select(
            e.id,
            e.at,
            e.kind,
            e.session_key,
            e.ua_class,
            e.office_id,
            e.entry_id,
            e.query,
            e.result_count,
            ts.label("ts"),
            previous.label("prev_ts"),
        )
        .where(e.at >= lo - timedelta(seconds=DOUBLE_CLICK_SECONDS), e.at < hi, *where)
        .subquery("raw")
    )


def counts(raw: Subquery, lo: datetime):
    """Whether a row of ``with_previous`` counts: in the period, a person's, not a double click."""
    return and_(
        raw.c.at >= lo,
        raw.c.ua_class != "robot",
        or_(raw.c.prev_ts.is_(None), raw.c.ts - raw.c.prev_ts >= DOUBLE_CLICK_SECONDS),
    )


def item_hour(c):
    """What a unique count counts once: session × item (office, entry or query) × clock hour.

    Hours are UTC hours; Bangkok is a whole seven hours ahead, so an hour never straddles two local
    days (or months), and uniques of separate days add up.
    """
    return (
        c.session_key
        + "|"
        + func.coalesce(cast(c.office_id, String), "")
        + "|"
        + func.coalesce(cast(c.entry_id, String), "")
        + "|"
        + func.coalesce(c.query, "")
        + "|"
        + cast(c.ts // 3600, String)
    )
