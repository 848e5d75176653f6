"""Writing visits: reading what the clerk typed, computing the fee, saving, voiding."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit import with_reason
from ..catalogue.references import resolve_references
from ..extensions import db
from ..thai import (
    N_,
    OFFICE_TZ,
    DateParseError,
    MessageError,
    arabic_digits,
    local_today,
    normalize_text,
    now_utc,
    parse_thai_date,
)
from .models import FeeRate, Visit, VisitEntry, certify_rate, compute_fee_satang

# Entered more than this long after the visit, an entry is marked as back-dated.
BACKDATE_AFTER = timedelta(minutes=15)
_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:\s*น\.?)?$")


class VisitInputError(MessageError):
    """Something the clerk typed cannot be used; the message says what to type instead."""


class ListItemError(MessageError):
    """An entry of the register's lists (visitor types, purposes, fee rates) that cannot be saved;
    the message says what to change."""


@dataclass
class VisitData:
    """A visit's values, already checked, whether they came from the form or an imported row."""

    visitor_type_id: int
    purpose_id: int
    channel: str = "walk_in"
    outcome: str = "full"
    entry_ids: tuple[int, ...] = ()
    pages_copied: int = 0
    pages_certified: int = 0
    fee_rate_id: int | None = None
    fee_waived: bool = False
    waiver_reason: str | None = None
    visitor_name: str | None = None
    visitor_contact: str | None = None
    satisfaction: int | None = None
    note: str = ""
    visited_at: datetime | None = None  # None = now
    backdated: bool = False


def parse_visit_time(text: str | None, now: datetime | None = None) -> tuple[datetime, bool]:
    """When the visit happened, from "", "14:30", "29/04/2563" or "29/04/2563 14:30"; and whether
    that is back-dated. Raises VisitInputError (Thai) for an unreadable or future time."""
    now = now or now_utc()
    raw = arabic_digits(normalize_text(text or "")).strip()
    if not raw:
        return now, False
    day, clock = local_today(), None
    parts = raw.rsplit(" ", 1)
    if m := _TIME_RE.match(raw):
        clock = m
    elif len(parts) == 2 and (m := _TIME_RE.match(parts[1])):
        clock, raw_day = m, parts[0]
        day = _parse_day(raw_day)
    else:
        day = _parse_day(raw)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour > 23 or minute > 59:
            raise VisitInputError(
                N_("เวลา “%(text)s” ไม่ถูกต้อง กรุณาพิมพ์แบบ 24 ชั่วโมง เช่น 14:30"), text=text
            )
        at = datetime.combine(day, time(hour, minute), tzinfo=OFFICE_TZ)
    else:
        # A date without a time (paper registers often have none): noon keeps it inside that day.
        at = datetime.combine(day, time(12, 0), tzinfo=OFFICE_TZ)
    if at > now + timedelta(minutes=5):
        raise VisitInputError(
            N_("วันเวลาที่มาติดต่อเป็นเวลาในอนาคต กรุณาตรวจสอบ หรือเว้นว่างไว้เพื่อใช้เวลาขณะนี้")
        )
    return at, now - at > BACKDATE_AFTER


def _parse_day(text: str):
    try:
        return parse_thai_date(text)
    except DateParseError as exc:
        raise VisitInputError(N_("%(error)s (หรือพิมพ์เฉพาะเวลา เช่น 14:30)"), error=exc) from None


def resolve_entries(
    text: str | None, office_ids: list[int] | None = None
) -> tuple[list[int], list[str]]:
    """Index entry ids from what was typed: "#12" (an entry id) or a reference number
    ("นว 0017/123"),
    among the entries of ``office_ids`` and the public ones. Returns (ids, Thai error messages)."""
    return resolve_references(text, office_ids)


def entries_text(visit: Visit) -> str:
    """The consulted entries as the form shows them: "#12, #40"."""
    return ", ".join(f"#{i}" for i in visit.entry_ids)


def check_copies(data: VisitData) -> list[str]:
    """Messages (in the page's language) for copy and fee values that do not fit together."""
    errors = []
    if data.pages_certified > data.pages_copied:
        errors.append(
            _("จำนวนหน้ารับรองต้องไม่เกินจำนวนหน้าสำเนาทั้งหมด (นับหน้าที่รับรองรวมอยู่ในจำนวนหน้าสำเนาด้วย)")
        )
    if data.pages_copied and not data.fee_rate_id:
        errors.append(_("กรุณาเลือกขนาดกระดาษเพื่อคำนวณค่าธรรมเนียม"))
    if data.fee_waived and not (data.waiver_reason or "").strip():
        errors.append(_("กรุณาระบุเหตุผลที่ยกเว้นค่าธรรมเนียม เช่น ผู้มีรายได้น้อย"))
    return errors


