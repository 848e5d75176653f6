"""Staff roles and the decorator that checks them on every staff route."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import login_manager

ADMIN = "admin"
CLERK = "clerk"
SUPERVISOR = "supervisor"

ROLE_LABELS = {
    ADMIN: _l("ผู้ดูแลระบบ"),
    CLERK: _l("เจ้าหน้าที่ประจำศูนย์"),
    SUPERVISOR: _l("ผู้บังคับบัญชา"),
}
ROLES = tuple(ROLE_LABELS)


def roles_required(*roles: str):
    """Allow the view to logged-in users having one of ``roles``; others get 403, anonymous
    visitors are sent to the login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required(ADMIN, CLERK, SUPERVISOR)


def visible_or_404(model, record_id: int):
    """The record with this id if it belongs to an office the logged-in user may see, else 404."""
    from ..extensions import db

    record = db.session.get(model, record_id)
    if record is None or not current_user.can_see_office(record.office_id):
        abort(404)
    return record
