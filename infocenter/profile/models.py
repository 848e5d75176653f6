"""One profile per office: what the center's sign and notice board say (dimension 2, item 1)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..admin.models import Office
from ..audit import Audited
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..thai import now_utc


class CenterProfile(Audited, db.Model):
    """Where the center is, when it is open, who answers for it, and the order appointing them."""

    __tablename__ = "center_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), unique=True)
    location: Mapped[str] = mapped_column(Text, default="")  # e.g. "ชั้น 1 อาคารศาลากลาง ห้อง 104"
    map_url: Mapped[str] = mapped_column(String(500), default="")
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    officers: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "position", "duty"}]
    appointment_order: Mapped[str] = mapped_column(String(200), default="")  # คำสั่งที่ ... เรื่อง ...
    appointment_date: Mapped[date | None] = mapped_column(Date)
    contact_phone: Mapped[str] = mapped_column(String(64), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    facebook_url: Mapped[str] = mapped_column(String(500), default="")
    line_url: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    office: Mapped[Office] = relationship(lazy="joined")


def parse_officers(text: str) -> tuple[list[dict], list[str]]:
    """Officers typed one per line as "ชื่อ | ตำแหน่ง | หน้าที่"; returns (officers, errors in the page's
    language)."""
    officers, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 3 or not parts[0]:
            errors.append(
                _(
                    "บรรทัดที่ %(line)s: กรุณาพิมพ์ในรูปแบบ ชื่อ | ตำแหน่ง | หน้าที่ (คั่นด้วยเครื่องหมาย |)",
                    line=number,
                )
            )
            continue
        parts += [""] * (3 - len(parts))
        officers.append({"name": parts[0], "position": parts[1], "duty": parts[2]})
    return officers, errors


def format_officers(officers: list[dict]) -> str:
    """The textarea form of a list of officers."""
    return "\n".join(
        " | ".join([o.get("name", ""), o.get("position", ""), o.get("duty", "")]).rstrip(" |")
        for o in officers
    )
