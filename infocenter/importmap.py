"""Import mappings: what an office's own spelling of a value means, remembered per office.

A clerk maps each unknown value of an import once ("ข้อมูลทั่วไป" → 9(8), "นักศึกษา ป.โท" → the
visitor type "student") in the preview; later imports of that office, on the web and with
`flask index import`, read the value the same way. Values are compared in search_key form, so
spacing, Thai digits and case do not matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from .audit import Audited
from .dbtypes import UTCDateTime
from .extensions import db
from .thai import now_utc, search_key

KINDS = ("category", "visitor_type", "purpose")


class ImportMapping(Audited, db.Model):
    """One office's reading of one value in one kind of column."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200))  # search_key form of the value as written
    target: Mapped[str] = mapped_column(String(64))  # a category code, a visitor type code, ...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint(
            "office_id", "kind", "source", name="uq_import_mappings_office_kind_source"
        ),
    )


def mapping_key(value: str) -> str:
    """The form mapped values are compared in."""
    return search_key(value or "")[:200]


def stored_mappings(office_id: int, kind: str) -> dict[str, str]:
    """{value key: target} remembered for this office."""
    rows = db.session.execute(
        select(ImportMapping.source, ImportMapping.target).where(
            ImportMapping.office_id == office_id, ImportMapping.kind == kind
        )
    )
    return {source: target for source, target in rows}


def remember(
    office_id: int, kind: str, mapping: Mapping[str, str], user_id: int | None = None
) -> int:
    """Store (or replace) this office's readings; the caller commits. Returns how many changed."""
    existing = {
        m.source: m
        for m in db.session.scalars(
            select(ImportMapping).where(
                ImportMapping.office_id == office_id, ImportMapping.kind == kind
            )
        )
    }
    changed = 0
    for value, target in mapping.items():
        key = mapping_key(value)
        if not key or not target:
            continue
        row = existing.get(key)
        if row is None:
            row = existing[key] = ImportMapping(
                office_id=office_id, kind=kind, source=key, created_by_id=user_id
            )
            db.session.add(row)
        if row.target != target:
            row.target = target
            changed += 1
    db.session.flush()
    return changed
