"""The append-only audit log: who changed which record, when, and what (old and new values).

Models that mix in ``Audited`` are logged automatically on every insert, update and delete
flushed through the ORM; the actor is the logged-in user, or the name set by ``acting_as`` in
the CLI. A reason (for a void or a withdrawal) is attached with ``with_reason``.
"""

from __future__ import annotations

import contextvars
import decimal
import enum
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from flask import has_request_context
from flask_babel import gettext
from sqlalchemy import DDL, JSON, Index, String, Text, event, insert, inspect
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column

from .dbtypes import UTCDateTime
from .extensions import db
from .thai import N_, now_utc

_cli_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_actor", default=None)


class Audited:
    """Mixin: changes to this model are written to the audit log.

    ``__audit_exclude__`` names columns never logged (e.g. password hashes are logged as
    "changed" without their value).
    """

    __audit_exclude__: tuple[str, ...] = ()
    __audit_redact__: tuple[str, ...] = ()


class AuditEntry(db.Model):
    """One change to one record. Rows are never updated or deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    # No foreign key: the log outlives the accounts it names, and is never updated.
    user_id: Mapped[int | None] = mapped_column()
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(16))  # create / update / delete
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    office_id: Mapped[int | None] = mapped_column(index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_log_record", "record_type", "record_id"),)

    ACTION_LABELS = {"create": N_("สร้าง"), "update": N_("แก้ไข"), "delete": N_("ลบ")}

    @property
    def action_label(self) -> str:
        """The action in the page's language (the stored ``action`` stays a code)."""
        return (
            gettext(self.ACTION_LABELS[self.action])
            if self.action in self.ACTION_LABELS
            else self.action
        )


# Append-only in the database itself, not only in this code.
_NO_CHANGE_SQLITE = [
    DDL(
        f"CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    ).execute_if(dialect="sqlite")
    for op in ("UPDATE", "DELETE")
]
_NO_CHANGE_PG = [
    DDL(
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql"
    ).execute_if(dialect="postgresql"),
    DDL(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    ).execute_if(dialect="postgresql"),
]
for _ddl in _NO_CHANGE_SQLITE + _NO_CHANGE_PG:
    event.listen(AuditEntry.__table__, "after_create", _ddl)


@contextmanager
def acting_as(name: str):
    """Attribute changes made inside the block to ``name`` (for CLI commands and jobs)."""
    token = _cli_actor.set(name)
    try:
        yield
    finally:
        _cli_actor.reset(token)


def with_reason(session: Session, reason: str) -> None:
    """Attach a reason to the changes of the next flush (voids, withdrawals, lock-outs)."""
    session.info["audit_reason"] = reason


def _actor() -> tuple[int | None, str]:
    name = _cli_actor.get()
    if name:
        return None, name
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.username
        return None, "public"
    return None, "system"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _record_changes(obj: Audited, action: str) -> dict[str, list]:
    state = inspect(obj)
    changes: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in obj.__audit_exclude__:
            continue
        hist = state.attrs[key].history
        if action == "create":
            value = getattr(obj, key)
            if value is None:
                continue
            old, new = None, value
        elif action == "delete":
            old = (
                hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            )
            new = None
        else:
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
        if key in obj.__audit_redact__:
            changes[key] = ["***", "***"]
        else:
            changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


@event.listens_for(Mapper, "mapper_configured")
def _load_old_values(mapper: Mapper, class_) -> None:
    # An assignment to an expired attribute would otherwise not know the value it replaces.
    if issubclass(class_, Audited):
        for attr in mapper.column_attrs:
            mapper.class_manager[attr.key].impl.active_history = True


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, flush_context) -> None:
    rows = []
    user_id, actor = _actor()
    reason = session.info.pop("audit_reason", None)
    at = now_utc()
    groups = (("create", session.new), ("update", session.dirty), ("delete", session.deleted))
    for action, objs in groups:
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _record_changes(obj, action)
            if action == "update" and not changes:
                continue
            # New rows have their primary key by now but no identity key yet (set after this event).
            state = inspect(obj)
            ident = state.mapper.primary_key_from_instance(obj)
            rows.append(
                {
                    "at": at,
                    "user_id": user_id,
                    "actor": actor,
                    "action": action,
                    "record_type": obj.__class__.__name__,
                    "record_id": ",".join(str(i) for i in ident),
                    "office_id": getattr(obj, "office_id", None),
                    "changes": changes,
                    "reason": reason,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def history(record_type: str, record_id: int | str) -> list[AuditEntry]:
    """A record's audit entries, oldest first."""
    return list(
        db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.record_type == record_type, AuditEntry.record_id == str(record_id))
            .order_by(AuditEntry.id)
        )
    )
