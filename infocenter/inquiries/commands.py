"""`flask inquiries remind` (run daily) and `flask inquiries holidays` (seed Thai public
holidays)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from .. import settings
from ..audit import acting_as
from ..auth.models import User
from ..extensions import db
from ..mail import send_mail, smtp_configured
from ..thai import local_today, thai_date
from .deadlines import DeadlineRule, seed_holidays
from .models import OPEN_STATUSES, HolidayYear, Inquiry

inquiries_cli = AppGroup("inquiries", help="Section 11 requests: reminders and the holiday table.")


@dataclass
class ReminderResult:
    """What a reminder run found and did."""

    due_soon: int = 0
    overdue: int = 0
    cleared: int = 0
    mails_sent: int = 0
    by_officer: dict[int, list[Inquiry]] = field(default_factory=dict)


def mark_reminders(today: date | None = None) -> ReminderResult:
    """Mark open requests due within the reminder window (working days) and overdue ones; the
    clock stands still while waiting for the requester, so those are left unmarked."""
    today = today or local_today()
    window = int(settings.get("inquiry_remind_days"))
    result = ReminderResult()
    rules: dict[int, DeadlineRule] = {}
    rows = db.session.scalars(
        select(Inquiry)
        .where(Inquiry.status.in_(OPEN_STATUSES))
        .order_by(Inquiry.due_date, Inquiry.id)
    )
    for inquiry in rows:
        if inquiry.status == "waiting":
            alert = None
        elif inquiry.due_date < today:
            alert = "overdue"
        else:
            rule = rules.setdefault(inquiry.office_id, DeadlineRule(inquiry.office_id))
            alert = (
                "due_soon" if rule.working_days_until(today, inquiry.due_date) <= window else None
            )
        if alert != inquiry.alert:
            if alert is None:
                result.cleared += 1
            inquiry.alert = alert
            inquiry.alert_on = today if alert else None
        if alert == "overdue":
            result.overdue += 1
        elif alert == "due_soon":
            result.due_soon += 1
        if alert and inquiry.assigned_to_id:
            result.by_officer.setdefault(inquiry.assigned_to_id, []).append(inquiry)
    db.session.flush()
    return result


def mail_officers(result: ReminderResult, today: date) -> int:
    """E-mail each assigned officer the list of their requests that are due soon or overdue (in
    Thai: the office's working language)."""
    if not smtp_configured():
        return 0
    with force_locale("th"):
        return _mail_officers(result, today)


def _mail_officers(result: ReminderResult, today: date) -> int:
    sent = 0
    for user_id, items in result.by_officer.items():
        user = db.session.get(User, user_id)
        if user is None or not user.active or not user.email:
            continue
        lines = [
            f"เรียน {user.display_name}",
            "",
            f"คำขอข้อมูลข่าวสารที่ท่านรับผิดชอบ ณ วันที่ {thai_date(today, style='short')}:",
            "",
        ]
        for inquiry in items:
            state = "เกินกำหนด" if inquiry.alert == "overdue" else "ใกล้ครบกำหนด"
            lines.append(
                f"- {inquiry.tracking_no} ({state}) ครบกำหนด "
                f"{thai_date(inquiry.due_date, style='short')}: "
                f"{inquiry.subject[:80]}"
            )
        lines += ["", "กรุณาดำเนินการหรือบันทึกการขยายระยะเวลาพร้อมเหตุผลในระบบศูนย์ข้อมูลข่าวสาร"]
        overdue = sum(1 for i in items if i.alert == "overdue")
        subject = f"แจ้งเตือนคำขอข้อมูลข่าวสาร: เกินกำหนด {overdue} ใกล้ครบกำหนด {len(items) - overdue}"
        if send_mail(user.email, subject, "\n".join(lines)):
            sent += 1
    return sent


@inquiries_cli.command("remind")
@click.option(
    "--today", "today_text", default=None, help="Run as if today were this date (YYYY-MM-DD)."
)
def remind(today_text: str | None):
    """Mark requests due within the reminder window and overdue ones; e-mail the assigned
    officers."""
    today = date.fromisoformat(today_text) if today_text else local_today()
    with acting_as("cli:inquiries remind"):
        result = mark_reminders(today)
        db.session.commit()
        result.mails_sent = mail_officers(result, today)
    click.echo(
        f"overdue: {result.overdue}, due soon: {result.due_soon}, cleared: {result.cleared}, "
        f"e-mails sent: {result.mails_sent}"
        + ("" if smtp_configured() else " (SMTP_HOST not set: no e-mail)")
    )


@inquiries_cli.command("holidays")
@click.option(
    "--year",
    "years",
    type=int,
    multiple=True,
    help="Calendar year (CE); repeat for several. Default: this year and next.",
)
def holidays(years: tuple[int, ...]):
    """Copy Thai public holidays from the `holidays` package into the holiday table (admins edit
    it)."""
    years = years or (local_today().year, local_today().year + 1)
    with acting_as("cli:inquiries holidays"):
        for year in years:
            added = seed_holidays(year)
            if db.session.get(HolidayYear, year) is None:
                db.session.add(HolidayYear(year=year))
            click.echo(f"{year}: {added} holidays added")
        db.session.commit()
