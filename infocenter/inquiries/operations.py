"""Writes on requests that touch several tables: intake with its tracking number, status steps,
closing with the outcome and its grounds, and the e-mails that tell people about them."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..admin.models import Office
from ..auth.models import User
from ..catalogue.models import WITHHOLDING_GROUNDS, IndexEntry
from ..extensions import db
from ..i18n import current_language, display_date
from ..mail import send_mail
from ..thai import N_, MessageError, fiscal_year, local_today, now_utc, to_local
from ..urls import absolute_url
from .deadlines import DeadlineRule, ensure_holidays
from .models import (
    CHANNELS,
    GROUNDS,
    OUTCOMES,
    REQUESTER_LANGUAGES,
    STATUSES,
    Holiday,
    Inquiry,
    InquiryCounter,
    InquiryEvent,
    InquiryFile,
    InquiryGround,
    InquiryNote,
)

# The status machine: which step may follow which.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("acknowledged", "closed"),
    "acknowledged": ("in_progress", "waiting", "extended", "closed"),
    "in_progress": ("waiting", "extended", "closed"),
    "waiting": ("resume", "closed"),  # "resume" goes back to the status before waiting
    "extended": ("in_progress", "waiting", "extended", "closed"),
    "closed": (),
}
ACTION_LABELS = {
    "acknowledged": _l("ตอบรับคำขอ"),
    "in_progress": _l("เริ่มดำเนินการ"),
    "waiting": _l("รอผู้ขอ (ชี้แจง/ชำระค่าธรรมเนียม)"),
    "resume": _l("ผู้ขอตอบกลับแล้ว ดำเนินการต่อ"),
    "extended": _l("ขยายระยะเวลา"),
    "closed": _l("ปิดคำขอพร้อมผลการพิจารณา"),
}


class InquiryError(MessageError):
    """A step that cannot be taken; the message (in the page's language) says why and what to do."""


@dataclass(frozen=True)
class NewInquiry:
    """What intake needs to open a request."""

    office_id: int
    channel: str
    requester_name: str
    subject: str
    received_at: datetime | None = None
    requester_email: str = ""
    requester_phone: str = ""
    requester_address: str = ""
    purpose: str = ""
    assigned_to_id: int | None = None
    visit_id: int | None = None
    entry_ids: tuple[int, ...] = ()
    is_demo: bool = False
    language: str = "th"  # the requester's: e-mails about the request are written in it


def hash_secret(secret: str) -> str:
    """The stored form of a status secret (the secret itself is shown once and never kept)."""
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def normalize_contact(text: str) -> str:
    """An e-mail address in lower case, or a phone number as its digits only."""
    text = (text or "").strip().lower()
    if "@" in text:
        return text
    return re.sub(r"\D", "", text)


def tracking_number(office_code: str, year_be: int, seq: int) -> str:
    """ "NSW-2568-00042": office code, BE fiscal year, sequence; easy to read aloud."""
    return f"{office_code.upper()}-{year_be}-{seq:05d}"


def next_sequence(office_id: int, year_be: int) -> int:
    """The next number of an office's fiscal year, taken atomically in the current transaction.

    One statement inserts the counter row or increments it and returns the new value
    (INSERT … ON CONFLICT DO UPDATE … RETURNING on SQLite ≥ 3.35 and PostgreSQL): the row stays
    locked until commit, so two clerks saving at the same moment get consecutive numbers.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(InquiryCounter).values(office_id=office_id, fiscal_year=year_be, n=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["office_id", "fiscal_year"], set_={"n": InquiryCounter.n + 1}
    ).returning(InquiryCounter.n)
    return int(db.session.execute(stmt).scalar_one())


def _actor(user: User | None) -> tuple[int | None, str]:
    if user is not None:
        return user.id, user.display_name
    return None, "ผู้ขอ (ออนไลน์)" if has_request_context() else "ระบบ"


def create_inquiry(data: NewInquiry, user: User | None = None) -> tuple[Inquiry, str]:
    """Open a request: number it, compute its due date, record the first step. Returns the request
    and its status secret (to show once). The caller commits."""
    if data.channel not in CHANNELS:
        raise InquiryError(N_("ช่องทางการยื่นคำขอไม่ถูกต้อง"))
    office = db.session.get(Office, data.office_id)
    if office is None:
        raise InquiryError(N_("ไม่พบสำนักงานที่เลือก กรุณาเลือกใหม่"))
    received_at = data.received_at or now_utc()
    year_be = fiscal_year(received_at)
    # Number first: on SQLite this takes the write lock before anything else is written.
    seq = next_sequence(office.id, year_be)
    rule = DeadlineRule(office.id)
    start = rule.start_day(received_at)
    due = rule.due_from(start)
    secret = secrets.token_urlsafe(9)
    inquiry = Inquiry(
        office_id=office.id,
        fiscal_year=year_be,
        seq=seq,
        tracking_no=tracking_number(office.code, year_be, seq),
        channel=data.channel,
        received_at=received_at,
        start_on=start,
        requester_name=data.requester_name.strip(),
        requester_email=(data.requester_email or "").strip(),
        requester_phone=(data.requester_phone or "").strip(),
        requester_address=(data.requester_address or "").strip(),
        subject=data.subject.strip(),
        purpose=(data.purpose or "").strip(),
        status="received",
        due_date=due,
        base_due_date=due,
        assigned_to_id=data.assigned_to_id,
        visit_id=data.visit_id,
        secret_hash=hash_secret(secret),
        is_demo=data.is_demo,
        created_by_id=user.id if user else None,
        language=data.language if data.language in REQUESTER_LANGUAGES else "th",
    )
    if data.entry_ids:
        inquiry.entries = list(
            db.session.scalars(select(IndexEntry).where(IndexEntry.id.in_(data.entry_ids)))
        )
    db.session.add(inquiry)
    user_id, actor = _actor(user)
    with force_locale("th"):  # the note is stored: in the office's language
        note = f"รับคำขอ{CHANNELS[data.channel]}"
    inquiry.events.append(
        InquiryEvent(
            at=received_at,
            day=to_local(received_at).date(),
            from_status=None,
            to_status="received",
            user_id=user_id,
            actor=actor,
            note=note,
            due_date=due,
        )
    )
    db.session.flush()
    return inquiry, secret


def attach_file(inquiry: Inquiry, upload, user_id: int | None) -> InquiryFile:
    """Store an upload with the request's papers, checked by content like every upload (an HTML
    page named .pdf is refused with UploadError). The caller commits."""
    item = InquiryFile.from_upload(upload, user_id)
    inquiry.files.append(item)
    return item


def assign_officer(inquiry: Inquiry, user_id: int | None) -> None:
    """Name the officer responsible for a request (None: nobody yet). The caller commits."""
    inquiry.assigned_to_id = user_id


def add_staff_note(inquiry: Inquiry, text: str, user_id: int | None) -> InquiryNote:
    """A staff note on a request (a supervisor's instruction, a clerk's memo). The caller
    commits."""
    note = InquiryNote(user_id=user_id, text=text.strip())
    inquiry.notes.append(note)
    return note


def add_holiday(day: date, name: str, office_id: int | None) -> Holiday:
    """Add a public holiday (``office_id`` None) or an office's day off. The admin edits the
    year's copied holidays, so they are copied first if this is the year's first edit; a day
    already listed raises InquiryError (the copy stands: the caller commits either way)."""
    ensure_holidays(day.year)
    clash = db.session.scalars(
        select(Holiday).where(
            Holiday.day == day,
            Holiday.office_id.is_(None) if office_id is None else Holiday.office_id == office_id,
        )
    ).first()
    if clash:
        raise InquiryError(N_("วันนี้มีอยู่ในตารางแล้ว (%(name)s)"), name=clash.display_name)
    holiday = Holiday(day=day, name=name.strip(), office_id=office_id, source="admin")
    db.session.add(holiday)
    return holiday


def remove_holiday(holiday: Holiday) -> None:
    """Take a day off the holiday table (a copied public holiday the office works on). The caller
    commits."""
    db.session.delete(holiday)


def allowed_steps(inquiry: Inquiry) -> tuple[str, ...]:
    """The steps that may follow the request's current status."""
    return TRANSITIONS.get(inquiry.status, ())


