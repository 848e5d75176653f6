"""Addresses of this site: absolute URLs for things sent out of it (feeds, QR codes, e-mails, LINE
and Facebook posts), and the check that a ``next=`` target stays on the site.

One rule: an absolute URL is ``PUBLIC_BASE_URL`` + the path ``url_for`` builds; inside a request
without ``PUBLIC_BASE_URL`` the host the request came to is used. Outside a request (the CLI, a
scheduled job) without ``PUBLIC_BASE_URL`` there is no host to use, and ``absolute_url`` raises
``PublicBaseURLMissing`` instead of guessing ``http://localhost``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


class PublicBaseURLMissing(RuntimeError):
    """No PUBLIC_BASE_URL and no request to take the host from."""

    def __init__(self) -> None:
        super().__init__(
            "PUBLIC_BASE_URL is not set: set it to the site's public address, "
            "e.g. PUBLIC_BASE_URL=https://info.example.go.th"
        )


def base_url() -> str:
    """PUBLIC_BASE_URL, else the host the current request came to; no trailing slash.

    Raises PublicBaseURLMissing outside a request when PUBLIC_BASE_URL is not set.
    """
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    if base:
        return base
    if has_request_context():
        return request.host_url.rstrip("/")
    raise PublicBaseURLMissing()


def public_https() -> bool:
    """The site has a public https address (what LINE needs to fetch images)."""
    return (current_app.config.get("PUBLIC_BASE_URL") or "").strip().lower().startswith("https://")


def site_path(endpoint: str, **values) -> str:
    """The path of an endpoint on this site (``url_for``), inside a request or outside one (the
    CLI)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)


def absolute_url(endpoint: str, **values) -> str:
    """The public, absolute URL of an endpoint (``url_for`` + the base URL); works in the CLI
    too."""
    return base_url() + site_path(endpoint, **values)


def tag_authority() -> str:
    """The host name used in tag: URIs (RFC 4151), so feed ids stay the same whatever the path."""
    return urlsplit(base_url()).hostname or "localhost"


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, otherwise None (no open redirects)."""
    if not target:
        return None
    target = target.replace("\\", "/").strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
