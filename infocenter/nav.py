"""The menu: features add their entries here, and each user sees the ones their role allows."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from .thai import N_


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    roles: tuple[str, ...] = ()  # empty: public
    order: int = 50


# Labels are Thai catalogue msgids (marked with N_); base.html translates them when it shows them.
ITEMS: list[NavItem] = [
    NavItem("admin.index", N_("ผู้ดูแลระบบ"), ("admin",), order=90),
]


def add(endpoint: str, label: str, roles: tuple[str, ...] = (), order: int = 50) -> None:
    """Add a menu entry (public when ``roles`` is empty)."""
    if not any(i.endpoint == endpoint for i in ITEMS):
        ITEMS.append(NavItem(endpoint, label, roles, order))


def _visible(public: bool) -> list[dict]:
    out = []
    for item in sorted(ITEMS, key=lambda i: i.order):
        if public != (not item.roles):
            continue
        if item.roles and (
            not current_user.is_authenticated or current_user.role not in item.roles
        ):
            continue
        try:
            out.append({"url": url_for(item.endpoint), "label": item.label})
        except BuildError:
            continue
    return out


def context() -> dict:
    """Template variables for the menu."""
    return {"public_nav": _visible(public=True), "staff_nav": _visible(public=False)}
