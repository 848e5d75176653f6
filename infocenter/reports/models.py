"""Generated reports kept as evidence: the PDF's file, checksum, who made it, who acknowledged
it."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import settings
from ..admin.models import Office
from ..audit import Audited
from ..auth.models import User
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import FiscalQuarter, now_utc

REPORT_KINDS = {"quarterly": _l("รายงานสถิติการให้บริการรายไตรมาส")}

# The office's documents: external letters (หนังสือภายนอก, the Section 11 letters) carry the
# Garuda emblem when the administrator provides its image; none is shipped. Defined here, with
# the reports, because this module is loaded at start-up (the letters module only when used).
settings.define(
    "letter_emblem_file",
    _l("ตราครุฑสำหรับหนังสือภายนอก: ที่อยู่ไฟล์ภาพบนเครื่องแม่ข่าย (PNG หรือ JPEG)"),
    str,
    "",
    _l("เช่น /srv/infocenter/garuda.png ว่างไว้: หนังสือไม่มีตราครุฑ (ระบบไม่มีภาพตราครุฑมาให้)"),
)


class Report(Audited, db.Model):
    """One generated report (the PDF under REPORTS_DIR) and the supervisor's acknowledgement of
    it."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="quarterly")
    fiscal_year: Mapped[int] = mapped_column()  # BE
    quarter: Mapped[int] = mapped_column()
    # The office reported on; None with all_offices = every office and a province total.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    all_offices: Mapped[bool] = mapped_column(default=False)
    # The running number after the office's book prefix, typed when the memo is issued; blank:
    # the printed memo leaves it to be written in by hand.
    book_number: Mapped[str] = mapped_column(String(32), default="", server_default="")
    annexes: Mapped[bool] = mapped_column(
        default=False, server_default=sa_false()
    )  # per-office sections
    file_name: Mapped[str] = mapped_column(String(255), default="")  # relative to REPORTS_DIR
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    thai_digits: Mapped[bool] = mapped_column(default=True)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    generated_via: Mapped[str] = mapped_column(String(8), default="web")  # web / cli
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledgement_note: Mapped[str] = mapped_column(Text, default="")

    office: Mapped[Office | None] = relationship(lazy="joined")
    generated_by: Mapped[User | None] = relationship(foreign_keys=[generated_by_id], lazy="joined")
    acknowledged_by: Mapped[User | None] = relationship(
        foreign_keys=[acknowledged_by_id], lazy="joined"
    )

    __table_args__ = (
        CheckConstraint("kind IN ('quarterly')", name="kind"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
        CheckConstraint("generated_via IN ('web', 'cli')", name="generated_via"),
        Index("ix_reports_period", "fiscal_year", "quarter"),
    )

    @property
    def fiscal_quarter(self) -> FiscalQuarter:
        return FiscalQuarter(self.fiscal_year, self.quarter)

    @property
    def code(self) -> str:
        """The system's id, printed in the PDF's footer: "RPT-2563-Q3-00012" (not the book
        number)."""
        return f"RPT-{self.fiscal_year}-Q{self.quarter}-{self.id:05d}"

    @property
    def scope_label(self) -> str:
        if self.all_offices:
            return _("ทุกหน่วยงานและภาพรวมจังหวัด")
        return self.office.name if self.office else "-"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    kind_label = CodeLabel(REPORT_KINDS, "kind")
