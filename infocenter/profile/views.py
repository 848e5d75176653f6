"""The public profile page and its editor."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import nav
from ..admin.models import Office, main_office, office_by_code
from ..auth.roles import ADMIN, roles_required
from ..extensions import db
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
    if form.validate_on_submit():
        officers, errors = parse_officers(form.officers.data)
        form.officers.errors = list(form.officers.errors) + errors
        if not form.officers.errors:
            save_profile(profile, office.id, form, officers, form.appointment_date.date)
            db.session.commit()
            flash(_("บันทึกข้อมูลศูนย์ข้อมูลข่าวสารแล้ว"), "success")
            return redirect(url_for("profile.about", office=office.code))
    offices = db.session.scalars(select(Office).order_by(Office.code)).all()
    return render_template("profile/edit.html", form=form, office=office, offices=offices)
