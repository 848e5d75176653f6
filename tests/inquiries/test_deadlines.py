"""Due dates of Section 11 requests: calendar and working days across Songkran and New Year, an
office day off, receipt after office hours, and the clock stopping while waiting for the requester.

Expected dates are counted by hand from the Thai public holidays of 2025–2026 (see each comment).
"""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from infocenter.extensions import db
from infocenter.inquiries.deadlines import DeadlineRule, ensure_holidays
from infocenter.inquiries.models import Holiday, HolidayYear
from infocenter.thai import OFFICE_TZ


def bkk(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=OFFICE_TZ)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def rule(office_id=None, working=True, days=15):
    return DeadlineRule(office_id, days=days, working=working, closes=time(16, 30))


def test_working_days_across_songkran(ctx):
    # Received Thu 10 Apr 2025. Not counted: 12–13 weekend, 14–16 Songkran (16 in lieu), weekends,
    # 1 May (Labour Day), 5 May (Coronation Day in lieu). 11→1, 17→2 … 30→11, 2 May→12, 6→13, 7→14,
    # 8→15.
    r = rule()
    start = r.start_day(bkk(2025, 4, 10))
    assert start == date(2025, 4, 10)
    assert r.due_from(start) == date(2025, 5, 8)


def test_calendar_days_last_day_on_songkran_moves_to_next_working_day(ctx):
    # Received Sunday 30 Mar 2025: counts from Mon 31 Mar; +15 = Tue 15 Apr (Songkran), 16 Apr in
    # lieu → Thu 17 Apr.
    r = rule(working=False)
    start = r.start_day(bkk(2025, 3, 30))
    assert start == date(2025, 3, 31)
    assert r.due_from(start) == date(2025, 4, 17)
    # A plain case: Thu 10 Apr + 15 calendar days = Fri 25 Apr, a working day.
    assert r.due_from(r.start_day(bkk(2025, 4, 10))) == date(2025, 4, 25)


def test_working_days_across_new_year_read_the_next_year_without_writing(ctx):
    # Received Fri 26 Dec 2025: 29→1, 30→2, 31 Dec / 1–2 Jan holidays, 5 Jan→3 … 21 Jan→15.
    r = rule()
    assert r.due_from(r.start_day(bkk(2025, 12, 26))) == date(2026, 1, 21)
    # Read from the `holidays` package in memory: no year marked, no holiday row written.
    assert db.session.get(HolidayYear, 2026) is None
    assert db.session.scalar(select(func.count(Holiday.id))) == 0
    # Copied into the table (the CLI, the demo, an admin's first change), the same due date.
    assert ensure_holidays(2025) and ensure_holidays(2026)
    db.session.commit()
    assert (
        db.session.scalar(select(Holiday.name).where(Holiday.day == date(2026, 1, 1))) == "วันขึ้นปีใหม่"
    )
    r = rule()
    assert r.due_from(r.start_day(bkk(2025, 12, 26))) == date(2026, 1, 21)


def test_due_dates_are_the_same_before_and_after_the_holidays_are_copied(ctx):
    days = [date(2024, 11, 1) + timedelta(days=n) for n in range(0, 800, 3)]

    def due_dates():
        working, calendar = rule(), rule(working=False)
        return [(working.due_from(d), calendar.due_from(d)) for d in days]

    in_memory = due_dates()
    for year in range(2024, 2028):
        ensure_holidays(year)
    db.session.commit()
    assert due_dates() == in_memory


def test_a_public_holiday_the_admin_removed_is_a_working_day(ctx):
    r = rule()
    assert not r.is_working_day(date(2025, 4, 14))  # Songkran, from the package
    ensure_holidays(2025)
    db.session.execute(Holiday.__table__.delete().where(Holiday.day == date(2025, 4, 14)))
    db.session.commit()
    assert rule().is_working_day(date(2025, 4, 14))  # the copied year is read from the table


def test_calendar_days_across_new_year(ctx):
    # Wed 17 Dec 2025 + 15 = Thu 1 Jan 2026 (holiday); 2 Jan special holiday, 3–4 weekend → Mon 5
    # Jan.
    r = rule(working=False)
    assert r.due_from(r.start_day(bkk(2025, 12, 17))) == date(2026, 1, 5)


