"""Recording online use from the public views: one call, one insert, no IP address stored.

    from ..usage.record import record
    record("search", query=q, result_count=page.total)
    record("view", entry)          # an IndexEntry (its office is noted) or an entry id
    record("download", entry)

Not recorded: logged-in staff (their use is not public use), requests while TESTING unless the
test sets COUNT_USAGE_IN_TESTS, and everything when COUNT_USAGE is off. Robots *are* recorded,
flagged ``ua_class='robot'``, and left out when counting.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..thai import local_today, now_utc, search_key
from .models import EVENT_KINDS, UsageEvent, UsageSalt

_crawlers = CrawlerDetect()
_salts: dict[
    tuple[str, date], str
] = {}  # (database URL, day) -> salt; one row read per worker per day


@lru_cache(maxsize=4096)
def classify_user_agent(user_agent: str) -> str:
    """'robot', 'mobile', 'desktop' or 'other' for a User-Agent header."""
    ua = (user_agent or "").strip()
    # No browser sends an empty User-Agent; scripts do.
    if not ua or _crawlers.isCrawler(ua):
        return "robot"
    if any(token in ua for token in ("Mobi", "Android", "iPhone", "iPad")):
        return "mobile"
    if ua.startswith("Mozilla/") or ua.startswith("Opera/"):
        return "desktop"
    return "other"


def daily_salt(day: date) -> str:
    """The day's secret salt, created on first use; older salts are deleted so days cannot be
    linked."""
    key = (str(db.engine.url), day)
    if key in _salts:
        return _salts[key]
    with db.engine.connect() as conn:
        salt = conn.scalar(select(UsageSalt.salt).where(UsageSalt.day == day))
    if salt is None:
        try:
            with db.engine.begin() as conn:
                conn.execute(insert(UsageSalt), {"day": day, "salt": secrets.token_hex(32)})
                conn.execute(delete(UsageSalt).where(UsageSalt.day < day))
        except IntegrityError:  # another worker made it first
            pass
        with db.engine.connect() as conn:
            salt = conn.scalar(select(UsageSalt.salt).where(UsageSalt.day == day))
    _salts.clear()
    _salts[key] = salt
    return salt


def session_key(salt: str, ip: str, user_agent: str) -> str:
    """A COUNTER session: the same address and browser on the same day, as a salted one-way hash."""
    return hmac.new(salt.encode(), f"{ip}|{user_agent}".encode(), hashlib.sha256).hexdigest()[:32]


def counting_enabled() -> bool:
    """Whether this request is public use to be recorded."""
    if not has_request_context():
        return False
    config = current_app.config
    if not config.get("COUNT_USAGE", True):
        return False
    if config.get("TESTING") and not config.get("COUNT_USAGE_IN_TESTS"):
        return False
    return not (current_user and current_user.is_authenticated)


def record(
    kind: str,
    entry=None,
    *,
    query: str | None = None,
    result_count: int | None = None,
    office_id: int | None = None,
) -> bool:
    """Record one public event (see the module docstring); returns whether it was recorded."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown usage event kind {kind!r}")
    if not counting_enabled():
        return False
    entry_id = getattr(entry, "id", entry)
    if office_id is None and entry is not None:
        office_id = getattr(entry, "office_id", None)
    user_agent = request.user_agent.string or ""
    normalised = search_key(query)[:200] if query is not None else None
    # Its own short transaction: the page's session and its objects are left alone.
    salt = daily_salt(local_today())
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # A page view is a statistic, not a record someone was promised: the request need not
            # wait for the WAL to reach the disk (a crash may lose the last fraction of a second of
            # events, never corrupt anything). Visits, requests and every staff change keep the
            # default, fully durable commit.
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        conn.execute(
            insert(UsageEvent),
            {
                "at": now_utc(),
                "kind": kind,
                "session_key": session_key(salt, request.remote_addr or "", user_agent),
                "ua_class": classify_user_agent(user_agent),
                "office_id": office_id,
                "entry_id": entry_id,
                "query": normalised,
                "result_count": result_count,
                "is_demo": False,
            },
        )
    return True


def forget_salt_cache() -> None:
    """Drop the in-process salt cache (tests that move the clock)."""
    _salts.clear()
