"""The integrity plan as data: plan → dimensions → measures → activities, evidence links, and the
assessment's indicator map (ITA/OIT item codes per fiscal year)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..admin.models import Office
from ..audit import Audited
from ..auth.models import User
from ..catalogue.models import IndexEntry
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..publishing.models import Post
from ..reports.models import Report
from ..thai import now_utc

EVIDENCE_KINDS = {
    "entry": _l("รายการในดัชนีข้อมูลข่าวสาร"),
    "post": _l("โพสต์ LINE/Facebook"),
    "report": _l("รายงานสถิติรายไตรมาส"),
    "file": _l("ไฟล์ที่อัปโหลด"),
    "url": _l("ลิงก์"),
}
LINK_STATES = {
    "proposed": _l("ระบบเสนอ รอยืนยัน"),
    "confirmed": _l("ยืนยันแล้ว"),
    "rejected": _l("ไม่ใช่หลักฐาน"),
}
STATUS_LABELS = {
    "not_started": _l("ยังไม่เริ่ม"),
    "in_progress": _l("กำลังดำเนินการ"),
    "done": _l("เสร็จแล้ว"),
    "late": _l("ล่าช้า"),
}


class IntegrityPlan(Audited, db.Model):
    """One fiscal year's integrity and transparency action plan of the office."""

    __tablename__ = "integrity_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(unique=True)  # BE
    title: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str] = mapped_column(String(255), default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    dimensions: Mapped[list[PlanDimension]] = relationship(
        back_populates="plan", order_by="PlanDimension.number", cascade="all, delete-orphan"
    )


class PlanDimension(Audited, db.Model):
    """มิติที่ N: one of the plan's five dimensions."""

    __tablename__ = "plan_dimensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("integrity_plans.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[IntegrityPlan] = relationship(back_populates="dimensions")
    measures: Mapped[list[PlanMeasure]] = relationship(
        back_populates="dimension", order_by="PlanMeasure.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("plan_id", "number", name="plan_number"),)


class PlanMeasure(Audited, db.Model):
    """A policy, measure or guideline (นโยบาย/มาตรการ/แนวทาง) at a level (ระดับ) of a dimension."""

    __tablename__ = "plan_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension_id: Mapped[int] = mapped_column(
        ForeignKey("plan_dimensions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    level: Mapped[str] = mapped_column(String(16), default="")
    number: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(Text, default="")

    dimension: Mapped[PlanDimension] = relationship(back_populates="measures")
    activities: Mapped[list[PlanActivity]] = relationship(
        back_populates="measure", order_by="PlanActivity.position", cascade="all, delete-orphan"
    )


class PlanActivity(Audited, db.Model):
    """One numbered activity: when, who is responsible, which offices carry it out, what proves
    it."""

    __tablename__ = "plan_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("plan_measures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(32))  # "2.1.1", Arabic digits
    title: Mapped[str] = mapped_column(Text)
    period_text: Mapped[str] = mapped_column(String(200), default="")  # as written: "เม.ย.-๖๓"
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, index=True)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    offices_text: Mapped[str] = mapped_column(String(100), default="")  # as written: "สพจ./สพอ."
    provincial: Mapped[bool] = mapped_column(Boolean, default=True)  # สพจ. carries it out
    districts: Mapped[bool] = mapped_column(Boolean, default=False)  # every สพอ. carries it out
    evidence_expected: Mapped[str] = mapped_column(Text, default="")  # หลักฐานอ้างอิง
    source_line: Mapped[int | None] = mapped_column()

    measure: Mapped[PlanMeasure] = relationship(back_populates="activities", lazy="joined")
    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="activity", order_by="EvidenceLink.id", cascade="all, delete-orphan"
    )

    @property
    def ref(self) -> str:
        """How the indicator map names the activity: dimension and code, "2:4.1.1"."""
        return f"{self.measure.dimension.number}:{self.code}"


class EvidenceLink(Audited, db.Model):
    """A piece of evidence for an activity at one office: proposed by the product or a person,
    confirmed (or rejected) by a person; every change is in the audit log."""

    __tablename__ = "evidence_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("plan_activities.id", ondelete="CASCADE"), index=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("index_entries.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500), default="")
    file_name: Mapped[str] = mapped_column(String(80), default="")  # stored name under UPLOAD_DIR
    original_name: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # Links and files are shown on /transparency only when the person who added them says so.
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="proposed")
    proposed_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    activity: Mapped[PlanActivity] = relationship(back_populates="links")
    office: Mapped[Office] = relationship(lazy="joined")
    entry: Mapped[IndexEntry | None] = relationship()
    post: Mapped[Post | None] = relationship()
    report: Mapped[Report | None] = relationship()
    confirmed_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("kind IN ('entry', 'post', 'report', 'file', 'url')", name="kind"),
        CheckConstraint("state IN ('proposed', 'confirmed', 'rejected')", name="state"),
        Index("ix_evidence_links_activity_office", "activity_id", "office_id", "state"),
    )

    kind_label = CodeLabel(EVIDENCE_KINDS, "kind")
    state_label = CodeLabel(LINK_STATES, "state")

    @property
    def title(self) -> str:
        """What the evidence is, in one line."""
        if self.kind == "entry" and self.entry is not None:
            return self.entry.title
        if self.kind == "post" and self.post is not None:
            return self.post.title
        if self.kind == "report" and self.report is not None:
            return f"{self.report.kind_label} {self.report.fiscal_quarter}"
        if self.kind == "file":
            return self.original_name or self.file_name
        return self.note or self.url

    @property
    def is_public(self) -> bool:
        """May be shown on /transparency: the record's own public rule, or the person's say-so."""
        if self.state != "confirmed":
            return False
        if self.kind == "entry":
            return self.entry is not None and self.entry.is_public
        if self.kind == "post":
            return self.post is not None and self.post.is_public
        if self.kind == "report":
            return False  # quarterly reports are internal memos to the supervisor
        return self.public


class IndicatorItem(Audited, db.Model):
    """One item of the national assessment's list for a fiscal year (e.g. OIT "o5"), with the
    activities and links that answer it; administrators keep it, assessors read it as it is."""

    __tablename__ = "indicator_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(index=True)  # BE
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    activity_refs: Mapped[str] = mapped_column(Text, default="")  # "2:4.1.1; 2:5.1.3"
    urls: Mapped[str] = mapped_column(Text, default="")  # one per line
    position: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("fiscal_year", "code", name="year_code"),)

    @property
    def ref_list(self) -> list[str]:
        return [
            r.strip() for r in (self.activity_refs or "").replace(",", ";").split(";") if r.strip()
        ]

    @property
    def url_list(self) -> list[str]:
        return [u.strip() for u in (self.urls or "").split() if u.strip()]
