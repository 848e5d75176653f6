"""Erasing visitors' names and contacts once the retention period is over (PDPA), keeping the visits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from .. import settings
from ..audit import with_reason
from ..counter.models import Visit
from ..extensions import db
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
    stmt = (select(Visit).where(Visit.visited_at < cutoff,
                                or_(Visit.visitor_name.is_not(None), Visit.visitor_contact.is_not(None)))
            .order_by(Visit.id))
    if dry_run:
        return db.session.scalar(select(db.func.count()).select_from(stmt.subquery())) or 0
    erased_at = now or now_utc()
    reason = (f"ลบข้อมูลส่วนบุคคลที่เก็บครบ {settings.get('privacy_retention_days')} วัน "
              "ตามนโยบายความเป็นส่วนตัว (PDPA)")
    total = 0
    while batch := db.session.scalars(stmt.limit(BATCH)).all():
        for visit in batch:
            visit.visitor_name = None
            visit.visitor_contact = None
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
    where = (LineGroupMessage.sent_at < cutoff,
             or_(LineGroupMessage.text.is_not(None), LineGroupMessage.line_user_id.is_not(None)))
    count = db.session.scalar(select(db.func.count(LineGroupMessage.id)).where(*where)) or 0
    if not dry_run and count:
        db.session.execute(db.update(LineGroupMessage).where(*where)
                           .values(text=None, line_user_id=None, personal_erased_at=now or now_utc()))
    return count
