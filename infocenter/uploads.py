"""The one upload store: files checked by their content (never by their name), stored under
UPLOAD_DIR/<folder> with generated names.

Everything uploaded goes through ``check_upload`` and ``store``: index entry files
(UPLOAD_DIR/entries), request files (inquiries), evidence files (evidence) and post images
(posts, with ``accept=IMAGES``). A row that stands for one stored file (``EntryFile``,
``InquiryFile``) takes its columns and helpers from the ``StoredFile`` mixin.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from .dbtypes import UTCDateTime
from .thai import N_, MessageError, now_utc

# What staff may attach, recognised by the file's first bytes.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "image/jpeg": "jpg",
    "image/png": "png",
}
ALLOWED_LABEL = N_(
    "PDF, Word (.docx, .doc), Excel (.xlsx, .xls), PowerPoint (.pptx, .ppt), "
    "OpenDocument (.odt, .ods), JPEG หรือ PNG"
)

# Old Office files (Word 97–2003 ...) are OLE2 compound documents: the same first eight bytes for
# .doc, .xls and .ppt. When the content is OLE2 but filetype cannot tell which program made it,
# the extension picks among these three only.
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
OLE2_BY_EXTENSION = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}

_BAD_NAME_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Accept:
    """What one kind of upload accepts: types by content (mime -> extension), its size limit
    (None: MAX_UPLOAD_MB) and the messages (N_ msgids) for the three refusals."""

    types: Mapping[str, str]
    label: str
    too_big: str = N_("ไฟล์ใหญ่เกิน %(mb)s MB กรุณาย่อขนาดหรือแบ่งไฟล์แล้วอัปโหลดใหม่")
    empty: str = N_("ไฟล์ว่างเปล่า กรุณาเลือกไฟล์ที่มีเนื้อหา")
    wrong_type: str = N_("ไม่รับไฟล์ประเภทนี้ (ตรวจจากเนื้อไฟล์ ไม่ใช่จากนามสกุล) รับเฉพาะ %(allowed)s")
    max_mb: int | None = field(default=None)


# Documents and photos staff attach to entries, requests and evidence.
DOCUMENTS = Accept(ALLOWED_TYPES, ALLOWED_LABEL)
# Post images: LINE image messages accept JPEG and PNG only.
IMAGES = Accept(
    {"image/jpeg": "jpg", "image/png": "png"},
    N_("JPEG หรือ PNG"),
    too_big=N_("ไฟล์ภาพใหญ่เกิน %(mb)s MB กรุณาย่อขนาดภาพแล้วอัปโหลดใหม่"),
    empty=N_("ไฟล์ภาพว่างเปล่า กรุณาเลือกไฟล์ภาพใหม่"),
    wrong_type=N_("รับเฉพาะไฟล์ภาพ JPEG หรือ PNG (ตรวจจากเนื้อไฟล์ ไม่ใช่ชื่อไฟล์) กรุณาเลือกไฟล์ภาพใหม่"),
)


class UploadError(MessageError):
    """A file that cannot be accepted; the message says what to do (in the page's language)."""


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, not yet stored."""

    original_name: str
    data: bytes
    mime_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024


def clean_name(name: str | None) -> str:
    """The original file name as shown to people; refuses names that try to leave their folder."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise UploadError(N_("กรุณาเลือกไฟล์ที่จะอัปโหลด"))
    if (
        "/" in name
        or "\\" in name
        or name.startswith(".")
        or ".." in name
        or _BAD_NAME_RE.search(name)
    ):
        raise UploadError(N_("ชื่อไฟล์มีอักขระที่ไม่อนุญาต (เช่น / \\ หรือ ..) กรุณาเปลี่ยนชื่อไฟล์แล้วอัปโหลดใหม่"))
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext[:8]) if dot else name[:200]
    return name


def content_type(data: bytes, name: str, allowed: Mapping[str, str] = ALLOWED_TYPES) -> str | None:
    """The allowed type the bytes are, or None."""
    head = data[:8192]
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime is None and head.startswith(OLE2_MAGIC):
        mime = OLE2_BY_EXTENSION.get(Path(name).suffix.lower())
    return mime if mime in allowed else None


def check_upload(upload: FileStorage, accept: Accept = DOCUMENTS) -> CheckedFile:
    """Name, size and content checked; raises UploadError with a message saying what to do."""
    original = clean_name(upload.filename)
    mb = accept.max_mb if accept.max_mb is not None else current_app.config["MAX_UPLOAD_MB"]
    limit = int(mb) * 1024 * 1024
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(accept.too_big, mb=mb)
    if not data:
        raise UploadError(accept.empty)
    mime = content_type(data, original, accept.types)
    if mime is None:
        raise UploadError(accept.wrong_type, allowed=_l(accept.label))
    return CheckedFile(original, data, mime, accept.types[mime])


def folder(name: str) -> Path:
    """UPLOAD_DIR/<name>, made if missing."""
    path = Path(current_app.config["UPLOAD_DIR"]) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(checked: CheckedFile, folder_name: str) -> str:
    """Write the bytes under a generated name (never the original); returns that name."""
    stored = f"{secrets.token_hex(16)}.{checked.extension}"
    (folder(folder_name) / stored).write_bytes(checked.data)
    return stored


def stored_path(folder_name: str, stored_name: str) -> Path:
    """Where a stored file's bytes are (the generated name's last part only)."""
    return folder(folder_name) / Path(stored_name).name


def remove(folder_name: str, *stored_names: str) -> None:
    """Delete stored files (missing ones are no error)."""
    for name in stored_names:
        stored_path(folder_name, name).unlink(missing_ok=True)


class StoredFile:
    """Mixin for a row that stands for one stored upload: the columns every such table has and the
    helpers to fill them from an upload and find the bytes. A model sets ``upload_folder``."""

    upload_folder: ClassVar[str]

    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @classmethod
    def from_upload(cls, upload: FileStorage, user_id: int | None, **fields: object):
        """Check an upload and store its bytes; returns the (unsaved) row. Raises UploadError."""
        return cls.from_checked(check_upload(upload), user_id, **fields)

    @classmethod
    def from_checked(cls, checked: CheckedFile, user_id: int | None, **fields: object):
        """Store checked bytes; returns the (unsaved) row."""
        return cls(
            original_name=checked.original_name,
            stored_name=store(checked, cls.upload_folder),
            mime_type=checked.mime_type,
            size=len(checked.data),
            sha256=checked.sha256,
            uploaded_by_id=user_id,
            **fields,
        )

    @property
    def path(self) -> Path:
        """Where the bytes are kept (the generated name only: never the original name)."""
        return stored_path(self.upload_folder, self.stored_name)

    def remove_stored(self) -> None:
        """Delete the bytes (after the row's deletion is committed)."""
        remove(self.upload_folder, self.stored_name)
