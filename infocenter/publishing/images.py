"""Post images: checked by their content, stored under UPLOAD_DIR with generated names, with a
small JPEG preview (LINE's previewImageUrl must stay under 1 MB)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

# LINE image messages accept JPEG and PNG only.
ALLOWED = {"image/jpeg": "jpg", "image/png": "png"}
PREVIEW_SIZE = (480, 480)
SUBDIR = "posts"


class ImageError(ValueError):
    """An upload that cannot be used; the message (in the page's language) says what to do."""


@dataclass(frozen=True)
class StoredImage:
    name: str
    mime: str
    size: int


def image_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / SUBDIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def preview_name(name: str) -> str:
    return name.rsplit(".", 1)[0] + "-preview.jpg"


def store_image(data: bytes, max_bytes: int) -> StoredImage:
    """Check the bytes are a JPEG or PNG within the size limit, store them and a preview."""
    if not data:
        raise ImageError(_("ไฟล์ภาพว่างเปล่า กรุณาเลือกไฟล์ภาพใหม่"))
    if len(data) > max_bytes:
        raise ImageError(
            _("ไฟล์ภาพใหญ่เกิน %(mb)s MB กรุณาย่อขนาดภาพแล้วอัปโหลดใหม่", mb=max_bytes // (1024 * 1024))
        )
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED:
        raise ImageError(
            _("รับเฉพาะไฟล์ภาพ JPEG หรือ PNG (ตรวจจากเนื้อไฟล์ ไม่ใช่ชื่อไฟล์) กรุณาเลือกไฟล์ภาพใหม่")
        )
    name = f"{secrets.token_hex(16)}.{ALLOWED[kind.mime]}"
    folder = image_dir()
    try:
        from io import BytesIO

        with Image.open(BytesIO(data)) as img:
            img.load()
            preview = img.convert("RGB")
            preview.thumbnail(PREVIEW_SIZE)
            preview.save(folder / preview_name(name), "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        (folder / preview_name(name)).unlink(missing_ok=True)
        raise ImageError(
            _("เปิดไฟล์ภาพไม่ได้ ไฟล์อาจเสียหรือใหญ่เกินไป กรุณาบันทึกภาพใหม่เป็น JPEG แล้วอัปโหลดอีกครั้ง")
        ) from None
    (folder / name).write_bytes(data)
    return StoredImage(name, kind.mime, len(data))


def remove_image(name: str | None) -> None:
    """Delete a stored image and its preview (when a post's image is replaced or removed)."""
    if not name:
        return
    folder = image_dir()
    (folder / name).unlink(missing_ok=True)
    (folder / preview_name(name)).unlink(missing_ok=True)
