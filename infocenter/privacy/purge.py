"""Erasing visitors' names and contacts once the retention period is over (PDPA), keeping the
visits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from .. import settings
from ..audit import with_reason
from ..counter.models import Visit
from ..extensions import db
from ..inquiries.privacy import ERASED_NAME as ERASED
from ..thai import now_utc

BATCH = 500


def purge_cutoff(now: datetime | None = None) -> datetime:
    """Visits before this instant have outlived the retention setting."""
    return (now or now_utc()) - timedelta(days=int(settings.get("privacy_retention_days")))


def purge_personal_data(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Blank the name and contact of visits older than the retention; returns how many visits.

    Each visit is changed through the ORM so the audit log records it (the values themselves are
    redacted there, see Visit.__audit_redact__); every statistic is untouched.
    """
    cutoff = purge_cutoff(now)
    stmt = (
        select(Visit)
        .where(
            Visit.visited_at < cutoff,
            Visit.personal_erased_at.is_(None),
            or_(
                Visit.visitor_name.is_not(None),
                Visit.visitor_contact.is_not(None),
                Visit.note != "",
                Visit.void_reason.is_not(None),
                Visit.waiver_reason != "",
            ),
        )
        .order_by(Visit.id)
    )
    if dry_run:
        return db.session.scalar(select(db.func.count()).select_from(stmt.subquery())) or 0
    erased_at = now or now_utc()
    reason = (
        f"ลบข้อมูลส่วนบุคคลที่เก็บครบ {settings.get('privacy_retention_days')} วัน "
        "ตามนโยบายความเป็นส่วนตัว (PDPA)"
    )
    total = 0
    while batch := db.session.scalars(stmt.limit(BATCH)).all():
        for visit in batch:
            visit.visitor_name = None
            visit.visitor_contact = None
            # Free text may name the visitor or hold a phone number: it goes with them.
            visit.note = ""
            visit.void_reason = ERASED if visit.void_reason else None
            visit.waiver_reason = ERASED if visit.waiver_reason else ""
            visit.personal_erased_at = erased_at
        with_reason(db.session, reason)  # set just before the flush it applies to
        db.session.flush()
        total += len(batch)
    return total


def purge_line_messages(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Blank the text and LINE user id of group messages older than the retention; the rows stay,
    so the feedback counts per post and per group do not change. Returns how many messages."""
    from ..publishing.models import LineGroupMessage

    cutoff = purge_cutoff(now)
    where = (
        LineGroupMessage.sent_at < cutoff,
        or_(LineGroupMessage.text.is_not(None), LineGroupMessage.line_user_id.is_not(None)),
    )
    count = db.session.scalar(select(db.func.count(LineGroupMessage.id)).where(*where)) or 0
    if not dry_run and count:
        db.session.execute(
            db.update(LineGroupMessage)
            .where(*where)
            .values(text=None, line_user_id=None, personal_erased_at=now or now_utc())
        )
    return count


def purge_expired_logins(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Forget logins and remember-me tokens past their expiry."""
    from ..auth.models import LoginToken

    stmt = select(LoginToken).where(LoginToken.expires_at <= (now or now_utc()))
    if dry_run:
        return db.session.scalar(select(db.func.count()).select_from(stmt.subquery())) or 0
    return (
        db.session.execute(
            delete(LoginToken).where(LoginToken.expires_at <= (now or now_utc()))
        ).rowcount
        or 0
    )


def _erase_requesters(now: datetime | None = None, *, dry_run: bool = False) -> int:
    from ..inquiries.privacy import erase_requesters

    return erase_requesters(now, dry_run=dry_run)


def _rotate_backups(now: datetime | None = None, *, dry_run: bool = False) -> int:
    from ..ops.backup import rotate_backups

    return rotate_backups(purge_cutoff(now), dry_run=dry_run)


# Every purger `flask privacy purge` runs, in order: (name, function(now=None, *, dry_run)).
PURGERS = (
    ("visits", purge_personal_data),
    ("requests", _erase_requesters),
    ("logins", purge_expired_logins),
    ("backups", _rotate_backups),
    ("line messages", purge_line_messages),
)


def compact_sqlite() -> None:
    """On SQLite, push the erased pages out of the write-ahead log into the (secure_delete) file,
    so the old values are in neither file."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
