"""Files uploaded as evidence (photos of activities, signed notices): checked and stored by the one
upload store (``infocenter.uploads``: content type, size, name), under UPLOAD_DIR/evidence."""

from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import FileStorage

from .. import uploads

FOLDER = "evidence"


def store(upload: FileStorage) -> tuple[str, str, str]:
    """Check and store an upload; returns (stored name, original name, mime type). Raises
    UploadError."""
    checked = uploads.check_upload(upload)
    return uploads.store(checked, FOLDER), checked.original_name, checked.mime_type


def stored_path(name: str) -> Path:
    return uploads.stored_path(FOLDER, name)
