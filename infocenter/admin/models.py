"""Offices and administrator-editable settings."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit import Audited
from ..cache import ProcessCache
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import N_, now_utc

OFFICE_KINDS = {
    "province": N_("สำนักงานพัฒนาชุมชนจังหวัด (สพจ.)"),
    "district": N_("สำนักงานพัฒนาชุมชนอำเภอ (สพอ.)"),
}


class Office(Audited, db.Model):
    """A provincial (สพจ.) or district (สพอ.) office; documents, visits and requests belong to
    one."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="district")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    # Who signs the office's letters (Section 11 replies and refusals): name and position.
    head_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    head_position: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The prefix of the office's book numbers (เลขที่หนังสือ): "นว ๐๐๑๘" → "นว ๐๐๑๘/๑๒๓".
    book_prefix: Mapped[str] = mapped_column(String(32), default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    parent: Mapped[Office | None] = relationship(remote_side=[id])

    __table_args__ = (CheckConstraint("kind IN ('province', 'district')", name="kind"),)

    kind_label = CodeLabel(OFFICE_KINDS, "kind")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ordered(cls):
        """select(Office) in the order every list shows offices: the province first, then by
        code."""
        return select(cls).order_by(cls.kind != "province", cls.code)

    @classmethod
    def visible_to(cls, user) -> list[Office]:
        """The offices this user sees (``User.visible_office_ids``), in list order."""
        ids = user.visible_office_ids()
        stmt = cls.ordered()
        if ids is not None:
            stmt = stmt.where(cls.id.in_(ids))
        return list(db.session.scalars(stmt))

    @classmethod
    def main_query(cls, *columns):
        """Selects the main office (the first provincial office, else the first office)."""
        return select(*(columns or (cls,))).order_by(cls.kind != "province", cls.id).limit(1)


_heading_cache = ProcessCache("layout_heading", (Office,))


def _load_heading() -> tuple[str | None, bool]:
    main_office = db.session.execute(Office.main_query(Office.name, Office.is_demo)).first()
    demo = main_office is not None and bool(
        main_office.is_demo
        or db.session.scalar(select(Office.id).where(Office.is_demo.is_(True)).limit(1))
    )
    return (main_office.name if main_office else None), demo


def layout_heading() -> tuple[str | None, bool]:
    """The name that heads every page (the first provincial office's; None on an empty database)
    and whether demo data is present; every page needs it, so it is kept per process."""
    return _heading_cache.get("heading", _load_heading)


def configured_office() -> Office:
    """The main office as the settings name it (OFFICE_CODE / OFFICE_NAME), not saved."""
    return Office(
        code=current_app.config["OFFICE_CODE"],
        name=current_app.config["OFFICE_NAME"],
        kind="province",
        address="",
        phone="",
        email="",
        head_name="",
        head_position="",
        book_prefix="",
        is_demo=False,
    )


def saved_main_office() -> Office | None:
    """The main office (the first provincial office, else the first office); None on a database
    with no office yet (`flask offices setup` creates it)."""
    return db.session.scalars(Office.main_query()).first()


def main_office() -> Office:
    """The main office, for pages that only show it; never writes: on an empty database, an
    unsaved Office from OFFICE_CODE / OFFICE_NAME (admin.operations.ensure_main_office() is the
    one that creates it)."""
    return saved_main_office() or configured_office()


def office_by_code(code: str, *, excluding: int | None = None) -> Office | None:
    """The office with this code (case-insensitive), or None; ``excluding`` skips one office id."""
    stmt = select(Office).where(db.func.upper(Office.code) == code.upper())
    if excluding is not None:
        stmt = stmt.where(Office.id != excluding)
    return db.session.scalars(stmt).first()


class Setting(Audited, db.Model):
    """One administrator-editable setting; definitions and defaults live in infocenter.settings."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
