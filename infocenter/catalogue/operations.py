"""Writes to the index that views and commands share (the caller commits)."""

from __future__ import annotations

from ..audit import with_reason
from ..extensions import db
from ..thai import local_today
from .forms import EntryForm
from .models import Category, EntryFile, IndexEntry, default_review_by


def save_entry(entry: IndexEntry, form: EntryForm, user_id: int | None) -> IndexEntry:
    """Copy a validated form onto an entry (new or existing); the review-by date defaults to the
    category's period after today, the day of this update."""
    is_new = entry.id is None
    entry.office_id = form.office_id.data
    entry.category_id = form.category_id.data
    entry.ref = form.ref.data.strip()
    entry.title = form.title.data.strip()
    entry.summary = (form.summary.data or "").strip()
    entry.keywords = ";".join(k.strip() for k in (form.keywords.data or "").split(";") if k.strip())
    entry.doc_date = form.doc_date.date
    entry.location = (form.location.data or "").strip()
    entry.disclosure = form.disclosure.data
    entry.withheld_ground = (
        form.withheld_ground.data or None if form.disclosure.data != "open" else None
    )
    if entry.state != "withdrawn":
        entry.state = form.state.data
    category = db.session.get(Category, entry.category_id)
    entry.review_by = form.review_by.date or default_review_by(category, local_today())
    entry.updated_by_id = user_id
    if is_new:
        entry.created_by_id = user_id
        db.session.add(entry)
    return entry


def withdraw(entry: IndexEntry, reason: str, user_id: int | None) -> None:
    """Take an entry off the public index; the entry and its history stay."""
    entry.state = "withdrawn"
    entry.withdrawn_reason = reason.strip()
    entry.updated_by_id = user_id
    with_reason(db.session, reason.strip())


def restore(entry: IndexEntry, user_id: int | None) -> None:
    """Bring a withdrawn entry back as a draft."""
    entry.state = "draft"
    entry.updated_by_id = user_id
    with_reason(db.session, "นำกลับมาเป็นร่าง")


def attach_file(entry: IndexEntry, upload, user_id: int | None) -> EntryFile:
    """Store an upload (raises uploads.UploadError) and attach it to the entry."""
    file = EntryFile.from_upload(upload, user_id, entry=entry)
    db.session.add(file)
    entry.updated_by_id = user_id
    return file


def remove_file(file: EntryFile) -> None:
    """Detach a file and delete its bytes (after the row is gone from the session)."""
    db.session.delete(file)
    file.remove_stored()
