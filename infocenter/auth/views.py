"""Login, logout and the user's own password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from ..extensions import db, limiter, login_manager
from ..i18n import display_datetime
from ..urls import safe_next
from .forms import ChangePasswordForm, LoginForm
from .models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("กรุณาเข้าสู่ระบบก่อนใช้งานหน้านี้")
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.staff_home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        username = form.username.data.strip()
        user = db.session.scalars(select(User).where(func.lower(User.username) == username.lower())).first()
        cfg = current_app.config
        if user is not None and user.is_locked():
            flash(_("บัญชีนี้ถูกระงับชั่วคราวเพราะใส่รหัสผ่านผิดหลายครั้ง "
                    "กรุณาลองใหม่หลังเวลา %(time)s หรือติดต่อผู้ดูแลระบบ", time=display_datetime(user.locked_until)),
                  "danger")
        elif user is not None and user.active and user.check_password(form.password.data):
            user.register_success()
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("main.staff_home"))
        else:
            if user is not None:
                user.register_failure(cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"])
                db.session.commit()
            if user is not None and user.is_locked():
                flash(_("ใส่รหัสผ่านผิดเกิน %(n)d ครั้ง บัญชีถูกระงับ %(minutes)d นาที "
                        "กรุณาลองใหม่ภายหลังหรือติดต่อผู้ดูแลระบบ",
                        n=cfg["LOGIN_MAX_FAILURES"], minutes=cfg["LOGIN_LOCK_MINUTES"]), "danger")
            else:
                flash(_("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาตรวจสอบแล้วลองอีกครั้ง"), "danger")
        form.password.data = ""
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("ออกจากระบบแล้ว"), "info")
    return redirect(url_for("main.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("รหัสผ่านปัจจุบันไม่ถูกต้อง"))
        else:
            current_user.set_password(form.new.data)
            db.session.commit()
            flash(_("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว"), "success")
            return redirect(url_for("main.staff_home"))
    return render_template("auth/change_password.html", form=form)
