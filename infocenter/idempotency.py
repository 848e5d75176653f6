"""Saving a form once: a form that creates records carries a one-time token (``FormTokenField``,
rendered by ``form.hidden_tag()``), and a POST whose token was already used creates nothing and
gets the answer the first one got (the same redirect and message). A quick double Enter, a
replayed request or the browser's "resend" therefore records one visit, one request, one fee.

The token is claimed by inserting its row (the primary key makes a second claim fail, also under
parallel requests, on SQLite and PostgreSQL) before the view runs; a successful save (a redirect)
keeps it with its answer, anything else (a form shown again with errors, an error) releases it so
the corrected form can be sent."""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    request,
    session,
    url_for,
)
from sqlalchemy import String, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from .dbtypes import UTCDateTime
from .extensions import db
from .thai import now_utc

FIELD = "form_token"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEEP = timedelta(days=2)  # a form left open over a weekend is still guarded on Monday
WAIT_SECONDS = 10.0  # how long a replay waits for the first request's answer


class FormToken(db.Model):
    """A one-time form token that was sent, with the answer its first POST got."""

    __tablename__ = "form_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    location: Mapped[str | None] = mapped_column(String(2000))  # the redirect of the first answer
    flashes: Mapped[str | None] = mapped_column(Text)  # its messages, JSON [[category, text], ...]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FormTokenField(HiddenField):
    """The hidden one-time token of a form that creates records (a new one on every page shown)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", new_token)
        super().__init__(label, validators, **kwargs)


def init_app(app: Flask) -> None:
    # For a form written out by hand in a template (one per step on the request page).
    app.jinja_env.globals["new_form_token"] = new_token
    app.before_request(_claim)
    app.after_request(_settle)
    app.teardown_request(_release_on_error)


def _posted_token() -> str | None:
    if request.method != "POST" or request.mimetype not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return None
    # A form shown with a prefix (two forms on one page) names it "<prefix>-form_token".
    token = request.form.get(FIELD) or next(
        (v for k, v in request.form.items() if k.endswith("-" + FIELD)), ""
    )
    return token if _TOKEN_RE.match(token) else None


def _claim() -> Response | None:
    token = _posted_token()
    if token is None:
        return None
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        db.session.add(FormToken(token=token))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            g.form_token = token
            g.form_token_flashes = len(session.get("_flashes", []))
            if secrets.randbelow(50) == 0:  # now and then, forget old tokens
                db.session.execute(delete(FormToken).where(FormToken.created_at < now_utc() - KEEP))
                db.session.commit()
            return None
        # Already used: answer as the first request did, once it has answered.
        first = db.session.get(FormToken, token, populate_existing=True)
        if first is not None and first.location:
            for category, message in json.loads(first.flashes or "[]"):
                flash(message, category)
            db.session.rollback()
            return redirect(first.location)
        db.session.rollback()
        if time.monotonic() > deadline:
            abort(409)
        if first is not None:
            time.sleep(0.05)  # the first request is still saving
        # else: the first request failed and released the token; claim it again.


def _settle(response: Response) -> Response:
    token = g.pop("form_token", None)
    if token is None:
        return response
    # Whatever the view left uncommitted is discarded at the end of the request anyway.
    db.session.rollback()
    if 300 <= response.status_code < 400 and response.location and not _to_login(response):
        row = db.session.get(FormToken, token)
        if row is not None:
            row.location = response.location
            flashes = session.get("_flashes", [])[g.pop("form_token_flashes", 0) :]
            # Messages may be lazy strings (Flask-Login's, the catalogue's): stored as text.
            row.flashes = json.dumps([[c, str(m)] for c, m in flashes], ensure_ascii=False)
    else:  # nothing saved (the form again, an error, a login first): the token can be sent again
        db.session.execute(delete(FormToken).where(FormToken.token == token))
    db.session.commit()
    return response


def _to_login(response: Response) -> bool:
    """Whether the answer sends the person to log in first (a session that ended while the form
    was open): nothing was saved, so the same form may be sent again after logging in."""
    login_view = current_app.login_manager.login_view
    if not login_view:
        return False
    return urlsplit(response.location).path == url_for(login_view)


def _release_on_error(exc: BaseException | None) -> None:
    token = g.pop("form_token", None)
    if token is None:
        return
    db.session.rollback()
    db.session.execute(delete(FormToken).where(FormToken.token == token))
    db.session.commit()
