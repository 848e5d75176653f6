"""Section 11 requests (คำขอข้อมูลข่าวสาร): the request, its steps, grounds, notes, reply files,
the per-office tracking-number counter and the holiday table the due dates are counted on."""

from __future__ import annotations

import functools
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..admin.models import Office
from ..audit import Audited
from ..auth.models import User
from ..catalogue.models import WITHHOLDING_GROUNDS, IndexEntry
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import now_utc
from ..uploads import StoredFile

# Labels of the codes below are UI strings (lazy: translated when shown); letters and PDF reports
# are built under force_locale("th") so they stay Thai.
CHANNELS = {
    "counter": _l("ยื่นที่ศูนย์ข้อมูลข่าวสาร"),
    "online": _l("ยื่นทางออนไลน์"),
    "letter": _l("หนังสือ/ไปรษณีย์"),
    "email": _l("อีเมล"),
}

STATUSES = {
    "received": _l("รับคำขอแล้ว"),
    "acknowledged": _l("ตอบรับคำขอแล้ว"),
    "in_progress": _l("อยู่ระหว่างดำเนินการ"),
    "waiting": _l("รอผู้ขอ (ชี้แจง/ค่าธรรมเนียม)"),
    "extended": _l("ขยายระยะเวลา"),
    "closed": _l("ดำเนินการเสร็จสิ้น"),
}
OPEN_STATUSES = tuple(s for s in STATUSES if s != "closed")

OUTCOMES = {
    "full": _l("ให้ข้อมูลครบถ้วน"),
    "partial": _l("ให้ข้อมูลบางส่วน"),
    "refused": _l("ปฏิเสธการเปิดเผย"),
    "transferred": _l("แนะนำให้ไปยื่นที่หน่วยงานอื่น/ส่งต่อ (มาตรา ๑๒)"),
    "not_held": _l("ไม่มีข้อมูลข่าวสารที่ขอ"),
    "withdrawn": _l("ผู้ขอถอนคำขอ"),
}

# Legal grounds: Section 14, the sub-clauses of Section 15 (shared with the index), and Section 12.
GROUNDS = {**WITHHOLDING_GROUNDS, "12": _l("มาตรา ๑๒ ข้อมูลข่าวสารอยู่ในความควบคุมของหน่วยงานอื่น")}

TIMELINESS = {"on_time": _l("ภายในกำหนด"), "extended": _l("ภายในเวลาที่ขยาย"), "late": _l("เกินกำหนด")}

# The languages a requester can be written to in (the language the request was filed in).
REQUESTER_LANGUAGES = ("th", "en")


