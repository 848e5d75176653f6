"""Writes to the index that views and commands share (the caller commits): entries and their
files, the categories an administrator adds under 9(8), and the checked import files kept for
their confirmation."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select, text

from ..audit import with_reason
from ..extensions import db
from ..thai import N_, MessageError, local_today
from .forms import EntryForm
from .models import Category, EntryFile, IndexEntry, default_review_by
from .words import refresh_vocabulary


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


class CategoryError(MessageError):
    """A category that cannot be saved; the message says what to change."""


@dataclass(frozen=True)
class CategoryFields:
    """What the category form says."""

    code: str
    name_th: str
    name_en: str
    review_months: int | None
    sort_order: int
    active: bool


def save_category(category: Category | None, fields: CategoryFields) -> Category:
    """Create a sub-category of 9(8) or change one (CategoryError when its code is wrong or
    taken); the categories of the law, 9(1)–9(8), keep their codes and stay active."""
    fixed = category is not None and category.parent_id is None
    code = fields.code.strip()
    if not fixed and not code.startswith("9(8)."):
        raise CategoryError(N_("หมวดย่อยต้องมีรหัสขึ้นต้นด้วย 9(8). เช่น 9(8).4"))
    clash = db.session.scalar(
        select(Category.id).where(
            Category.code == code, Category.id != (category.id if category else 0)
        )
    )
    if clash:
        raise CategoryError(N_("รหัสนี้ถูกใช้แล้ว กรุณาใช้รหัสอื่น"))
    if category is None:
        parent_id = db.session.scalar(select(Category.id).where(Category.code == "9(8)"))
        category = Category(parent_id=parent_id)
        db.session.add(category)
    if not fixed:  # the codes of 9(1)–9(8) are fixed by law
        category.code = code
    category.name_th = fields.name_th.strip()
    category.name_en = fields.name_en.strip()
    category.review_months = fields.review_months
    category.sort_order = fields.sort_order
    category.active = fields.active or fixed
    return category


# --- checked import files, kept between the preview and its confirmation ---------------------

IMPORT_PREVIEW_HOURS = 24  # a checked file not confirmed within this is deleted
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _import_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_checked_file(data: bytes, previous_token: str | None = None) -> str:
    """Keep a checked file until it is confirmed (or checked again after mapping values); returns
    its token. Deletes the files nobody confirmed: ``previous_token``'s (this person's last one)
    and anyone's older than IMPORT_PREVIEW_HOURS (they may hold unpublished entries; nothing else
    cleans them up)."""
    folder = _import_dir()
    discard_checked_file(previous_token)
    cutoff = time.time() - IMPORT_PREVIEW_HOURS * 3600
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:  # another worker swept it first
            pass
    token = secrets.token_hex(16)
    (folder / token).write_bytes(data)
    return token


def checked_file(token: str | None) -> Path | None:
    """The file kept under ``token``; None when there is none, or when it was checked too long
    ago (then it is deleted: the index may have changed since)."""
    if not _TOKEN.fullmatch(str(token or "")):
        return None
    path = _import_dir() / token
    if path.is_file() and path.stat().st_mtime < time.time() - IMPORT_PREVIEW_HOURS * 3600:
        path.unlink(missing_ok=True)
    return path if path.is_file() else None


def discard_checked_file(token: str | None) -> None:
    """Delete the file kept under ``token`` (imported, or replaced by another check)."""
    if _TOKEN.fullmatch(str(token or "")):
        (_import_dir() / token).unlink(missing_ok=True)


def optimize_search_index() -> str:
    """Compact the search index after a bulk load, and nightly (``flask index optimize``).

    SQLite: FTS5 keeps every batch of writes as a segment and merges them only in part; a
    search reads every segment's list for each trigram. ``optimize`` merges them into one (100k
    entries: about 1 s; the ranked queries of a common phrase then take half the time).
    PostgreSQL: ``VACUUM (ANALYZE)`` of the entries, which empties the trigram index's pending
    list and refreshes the planner's statistics. Commits the session first (neither runs inside
    a transaction). Returns what was done, for the command's output."""
    db.session.commit()
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        db.session.execute(
            text("INSERT INTO index_entries_fts(index_entries_fts) VALUES ('optimize')")
        )
        db.session.commit()
        return "FTS5 optimize"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) index_entries"))
        refresh_vocabulary(conn)  # the words misspelt terms are matched against (words.py)
    return "VACUUM (ANALYZE) index_entries, REFRESH search_vocabulary"
