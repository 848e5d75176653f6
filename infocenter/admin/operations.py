"""Writes the administrator makes: offices (and the main office that setup creates from the
settings) and staff accounts. The caller commits."""

from __future__ import annotations

from sqlalchemy import func, select

from ..auth.models import User
from ..auth.sessions import end_all_logins
from ..extensions import db
from ..thai import N_, MessageError
from .forms import OfficeForm, UserForm
from .models import Office, configured_office, office_by_code, saved_main_office


class AdminError(MessageError):
    """A change the administrator asked for that cannot be made; ``field`` is the form field the
    message belongs to."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


def ensure_main_office() -> Office:
    """The main office; on a database with no office at all, the one named by OFFICE_CODE /
    OFFICE_NAME, created here (the only place that creates it: `flask offices setup`)."""
    office = saved_main_office()
    if office is None:
        office = configured_office()
        db.session.add(office)
        db.session.flush()
    return office


def save_office(office: Office | None, form: OfficeForm) -> Office:
    """Create an office or change one from a checked form; AdminError when another office has
    the code."""
    if office_by_code(form.code.data, excluding=office.id if office else 0):
        raise AdminError("code", N_("รหัสนี้ถูกใช้แล้ว กรุณาใช้รหัสอื่น"))
    office = office or Office()
    form.populate_obj(office)
    office.code = form.code.data.upper()
    office.parent_id = form.parent_id.data or None
    db.session.add(office)
    return office


def save_user(user: User | None, form: UserForm) -> User:
    """Create a staff account or change one from a checked form; AdminError when the username is
    taken or a new account has no password. A new password, role or deactivation ends the
    account's logins at once."""
    clash = db.session.scalars(
        select(User).where(
            func.lower(User.username) == form.username.data.lower(),
            User.id != (user.id if user else 0),
        )
    ).first()
    if clash:
        raise AdminError("username", N_("ชื่อผู้ใช้นี้ถูกใช้แล้ว กรุณาเลือกชื่ออื่น"))
    if user is None and not form.password.data:
        raise AdminError("password", N_("ผู้ใช้ใหม่ต้องมีรหัสผ่าน กรุณากำหนดรหัสผ่านอย่างน้อย 10 ตัวอักษร"))
    user = user or User()
    password = form.password.data
    before = (user.role, user.active)
    form.populate_obj(user)
    if password:
        user.set_password(password)
        user.locked_until = None
        user.failed_logins = 0
    db.session.add(user)
    if user.id and (password or before != (user.role, user.active)):
        end_all_logins(user.id)
    return user
