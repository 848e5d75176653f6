"""Overdue and nearly due "as of the quarter's end" read from the requests' steps (SQLite, and
PostgreSQL with TEST_DATABASE_URL): how a request stood that day, not how it stands now.

Rule: 15 working days. Quarter's end: 30 Jun 2025 (Q3 of FY 2568). One office per request:
  W received 2 May, acknowledged 5 May, waiting for the requester from 20 Jun, resumed 10 Jul
    → waiting on 30 Jun: its clock stood still, not overdue (it was counted before)
  X received 2 May, acknowledged 5 May, extended on 10 Jul to 30 Jul
    → on 30 Jun its due date (23 May) had passed: overdue (the later extension hid it before)
  Y received 2 Jun, acknowledged, closed 5 Jul → overdue on 30 Jun (due 23 Jun), as before
  Z received 19 Jun, due 14 Jul, extended 3 days before to 31 Jul → due soon 5 days before (the
    extension hid it before), not on 30 Jun (14 days away) nor 2 days before (extended)
"""

from datetime import date, datetime, timedelta

import pytest

from infocenter.extensions import db
from infocenter.inquiries.deadlines import DeadlineRule
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.stats import Scope
from infocenter.stats import requests as rstats
from infocenter.thai import OFFICE_TZ

END = date(2025, 6, 30)


@pytest.fixture
def requests_(app, make_office):
    ids = {
        code: make_office(code, kind="district") for code in ("WWW", "WWW2", "XXX", "YYY", "ZZZ")
    }
    with app.app_context():
        rule = DeadlineRule(None, days=15, working=True)

        def req(code, received, steps):
            office = ids[code]
            at = datetime(received.year, received.month, received.day, 10, 0, tzinfo=OFFICE_TZ)
            inquiry, _ = create_inquiry(
                NewInquiry(
                    office_id=office,
                    channel="counter",
                    requester_name="ผู้ขอ",
                    subject="ขอข้อมูล",
                    received_at=at,
                )
            )
            for step, day, kw in steps:
                transition(inquiry, step, None, day=day, rule=rule, **kw)
            return inquiry

        ack = ("acknowledged", date(2025, 5, 5), {})
        wait = {"note": "รอผู้ขอชำระค่าธรรมเนียม"}
        req("WWW", date(2025, 5, 2), [ack, ("waiting", date(2025, 6, 20), wait)])
        w = req("WWW2", date(2025, 5, 2), [ack, ("waiting", date(2025, 6, 20), wait)])
        transition(w, "resume", None, day=date(2025, 7, 10), rule=rule)
        later = {"note": "เอกสารจำนวนมาก", "new_due": date(2025, 7, 30)}
        req("XXX", date(2025, 5, 2), [ack, ("extended", date(2025, 7, 10), later)])
        closed = {"outcome": "full"}
        req(
            "YYY",
            date(2025, 6, 2),
            [("acknowledged", date(2025, 6, 3), {}), ("closed", date(2025, 7, 5), closed)],
        )
        z_later = {"note": "เอกสารจำนวนมาก", "new_due": date(2025, 7, 31)}
        z = req("ZZZ", date(2025, 6, 19), [("acknowledged", date(2025, 6, 19), {})])
        ids["z_due"] = z.due_date  # 14 Jul (10 and 11 Jul are holidays)
        extended_on = z.due_date - timedelta(days=3)
        transition(z, "extended", None, day=extended_on, rule=rule, **z_later)
        db.session.commit()
    return ids


def _at(app, office, as_of, fn=rstats.overdue_at):
    with app.app_context():
        return fn(Scope(as_of, as_of, (office,)), as_of)


def test_a_request_waiting_on_the_day_is_not_overdue_then(app, requests_):
    assert _at(app, requests_["WWW"], END) == 0
    assert _at(app, requests_["WWW2"], END) == 0  # resumed later: still waiting that day
    assert _at(app, requests_["WWW2"], date(2025, 6, 19)) == 1  # the day before it waited
    assert _at(app, requests_["WWW2"], date(2025, 7, 11)) == 1  # resumed, still late


def test_a_later_extension_does_not_hide_that_it_was_overdue(app, requests_):
    assert _at(app, requests_["XXX"], END) == 1
    assert _at(app, requests_["XXX"], date(2025, 7, 11)) == 0  # extended by then


def test_closed_after_the_day_counts_as_open_and_overdue_that_day(app, requests_):
    assert _at(app, requests_["YYY"], END) == 1
    assert _at(app, requests_["YYY"], date(2025, 7, 5)) == 0


def test_due_soon_reads_the_due_date_of_that_day(app, requests_):
    soon, due = rstats.due_soon_at, requests_["z_due"]
    assert _at(app, requests_["ZZZ"], due - timedelta(days=5), soon) == 1
    assert _at(app, requests_["ZZZ"], END, soon) == 0
    assert _at(app, requests_["ZZZ"], due - timedelta(days=2), soon) == 0
    offices = tuple(v for k, v in requests_.items() if k != "z_due")
    with app.app_context():
        assert rstats.overdue_at(Scope(END, END, offices), END) == 2  # X and Y