def test_office_day_off_counts_only_for_that_office(ctx, make_office):
    a = make_office("AAA", kind="district")
    b = make_office("BBB", kind="district")
    ensure_holidays(2025)
    db.session.add(Holiday(day=date(2025, 4, 25), name="วันหยุดของสำนักงาน", office_id=a))
    db.session.commit()
    # Office A is closed Fri 25 Apr 2025, so its 15th working day from 10 Apr slips from 8 May to 9
    # May.
    assert rule(a).due_from(date(2025, 4, 10)) == date(2025, 5, 9)
    assert rule(b).due_from(date(2025, 4, 10)) == date(2025, 5, 8)
    assert not rule(a).is_working_day(date(2025, 4, 25))
    assert rule(b).is_working_day(date(2025, 4, 25))


def test_after_hours_receipt_counts_from_next_working_day(ctx):
    r = rule()
    # Fri 11 Apr 2025 16:45 is after closing (16:30): next day is Saturday, then Songkran → Thu 17
    # Apr.
    late = r.start_day(bkk(2025, 4, 11, 16, 45))
    assert late == date(2025, 4, 17)
    assert r.due_from(late) == date(2025, 5, 13)  # 12 May is Visakha Bucha in lieu
    # The same day at 16:00 counts from that day: 17→1 … 9 May→15.
    early = r.start_day(bkk(2025, 4, 11, 16, 0))
    assert early == date(2025, 4, 11)
    assert r.due_from(early) == date(2025, 5, 9)
    # Instants stored in UTC: 16:45 Bangkok is 09:45 UTC, still after hours.
    from datetime import UTC

    assert r.start_day(datetime(2025, 4, 11, 9, 45, tzinfo=UTC)) == date(2025, 4, 17)


def test_pause_moves_due_date_by_days_waited(ctx):
    r = rule()
    # Mon 16 Jun 2025: 17–20 (4), 23–27 (9), 30 (10), 1–4 Jul (14), 7 Jul → 15.
    due = r.due_from(r.start_day(bkk(2025, 6, 16)))
    assert due == date(2025, 7, 7)
    # Waiting Tue 17 – Mon 23 Jun (resumed on the 23rd): 4 working days stopped.
    # 7 Jul + 4 working days: 8, 9, (10 Asarnha Bucha, 11 Lent), 14, 15 → 15 Jul.
    assert r.working_days_in(date(2025, 6, 17), date(2025, 6, 23)) == 4
    assert r.after_wait(due, date(2025, 6, 17), date(2025, 6, 23)) == date(2025, 7, 15)
    # Calendar rule: 6 days waited move 25 Jul (Fri) +6 = 31 Jul (Thu).
    c = rule(working=False)
    assert c.after_wait(date(2025, 7, 25), date(2025, 6, 17), date(2025, 6, 23)) == date(
        2025, 7, 31
    )


def test_rule_follows_settings(ctx):
    from infocenter import settings

    settings.put("inquiry_due_days", 5)
    settings.put("inquiry_working_days", False)
    settings.put("inquiry_office_closes", "12:00")
    db.session.commit()
    r = DeadlineRule(None)
    assert (r.days, r.working, r.closes) == (5, False, time(12, 0))
    assert r.start_day(bkk(2025, 6, 18, 13, 0)) == date(2025, 6, 19)
    assert r.due_from(date(2025, 6, 19)) == date(2025, 6, 24)


def test_holiday_seeding_is_idempotent(ctx, runner):
    assert ensure_holidays(2025) is True
    assert ensure_holidays(2025) is False
    db.session.commit()
    count = db.session.scalar(
        select(func.count(Holiday.id)).where(
            Holiday.day.between(date(2025, 1, 1), date(2025, 12, 31))
        )
    )
    assert count >= 20
    result = runner.invoke(args=["inquiries", "holidays", "--year", "2025", "--year", "2027"])
    assert result.exit_code == 0, result.output
    assert "2025: 0 holidays added" in result.output
    db.session.expire_all()
    assert db.session.get(HolidayYear, 2027) is not None