inquiry_entries = Table(
    "inquiry_entries",
    db.metadata,
    Column("inquiry_id", ForeignKey("inquiries.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("index_entries.id", ondelete="CASCADE"), primary_key=True),
)


class InquiryCounter(db.Model):
    """The last sequence number used per office and BE fiscal year (incremented atomically)."""

    __tablename__ = "inquiry_counters"

    office_id: Mapped[int] = mapped_column(
        ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True
    )
    fiscal_year: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class Inquiry(Audited, db.Model):
    """A request for information under Section 11, from receipt to its outcome."""

    __tablename__ = "inquiries"
    # Personal data and the secret: the audit log records that they changed, never the value.
    __audit_redact__ = (
        "secret_hash",
        "requester_name",
        "requester_email",
        "requester_phone",
        "requester_address",
        "subject",
        "purpose",
        "outcome_note",
        "extension_reason",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    fiscal_year: Mapped[int]  # BE, of the receipt
    seq: Mapped[int]
    tracking_no: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    start_on: Mapped[date] = mapped_column(
        Date
    )  # the day the clock starts (next working day if after hours)
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_email: Mapped[str] = mapped_column(String(200), default="")
    requester_phone: Mapped[str] = mapped_column(String(64), default="")
    requester_address: Mapped[str] = mapped_column(Text, default="")
    personal_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # PDPA retention over
    # The language the requester filed in ("th"/"en"): the e-mails about the request are written in
    # it.
    language: Mapped[str] = mapped_column(String(2), default="th", server_default="th")
    subject: Mapped[str] = mapped_column(Text)  # the information requested
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    status_before_wait: Mapped[str | None] = mapped_column(String(16))
    due_date: Mapped[date] = mapped_column(Date, index=True)  # current, including any extension
    base_due_date: Mapped[date] = mapped_column(Date)  # by the rule, moved by waiting; no extension
    waiting_since: Mapped[date | None] = mapped_column(Date)
    waiting_days: Mapped[int] = mapped_column(default=0)  # calendar days the clock was stopped
    extension_count: Mapped[int] = mapped_column(default=0)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    transfer_agency: Mapped[str] = mapped_column(String(300), default="")
    # Raw durations kept when the step happens, so statistics can be recomputed later.
    days_to_ack: Mapped[int | None] = mapped_column()
    days_to_close: Mapped[int | None] = mapped_column()  # waiting days excluded
    timeliness: Mapped[str | None] = mapped_column(String(16))
    # Fees in satang (1 baht = 100 satang), like the counter's, so sums stay exact integers.
    fee_charged_satang: Mapped[int] = mapped_column(default=0)
    fee_waived_satang: Mapped[int] = mapped_column(default=0)
    alert: Mapped[str | None] = mapped_column(String(16))  # set by `flask inquiries remind`
    alert_on: Mapped[date | None] = mapped_column(Date)
    secret_hash: Mapped[str] = mapped_column(String(64))
    # The counter's walk-in visit this request was opened from.
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"), index=True
    )
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    office: Mapped[Office] = relationship(lazy="joined")
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    events: Mapped[list[InquiryEvent]] = relationship(
        back_populates="inquiry", order_by="InquiryEvent.id", cascade="all, delete-orphan"
    )
    grounds: Mapped[list[InquiryGround]] = relationship(
        back_populates="inquiry", order_by="InquiryGround.ground", cascade="all, delete-orphan"
    )
    notes: Mapped[list[InquiryNote]] = relationship(
        back_populates="inquiry", order_by="InquiryNote.id", cascade="all, delete-orphan"
    )
    files: Mapped[list[InquiryFile]] = relationship(
        back_populates="inquiry", order_by="InquiryFile.id", cascade="all, delete-orphan"
    )
    entries: Mapped[list[IndexEntry]] = relationship(
        secondary=inquiry_entries, order_by=IndexEntry.id
    )

    __table_args__ = (
        UniqueConstraint("office_id", "fiscal_year", "seq", name="uq_inquiries_office_year_seq"),
        CheckConstraint("channel IN ('counter', 'online', 'letter', 'email')", name="channel"),
        CheckConstraint(
            "status IN ('received', 'acknowledged', 'in_progress', 'waiting', 'extended', "
            "'closed')",
            name="status",
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('full', 'partial', 'refused', 'transferred', "
            "'not_held', 'withdrawn')",
            name="outcome",
        ),
        CheckConstraint("fee_charged_satang >= 0 AND fee_waived_satang >= 0", name="fees"),
        Index("ix_inquiries_open_due", "status", "due_date"),
    )

    status_label = CodeLabel(STATUSES, "status")
    channel_label = CodeLabel(CHANNELS, "channel")
    outcome_label = CodeLabel(OUTCOMES, "outcome")

    timeliness_label = CodeLabel(TIMELINESS, "timeliness")

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    @property
    def ground_codes(self) -> list[str]:
        return [g.ground for g in self.grounds]

    def is_overdue(self, today: date) -> bool:
        """Past its due date and still open (the clock does not run while waiting)."""
        return self.is_open and self.status != "waiting" and self.due_date < today


class InquiryEvent(Audited, db.Model):
    """One step of a request's history: when, who, from which status to which, and why."""

    __tablename__ = "inquiry_events"
    __audit_redact__ = ("note",)  # may hold personal data (PDPA)

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(
        ForeignKey("inquiries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    day: Mapped[date] = mapped_column(Date)  # the office-local day the step counts on
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date)  # the due date after this step

    inquiry: Mapped[Inquiry] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()

    to_label = CodeLabel(STATUSES, "to_status")


class InquiryGround(Audited, db.Model):
    """A legal ground of a request's outcome (§14, §15(n), §12); a request may have several."""

    __tablename__ = "inquiry_grounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(
        ForeignKey("inquiries.id", ondelete="CASCADE"), index=True
    )
    ground: Mapped[str] = mapped_column(String(16))

    inquiry: Mapped[Inquiry] = relationship(back_populates="grounds")

    __table_args__ = (
        UniqueConstraint("inquiry_id", "ground", name="uq_inquiry_grounds_inquiry_ground"),
    )

    label = CodeLabel(GROUNDS, "ground")


class InquiryNote(Audited, db.Model):
    """A staff note on a request (not shown to the requester)."""

    __tablename__ = "inquiry_notes"
    __audit_redact__ = ("text",)  # may hold personal data (PDPA)

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(
        ForeignKey("inquiries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)

    inquiry: Mapped[Inquiry] = relationship(back_populates="notes")
    user: Mapped[User | None] = relationship()


class InquiryFile(StoredFile, Audited, db.Model):
    """A file of the reply (letter, copy of a document), stored under UPLOAD_DIR/inquiries."""

    __tablename__ = "inquiry_files"
    upload_folder = "inquiries"
    __audit_redact__ = ("original_name",)  # may hold personal data (PDPA)

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(
        ForeignKey("inquiries.id", ondelete="CASCADE"), index=True
    )

    inquiry: Mapped[Inquiry] = relationship(back_populates="files")


class Holiday(Audited, db.Model):
    """A day the office is closed: a Thai public holiday (office_id NULL) or one office's day
    off."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("offices.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(
        String(16), default="admin"
    )  # "package" (holidays, TH) or "admin"

    office: Mapped[Office | None] = relationship()

    @property
    def display_name(self) -> str:
        """The name to show: a public holiday copied from the `holidays` package is named in the
        page's
        language (the package knows English names); a day an admin typed in is shown as typed."""
        if self.source == "package":
            from ..i18n import current_language

            if current_language() == "en":
                return package_holidays(self.day.year, "en_US").get(self.day, self.name)
        return self.name


@functools.lru_cache(maxsize=32)
def package_holidays(year: int, language: str = "th") -> dict[date, str]:
    """One year's Thai public holidays in the `holidays` package, named in ``language`` (the
    package knows "th" and "en_US"). Read-only: the cached dict is shared."""
    import holidays as holidays_pkg

    return dict(sorted(holidays_pkg.country_holidays("TH", years=year, language=language).items()))


class HolidayYear(db.Model):
    """A calendar year whose public holidays have been seeded from the `holidays` package."""

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seeded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
