"""Making a report: the record, the PDF under REPORTS_DIR, its checksum; and acknowledging it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from ..admin.models import Office, main_office
from ..auth.models import User
from ..auth.roles import SUPERVISOR
from ..extensions import db
from ..thai import N_, FiscalQuarter, MessageError, local_today, now_utc
from . import figures, jobs, quarterly, rollup
from .models import Report


class ReportError(MessageError):
    """A report that cannot be made as asked; the message (in the page's language) says what to
    do."""


class FutureQuarterError(ReportError):
    """A quarter that has not started yet (refused on the web and on the command line alike)."""


def check_quarter(fq: FiscalQuarter) -> None:
    """Refuse a quarter that has not started: there is nothing to report yet."""
    if fq.start > local_today():
        raise FutureQuarterError(N_("ไตรมาสนี้ยังไม่เริ่ม กรุณาเลือกไตรมาสที่เริ่มแล้ว"))


def clean_book_number(text: str | None) -> str:
    """The running number typed for a memo, as it will be printed: blank, or up to 32 characters
    without line breaks (Thai or Arabic digits as typed, e.g. "๑๒๓" or "123")."""
    return " ".join((text or "").split())[:32]


def reports_dir() -> Path:
    return Path(current_app.config["REPORTS_DIR"])


def report_path(report: Report) -> Path:
    """The stored PDF of a report."""
    return reports_dir() / report.file_name


def addressee_for(office: Office) -> str:
    """Who the memo is addressed to: the position of the office's supervisor, if one is on file."""
    supervisor = db.session.scalars(
        select(User)
        .where(User.office_id == office.id, User.role == SUPERVISOR, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    ).first()
    if supervisor and supervisor.position:
        return supervisor.position
    return f"หัวหน้า{office.name}"


def sections_for(
    fq: FiscalQuarter, office: Office | None, all_offices: bool, annexes: bool = False
) -> tuple[list, Office, list | None]:
    """The report's sections (the memo's scope first, then any per-office annexes), the office
    that sends it, and the offices side by side (a province's report; None for one office)."""
    if all_offices:
        sender = main_office()  # on an empty database: unsaved, named by the settings
        offices = list(db.session.scalars(Office.ordered()))
        sections = [figures.collect(fq, None, "ภาพรวมจังหวัด (ทุกหน่วยงาน)")]
        if annexes:
            sections += [figures.collect(fq, (o.id,), o.name) for o in offices]
        return sections, sender, rollup.compare(fq, offices)
    if office is None:
        raise ReportError(N_("กรุณาเลือกหน่วยงาน หรือเลือกทุกหน่วยงาน"))
    return [figures.collect(fq, (office.id,), office.name)], office, None


def generate_quarterly(
    fq: FiscalQuarter,
    *,
    office: Office | None = None,
    all_offices: bool = False,
    user: User | None = None,
    via: str = "web",
    thai_digits: bool = True,
    book_number: str = "",
    annexes: bool = False,
) -> Report:
    """Build the quarterly report, store the PDF under REPORTS_DIR and record it (flushed, not
    committed).
    The report is an official document: in Thai whatever the language of the page it is asked from.
    ``book_number``: the number issued for the memo (blank: left to be written in by hand);
    ``annexes``: with every office's own section after a province's comparison."""
    check_quarter(fq)
    if not all_offices and office is None:
        raise ReportError(N_("กรุณาเลือกหน่วยงาน หรือเลือกทุกหน่วยงาน"))
    with force_locale("th"):
        return _generate_quarterly(
            fq,
            office,
            all_offices,
            user,
            via,
            thai_digits,
            clean_book_number(book_number),
            annexes and all_offices,
        )


def _generate_quarterly(
    fq: FiscalQuarter,
    office: Office | None,
    all_offices: bool,
    user: User | None,
    via: str,
    thai_digits: bool,
    book_number: str,
    annexes: bool,
) -> Report:
    sections, sender, offices_side_by_side = sections_for(fq, office, all_offices, annexes)
    report = Report(
        kind="quarterly",
        fiscal_year=fq.year,
        quarter=fq.quarter,
        book_number=book_number,
        annexes=annexes,
        office_id=None if all_offices else office.id,
        all_offices=all_offices,
        generated_by_id=user.id if user else None,
        generated_via=via,
        thai_digits=thai_digits,
        generated_at=now_utc(),
    )
    db.session.add(report)
    db.session.flush()  # the id goes into the file name and the footer
    meta = quarterly.ReportMeta(
        report_code=report.code,
        generated_at=report.generated_at,
        office=sender,
        addressee=addressee_for(sender),
        prepared_by_name=user.display_name if user else "",
        prepared_by_position=user.position if user else "",
        thai_digits=thai_digits,
        book_number=book_number,
    )
    scope = "all" if all_offices else office.code
    report.file_name = f"{fq.year}/{report.code}-{scope}.pdf"
    path = report_path(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    try:
        report.pages = quarterly.build_pdf(
            str(tmp),
            fq,
            sections,
            meta,
            whole=f"ศูนย์ข้อมูลข่าวสาร{sender.name}",
            rollup=offices_side_by_side,
        )
        data = tmp.read_bytes()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    report.sha256 = hashlib.sha256(data).hexdigest()
    report.size = len(data)
    db.session.flush()
    return report


def quarterly_job_params(
    fq: FiscalQuarter,
    *,
    office: Office | None,
    all_offices: bool,
    user: User | None,
    thai_digits: bool,
    book_number: str,
    annexes: bool,
) -> dict:
    """What a quarterly report job is keyed by: the same report asked twice while it is being
    made is one job (the preparer is in the key: the signature block names them)."""
    return {
        "fiscal_year": fq.year,
        "quarter": fq.quarter,
        "office_id": None if all_offices else office.id,
        "all_offices": all_offices,
        "user_id": user.id if user else None,
        "thai_digits": bool(thai_digits),
        "book_number": clean_book_number(book_number),
        "annexes": bool(annexes and all_offices),
    }


@jobs.runner("quarterly", messages=(ReportError,))
def _quarterly_job(job: jobs.ReportJob) -> None:
    """A quarterly report asked for on the web, made in the background."""
    p = job.parameters
    report = generate_quarterly(
        FiscalQuarter(p["fiscal_year"], p["quarter"]),
        office=db.session.get(Office, p["office_id"]) if p["office_id"] else None,
        all_offices=p["all_offices"],
        user=db.session.get(User, p["user_id"]) if p["user_id"] else None,
        via="web",
        thai_digits=p["thai_digits"],
        book_number=p["book_number"],
        annexes=p["annexes"],
    )
    job.report_id = report.id


def acknowledge(report: Report, user: User, note: str = "") -> None:
    """Record that a supervisor has read the report (who, when); a report is acknowledged once."""
    if report.acknowledged:
        raise ReportError(N_("รายงานนี้ได้รับการรับทราบแล้ว"))
    if user.role != SUPERVISOR:
        raise ReportError(N_("เฉพาะผู้บังคับบัญชาเท่านั้นที่รับทราบรายงานได้"))
    report.acknowledged_by_id = user.id
    report.acknowledged_at = now_utc()
    report.acknowledgement_note = note.strip()
    db.session.flush()


def file_is_intact(report: Report) -> bool:
    """Whether the stored PDF still has the checksum recorded when it was made."""
    path = report_path(report)
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == report.sha256
