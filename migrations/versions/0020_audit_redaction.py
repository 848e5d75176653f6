"""Redact personal free text from audit rows written before it was kept out of the log (PDPA)

Revision ID: 0020_audit_redaction
Revises: 0019_usage_daily
Create Date: 2026-12-07

Until 0015 the audit log copied visit notes and void reasons, request subjects, purposes and
notes, and reply file names into ``changes`` and quoted a void's reason in ``reason``. The code
now logs only that such a value changed ("***"); this brings the old rows to the same form, once,
through the one path the append-only triggers allow (they are lifted for this statement only and
put back before the migration ends). Nothing is done on downgrade: erased text cannot come back.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0020_audit_redaction"
down_revision = "0019_usage_daily"
branch_labels = None
depends_on = None

# The fields each audited model keeps out of the log as of this revision (its __audit_redact__),
# written out here so the migration does not change when a model does.
REDACT = {
    "Visit": ("visitor_name", "visitor_contact", "note", "void_reason", "waiver_reason"),
    "Inquiry": (
        "secret_hash",
        "requester_name",
        "requester_email",
        "requester_phone",
        "requester_address",
        "subject",
        "purpose",
        "outcome_note",
        "extension_reason",
    ),
    "InquiryEvent": ("note",),
    "InquiryNote": ("text",),
    "InquiryFile": ("original_name",),
}
VOID_PREFIX = "ยกเลิกรายการผู้ใช้บริการ"  # old void reasons: this prefix, then the clerk's text

audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("record_type", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("reason", sa.Text),
)


def _redacted(record_type: str, changes, reason: str | None):
    if isinstance(changes, str):  # some drivers hand JSON back as text
        changes = json.loads(changes)
    changes = dict(changes or {})
    for key in REDACT.get(record_type, ()):
        if key in changes and changes[key] != ["***", "***"]:
            changes[key] = ["***", "***"]
    if record_type == "Visit" and reason and reason.startswith(VOID_PREFIX + ":"):
        reason = VOID_PREFIX
    return changes, reason


def _lift_triggers(bind) -> None:
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")


def _restore_triggers(bind) -> None:
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(audit.c.id, audit.c.record_type, audit.c.changes, audit.c.reason).where(
            audit.c.record_type.in_(list(REDACT))
        )
    ).all()
    updates = []
    for row in rows:
        changes, reason = _redacted(row.record_type, row.changes, row.reason)
        before = json.loads(row.changes) if isinstance(row.changes, str) else (row.changes or {})
        if changes != before or reason != row.reason:
            updates.append({"row_id": row.id, "changes": changes, "reason": reason})
    if not updates:
        return
    _lift_triggers(bind)
    try:
        bind.execute(
            audit.update()
            .where(audit.c.id == sa.bindparam("row_id"))
            .values(changes=sa.bindparam("changes"), reason=sa.bindparam("reason")),
            updates,
        )
    finally:
        _restore_triggers(bind)


def downgrade():
    pass
