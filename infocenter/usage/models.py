"""Online usage events (searches, entry views, downloads, online requests, API calls)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import db
from ..thai import N_, now_utc

# Labels stay Thai here (the statistics and the PDF report use them as they are); N_ marks them
# for the catalogue, and a page showing one translates it (gettext) at display time.
EVENT_KINDS = {
    "search": N_("การค้นหา"),
    "view": N_("การเปิดดูรายการ"),
    "download": N_("การดาวน์โหลดไฟล์"),
    "request": N_("คำขอออนไลน์"),
    "api": N_("การเรียกใช้ API"),
}


class UsageEvent(db.Model):
    """One public event. Never holds an IP address: ``session_key`` is a hash salted per day.

    Rows are written raw (robots included, flagged by ``ua_class``); the COUNTER rules are
    applied when counting, in ``infocenter.stats.online``.
    """

    __tablename__ = "usage_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    kind: Mapped[str] = mapped_column(String(16))
    session_key: Mapped[str] = mapped_column(String(32))
    ua_class: Mapped[str] = mapped_column(String(16), default="other")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"))
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("index_entries.id", ondelete="SET NULL")
    )
    query: Mapped[str | None] = mapped_column(String(200))  # normalised (thai.search_key)
    result_count: Mapped[int | None] = mapped_column()
    is_demo: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        CheckConstraint("kind IN ('search', 'view', 'download', 'request', 'api')", name="kind"),
        CheckConstraint("ua_class IN ('desktop', 'mobile', 'robot', 'other')", name="ua_class"),
        Index("ix_usage_events_at", "at"),
        Index("ix_usage_events_office_at", "office_id", "at"),
        Index("ix_usage_events_entry_id", "entry_id"),
    )


class UsageSalt(db.Model):
    """The secret salt of one day's session keys; older salts are deleted, so days cannot be
    linked."""

    __tablename__ = "usage_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class UsageDaily(db.Model):
    """The COUNTER rules applied once: one office-local day × office × kind × entry/query.

    Written only by ``infocenter.usage.rollup`` (``flask usage rollup``) from the raw events, which
    stay the source of truth; ``infocenter.stats.online`` reads these rows for the days rolled up
    and counts the raw events for the days after. ``total`` is after the double-click rule,
    ``uniques`` counts session × hour (an hour never straddles a local day, so days add up),
    ``zero_results`` the counted searches that found nothing, ``robots`` the robot events.
    """

    __tablename__ = "usage_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("index_entries.id", ondelete="SET NULL")
    )
    query: Mapped[str | None] = mapped_column(String(200))
    total: Mapped[int] = mapped_column(default=0)
    uniques: Mapped[int] = mapped_column(default=0)
    zero_results: Mapped[int] = mapped_column(default=0)
    robots: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index("ix_usage_daily_day_office", "day", "office_id"),
        Index("ix_usage_daily_entry_id", "entry_id"),
    )


class UsageRollup(db.Model):
    """How far the daily aggregates reach: every local day up to ``through_day`` is rolled up,
    from the events up to ``max_event_id`` (a later id dated on or before it means a late event,
    and the days from its date are counted from the raw events again until the next rollup)."""

    __tablename__ = "usage_rollup"

    id: Mapped[int] = mapped_column(primary_key=True)
    through_day: Mapped[date] = mapped_column(Date)
    max_event_id: Mapped[int] = mapped_column(default=0)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