def _check_day(inquiry: Inquiry, day: date) -> None:
    received = to_local(inquiry.received_at).date()
    if day < received:
        raise InquiryError(
            N_("วันที่ของขั้นตอนต้องไม่ก่อนวันที่รับคำขอ (%(date)s)"), date=display_date(received, "short")
        )
    if day > local_today():
        raise InquiryError(N_("วันที่ของขั้นตอนต้องไม่เป็นวันในอนาคต"))


def _end_wait(inquiry: Inquiry, day: date, rule: DeadlineRule) -> None:
    """Stop the waiting clock: count the days waited and move the due dates by them."""
    since = inquiry.waiting_since or day
    if day < since:
        raise InquiryError(N_("วันที่ดำเนินการต่อต้องไม่ก่อนวันที่เริ่มรอผู้ขอ"))
    inquiry.waiting_days = (inquiry.waiting_days or 0) + (day - since).days
    inquiry.base_due_date = rule.after_wait(inquiry.base_due_date, since, day)
    inquiry.due_date = rule.after_wait(inquiry.due_date, since, day)
    inquiry.waiting_since = None


def transition(
    inquiry: Inquiry,
    step: str,
    user: User | None,
    *,
    day: date | None = None,
    note: str = "",
    new_due: date | None = None,
    outcome: str | None = None,
    grounds: list[str] | tuple[str, ...] = (),
    agency: str = "",
    fee_charged: Decimal | None = None,
    fee_waived: Decimal | None = None,
    rule: DeadlineRule | None = None,
) -> InquiryEvent:
    """Take one step of the status machine; raises InquiryError for a step not allowed now.
    The caller commits."""
    if step not in allowed_steps(inquiry):
        allowed = ", ".join(str(ACTION_LABELS[s]) for s in allowed_steps(inquiry)) or _(
            "ไม่มี (คำขอปิดแล้ว)"
        )
        target = str(ACTION_LABELS.get(step, STATUSES.get(step, step)))
        raise InquiryError(
            N_("ทำขั้นตอน “%(step)s” ไม่ได้ขณะคำขออยู่ในสถานะ “%(status)s” ขั้นตอนที่ทำได้ตอนนี้: %(allowed)s"),
            step=target,
            status=inquiry.status_label,
            allowed=allowed,
        )
    day = day or local_today()
    _check_day(inquiry, day)
    note = (note or "").strip()
    rule = rule or DeadlineRule(inquiry.office_id)
    before = inquiry.status

    if step == "acknowledged":
        inquiry.acknowledged_on = day
        inquiry.days_to_ack = max(0, (day - inquiry.start_on).days)
        inquiry.status = "acknowledged"
    elif step == "in_progress":
        inquiry.status = "in_progress"
    elif step == "waiting":
        inquiry.status_before_wait = inquiry.status
        inquiry.waiting_since = day
        inquiry.status = "waiting"
        if not note:
            raise InquiryError(N_("กรุณาระบุว่ารอผู้ขอเรื่องใด เช่น ขอให้ชี้แจงรายละเอียด หรือชำระค่าธรรมเนียม"))
    elif step == "resume":
        _end_wait(inquiry, day, rule)
        inquiry.status = inquiry.status_before_wait or "in_progress"
        inquiry.status_before_wait = None
    elif step == "extended":
        if not note:
            raise InquiryError(N_("กรุณาระบุเหตุผลของการขยายระยะเวลา"))
        if new_due is None or new_due <= inquiry.due_date:
            raise InquiryError(
                N_("กรุณาระบุวันครบกำหนดใหม่ที่หลังวันครบกำหนดเดิม (%(date)s)"),
                date=display_date(inquiry.due_date, "short"),
            )
        inquiry.extension_count = (inquiry.extension_count or 0) + 1
        inquiry.extension_reason = note
        inquiry.due_date = new_due
        inquiry.status = "extended"
    elif step == "closed":
        _close(inquiry, day, rule, outcome, grounds, agency, note, fee_charged, fee_waived)

    user_id, actor = _actor(user)
    event = InquiryEvent(
        day=day,
        from_status=before,
        to_status=inquiry.status,
        user_id=user_id,
        actor=actor,
        note=note,
        due_date=inquiry.due_date,
    )
    inquiry.events.append(event)
    db.session.flush()
    return event


