"""Security by default: response headers, the reverse proxy, input hygiene and rate limits in one
place.

Rate limits are declared on each public view with ``@limited("RATELIMIT_...")``; the numbers live
in the settings below and are read at request time.
"""

from __future__ import annotations

import math
import re

from flask import Flask, Request, abort, current_app, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from .assets import STATIC_ENDPOINTS
from .extensions import limiter

# Everything comes from this site: no inline script or style, no CDN, no framing.
# img-src allows data: because Bootstrap draws its icons (navbar toggler, form checks) as data: SVG.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Search queries sit in URLs; never hand them to another site in the Referer header.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP level 2
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

HSTS = "max-age=31536000; includeSubDomains"

# Rate limits per client address, declared on each view with ``@limited(key)`` and read from these
# settings at request time (environment variables of the same names override them).
DEFAULT_LIMITS = {
    "RATELIMIT_API": "120 per minute",
    "RATELIMIT_SEARCH": "60 per minute",
    "RATELIMIT_REQUESTS": "10 per hour; 3 per minute",  # sending an online request (POST)
    "RATELIMIT_REQUEST_STATUS": "20 per minute; 200 per day",
    "RATELIMIT_LOGIN": "30 per minute",
}

# No id, page, year or count in this application comes near 2**31; anything beyond is garbage that
# would otherwise overflow SQLite's 64-bit integers (page * per_page) or PostgreSQL's integer
# columns.
INT_LIMIT = 2**31 - 1

NUL_MESSAGE = "ข้อมูลที่ส่งมามีอักขระควบคุมที่ระบบไม่รับ (NUL) กรุณาพิมพ์ข้อความใหม่โดยไม่คัดลอกอักขระพิเศษ"


def bounded_int(value, low: int = -INT_LIMIT, high: int = INT_LIMIT) -> int | None:
    """An integer a request sent, if it lies in ``low..high``; otherwise None.

    The one check every number from a URL, query, form or upload goes through: Thai digits and
    surrounding spaces are accepted; fractions, ``inf``, ``nan``, ``1e400`` and numbers past the
    database's integer columns are not. Callers answer None with a Thai message, 400 or 404.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    elif not isinstance(value, int):
        from .thai import arabic_digits

        text = arabic_digits(str(value if value is not None else "")).strip()
        if len(text) > 12 or not re.fullmatch(r"[+-]?[0-9]+", text):
            return None
        value = int(text)
    return value if low <= value <= high else None


def int_or_404(value, low: int = 0, high: int = INT_LIMIT) -> int:
    """``bounded_int`` for a record's number in a URL: out of range is simply not found."""
    number = bounded_int(value, low, high)
    if number is None:
        abort(404)
    return number


class BoundedArgs(ImmutableMultiDict):
    """Query and form values where ``get(name, type=int)`` goes through ``bounded_int``."""

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's signature)
        if type is int:
            raw = super().get(key)
            if raw is None:
                return default
            value = bounded_int(raw)
            return default if value is None else value
        return super().get(key, default=default, type=type)


class SafeRequest(Request):
    """The request class of the app: bounded integers from ``request.args`` and ``request.form``."""

    parameter_storage_class = BoundedArgs


def init_security(app: Flask) -> None:
    """Trust the configured proxies, bound integers, refuse NUL bytes, add headers."""
    for key, value in DEFAULT_LIMITS.items():
        app.config.setdefault(key, value)
    app.request_class = SafeRequest
    app.url_value_preprocessor(_bounded_url_ints)
    app.before_request(_bounded_page_args)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # Behind nginx: the client address, scheme and host come from X-Forwarded-* headers,
        # set by exactly this many proxies (anything further left is client-supplied and ignored).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(_refuse_nul_bytes)
    app.after_request(_security_headers)


def _bounded_url_ints(endpoint, values) -> None:
    """``/documents/99999999999999999999`` is simply not found (instead of an integer overflow)."""
    for value in (values or {}).values():
        if isinstance(value, int) and not isinstance(value, bool):
            int_or_404(value, -INT_LIMIT)


def _bounded_page_args():
    """``?page=99999999999999999999``: no such page (Flask-SQLAlchemy's paginate reads ``page`` and
    ``per_page`` itself, past ``BoundedArgs``); words and blanks still fall back to page 1."""
    for name in ("page", "per_page"):
        raw = request.args.get(name)
        if raw is None:
            continue
        from .thai import arabic_digits

        text = arabic_digits(raw).strip()
        if re.fullmatch(r"[+-]?[0-9]+", text) and bounded_int(text) is None:
            abort(404)
    return None


def _refuse_nul_bytes():
    """Reject NUL characters in the query or form: PostgreSQL cannot store them in text columns."""
    from .errors import _render

    try:
        sources = (request.args, request.form)
        for values in sources:
            for key, value in values.items(multi=True):
                if "\x00" in key or "\x00" in value:
                    return _render(400, NUL_MESSAGE)
    except BadRequest:  # a malformed body: let the view's own parsing report it
        return None
    return None


def _security_headers(response):
    """The same protective headers on every response."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in STATIC_ENDPOINTS and current_user and current_user.is_authenticated:
        # Staff pages carry personal data: never keep them in a shared cache or the back button.
        # Static files carry none: they keep their long lifetimes (infocenter.assets).
        response.headers["Cache-Control"] = "no-store"
    return response


def _limit_from(key: str):
    """A limit read from the app config at request time, so tests and deployments can change it."""

    def provider() -> str:
        return current_app.config[key]

    provider.__name__ = f"limit_{key.lower()}"
    return provider


# One provider object per key: Flask-Limiter keeps limits on the (process-wide) limiter, and equal
# objects let a second app in the same process reuse them instead of piling up duplicates.
_PROVIDERS = {key: _limit_from(key) for key in DEFAULT_LIMITS}


@limiter.request_filter
def _warm_up_not_limited() -> bool:
    """gunicorn's warm-up requests in the master (gunicorn.conf.py) use nobody's budget."""
    return bool(request.environ.get("infocenter.warm_up"))


def limited(key: str, methods: tuple[str, ...] | None = None):
    """Decorator: limit a view per client address by the setting ``key`` (e.g. RATELIMIT_SEARCH)."""
    return limiter.limit(_PROVIDERS[key], methods=list(methods) if methods else None)
