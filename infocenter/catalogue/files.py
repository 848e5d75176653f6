"""Files attached to index entries: checked and stored by the one upload store
(``infocenter.uploads``)."""

from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import FileStorage

from ..uploads import (
    ALLOWED_LABEL,
    ALLOWED_TYPES,
    UploadError,
    check_upload,
    clean_name,
    max_bytes,
    store,
)
from ..uploads import stored_path as _stored_path
from .models import EntryFile, IndexEntry

__all__ = [
    "ALLOWED_LABEL",
    "ALLOWED_TYPES",
    "UploadError",
    "clean_name",
    "max_bytes",
    "save_upload",
    "stored_path",
    "delete_stored",
    "upload_dir",
]

FOLDER = "entries"


def upload_dir() -> Path:
    from ..uploads import folder

    return folder(FOLDER)


def save_upload(entry: IndexEntry, upload: FileStorage, user_id: int | None) -> EntryFile:
    """Check an uploaded file and store it; returns the (unsaved) EntryFile. Raises UploadError."""
    checked = check_upload(upload)
    return EntryFile(
        entry=entry,
        original_name=checked.original_name,
        stored_name=store(checked, FOLDER),
        mime_type=checked.mime_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by_id=user_id,
    )


def stored_path(file: EntryFile) -> Path:
    """Where a file's bytes are kept (the generated name only: never the original name)."""
    return _stored_path(FOLDER, file.stored_name)


def delete_stored(file: EntryFile) -> None:
    stored_path(file).unlink(missing_ok=True)
