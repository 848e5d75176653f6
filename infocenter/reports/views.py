"""Staff pages: make a quarterly report, list and download past ones, acknowledge (supervisors),
and print the index (ดัชนีข้อมูลข่าวสาร) for the counter."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import nav
from ..admin.models import Office
from ..auth.roles import ADMIN, CLERK, SUPERVISOR, roles_required, staff_required
from ..extensions import db
from ..forms import choices
from ..i18n import display_digits
from ..thai import FiscalQuarter, local_today
from . import jobs
from .forms import ALL_OFFICES, AcknowledgeForm, IndexPrintForm, QuarterlyForm
from .models import Report
from .operations import (
    FutureQuarterError,
    ReportError,
    acknowledge,
    check_quarter,
    file_is_intact,
    quarterly_job_params,
    report_path,
    reports_dir,
)
from .printed_index import PublicBaseUrlMissing
from .printed_index import printed_index as printed_index_or_job

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
    report = db.get_or_404(Report, report_id)
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
            check_quarter(fq)  # said next to the quarter, before anything starts
        except FutureQuarterError as exc:
            form.quarter.errors = [str(exc)]
        else:
            # Made in the background: the status page says how it goes and offers the file.
            job = jobs.start(
                "quarterly",
                quarterly_job_params(
                    fq,
                    office=office,
                    all_offices=all_offices,
                    user=current_user,
                    thai_digits=form.thai_digits.data,
                    book_number=form.book_number.data,
                    annexes=form.annexes.data,
                ),
                office_id=None if all_offices else office.id,
                user_id=current_user.id,
            )
            return redirect(url_for(".job", job_id=job.id))
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
    """The printed index of one office, for the counter: made here when small, otherwise by a
    background job whose status page asks again (kept for the day until an entry changes)."""
    form = IndexPrintForm(request.args, meta={"csrf": False})
    form.office.choices = _office_choices(with_all=False)
    if not form.validate():
        flash(_("กรุณาเลือกหน่วยงานที่จะพิมพ์ดัชนี"), "danger")
        return redirect(url_for(".index"))
    office = db.session.get(Office, int(form.office.data))
    try:
        result = printed_index_or_job(office, user_id=current_user.id)
    except PublicBaseUrlMissing as exc:
        flash(str(exc), "danger")
        return redirect(url_for(".index"))
    if isinstance(result, jobs.ReportJob):
        return redirect(url_for(".job", job_id=result.id))
    return _send_index(result, office)


def _send_index(path, office: Office):
    # Read whole (under a megabyte for a thousand entries): no file left open by a client that goes.
    return send_file(
        io.BytesIO(path.read_bytes()),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"index-{office.code}-{local_today():%Y%m%d}.pdf",
    )


# --- background jobs: their status page, polled by the browser, and their file ------------------


def _job(job_id: int) -> jobs.ReportJob:
    """A job the user may see: their own, or one about an office they see (all: those who see
    every office); any other is 404, as for reports."""
    job = db.get_or_404(jobs.ReportJob, job_id)
    ids = current_user.visible_office_ids()
    if job.requested_by_id != current_user.id and ids is not None:
        if job.office_id is None or job.office_id not in ids:
            abort(404)
    return jobs.check_stale(job)


def _job_view(job: jobs.ReportJob) -> dict:
    """What the status page and its JSON say about a job."""
    report = db.session.get(Report, job.report_id) if job.report_id else None
    office = db.session.get(Office, job.office_id) if job.office_id else None
    if job.kind == "quarterly":
        p = job.parameters
        fq = FiscalQuarter(p["fiscal_year"], p["quarter"])
        quarter = _(
            "ไตรมาสที่ %(quarter)s ปีงบประมาณ %(year)s",
            quarter=display_digits(str(fq.quarter)),
            year=display_digits(str(fq.year)),
        )
        scope = office.name if office else _("ทุกหน่วยงานและภาพรวมจังหวัด")
        what = _("รายงานสถิติการให้บริการ %(quarter)s (%(scope)s)", quarter=quarter, scope=scope)
    else:
        what = _("ดัชนีข้อมูลข่าวสารของ%(office)s", office=office.name if office else "-")
    download = None
    if job.status == jobs.DONE:
        download = (
            url_for(".download", report_id=report.id)
            if report is not None
            else url_for(".job_file", job_id=job.id)
        )
    return {
        "status": job.status,
        "label": job.status_label,
        "what": what,
        "message": _(job.message) if job.message else "",
        "download": download,
        "report": report,
    }


@bp.route("/jobs/<int:job_id>")
@staff_required
def job(job_id: int):
    """A background document's status: asks again by itself (fetch, or a refresh without
    JavaScript) until it is done, then offers the file; a failure says why."""
    job = _job(job_id)
    return render_template("reports/job.html", job=job, **_job_view(job))


@bp.route("/jobs/<int:job_id>.json")
@staff_required
def job_status(job_id: int):
    view = _job_view(_job(job_id))
    view.pop("report")
    return jsonify(view)


@bp.route("/jobs/<int:job_id>/file")
@staff_required
def job_file(job_id: int):
    """The file a finished job made (a report's goes through its own download)."""
    job = _job(job_id)
    if job.status != jobs.DONE:
        return redirect(url_for(".job", job_id=job.id))
    if job.report_id:
        return redirect(url_for(".download", report_id=job.report_id))
    path = report_path_of(job)
    if path is None or not path.is_file():
        flash(_("ไม่พบไฟล์ที่จัดทำไว้ (อาจมีการแก้ไขรายการหลังจากนั้น) กรุณาสั่งจัดทำอีกครั้ง"), "warning")
        return redirect(url_for(".index"))
    return _send_index(path, db.session.get(Office, job.office_id))


def report_path_of(job: jobs.ReportJob):
    """The job's file under REPORTS_DIR (None when it made none or the name leaves the folder)."""
    if not job.result_file:
        return None
    root = reports_dir().resolve()
    path = (root / job.result_file).resolve()
    return path if path.is_relative_to(root) else None
