"""The public privacy notice (PDPA §23): what the center collects, why, for how long."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import nav, settings
from ..admin.models import main_office

bp = Blueprint("privacy", __name__)

nav.add("privacy.notice", "ความเป็นส่วนตัว", (), order=80)


@bp.route("/privacy")
def notice():
    office = main_office()
    return render_template(
        "privacy/notice.html", office=office, retention_days=settings.get("privacy_retention_days")
    )
