"""Request statistics against numbers counted by hand (SQLite, and PostgreSQL with
TEST_DATABASE_URL).

The requests are made by the ``offices`` fixture (conftest.py).
The period is Q3 of FY 2568 (1 Apr – 30 Jun 2025), working-day rule of 15 days.
Office A:
  R1 received 10 Mar, acknowledged 11 Mar, still open
                                               → pending at start and end; overdue now
  R2 received 20 Mar, acknowledged 21 Mar, closed 4 Apr, full
                                               → 15 days, on time (due 11 Apr)
  R3 received 2 Apr online, ack 3 Apr, closed 30 Apr, refused §15(5) §15(2), 10 baht waived
                                               → 28 days, late (due 29 Apr)
  R4 received 7 May by letter, ack 7 May, waiting 8–18 May (10 days), extended 20 May to 30 Jun,
     closed 25 Jun, partial §15(5), 25 baht charged
                                               → 49 − 10 = 39 days, within the extension
  R5 received Sunday 15 Jun by e-mail, open    → pending at end
  R6 received 20 Jun, ack 20 Jun, closed 2 Jul (after the period)
                                               → pending at end
  R8 received 1 Jul; R9 received 1 Feb and closed 20 Mar
                                               → outside the period
Office B:
  R7 received 10 Apr, closed 20 Apr, transferred (§12)
                                               → 10 days
"""

from datetime import date

import pytest

from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import requests as rstats
from infocenter.thai import FiscalQuarter

TODAY = date(2025, 7, 1)


def counts(items):
    return {c.key: c.count for c in items if c.count}


def test_office_a_quarter_by_hand(app, offices):
    a, _ = offices
    scope = Scope.quarter(FiscalQuarter(2568, 3), [a])
    with app.app_context():
        s = rstats.summary(scope, today=TODAY)
    assert s.flow == rstats.Flow(pending_start=2, received=4, closed=3, pending_end=3)
    assert s.flow.pending_start + s.flow.received - s.flow.closed == s.flow.pending_end
    assert counts(s.by_channel) == {"counter": 1, "online": 1, "letter": 1, "email": 1}
    assert [c.key for c in s.by_channel] == ["counter", "online", "letter", "email"]
    assert counts(s.by_outcome) == {"full": 1, "refused": 1, "partial": 1}
    assert counts(s.by_ground) == {"15(5)": 2, "15(2)": 1}
    ack = s.to_acknowledge
    assert (ack.n, ack.median, ack.shortest, ack.longest) == (3, 0.0, 0, 1)
    assert ack.mean == pytest.approx(1 / 3)
    assert counts(ack.bands) == {"0-5": 3}
    done = s.to_complete
    assert (done.n, done.median, done.shortest, done.longest) == (3, 28.0, 15, 39)
    assert done.mean == pytest.approx((15 + 28 + 39) / 3)
    assert counts(done.bands) == {"11-15": 1, "16-30": 1, "31+": 1}
    assert counts(s.timeliness) == {"on_time": 1, "late": 1, "extended": 1}
    assert s.extensions == rstats.Extensions(steps=1, requests=1)
    assert s.overdue_now == 1
    assert [(p.tracking_no, p.age_days) for p in s.oldest_pending] == [
        ("AAA-2568-00001", 112),
        ("AAA-2568-00005", 15),
        ("AAA-2568-00006", 10),
    ]
    assert s.fees == rstats.Fees(charged=25.0, waived=10.0, waived_requests=1)


def test_all_offices_even_median_and_section_12(app, offices):
    scope = Scope(date(2025, 4, 1), date(2025, 6, 30))
    with app.app_context():
        s = rstats.summary(scope, today=TODAY)
    assert s.flow == rstats.Flow(pending_start=2, received=5, closed=4, pending_end=3)
    assert counts(s.by_outcome) == {"full": 1, "refused": 1, "partial": 1, "transferred": 1}
    assert counts(s.by_ground) == {"15(5)": 2, "15(2)": 1, "12": 1}
    # 10, 15, 28, 39: the median is the mean of the middle two.
    assert s.to_complete.median == 21.5
    assert counts(s.to_complete.bands) == {"6-10": 1, "11-15": 1, "16-30": 1, "31+": 1}


def test_empty_scope(app, offices):
    with app.app_context():
        s = rstats.summary(Scope(date(2020, 1, 1), date(2020, 3, 31)), today=TODAY)
    assert s.flow == rstats.Flow(0, 0, 0, 0)
    assert s.to_complete.n == 0 and s.to_complete.median is None and s.to_complete.mean is None
    assert s.oldest_pending == () and s.fees == rstats.Fees(0.0, 0.0, 0)


def test_durations_are_the_stored_raw_values(app, offices):
    """Figures are recomputed from the durations stored on the requests, not from the steps."""
    from infocenter.inquiries.models import Inquiry

    a, _ = offices
    with app.app_context():
        r3 = db.session.scalars(
            db.select(Inquiry).where(Inquiry.tracking_no == "AAA-2568-00003")
        ).one()
        r3.days_to_close = 29
        db.session.commit()
        done = rstats.time_to_complete(Scope.quarter(FiscalQuarter(2568, 3), [a]))
    assert done.median == 29.0
