"""Erasing requesters' names and contacts once the retention period is over (PDPA), keeping the
requests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from .. import settings, uploads
from ..audit import with_reason
from ..extensions import db
from ..thai import now_utc, to_local
from .models import Inquiry, InquiryFile

ERASED_NAME = "(ลบข้อมูลส่วนบุคคลแล้ว)"
BATCH = 500


def erase_requesters(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Blank the requester's name and contacts of requests closed longer ago than the retention
    setting; returns how many. Open requests keep theirs: the office still has to answer."""
    now = now or now_utc()
    cutoff = now - timedelta(days=int(settings.get("privacy_retention_days")))
    # By the day the request was closed (its closing step may be recorded later than it happened).
    stmt = (
        select(Inquiry)
        .where(Inquiry.closed_on < to_local(cutoff).date(), Inquiry.personal_erased_at.is_(None))
        .order_by(Inquiry.id)
    )
    if dry_run:
        return int(db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    reason = (
        f"ลบข้อมูลส่วนบุคคลของผู้ขอที่เก็บครบ {settings.get('privacy_retention_days')} วัน "
        "ตามนโยบายความเป็นส่วนตัว (PDPA)"
    )
    total = 0
    files_to_remove: list[str] = []
    while batch := db.session.scalars(stmt.limit(BATCH)).all():
        for inquiry in batch:
            inquiry.requester_name = ERASED_NAME
            inquiry.requester_email = ""
            inquiry.requester_phone = ""
            inquiry.requester_address = ""
            # Free text may name the requester or others: the subject, purpose, notes, step notes.
            inquiry.subject = ERASED_NAME
            inquiry.purpose = ""
            inquiry.outcome_note = ""
            inquiry.extension_reason = ERASED_NAME if inquiry.extension_reason else ""
            for note in inquiry.notes:
                note.text = ERASED_NAME
            for event in inquiry.events:
                event.note = ""
            for item in list(inquiry.files):  # reply files: the letters carry names and addresses
                files_to_remove.append(item.stored_name)
                db.session.delete(item)
            inquiry.personal_erased_at = now
        with_reason(db.session, reason)  # set just before the flush it applies to
        db.session.flush()
        total += len(batch)
    _remove_after_commit(files_to_remove)
    return total


def _remove_after_commit(stored_names: list[str]) -> None:
    """Delete the reply files from disk once the erasure is committed (never before)."""
    if not stored_names:
        return
    from sqlalchemy import event

    def remove(session) -> None:
        uploads.remove(InquiryFile.upload_folder, *stored_names)

    event.listen(db.session(), "after_commit", remove, once=True)
