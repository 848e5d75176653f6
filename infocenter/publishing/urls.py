"""Absolute URLs for things sent out of the site (feeds, OpenGraph tags, LINE messages)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


def base_url() -> str:
    """PUBLIC_BASE_URL when configured, else the host the request came to (no trailing slash)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        return base
    if has_request_context():
        return request.host_url.rstrip("/")
    return ""


def absolute_url(endpoint: str, **values) -> str:
    """The public, absolute URL of an endpoint; works in the CLI too when PUBLIC_BASE_URL is set."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base_url() + path


def tag_authority() -> str:
    """The host name used in tag: URIs (RFC 4151), so feed ids stay the same whatever the path."""
    return urlsplit(base_url()).hostname or "localhost"
