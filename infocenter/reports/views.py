"""Staff pages: make a quarterly report, list and download past ones, acknowledge (supervisors),
and print the index (ดัชนีข้อมูลข่าวสาร) for the counter."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from .. import nav
from ..admin.models import Office
from ..auth.roles import ADMIN, CLERK, SUPERVISOR, roles_required, staff_required
from ..extensions import db
from ..forms import choices
from ..i18n import display_digits
from ..thai import FiscalQuarter, local_today
from .forms import ALL_OFFICES, AcknowledgeForm, IndexPrintForm, QuarterlyForm
from .models import Report
from .operations import (
    FutureQuarterError,
    ReportError,
    acknowledge,
    file_is_intact,
    generate_quarterly,
    report_path,
)
from .printed_index import PublicBaseUrlMissing, failure_reason
from .printed_index import printed_index as printed_index_job

bp = Blueprint("reports", __name__, url_prefix="/reports")

nav.add("reports.index", "รายงานรายไตรมาส", (ADMIN, CLERK, SUPERVISOR), order=60)

PER_PAGE = 20


def _offices() -> list[Office]:
    return Office.visible_to(current_user)


def _office_choices(with_all: bool) -> list:
    pairs = [(str(o.id), o.name) for o in _offices()]
    if with_all and current_user.visible_office_ids() is None:
        pairs.insert(0, (ALL_OFFICES, _("ทุกหน่วยงานและภาพรวมจังหวัด")))
    return choices(pairs)


def _visible_reports():
    ids = current_user.visible_office_ids()
    stmt = select(Report).order_by(Report.generated_at.desc(), Report.id.desc())
    if ids is not None:
        stmt = stmt.where(Report.office_id.in_(ids), Report.all_offices.is_(False))
    return stmt


def _report(report_id: int) -> Report:
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    ids = current_user.visible_office_ids()
    if ids is not None and (report.all_offices or report.office_id not in ids):
        abort(404)
    return report


@bp.route("/", methods=["GET", "POST"])
@staff_required
def index():
    """The reports page: the form to make one, and every past report with its acknowledgement."""
    form = QuarterlyForm()
    form.office.choices = _office_choices(with_all=True)
    if request.method == "GET":
        current = FiscalQuarter.of(local_today()).previous()  # the quarter usually reported on
        form.fiscal_year.data = form.fiscal_year.data or current.year
        form.quarter.data = str(current.quarter)
        if current_user.visible_office_ids() is not None:
            form.office.data = str(current_user.office_id)
    if form.validate_on_submit():
        fq = FiscalQuarter(form.fiscal_year.data, int(form.quarter.data))
        all_offices = form.office.data == ALL_OFFICES
        office = None if all_offices else db.session.get(Office, int(form.office.data))
        try:
            report = generate_quarterly(
                fq,
                office=office,
                all_offices=all_offices,
                user=current_user,
                via="web",
                thai_digits=form.thai_digits.data,
                book_number=form.book_number.data,
                annexes=form.annexes.data,
            )
        except FutureQuarterError as exc:  # said next to the quarter, as the web always did
            db.session.rollback()
            form.quarter.errors = [str(exc)]
        except ReportError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(
                ngettext(
                    "จัดทำรายงาน %(code)s แล้ว (%(num)d หน้า)",
                    "จัดทำรายงาน %(code)s แล้ว (%(num)d หน้า)",
                    report.pages,
                    code=report.code,
                ),
                "success",
            )
            return redirect(url_for(".index", _anchor=f"report-{report.id}"))
    page = db.paginate(
        _visible_reports(),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    index_form = IndexPrintForm(formdata=None)
    index_form.office.choices = _office_choices(with_all=False)
    index_form.office.data = str(current_user.office_id)
    return render_template(
        "reports/index.html",
        form=form,
        page=page,
        ack_form=AcknowledgeForm(formdata=None),
        index_form=index_form,
        intact=file_is_intact,
    )


@bp.route("/<int:report_id>.pdf")
@staff_required
def download(report_id: int):
    """The stored PDF, exactly as it was made."""
    report = _report(report_id)
    path = report_path(report)
    if not path.is_file():
        flash(_("ไม่พบไฟล์ของรายงานนี้ในที่จัดเก็บ กรุณาแจ้งผู้ดูแลระบบ หรือจัดทำรายงานใหม่"), "danger")
        return redirect(url_for(".index"))
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=path.name)


@bp.post("/<int:report_id>/acknowledge")
@roles_required(SUPERVISOR)
def acknowledge_report(report_id: int):
    """A supervisor marks the report as read: the evidence of "a copy to the supervisor"."""
    report = _report(report_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        flash(_("บันทึกยาวเกินไป กรุณาย่อให้ไม่เกิน %(max)s ตัวอักษร", max=display_digits("2,000")), "danger")
        return redirect(url_for(".index"))
    try:
        acknowledge(report, current_user, form.note.data or "")
    except ReportError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash(_("บันทึกการรับทราบรายงาน %(code)s แล้ว", code=report.code), "success")
    return redirect(url_for(".index", _anchor=f"report-{report.id}"))


@bp.route("/printed-index.pdf")
@staff_required
def printed_index():
    """The printed index of one office, for the counter: built here when small, otherwise in the
    background while this page waits and asks again (kept for the day until an entry changes)."""
    form = IndexPrintForm(request.args, meta={"csrf": False})
    form.office.choices = _office_choices(with_all=False)
    if not form.validate():
        flash(_("กรุณาเลือกหน่วยงานที่จะพิมพ์ดัชนี"), "danger")
        return redirect(url_for(".index"))
    office = db.session.get(Office, int(form.office.data))
    try:
        state, path = printed_index_job(office)
    except PublicBaseUrlMissing as exc:
        flash(str(exc), "danger")
        return redirect(url_for(".index"))
    if state == "failed":
        flash(
            _(
                "จัดทำดัชนีไม่สำเร็จ (%(reason)s) กรุณาลองอีกครั้ง หรือแจ้งผู้ดูแลระบบ",
                reason=failure_reason(path),
            ),
            "danger",
        )
        return redirect(url_for(".index"))
    if state == "running":
        return render_template("reports/printed_index_wait.html", office=office), 202
    # Read whole (under a megabyte for a thousand entries): no file left open by a client that goes.
    return send_file(
        io.BytesIO(path.read_bytes()),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"index-{office.code}-{local_today():%Y%m%d}.pdf",
    )
