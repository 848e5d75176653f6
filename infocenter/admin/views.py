"""The administrator's pages: offices, users, settings and the audit log."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import settings as settings_registry
from ..audit import AuditEntry
from ..auth.models import User
from ..auth.roles import ADMIN, roles_required
from ..auth.sessions import end_all_logins
from ..extensions import db
from ..forms import choices
from ..viewhelpers import edit_form, saved, show_errors
from .forms import OfficeForm, UserForm
from .models import Office
from .operations import AdminError, save_office, save_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(ADMIN)
def _admins_only():
    """Every page of this blueprint is for administrators."""


def _office_choices() -> list[tuple[int, str]]:
    return [
        (o.id, f"{o.code} — {o.name}")
        for o in db.session.scalars(select(Office).order_by(Office.code))
    ]


@bp.route("/")
def index():
    counts = {
        "offices": db.session.scalar(select(func.count(Office.id))),
        "users": db.session.scalar(select(func.count(User.id))),
        "audit": db.session.scalar(select(func.count(AuditEntry.id))),
    }
    return render_template("admin/index.html", counts=counts)


# --- offices ---------------------------------------------------------------------------------


@bp.route("/offices")
def offices():
    rows = db.session.scalars(Office.ordered()).all()
    return render_template("admin/offices.html", offices=rows)


@bp.route("/offices/new", methods=["GET", "POST"])
@bp.route("/offices/<int:office_id>/edit", methods=["GET", "POST"])
def edit_office(office_id: int | None = None):
    office, form = edit_form(Office, office_id, OfficeForm)
    form.parent_id.choices = choices(
        [(0, _("— ไม่มี —"))] + [c for c in _office_choices() if c[0] != office_id]
    )
    if request.method == "GET" and office is not None:
        form.parent_id.data = office.parent_id or 0
    if form.validate_on_submit():
        with show_errors(form, AdminError):
            office = save_office(office, form)
            return saved(_("บันทึกสำนักงาน %(name)s แล้ว", name=office.name), url_for("admin.offices"))
    return render_template("admin/office_form.html", form=form, office=office)


# --- users -----------------------------------------------------------------------------------


@bp.route("/users")
def users():
    rows = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int | None = None):
    user, form = edit_form(User, user_id, UserForm)
    form.office_id.choices = choices(_office_choices())
    if form.validate_on_submit():
        with show_errors(form, AdminError):
            user = save_user(user, form)
            return saved(
                _("บันทึกผู้ใช้ %(username)s แล้ว", username=user.username), url_for("admin.users")
            )
    form.password.data = ""
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/end-logins", methods=["POST"])
def end_user_logins(user_id: int):
    """Log a user out on every computer (a lost phone, a colleague who has left)."""
    user = db.get_or_404(User, user_id)
    count = end_all_logins(user.id)
    return saved(
        _("ออกจากระบบของ %(username)s ทุกเครื่องแล้ว (%(n)d รายการ)", username=user.username, n=count),
        url_for("admin.edit_user", user_id=user.id),
    )


# --- settings --------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    definitions = sorted(settings_registry.REGISTRY.values(), key=lambda d: d.key)
    values = {d.key: settings_registry.get(d.key) for d in definitions}
    errors: dict[str, str] = {}
    if request.method == "POST":
        # Flask-WTF's CSRFProtect has already checked the token for this POST.
        submitted = {}
        for d in definitions:
            if d.type is not bool and d.key not in request.form:
                continue  # not on the submitted form: keep the stored value
            raw = request.form.get(d.key, "")
            if d.type is bool:
                submitted[d.key] = raw in ("on", "1", "true")
                continue
            try:
                value = settings_registry.parse(d, raw)
            except settings_registry.SettingError as exc:
                errors[d.key] = str(exc)
                submitted[d.key] = raw
                continue
            submitted[d.key] = value
        values.update(submitted)
        if not errors:
            for key, value in submitted.items():
                if value != settings_registry.get(key):
                    settings_registry.put(key, value)
            return saved(_("บันทึกการตั้งค่าแล้ว"), url_for("admin.settings"))
    return render_template(
        "admin/settings.html", definitions=definitions, values=values, errors=errors
    )


# --- audit log -------------------------------------------------------------------------------


@bp.route("/audit")
def audit():
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    record_type = request.args.get("type", "").strip()
    record_id = request.args.get("id", "").strip()
    actor = request.args.get("actor", "").strip()
    if record_type:
        stmt = stmt.where(AuditEntry.record_type == record_type)
    if record_id:
        stmt = stmt.where(AuditEntry.record_id == record_id)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    page = db.paginate(stmt, per_page=50, max_per_page=200, error_out=False)
    types = db.session.scalars(
        select(AuditEntry.record_type).distinct().order_by(AuditEntry.record_type)
    ).all()
    return render_template(
        "admin/audit.html",
        page=page,
        types=types,
        filters={"type": record_type, "id": record_id, "actor": actor},
    )