def _close(
    inquiry: Inquiry,
    day: date,
    rule: DeadlineRule,
    outcome: str | None,
    grounds,
    agency: str,
    note: str,
    fee_charged: Decimal | None,
    fee_waived: Decimal | None,
) -> None:
    if outcome not in OUTCOMES:
        raise InquiryError(N_("กรุณาเลือกผลการพิจารณาคำขอ"))
    codes = sorted(set(grounds or ()))
    unknown = [g for g in codes if g not in GROUNDS]
    if unknown:
        raise InquiryError(N_("ไม่รู้จักเหตุตามกฎหมาย %(grounds)s"), grounds=", ".join(unknown))
    if outcome in ("partial", "refused"):
        codes = [g for g in codes if g in WITHHOLDING_GROUNDS]
        if not codes:
            raise InquiryError(
                N_("การปฏิเสธหรือให้ข้อมูลบางส่วนต้องระบุเหตุตามมาตรา ๑๔ หรือมาตรา ๑๕ อย่างน้อยหนึ่งข้อ")
            )
    elif outcome == "transferred":
        if not agency.strip():
            raise InquiryError(N_("กรุณาระบุหน่วยงานที่แนะนำให้ผู้ขอไปยื่นคำขอหรือที่ส่งคำขอต่อไป (มาตรา ๑๒)"))
        codes = ["12"]
    elif codes:
        raise InquiryError(
            N_("ผล “%(outcome)s” ไม่ต้องระบุเหตุตามกฎหมาย กรุณายกเลิกการเลือกเหตุ"),
            outcome=OUTCOMES[outcome],
        )
    if (fee_charged or 0) < 0 or (fee_waived or 0) < 0:
        raise InquiryError(N_("ค่าธรรมเนียมต้องไม่ติดลบ"))
    if inquiry.status == "waiting":
        _end_wait(inquiry, day, rule)
    inquiry.outcome = outcome
    inquiry.outcome_note = note
    inquiry.transfer_agency = agency.strip() if outcome == "transferred" else ""
    inquiry.grounds = [InquiryGround(ground=g) for g in codes]
    if fee_charged is not None:
        inquiry.fee_charged_satang = int((fee_charged * 100).to_integral_value())
    if fee_waived is not None:
        inquiry.fee_waived_satang = int((fee_waived * 100).to_integral_value())
    inquiry.closed_on = day
    inquiry.closed_at = now_utc()
    inquiry.days_to_close = max(0, (day - inquiry.start_on).days - (inquiry.waiting_days or 0))
    if day <= inquiry.base_due_date:
        inquiry.timeliness = "on_time"
    elif inquiry.extension_count and day <= inquiry.due_date:
        inquiry.timeliness = "extended"
    else:
        inquiry.timeliness = "late"
    inquiry.alert = None
    inquiry.status = "closed"


