"""The public privacy notice (PDPA §23): what the center collects, why, for how long."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import nav, settings
from ..admin.models import default_office
from ..extensions import db

bp = Blueprint("privacy", __name__)

nav.add("privacy.notice", "ความเป็นส่วนตัว", (), order=80)


@bp.route("/privacy")
def notice():
    office = default_office()
    db.session.commit()  # the first office may just have been created from settings
    return render_template("privacy/notice.html", office=office,
                           retention_days=settings.get("privacy_retention_days"))
