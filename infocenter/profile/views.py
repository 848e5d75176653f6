"""The public profile page and its editor."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import nav
from ..admin.models import Office, main_office, office_by_code
from ..auth.roles import ADMIN, roles_required
from ..extensions import db
from ..i18n import current_language
from ..thai import DateParseError, parse_thai_date, thai_date
from .forms import ProfileForm
from .models import CenterProfile, format_officers, parse_officers
from .operations import save_profile

bp = Blueprint("profile", __name__)

nav.add("profile.about", "เกี่ยวกับศูนย์", order=40)


def _office_from_args() -> Office:
    code = request.args.get("office", "").strip()
    if code:
        office = office_by_code(code[:16])
        if office is None:
            abort(404)
        return office
    return main_office()  # never written here: unsaved, from the settings, on an empty database


def _typed_date(value) -> str:
    """A stored date as the form shows it, read back by parse_thai_date: "1 ต.ค. 2563" in Thai,
    "1/10/2020" (Common Era) on English pages."""
    if value is None:
        return ""
    if current_language() == "th":
        return thai_date(value, style="short")
    return f"{value.day}/{value.month}/{value.year}"


@bp.route("/about")
def about():
    office = _office_from_args()
    profile = db.session.scalars(
        select(CenterProfile).where(CenterProfile.office_id == office.id)
    ).first()
    return render_template("profile/about.html", office=office, profile=profile)


@bp.route("/admin/profile", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit():
    office = _office_from_args()
    profile = db.session.scalars(
        select(CenterProfile).where(CenterProfile.office_id == office.id)
    ).first()
    form = ProfileForm(obj=profile)
    if request.method == "GET" and profile is not None:
        form.officers.data = format_officers(profile.officers or [])
        form.appointment_date.data = _typed_date(profile.appointment_date)
    if form.validate_on_submit():
        officers, errors = parse_officers(form.officers.data)
        form.officers.errors = list(form.officers.errors) + errors
        appointment_date = None
        if form.appointment_date.data.strip():
            try:
                appointment_date = parse_thai_date(form.appointment_date.data)
            except DateParseError as error:
                form.appointment_date.errors = [str(error)]
        if not form.officers.errors and not form.appointment_date.errors:
            save_profile(profile, office.id, form, officers, appointment_date)
            db.session.commit()
            flash(_("บันทึกข้อมูลศูนย์ข้อมูลข่าวสารแล้ว"), "success")
            return redirect(url_for("profile.about", office=office.code))
    offices = db.session.scalars(select(Office).order_by(Office.code)).all()
    return render_template("profile/edit.html", form=form, office=office, offices=offices)
