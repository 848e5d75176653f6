"""The one upload store: files checked by their content (never by their name), stored under
UPLOAD_DIR/<folder> with generated names. Index entry files and request files (attachments and
reply letters) go through ``check_upload`` and ``store``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from .thai import N_, MessageError

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


def content_type(data: bytes, name: str) -> str | None:
    """The allowed type the bytes are, or None."""
    head = data[:8192]
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime is None and head.startswith(OLE2_MAGIC):
        mime = OLE2_BY_EXTENSION.get(Path(name).suffix.lower())
    return mime if mime in ALLOWED_TYPES else None


def check_upload(upload: FileStorage) -> CheckedFile:
    """Name, size and content checked; raises UploadError with a message saying what to do."""
    original = clean_name(upload.filename)
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(
            N_("ไฟล์ใหญ่เกิน %(mb)s MB กรุณาย่อขนาดหรือแบ่งไฟล์แล้วอัปโหลดใหม่"),
            mb=current_app.config["MAX_UPLOAD_MB"],
        )
    if not data:
        raise UploadError(N_("ไฟล์ว่างเปล่า กรุณาเลือกไฟล์ที่มีเนื้อหา"))
    mime = content_type(data, original)
    if mime is None:
        raise UploadError(
            N_("ไม่รับไฟล์ประเภทนี้ (ตรวจจากเนื้อไฟล์ ไม่ใช่จากนามสกุล) รับเฉพาะ %(allowed)s"),
            allowed=_l(ALLOWED_LABEL),
        )
    return CheckedFile(original, data, mime, ALLOWED_TYPES[mime])


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
