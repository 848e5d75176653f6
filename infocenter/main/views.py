"""The public home page and the staff landing page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_from_directory
from flask_login import current_user

from ..admin.models import main_office
from ..auth.roles import staff_required

bp = Blueprint("main", __name__)

_FONT_FILES = {
    "Sarabun-Regular.ttf",
    "Sarabun-Bold.ttf",
    "Sarabun-Italic.ttf",
    "Sarabun-SemiBold.ttf",
}


@bp.route("/")
def index():
    office = main_office()
    return render_template("main/index.html", office=office)


@bp.route("/staff")
@staff_required
def staff_home():
    return render_template("main/staff_home.html", user=current_user)


@bp.route("/fonts/<name>")
def font(name: str):
    """The Sarabun web font, served from the installed fontpkg-sarabun package (no CDN)."""
    if name not in _FONT_FILES:
        abort(404)
    import fontpkg_sarabun

    response = send_from_directory(fontpkg_sarabun.ROOT / "files", name, max_age=30 * 24 * 3600)
    return response
