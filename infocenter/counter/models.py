"""The register of service use (ทะเบียนผู้ใช้บริการ): walk-in visits and their admin-editable lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..admin.models import Office
from ..audit import Audited
from ..auth.models import User
from ..catalogue.models import IndexEntry
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import N_, now_utc

# Labels stay Thai here (the PDF report, the import format and the statistics use them as they
# are); N_ marks them for the catalogue and pages translate them when shown (gettext).
CHANNELS = {
    "walk_in": N_("มาติดต่อด้วยตนเอง"),
    "phone": N_("โทรศัพท์"),
    "letter": N_("หนังสือ/จดหมาย"),
    "email": N_("อีเมล"),
}
OUTCOMES = {
    "full": N_("ได้รับบริการครบถ้วน"),
    "partial": N_("ได้รับบริการบางส่วน"),
    "referred": N_("แนะนำให้ติดต่อหน่วยงานอื่น (มาตรา ๑๒)"),
    "section11": N_("รับเป็นคำขอตามมาตรา ๑๑"),
}

# Defaults shipped with the application (DOMAIN.md); administrators can rename, add and retire.
DEFAULT_VISITOR_TYPES = (
    ("public", "ประชาชน"),
    ("business", "นิติบุคคล/ผู้ประกอบการ"),
    ("government", "หน่วยงานรัฐ"),
    ("media", "สื่อมวลชน"),
    ("academic", "นักเรียน/นักศึกษา/นักวิจัย"),
    ("other", "อื่นๆ"),
)
DEFAULT_PURPOSES = (
    ("inspect", "ตรวจดูข้อมูล"),
    ("copy", "ขอสำเนา"),
    ("certified_copy", "ขอสำเนารับรอง"),
    ("advice", "สอบถาม/ขอคำแนะนำ"),
    ("section11", "ยื่นคำขอตามมาตรา ๑๑"),
    ("other", "อื่นๆ"),
)
# OIC fee ceilings of 7 May 2542, in satang (1 baht = 100 satang) so sums stay exact integers.
DEFAULT_FEE_RATES = (
    ("A4", "สำเนาขนาด A4", "page", 100),
    ("F4", "สำเนาขนาด F4", "page", 150),
    ("B4", "สำเนาขนาด B4", "page", 200),
    ("certify", "ค่ารับรองสำเนาถูกต้อง", "certify", 500),
)
FEE_KINDS = {"page": N_("ค่าสำเนาต่อหน้า"), "certify": N_("ค่ารับรองต่อหน้า")}


class _Lookup:
    """Columns shared by the admin-editable lists (visitor types, purposes)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class VisitorType(_Lookup, Audited, db.Model):
    """A kind of visitor (ประชาชน, หน่วยงานรัฐ …), editable by administrators."""

    __tablename__ = "visitor_types"


class VisitPurpose(_Lookup, Audited, db.Model):
    """Why a visitor came (ตรวจดูข้อมูล, ขอสำเนา …), editable by administrators."""

    __tablename__ = "visit_purposes"


class FeeRate(Audited, db.Model):
    """One line of the fee table: a paper size's price per page, or the certification fee."""

    __tablename__ = "fee_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default="page")
    satang: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        CheckConstraint("kind IN ('page', 'certify')", name="kind"),
        CheckConstraint("satang >= 0", name="satang"),
    )

    @property
    def baht(self) -> float:
        return self.satang / 100

    def __str__(self) -> str:
        return f"{self.name} ({self.satang / 100:,.2f} บาท)"