def fee_for(data: VisitData) -> int:
    """The fee in satang from the current fee table."""
    if not data.pages_copied:
        return 0
    rate = db.session.get(FeeRate, data.fee_rate_id) if data.fee_rate_id else None
    return compute_fee_satang(data.pages_copied, data.pages_certified, rate, certify_rate())


# The values a visit takes from the checked data unchanged (the others are worked out in apply).
_AS_TYPED = (
    "visitor_type_id",
    "purpose_id",
    "channel",
    "outcome",
    "pages_copied",
    "pages_certified",
    "satisfaction",
)


def apply(visit: Visit, data: VisitData) -> Visit:
    """Copy checked values onto a (new or existing) visit, recomputing the fee; the caller
    commits."""
    fee = fee_for(data)  # queries first, so autoflush cannot split the change into two audit rows
    old_entry_ids = set(visit.entry_ids)
    for name in _AS_TYPED:
        setattr(visit, name, getattr(data, name))
    visit.fee_rate_id = data.fee_rate_id if data.pages_copied else None
    visit.fee_satang = fee
    visit.fee_waived = bool(data.fee_waived and visit.fee_satang)
    visit.waiver_reason = (data.waiver_reason or "").strip() or None if visit.fee_waived else None
    visit.visitor_name = (data.visitor_name or "").strip() or None
    visit.visitor_contact = (data.visitor_contact or "").strip() or None
    visit.note = (data.note or "").strip()
    if data.visited_at is not None:
        visit.visited_at = data.visited_at
        visit.backdated = data.backdated
    keep = set(data.entry_ids)
    visit.entries = [link for link in visit.entries if link.entry_id in keep] + [
        VisitEntry(entry_id=i) for i in data.entry_ids if i not in old_entry_ids
    ]
    return visit


def record_visit(
    data: VisitData, office_id: int, served_by_id: int | None, source: str = "counter"
) -> Visit:
    """Save a new visit to the office's register (flushed, so it has its number; the caller
    commits)."""
    visit = Visit(office_id=office_id, served_by_id=served_by_id, source=source)
    db.session.add(apply(visit, data))
    db.session.flush()
    return visit


def void(visit: Visit, reason: str, user_id: int | None) -> None:
    """Void a visit: kept in the register, out of every statistic; the reason stays on the visit
    (it may name the visitor, so the audit log records only that a reason was given)."""
    visit.voided_at = now_utc()
    visit.voided_by_id = user_id
    visit.void_reason = reason.strip()
    with_reason(db.session, "ยกเลิกรายการผู้ใช้บริการ")


def _code_taken(model, code: str, own=None) -> bool:
    """Whether another row of ``model`` (a list entry or a fee rate) already has ``code``."""
    stmt = select(model.id).where(model.code == code)
    if own is not None:
        stmt = stmt.where(model.id != own.id)
    return db.session.scalar(stmt.limit(1)) is not None


def save_list_item(model, item, kind: str, name: str, code: str, sort_order: int, active: bool):
    """Create or change an entry of a register list (VisitorType or VisitPurpose); a blank code
    keeps the entry's own or makes one from ``kind``; ListItemError when the code is taken. The
    caller commits."""
    code = code.strip() or (item.code if item else None)
    if code is None:
        code = f"{kind[:-1]}{(db.session.scalar(select(func.max(model.id))) or 0) + 1}"
    if _code_taken(model, code, item):
        raise ListItemError(N_("รหัสนี้ถูกใช้แล้ว กรุณาใช้รหัสอื่น หรือเว้นว่างให้ระบบกำหนด"))
    item = item or model()
    item.name, item.code = name.strip(), code
    item.sort_order, item.active = sort_order, active
    db.session.add(item)
    return item


def save_fee_rate(
    rate: FeeRate | None,
    name: str,
    code: str,
    kind: str,
    satang: int,
    sort_order: int,
    active: bool,
) -> FeeRate:
    """Create or change a fee rate (it applies to visits saved from now on); a blank code keeps
    the rate's own or makes one from the amount; ListItemError when the code is taken. The caller
    commits."""
    code = code.strip() or (rate.code if rate else f"rate{satang}-{kind}")
    if _code_taken(FeeRate, code, rate):
        raise ListItemError(N_("รหัสนี้ถูกใช้แล้ว กรุณาใช้รหัสอื่น"))
    rate = rate or FeeRate()
    rate.name, rate.code, rate.kind, rate.satang = name.strip(), code, kind, satang
    rate.sort_order, rate.active = sort_order, active
    db.session.add(rate)
    return rate
