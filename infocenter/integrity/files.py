"""Files uploaded as evidence (photos of activities, signed notices): checked by the same rules as
the index's files (catalogue.files: content type, size, name), stored under UPLOAD_DIR/evidence."""

from __future__ import annotations

import secrets
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from ..catalogue.files import ALLOWED_LABEL, ALLOWED_TYPES, UploadError, clean_name, max_bytes
from ..thai import N_


def evidence_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload: FileStorage) -> tuple[str, str, str]:
    """Check and store an upload; returns (stored name, original name, mime type). Raises UploadError."""
    original = clean_name(upload.filename)
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(N_("ไฟล์ใหญ่เกิน %(mb)s MB กรุณาย่อขนาดหรือแบ่งไฟล์แล้วอัปโหลดใหม่"),
                          mb=current_app.config["MAX_UPLOAD_MB"])
    if not data:
        raise UploadError(N_("ไฟล์ว่างเปล่า กรุณาเลือกไฟล์ที่มีเนื้อหา"))
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise UploadError(N_("ไม่รับไฟล์ประเภทนี้ (ตรวจจากเนื้อไฟล์ ไม่ใช่จากนามสกุล) รับเฉพาะ %(allowed)s"),
                          allowed=_l(ALLOWED_LABEL))
    stored = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime]}"
    (evidence_dir() / stored).write_bytes(data)
    return stored, original, mime


def stored_path(name: str) -> Path:
    return evidence_dir() / Path(name).name
