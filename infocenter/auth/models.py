"""Staff accounts."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..admin.models import Office
from ..audit import Audited
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import now_utc
from .roles import ADMIN, ROLE_LABELS, SUPERVISOR


class User(Audited, UserMixin, db.Model):
    """A member of staff: an admin, a clerk or a supervisor, belonging to one office."""

    __tablename__ = "users"
    __audit_redact__ = ("password_hash",)
    __audit_exclude__ = ("last_login_at", "failed_logins")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    office: Mapped[Office] = relationship(lazy="joined")

    __table_args__ = (CheckConstraint("role IN ('admin', 'clerk', 'supervisor')", name="role"),)

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot log in
        return self.active

    role_label = CodeLabel(ROLE_LABELS, "role")

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    # The login this request belongs to (see auth.sessions); part of the id Flask-Login keeps in
    # the session cookie, so a cookie whose login has been ended no longer loads the user.
    session_token = None  # type: str | None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token or ''}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or now_utc())

    def register_success(self) -> None:
        self.failed_logins = 0
        self.locked_until = None
        self.last_login_at = now_utc()

    def visible_office_ids(self) -> list[int] | None:
        """The offices whose records this user may see; None means every office.

        Admins, and supervisors of a provincial office, see every office; everyone else sees
        their own office only.
        """
        if self.role == ADMIN or (self.role == SUPERVISOR and self.office.kind == "province"):
            return None
        return [self.office_id]

    def can_see_office(self, office_id: int | None) -> bool:
        ids = self.visible_office_ids()
        return ids is None or office_id in ids


class LoginToken(db.Model):
    """One login of one user (kind "session") or one "remember me" cookie (kind "remember").

    Only a SHA-256 hash of the random token is stored; deleting the row ends that login at once,
    whatever copies of the cookie exist.
    """

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("kind IN ('session', 'remember')", name="kind"),)
