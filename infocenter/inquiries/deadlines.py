"""Due dates of Section 11 requests: calendar or working days, Thai public holidays, office days
off.

The rule is configurable (settings): how many days, and whether they are calendar days or working
days. Working days skip weekends, the public holidays of the ``holidays`` package (country TH,
copied into the admin-editable ``holidays`` table because special holidays are announced year by
year; read from the package in memory for a year not copied yet) and the days off an office
declares. A request received after office hours, or on a day
the office is closed, counts from the next working day. Time spent waiting for the requester
stops the clock and moves the due date by the days waited.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from .. import settings
from ..extensions import db
from ..thai import to_local
from .models import Holiday, HolidayYear, package_holidays

settings.define(
    "inquiry_due_days",
    _l("ระยะเวลาตอบคำขอข้อมูลข่าวสาร (วัน)"),
    int,
    15,
    _l("นับจากวันที่รับคำขอ (มาตรา ๑๑ ให้ตอบภายในเวลาอันสมควร)"),
    minimum=1,
    maximum=90,
)
settings.define(
    "inquiry_working_days",
    _l("นับระยะเวลาตอบคำขอเป็นวันทำการ"),
    bool,
    True,
    _l("เลือกไว้: ไม่นับวันหยุดราชการ วันหยุดนักขัตฤกษ์ และวันหยุดของสำนักงาน; ไม่เลือก: นับวันปฏิทิน"),
)
settings.define(
    "inquiry_office_closes",
    _l("เวลาปิดรับคำขอของสำนักงาน (ชช:นน)"),
    str,
    "16:30",
    _l("คำขอที่ได้รับหลังเวลานี้ เริ่มนับจากวันทำการถัดไป"),
    kind="time",
)
settings.define(
    "inquiry_remind_days",
    _l("แจ้งเตือนคำขอที่ใกล้ครบกำหนดภายใน (วันทำการ)"),
    int,
    3,
    minimum=1,
    maximum=15,
)


class DeadlineRule:
    """The due-date rule of one office: its days off, the public holidays, and the settings."""

    def __init__(
        self,
        office_id: int | None,
        *,
        days: int | None = None,
        working: bool | None = None,
        closes: time | None = None,
    ) -> None:
        self.office_id = office_id
        self.days = int(settings.get("inquiry_due_days") if days is None else days)
        self.working = bool(settings.get("inquiry_working_days") if working is None else working)
        self.closes = closes or parse_closing_time(settings.get("inquiry_office_closes"))
        self._closed: dict[int, set[date]] = {}

    # --- the office calendar -----------------------------------------------------------------

    def closed_days(self, year: int) -> set[date]:
        """Public holidays and this office's days off in a calendar year. Never writes: a year not
        yet copied into the table (``flask inquiries holidays``, or an admin's first change to
        it) takes the `holidays` package's days as they would be copied, so due dates are the
        same before and after the copy."""
        if year not in self._closed:
            office = Holiday.office_id.is_(None)
            if self.office_id is not None:
                office = or_(office, Holiday.office_id == self.office_id)
            closed = set(
                db.session.scalars(
                    select(Holiday.day).where(
                        Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31), office
                    )
                )
            )
            if db.session.get(HolidayYear, year) is None:
                closed |= package_holidays(year).keys()
            self._closed[year] = closed
        return self._closed[year]

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a public holiday or a day off of the office."""
        return d.weekday() < 5 and d not in self.closed_days(d.year)

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself is day 0)."""
        while n > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_in(self, start: date, end: date) -> int:
        """How many working days fall in [start, end)."""
        count, d = 0, start
        while d < end:
            if self.is_working_day(d):
                count += 1
            d += timedelta(days=1)
        return count

    def working_days_until(self, today: date, due: date) -> int:
        """Working days from after ``today`` up to and including ``due`` (0 when due today)."""
        return self.working_days_in(today + timedelta(days=1), due + timedelta(days=1))

    # --- the rule ----------------------------------------------------------------------------

    def start_day(self, received_at: datetime) -> date:
        """The day the clock starts: the day of receipt, or the next working day when the request
        arrived after office hours or on a day the office was closed."""
        local = to_local(received_at)
        d = local.date()
        if local.time() >= self.closes:
            d += timedelta(days=1)
        return self.next_working_day(d)

    def due_from(self, start: date) -> date:
        """The due date for a request whose clock starts on ``start``."""
        if self.working:
            return self.add_working_days(start, self.days)
        # Calendar days; a last day on which the office is closed moves to the next working day.
        return self.next_working_day(start + timedelta(days=self.days))

    def after_wait(self, due: date, waited_from: date, resumed_on: date) -> date:
        """The due date moved by the days the clock stood still, [waited_from, resumed_on)."""
        if resumed_on <= waited_from:
            return due
        if self.working:
            return self.add_working_days(due, self.working_days_in(waited_from, resumed_on))
        return self.next_working_day(due + timedelta(days=(resumed_on - waited_from).days))


def parse_closing_time(text: str) -> time:
    """ "16:30" → time(16, 30); a bad setting falls back to 16:30 rather than breaking intake."""
    try:
        hours, minutes = (int(p) for p in str(text).strip().replace(".", ":").split(":"))
        return time(hours, minutes)
    except (ValueError, TypeError):
        return time(16, 30)


def seed_holidays(year: int) -> int:
    """Copy one year's Thai public holidays from the `holidays` package; returns how many were
    added."""
    existing = set(
        db.session.scalars(
            select(Holiday.day).where(
                Holiday.office_id.is_(None),
                Holiday.day >= date(year, 1, 1),
                Holiday.day <= date(year, 12, 31),
            )
        )
    )
    added = 0
    for day, name in package_holidays(year).items():
        if day in existing:
            continue
        db.session.add(Holiday(day=day, name=name[:200], office_id=None, source="package"))
        added += 1
    db.session.flush()
    return added


def ensure_holidays(year: int) -> bool:
    """Seed a year's public holidays once (marked in holiday_years); True when seeded now. Called by
    writers only (the CLI, ``flask demo``, an admin's POST on the holidays page), never on a read.

    The marker is inserted with ON CONFLICT DO NOTHING so two requests seeding the same year at
    the same moment add the holidays once.
    """
    if db.session.get(HolidayYear, year) is not None:
        return False
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    from ..thai import now_utc

    inserted = db.session.execute(
        insert(HolidayYear)
        .values(year=year, seeded_at=now_utc())
        .on_conflict_do_nothing(index_elements=["year"])
        .returning(HolidayYear.year)
    ).scalar()
    if inserted is None:  # another session seeded this year first
        return False
    seed_holidays(year)
    return True
