"""Recording online use: no IP stored, robots flagged and not counted, staff and tests not recorded,
the double-click rule and unique counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_login import login_user

from infocenter.auth.models import User
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import online as on
from infocenter.thai import local_today
from infocenter.usage import record as rec
from infocenter.usage.models import UsageEvent, UsageSalt

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"  # noqa: E501
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"  # noqa: E501
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
counting = pytest.mark.app_config(COUNT_USAGE_IN_TESTS=True)


def hit(app, kind="search", ip="203.0.113.7", ua=BROWSER, **kw) -> bool:
    with app.test_request_context(
        "/search", headers={"User-Agent": ua}, environ_base={"REMOTE_ADDR": ip}
    ):
        return rec.record(kind, **kw)


def events(app) -> list[UsageEvent]:
    with app.app_context():
        return db.session.scalars(db.select(UsageEvent).order_by(UsageEvent.id)).all()


def today() -> Scope:
    return Scope(local_today(), local_today())


def totals(app) -> dict[str, tuple[int, int]]:
    with app.app_context():
        return {c.kind: (c.total, c.unique) for c in on.online_totals(today())}


def test_tests_are_not_counted_unless_enabled(app):
    assert hit(app, query="งบประมาณ", result_count=2) is False
    assert events(app) == []


@counting
def test_an_event_has_a_salted_session_key_and_never_the_ip(app):
    assert hit(app, query="  งบ  ประมาณ ๒๕๖๗ ", result_count=3)
    assert hit(app, ua=PHONE, query="งบประมาณ", result_count=3)
    assert hit(app, ip="198.51.100.1", query="งบประมาณ", result_count=3)
    first, phone, other_ip = events(app)
    assert first.query == "งบประมาณ2567" and first.result_count == 3 and first.ua_class == "desktop"
    assert phone.ua_class == "mobile"
    assert len({first.session_key, phone.session_key, other_ip.session_key}) == 3
    for event in (first, other_ip):
        assert "203.0.113.7" not in event.session_key and "198.51.100" not in event.session_key
    with app.app_context():
        salt = db.session.scalar(db.select(UsageSalt.salt).where(UsageSalt.day == local_today()))
    assert first.session_key == rec.session_key(salt, "203.0.113.7", BROWSER)


@counting
def test_double_click_within_30_seconds_counts_once(app):
    hit(app, "search", query="ภาษี", result_count=1)
    hit(app, "search", query="ภาษี", result_count=1)  # the same search again at once
    hit(app, "search", query="แผนงาน", result_count=0)  # a different query counts
    assert len(events(app)) == 3
    assert totals(app)["search"] == (2, 2)
    with app.app_context():
        assert on.searches_without_results(today()) == 1


@counting
def test_robots_are_recorded_but_not_counted(app):
    hit(app, "view", entry=None, ua=GOOGLEBOT)
    hit(app, "view", entry=None, ua="")  # no browser sends no User-Agent
    hit(app, "view", entry=None, ua="python-requests/2.32")
    assert [e.ua_class for e in events(app)] == ["robot", "robot", "robot"]
    assert totals(app)["view"] == (0, 0)
    with app.app_context():
        assert on.robot_events(today()) == 3


@counting
def test_logged_in_staff_are_not_public_use(app, make_user):
    username = make_user("clerk")
    with app.test_request_context("/search", headers={"User-Agent": BROWSER}):
        user = db.session.scalars(db.select(User).where(User.username == username)).one()
        login_user(user)
        assert rec.record("search", query="ภาษี", result_count=1) is False
    assert events(app) == []


@counting
@pytest.mark.app_config(COUNT_USAGE_IN_TESTS=True, COUNT_USAGE=False)
def test_counting_can_be_switched_off(app):
    assert hit(app) is False


@counting
def test_salt_rotates_daily_and_old_salts_are_deleted(app):
    rec.forget_salt_cache()
    with app.app_context():
        day1 = rec.daily_salt(date(2024, 5, 1))
        assert rec.daily_salt(date(2024, 5, 1)) == day1
        rec.forget_salt_cache()
        assert rec.daily_salt(date(2024, 5, 1)) == day1  # stored server-side, shared by workers
        day2 = rec.daily_salt(date(2024, 5, 1) + timedelta(days=1))
        assert day2 != day1
        assert db.session.scalars(db.select(UsageSalt.day)).all() == [date(2024, 5, 2)]
    rec.forget_salt_cache()


def test_unknown_kind_is_a_programming_error(app):
    with app.test_request_context("/"), pytest.raises(ValueError):
        rec.record("click")
