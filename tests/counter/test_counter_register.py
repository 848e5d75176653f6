"""The visits register: the counter shows today's latest visits and the day's count; the register
lists any day's visits a page at a time with totals counted by the database."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from infocenter.counter.models import Visit
from infocenter.counter.views import RECENT_ON_COUNTER, REGISTER_PER_PAGE
from infocenter.extensions import db
from infocenter.thai import OFFICE_TZ, be_year, local_today

pytestmark = pytest.mark.postgres


def _add_visits(app, lists, day, count, office_id=None, **fields):
    """``count`` visits on ``day``, one minute apart from 09:00 office time; returns their ids."""
    from infocenter.admin.operations import ensure_main_office

    with app.app_context():
        office_id = office_id or ensure_main_office().id
        start = datetime.combine(day, time(9, 0), OFFICE_TZ)
        visits = [
            Visit(
                office_id=office_id,
                visitor_type_id=lists["types"]["public"],
                purpose_id=lists["purposes"]["inspect"],
                visited_at=start + timedelta(minutes=i),
                note=f"visit-{day}-{i}",
                **fields,
            )
            for i in range(count)
        ]
        db.session.add_all(visits)
        db.session.commit()
        return [v.id for v in visits]


def test_counter_shows_the_latest_visits_and_the_whole_days_count(app, client, login_as, lists):
    login_as("clerk")
    ids = _add_visits(app, lists, local_today(), RECENT_ON_COUNTER + 5)
    page = client.get("/counter").get_data(as_text=True)
    assert f'id="visit-{ids[-1]}"' in page  # the newest
    assert f'id="visit-{ids[0]}"' not in page  # the oldest is in the register, not under the form
    assert page.count('<tr class="') == RECENT_ON_COUNTER
    assert f'id="todays-count">{RECENT_ON_COUNTER + 5}<' in page
    assert f"แสดง {RECENT_ON_COUNTER} รายการล่าสุด" in page and "/counter/visits" in page


def test_register_pages_through_a_past_day_with_its_totals(app, client, login_as, lists):
    login_as("clerk")
    day = local_today() - timedelta(days=3)
    ids = _add_visits(app, lists, day, REGISTER_PER_PAGE + 3, pages_copied=2, fee_satang=200)
    _add_visits(app, lists, day - timedelta(days=1), 2)  # another day: not listed
    with app.app_context():
        db.session.get(Visit, ids[0]).voided_at = datetime.now(OFFICE_TZ)
        db.session.get(Visit, ids[1]).fee_waived = True
        db.session.commit()
    typed = f"{day.day}/{day.month}/{be_year(day)}"
    first = client.get("/counter/visits", query_string={"day": typed}).get_data(as_text=True)
    assert first.count('<tr class="') == REGISTER_PER_PAGE
    assert f'id="visit-{ids[-1]}"' in first and f'id="visit-{ids[0]}"' not in first
    totals = first.split('id="day-totals"')[1].split("</dl>")[0]
    standing = REGISTER_PER_PAGE + 2
    assert f"{standing} ราย" in totals and "1 รายการ" in totals
    assert (
        f"{standing * 2} หน้า" in totals and f"{(standing - 1) * 2:.2f} บาท" in totals
    )  # one waived
    second = client.get(
        "/counter/visits", query_string={"day": day.isoformat(), "page": 2}
    ).get_data(as_text=True)
    assert f'id="visit-{ids[0]}"' in second and second.count('<tr class="') == 3
    assert "text-decoration-line-through" in second  # the voided row is shown struck through


def test_register_reads_thai_dates_and_says_what_to_type(app, client, login_as, lists):
    login_as("clerk")
    response = client.get("/counter/visits", query_string={"day": "31/02/2569"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ไม่มีวันที่ “31/02/2569” ในปฏิทิน" in page and 'value="31/02/2569"' in page
    future = local_today() + timedelta(days=2)
    page = client.get("/counter/visits", query_string={"day": future.isoformat()}).get_data(
        as_text=True
    )
    assert "ยังมาไม่ถึง" in page
    quiet = local_today() - timedelta(days=30)
    page = client.get("/counter/visits", query_string={"day": quiet.isoformat()}).get_data(
        as_text=True
    )
    assert "ไม่มีผู้ใช้บริการในวันนี้" in page


def test_register_keeps_to_the_clerks_offices_and_roles(app, client, login_as, make_office, lists):
    other = make_office("NSW02", kind="district")
    day = local_today() - timedelta(days=1)
    theirs = _add_visits(app, lists, day, 1, office_id=other)
    ours = _add_visits(app, lists, day, 1)
    login_as("clerk")
    page = client.get("/counter/visits", query_string={"day": day.isoformat()}).get_data(
        as_text=True
    )
    assert f'id="visit-{ours[0]}"' in page and f'id="visit-{theirs[0]}"' not in page
    client.post("/logout")
    assert client.get("/counter/visits").status_code == 302  # anonymous: to the login page
    login_as("supervisor")
    assert client.get("/counter/visits").status_code == 403
