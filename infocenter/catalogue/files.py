"""Files attached to index entries: checked by content, stored under UPLOAD_DIR with generated names."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from ..thai import N_, MessageError
from .models import EntryFile, IndexEntry

# What staff may attach, recognised by the file's first bytes (never by its name).
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "image/jpeg": "jpg",
    "image/png": "png",
}
ALLOWED_LABEL = N_("PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument (.odt, .ods), JPEG หรือ PNG")
_BAD_NAME_RE = re.compile(r"[\x00-\x1f\x7f]")


class UploadError(MessageError):
    """A file that cannot be accepted; the message says what to do (in the page's language)."""


def max_bytes() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024


def clean_name(name: str | None) -> str:
    """The original file name as shown to people; refuses names that try to leave their folder."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise UploadError(N_("กรุณาเลือกไฟล์ที่จะอัปโหลด"))
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name or _BAD_NAME_RE.search(name):
        raise UploadError(N_("ชื่อไฟล์มีอักขระที่ไม่อนุญาต (เช่น / \\ หรือ ..) กรุณาเปลี่ยนชื่อไฟล์แล้วอัปโหลดใหม่"))
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:8]) if dot else name[:200]
    return name


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "entries"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_upload(entry: IndexEntry, upload: FileStorage, user_id: int | None) -> EntryFile:
    """Check an uploaded file and store it; returns the (unsaved) EntryFile. Raises UploadError."""
    original = clean_name(upload.filename)
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(N_("ไฟล์ใหญ่เกิน %(mb)s MB กรุณาย่อขนาดหรือแบ่งไฟล์แล้วอัปโหลดใหม่"),
                          mb=current_app.config["MAX_UPLOAD_MB"])
    if not data:
        raise UploadError(N_("ไฟล์ว่างเปล่า กรุณาเลือกไฟล์ที่มีเนื้อหา"))
    kind = filetype.guess(data[:8192] if len(data) > 8192 else data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise UploadError(N_("ไม่รับไฟล์ประเภทนี้ (ตรวจจากเนื้อไฟล์ ไม่ใช่จากนามสกุล) รับเฉพาะ %(allowed)s"),
                          allowed=_l(ALLOWED_LABEL))
    stored = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}"
    (upload_dir() / stored).write_bytes(data)
    return EntryFile(entry=entry, original_name=original, stored_name=stored, mime_type=mime, size=len(data),
                     sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=user_id)


def stored_path(file: EntryFile) -> Path:
    """Where a file's bytes are kept (the generated name only: never the original name)."""
    return upload_dir() / Path(file.stored_name).name


def delete_stored(file: EntryFile) -> None:
    stored_path(file).unlink(missing_ok=True)