def find_for_status(tracking_no: str, secret: str = "", contact: str = "") -> Inquiry | None:
    """The request matching a tracking number and its secret (or the contact given), else None.

    Always hashes and compares once, found or not, so a wrong guess answers like a miss.
    """
    tracking_no = (tracking_no or "").strip().upper()
    inquiry = (
        db.session.scalars(select(Inquiry).where(Inquiry.tracking_no == tracking_no)).first()
        if tracking_no
        else None
    )
    ok = False
    if secret:
        stored = inquiry.secret_hash if inquiry else "0" * 64
        ok = hmac.compare_digest(stored, hash_secret(secret))
    elif contact and (wanted := normalize_contact(contact)):
        given = (
            [normalize_contact(inquiry.requester_email), normalize_contact(inquiry.requester_phone)]
            if inquiry
            else ["", ""]
        )
        ok = any(g and hmac.compare_digest(g, wanted) for g in given)
    return inquiry if ok and inquiry is not None else None


# --- e-mail ------------------------------------------------------------------------------------


def status_url(inquiry: Inquiry, secret: str | None = None) -> str:
    """The public status page's address (with the secret when known, i.e. only at intake)."""
    params = {"no": inquiry.tracking_no}
    if secret:
        params["key"] = secret
    if getattr(inquiry, "language", "th") != "th":  # the page opens in the language of the mail
        params["lang"] = inquiry.language
    return absolute_url("inquiries.status", **params)


