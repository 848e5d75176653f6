"""Post images: checked and stored by the one upload store (``uploads.check_upload`` with
``uploads.IMAGES``, under UPLOAD_DIR/posts), with a small JPEG preview beside each (LINE's
previewImageUrl must stay under 1 MB)."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from .. import uploads
from ..thai import N_

PREVIEW_SIZE = (480, 480)
FOLDER = "posts"


class ImageError(uploads.UploadError):
    """An image that cannot be used; the message (in the page's language) says what to do."""


def image_dir() -> Path:
    return uploads.folder(FOLDER)


def preview_name(name: str) -> str:
    return name.rsplit(".", 1)[0] + "-preview.jpg"


def store_image(upload: FileStorage, max_mb: int) -> tuple[uploads.CheckedFile, str]:
    """Check an upload is a JPEG or PNG within the size limit; store it and its preview. Returns
    the checked file and its stored name. Raises UploadError."""
    checked = uploads.check_upload(upload, replace(uploads.IMAGES, max_mb=max_mb))
    try:
        with Image.open(BytesIO(checked.data)) as img:
            img.load()
            preview = img.convert("RGB")
            preview.thumbnail(PREVIEW_SIZE)
            out = BytesIO()
            preview.save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ImageError(
            N_("เปิดไฟล์ภาพไม่ได้ ไฟล์อาจเสียหรือใหญ่เกินไป กรุณาบันทึกภาพใหม่เป็น JPEG แล้วอัปโหลดอีกครั้ง")
        ) from None
    name = uploads.store(checked, FOLDER)
    uploads.stored_path(FOLDER, preview_name(name)).write_bytes(out.getvalue())
    return checked, name


def remove_image(name: str | None) -> None:
    """Delete a stored image and its preview (when a post's image is replaced or removed)."""
    if name:
        uploads.remove(FOLDER, name, preview_name(name))
