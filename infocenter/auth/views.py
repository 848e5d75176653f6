"""Login, logout and the user's own password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..extensions import db, login_manager
from ..security import limited
from ..urls import safe_next
from .forms import ChangePasswordForm, LoginForm
from .sessions import (
    check_login,
    end_all_logins,
    end_login,
    load_from_remember_cookie,
    load_user,
    set_remember_cookie,
    start_login,
)

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("กรุณาเข้าสู่ระบบก่อนใช้งานหน้านี้")
login_manager.login_message_category = "warning"


login_manager.user_loader(load_user)
login_manager.request_loader(load_from_remember_cookie)


@bp.route("/login", methods=["GET", "POST"])
@limited("RATELIMIT_LOGIN", methods=("POST",))
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.staff_home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = check_login(form.username.data.strip(), form.password.data)
        if user is not None:
            start_login(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("main.staff_home"))
        # One message for an unknown user, a wrong password and a locked account: the page must
        # not tell a guesser which usernames exist.
        cfg = current_app.config
        flash(
            _(
                "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาตรวจสอบแล้วลองอีกครั้ง "
                "(หากใส่รหัสผ่านผิด %(n)d ครั้ง บัญชีจะถูกระงับ %(minutes)d นาที "
                "ติดต่อผู้ดูแลระบบหากจำรหัสผ่านไม่ได้)",
                n=cfg["LOGIN_MAX_FAILURES"],
                minutes=cfg["LOGIN_LOCK_MINUTES"],
            ),
            "danger",
        )
        form.password.data = ""
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_login(current_user._get_current_object())
    flash(_("ออกจากระบบแล้ว"), "info")
    return redirect(url_for("main.index"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End this account's logins on every computer and phone (e.g. after using a shared one)."""
    user = current_user._get_current_object()
    end_all_logins(user.id)
    db.session.commit()
    end_login(user)
    flash(_("ออกจากระบบทุกเครื่องแล้ว กรุณาเข้าสู่ระบบใหม่"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("รหัสผ่านปัจจุบันไม่ถูกต้อง"))
        else:
            user = current_user._get_current_object()
            user.set_password(form.new.data)
            end_all_logins(user.id)  # whoever knew the old password is logged out everywhere
            db.session.commit()
            start_login(user)  # ... except here
            flash(_("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว"), "success")
            return redirect(url_for("main.staff_home"))
    return render_template("auth/change_password.html", form=form)


@bp.before_app_request
def _load_login():
    """Resolve the login first, before a view starts writing (a remember-me cookie commits)."""
    current_user._get_current_object()


bp.after_app_request(set_remember_cookie)