def requester_language() -> str:
    """The language a request filed now is in: the page's ("th"/"en")."""
    language = current_language()
    return language if language in REQUESTER_LANGUAGES else "th"


def notify_requester(inquiry: Inquiry, secret: str | None = None) -> bool:
    """E-mail the requester the request's current status (when an address was given), in the
    language the request was filed in, whoever takes the step."""
    if not inquiry.requester_email:
        return False
    language = inquiry.language if inquiry.language in REQUESTER_LANGUAGES else "th"
    with force_locale(language):
        subject, body = requester_mail(inquiry, secret)
        return send_mail(inquiry.requester_email, subject, body)


def requester_mail(inquiry: Inquiry, secret: str | None = None) -> tuple[str, str]:
    """The subject and text of the status e-mail, in the current language."""
    lines = [
        _("เรียน %(name)s", name=inquiry.requester_name),
        "",
        _("คำขอข้อมูลข่าวสารเลขที่ %(number)s ของท่าน", number=inquiry.tracking_no),
        _("สถานะ: %(status)s", status=inquiry.status_label),
        _("วันที่รับคำขอ: %(date)s", date=display_date(inquiry.received_at, "short")),
    ]
    if inquiry.status == "closed":
        lines.append(_("ผลการพิจารณา: %(outcome)s", outcome=inquiry.outcome_label))
        for g in inquiry.grounds:
            lines.append(_("เหตุตามกฎหมาย: %(ground)s", ground=g.label))
        if inquiry.outcome in ("refused", "partial"):
            lines.append(str(REFUSAL_APPEAL))
        if inquiry.transfer_agency:
            lines.append(_("หน่วยงานที่ควรยื่นคำขอ: %(agency)s", agency=inquiry.transfer_agency))
    elif inquiry.status == "waiting":
        lines.append(_("สำนักงานรอข้อมูลหรือค่าธรรมเนียมจากท่าน ระยะเวลาพิจารณาจะหยุดนับจนกว่าจะได้รับ"))
    else:
        lines.append(_("กำหนดแล้วเสร็จ: %(date)s", date=display_date(inquiry.due_date, "short")))
    lines += ["", _("ตรวจสอบสถานะได้ที่: %(link)s", link=status_url(inquiry, secret))]
    if secret:
        lines.append(
            _("รหัสลับสำหรับตรวจสอบสถานะ: %(secret)s (โปรดเก็บไว้ ระบบจะไม่แสดงอีก)", secret=secret)
        )
    lines += ["", inquiry.office.name]
    subject = _(
        "คำขอข้อมูลข่าวสาร %(number)s: %(status)s",
        number=inquiry.tracking_no,
        status=inquiry.status_label,
    )
    return subject, "\n".join(lines)


# Also printed in the refusal letters (built in Thai, whatever the page's language).
REFUSAL_APPEAL = _l(
    "หากท่านไม่เห็นด้วยกับคำสั่งนี้ ท่านมีสิทธิอุทธรณ์ต่อคณะกรรมการวินิจฉัยการเปิดเผยข้อมูลข่าวสาร "
    "ภายในสิบห้าวันนับแต่วันที่ได้รับแจ้งคำสั่งนี้ ตามมาตรา ๑๘ แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ "
    "พ.ศ. ๒๕๔๐"
)
