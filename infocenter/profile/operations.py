"""Writes to an office's center profile (the caller commits)."""

from __future__ import annotations

from datetime import date

from ..extensions import db
from .forms import ProfileForm
from .models import CenterProfile


def save_profile(
    profile: CenterProfile | None,
    office_id: int,
    form: ProfileForm,
    officers: list[dict],
    appointment_date: date | None,
) -> CenterProfile:
    """Copy a checked form onto the office's profile (made on its first save); ``officers`` and
    ``appointment_date`` as parsed from the form's text."""
    profile = profile or CenterProfile(office_id=office_id)
    form.populate_obj(profile)
    profile.officers = officers
    profile.appointment_date = appointment_date
    db.session.add(profile)
    return profile