class VisitEntry(Audited, db.Model):
    """An index entry consulted during a visit."""

    __tablename__ = "visit_entries"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("index_entries.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    entry: Mapped[IndexEntry] = relationship(lazy="joined")


class Visit(Audited, db.Model):
    """One use of the information center: a walk-in, a call, a letter or an e-mail."""

    __tablename__ = "visits"
    # Names and contacts are personal data: the audit log records that they changed, never the
    # value.
    __audit_redact__ = ("visitor_name", "visitor_contact", "note", "void_reason", "waiver_reason")

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    backdated: Mapped[bool] = mapped_column(default=False)  # entered later, from the paper register
    source: Mapped[str] = mapped_column(String(16), default="counter")
    visitor_type_id: Mapped[int] = mapped_column(ForeignKey("visitor_types.id"))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("visit_purposes.id"))
    channel: Mapped[str] = mapped_column(String(16), default="walk_in")
    outcome: Mapped[str] = mapped_column(String(16), default="full")
    pages_copied: Mapped[int] = mapped_column(default=0)  # every page copied, certified or not
    pages_certified: Mapped[int] = mapped_column(default=0)  # of which certified
    fee_rate_id: Mapped[int | None] = mapped_column(ForeignKey("fee_rates.id"))  # paper size
    fee_satang: Mapped[int] = mapped_column(
        default=0
    )  # computed when saved; rates may change later
    fee_waived: Mapped[bool] = mapped_column(default=False)
    waiver_reason: Mapped[str | None] = mapped_column(Text)
    visitor_name: Mapped[str | None] = mapped_column(String(200))
    visitor_contact: Mapped[str | None] = mapped_column(String(200))
    personal_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    satisfaction: Mapped[int | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(default=False)

    office: Mapped[Office] = relationship(lazy="joined")
    visitor_type: Mapped[VisitorType] = relationship(lazy="joined")
    purpose: Mapped[VisitPurpose] = relationship(lazy="joined")
    fee_rate: Mapped[FeeRate | None] = relationship()
    served_by: Mapped[User | None] = relationship(foreign_keys=[served_by_id])
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])
    entries: Mapped[list[VisitEntry]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        CheckConstraint("channel IN ('walk_in', 'phone', 'letter', 'email')", name="channel"),
        CheckConstraint("outcome IN ('full', 'partial', 'referred', 'section11')", name="outcome"),
        CheckConstraint("source IN ('counter', 'import')", name="source"),
        CheckConstraint(
            "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction"
        ),
        CheckConstraint(
            "pages_copied >= 0 AND pages_certified >= 0 AND pages_certified <= pages_copied",
            name="pages",
        ),
        CheckConstraint("fee_satang >= 0", name="fee"),
        # Statistics filter by office and time, skipping voided rows.
        Index("ix_visits_office_time", "office_id", "visited_at"),
        Index("ix_visits_visited_at", "visited_at"),
    )

    channel_label = CodeLabel(CHANNELS, "channel")
    outcome_label = CodeLabel(OUTCOMES, "outcome")

    @property
    def fee_baht(self) -> float:
        return self.fee_satang / 100

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def entry_ids(self) -> list[int]:
        return [link.entry_id for link in self.entries]


def compute_fee_satang(
    pages_copied: int, pages_certified: int, page_rate: FeeRate | None, certify_rate: FeeRate | None
) -> int:
    """The fee for a visit in satang: every page at its paper size's rate, plus certification per
    page."""
    fee = pages_copied * (page_rate.satang if page_rate else 0)
    fee += pages_certified * (certify_rate.satang if certify_rate else 0)
    return fee


def certify_rate() -> FeeRate | None:
    """The active certification line of the fee table."""
    return db.session.scalars(
        select(FeeRate)
        .where(FeeRate.kind == "certify", FeeRate.active.is_(True))
        .order_by(FeeRate.sort_order)
    ).first()


def ensure_counter_defaults() -> None:
    """Create the default visitor types, purposes and fee table when a list is empty."""
    for model, rows in ((VisitorType, DEFAULT_VISITOR_TYPES), (VisitPurpose, DEFAULT_PURPOSES)):
        if db.session.scalar(select(model.id).limit(1)) is None:
            db.session.add_all(
                model(code=code, name=name, sort_order=i * 10)
                for i, (code, name) in enumerate(rows, start=1)
            )
    if db.session.scalar(select(FeeRate.id).limit(1)) is None:
        db.session.add_all(
            FeeRate(code=code, name=name, kind=kind, satang=satang, sort_order=i * 10)
            for i, (code, name, kind, satang) in enumerate(DEFAULT_FEE_RATES, start=1)
        )
    db.session.flush()
