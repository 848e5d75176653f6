"""Writes to offices: the main office that setup creates from the settings (the caller commits)."""

from __future__ import annotations

from ..extensions import db
from .models import Office, configured_office, saved_main_office


def ensure_main_office() -> Office:
    """The main office; on a database with no office at all, the one named by OFFICE_CODE /
    OFFICE_NAME, created here (the only place that creates it: `flask offices setup`)."""
    office = saved_main_office()
    if office is None:
        office = configured_office()
        db.session.add(office)
        db.session.flush()
    return office
