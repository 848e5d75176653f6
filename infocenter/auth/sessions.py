"""Logins that can be ended, and a lock-out that holds under parallel guesses.

A login is a row in ``login_tokens`` holding the hash of a random token; the session cookie carries
``"<user id>:<token>"`` (as Flask-Login's user id), so deleting the row ends that login for every
copy of the cookie. "Remember me" is a second random token in its own cookie, stored hashed,
replaced by a new one each time it is used and expiring after ``REMEMBER_DAYS``.

Every login of a user is ended on logout everywhere, a password change, a deactivation, a role
change, or by an administrator.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, g, request
from flask_login import login_user, logout_user
from sqlalchemy import and_, case, delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..thai import now_utc
from .models import LoginToken, User

REMEMBER_COOKIE = "infocenter_remember"


# Checked against the typed password when there is no account to check it against (unknown user,
# locked account), so that every failed login costs the same time. Made on first use, not at
# import: hashing costs ~0.4 s, which every command and worker start paid.
@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(user_id: int, kind: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginToken(
            user_id=user_id, kind=kind, token_hash=_hash(token), expires_at=now_utc() + lifetime
        )
    )
    return token


def _session_lifetime() -> timedelta:
    return timedelta(hours=int(current_app.config["STAFF_SESSION_HOURS"]))


def _remember_lifetime() -> timedelta:
    return timedelta(days=int(current_app.config["REMEMBER_DAYS"]))


def start_login(user: User, remember: bool = False) -> None:
    """Log ``user`` in with a new login row (and a new remember-me cookie if asked); commits."""
    db.session.execute(
        delete(LoginToken).where(LoginToken.user_id == user.id, LoginToken.expires_at <= now_utc())
    )
    user.session_token = _new_token(user.id, "session", _session_lifetime())
    if remember:
        g.new_remember_token = _new_token(user.id, "remember", _remember_lifetime())
    db.session.commit()
    login_user(user)


def _find(kind: str, token: str) -> User | None:
    row = db.session.execute(
        select(LoginToken.id, User)
        .join(User, User.id == LoginToken.user_id)
        .where(
            LoginToken.kind == kind,
            LoginToken.token_hash == _hash(token),
            LoginToken.expires_at > now_utc(),
        )
    ).first()
    if row is None or not row.User.active:
        return None
    return row.User


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user whose login ``"<id>:<token>"`` is still open."""
    uid, _, token = (user_id or "").partition(":")
    if not token:
        return None  # a cookie from before logins could be ended, or a forged one
    user = _find("session", token)
    if user is None or str(user.id) != uid:
        return None
    user.session_token = token
    return user


def load_from_remember_cookie(req) -> User | None:
    """Flask-Login's request loader: a valid remember-me cookie opens a new login and is
    replaced."""
    token = req.cookies.get(REMEMBER_COOKIE)
    if not token:
        return None
    user = _find("remember", token)
    if user is None:
        g.clear_remember_cookie = True
        return None
    # Rotated on use: the cookie just presented stops working.
    db.session.execute(delete(LoginToken).where(LoginToken.token_hash == _hash(token)))
    start_login(user, remember=True)
    return user


def end_login(user: User) -> None:
    """Log out this browser: its login and its remember-me cookie stop working; commits."""
    hashes = [_hash(t) for t in (user.session_token, request.cookies.get(REMEMBER_COOKIE)) if t]
    if hashes:
        db.session.execute(
            delete(LoginToken).where(
                LoginToken.user_id == user.id, LoginToken.token_hash.in_(hashes)
            )
        )
    db.session.commit()
    logout_user()
    g.clear_remember_cookie = True


def end_all_logins(user_id: int) -> int:
    """End every login and remember-me cookie of a user (the caller commits); returns how many."""
    result = db.session.execute(delete(LoginToken).where(LoginToken.user_id == user_id))
    return result.rowcount or 0


def set_remember_cookie(response):
    """After the request: hand out a new remember-me cookie, or clear a spent one."""
    token = g.pop("new_remember_token", None)
    cfg = current_app.config
    if token:
        response.set_cookie(
            REMEMBER_COOKIE,
            token,
            max_age=int(_remember_lifetime().total_seconds()),
            secure=bool(cfg.get("REMEMBER_COOKIE_SECURE")),
            httponly=True,
            samesite=cfg.get("REMEMBER_COOKIE_SAMESITE") or "Lax",
        )
        response.headers["Cache-Control"] = "no-store"
    elif g.pop("clear_remember_cookie", False) and REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(
            REMEMBER_COOKIE,
            secure=bool(cfg.get("REMEMBER_COOKIE_SECURE")),
            httponly=True,
            samesite=cfg.get("REMEMBER_COOKIE_SAMESITE") or "Lax",
        )
    return response


# --- the lock-out ---------------------------------------------------------------------------


def check_login(username: str, password: str) -> User | None:
    """The user if ``password`` is right and the account may log in, else None.

    An attempt is reserved by one conditional UPDATE before the password is checked, so parallel
    guesses cannot get past ``LOGIN_MAX_FAILURES``: the database lets at most that many through
    until the lock expires (PostgreSQL re-checks the condition on the locked row; SQLite runs one
    writer at a time). Unknown users and locked accounts get a check against a dummy hash, so
    every failure takes the same work.
    """
    cfg = current_app.config
    max_failures = int(cfg["LOGIN_MAX_FAILURES"])
    now = now_utc()
    # Counting goes on while unlocked; it starts again after a lock (expired, or lifted by hand).
    counting = and_(User.locked_until.is_(None), User.failed_logins < max_failures)
    attempts = case((counting, User.failed_logins + 1), else_=1)
    reserve = (
        update(User)
        .where(
            func.lower(User.username) == username.lower(),
            or_(User.locked_until.is_(None), User.locked_until <= now),
        )
        .values(
            failed_logins=attempts,
            # The attempt that uses up the allowance locks the account now; success unlocks it.
            locked_until=case(
                (attempts >= max_failures, now + timedelta(minutes=int(cfg["LOGIN_LOCK_MINUTES"]))),
                else_=None,
            ),
        )
        .returning(User.id)
        .execution_options(synchronize_session=False)
    )
    user_id = db.session.execute(reserve).scalar()
    db.session.commit()
    if user_id is None:
        check_password_hash(_dummy_hash(), password)
        return None
    user = db.session.get(User, user_id)
    if not user.check_password(password) or not user.active:
        return None
    user.register_success()
    db.session.commit()
    return user
