"""Request pages: public intake and status at /requests, and the staff's lists, request page and
steps."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import or_, select

from .. import nav
from ..admin.models import Office
from ..auth.models import User
from ..auth.roles import ADMIN, CLERK, SUPERVISOR, roles_required, visible_or_404
from ..catalogue.references import resolve_references
from ..extensions import db
from ..forms import choices
from ..i18n import current_language, display_date
from ..security import bounded_int, limited
from ..thai import OFFICE_TZ, be_year, local_today, now_utc
from ..uploads import UploadError
from ..usage.record import record as record_usage
from ..viewhelpers import saved, show_errors
from .deadlines import ensure_holidays, package_holidays
from .forms import (
    AssignForm,
    FileForm,
    HolidayForm,
    NoteForm,
    PublicInquiryForm,
    StaffInquiryForm,
    StatusForm,
    StepForm,
)
from .models import (
    OPEN_STATUSES,
    STATUSES,
    Holiday,
    HolidayYear,
    Inquiry,
    InquiryFile,
)
from .operations import (
    ACTION_LABELS,
    InquiryError,
    NewInquiry,
    add_holiday,
    add_staff_note,
    allowed_steps,
    assign_officer,
    attach_file,
    create_inquiry,
    find_for_status,
    notify_requester,
    remove_holiday,
    requester_language,
    status_url,
    transition,
)

bp = Blueprint("inquiries", __name__, url_prefix="/requests")

STAFF = (ADMIN, CLERK, SUPERVISOR)
WORKERS = (ADMIN, CLERK)  # supervisors read; clerks and admins act

nav.add("inquiries.new", "ยื่นคำขอข้อมูลข่าวสาร", order=30)
nav.add("inquiries.index", "คำขอข้อมูลข่าวสาร", STAFF, order=30)


def _register_counter_button() -> None:
    """A "turn into a Section 11 request" button on each row of the counter's visit list."""
    try:
        from ..counter.views import add_visit_action
    except ImportError:  # the counter feature is not installed
        return
    from .counter_link import visits_with_inquiry

    add_visit_action("inquiries.create", _l("เปิดคำขอตามมาตรา ๑๑"), hidden_for=visits_with_inquiry)


_register_counter_button()

PDPA_NOTICE = _l(
    "สำนักงานเก็บชื่อและช่องทางติดต่อของท่านเพื่อพิจารณาและตอบคำขอข้อมูลข่าวสารตามมาตรา ๑๑ "
    "แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐ ซึ่งเป็นภารกิจของรัฐ (มาตรา ๒๔ (๔) "
    "แห่งพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒) ใช้เพื่อการนี้เท่านั้น ไม่เปิดเผยแก่ผู้อื่น "
    "เว้นแต่กฎหมายกำหนด และเก็บไว้ตามระยะเวลาที่สำนักงานกำหนด จากนั้นจะลบชื่อและช่องทางติดต่อ "
    "โดยเก็บไว้เฉพาะสถิติที่ไม่ระบุตัวบุคคล ท่านไม่ต้องให้เลขประจำตัวประชาชน"
)


# --- helpers -----------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="inquiry-form-started")


def _visible_offices() -> list[Office]:
    return Office.visible_to(current_user)


def _officer_choices(office_ids: list[int]) -> list[tuple[int, str]]:
    users = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.office_id.in_(office_ids))
        .order_by(User.full_name, User.username)
    )
    return [(0, _("— ยังไม่มอบหมาย —"))] + [
        (u.id, f"{u.display_name} ({u.role_label})") for u in users
    ]


def _get_visible(inquiry_id: int) -> Inquiry:
    return visible_or_404(Inquiry, inquiry_id)


def _scoped(stmt):
    ids = current_user.visible_office_ids()
    return stmt if ids is None else stmt.where(Inquiry.office_id.in_(ids))


def _new_inquiry(form, **fields) -> NewInquiry:
    """A request as typed into the public form or the staff intake form (the requester's fields
    are the same in both); ``fields`` are what only one of them has."""
    return NewInquiry(
        office_id=form.office_id.data,
        requester_name=form.requester_name.data,
        requester_email=form.requester_email.data or "",
        requester_phone=form.requester_phone.data or "",
        requester_address=form.requester_address.data or "",
        subject=form.subject.data,
        purpose=form.purpose.data or "",
        **fields,
    )


def _no_store(body: str):
    """Status pages hold personal data and secrets: not cached, no referrer sent onwards."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- public: intake ----------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@limited("RATELIMIT_REQUESTS", methods=("POST",))
def new():
    offices = list(db.session.scalars(Office.ordered()))
    if not offices:
        # A new installation before its first office is set up: say so, save nothing.
        return render_template("inquiries/public_new.html", form=None)
    form = PublicInquiryForm()
    form.office_id.choices = choices([(o.id, o.name) for o in offices])
    if request.method == "GET":
        form.office_id.data = db.session.scalar(Office.main_query(Office.id))
    if form.validate_on_submit():
        problem = _spam_problem(form)
        if problem:
            form.website.data = ""
            form.form_errors.append(problem)
        else:
            data = _new_inquiry(form, channel="online", language=requester_language())
            inquiry, secret = create_inquiry(data)
            db.session.commit()
            record_usage("request", office_id=inquiry.office_id)
            notify_requester(inquiry, secret)
            session["inquiry_receipt"] = {"no": inquiry.tracking_no, "key": secret}
            return redirect(url_for("inquiries.submitted"))
    # A fresh signed start time each time the form is shown (also after an error).
    form.started.data = _serializer().dumps(time.time())
    return render_template("inquiries/public_new.html", form=form, notice=PDPA_NOTICE)


def _spam_problem(form: PublicInquiryForm) -> str | None:
    """Why this submission looks automated, or None: the hidden field filled, or sent too fast."""
    if (form.website.data or "").strip():
        return _("ช่อง “เว็บไซต์” ต้องเว้นว่างไว้ กรุณาลบข้อความในช่องนั้นแล้วส่งอีกครั้ง")
    try:
        started = float(_serializer().loads(form.started.data or "", max_age=24 * 3600))
    except SignatureExpired:
        return _("แบบฟอร์มนี้เปิดไว้นานเกินไป กรุณาตรวจสอบข้อมูลแล้วกดส่งอีกครั้ง")
    except (BadSignature, ValueError, TypeError):
        return _("แบบฟอร์มไม่สมบูรณ์ กรุณาตรวจสอบข้อมูลแล้วกดส่งอีกครั้ง")
    if time.time() - started < float(current_app.config.get("INQUIRY_MIN_FILL_SECONDS", 3)):
        return _("ระบบได้รับแบบฟอร์มเร็วผิดปกติ กรุณาตรวจสอบข้อมูลอีกครั้งแล้วกดส่ง")
    return None


@bp.route("/new/done")
def submitted():
    receipt = session.pop("inquiry_receipt", None)
    if not receipt:
        return redirect(url_for("inquiries.status"))
    inquiry = db.session.scalars(
        select(Inquiry).where(Inquiry.tracking_no == receipt["no"])
    ).first()
    if inquiry is None:
        abort(404)
    link = status_url(inquiry, receipt["key"])
    return _no_store(
        render_template(
            "inquiries/public_done.html", inquiry=inquiry, secret=receipt["key"], link=link
        )
    )


# --- public: status ----------------------------------------------------------------------------


@bp.route("/status", methods=["GET", "POST"])
@limited("RATELIMIT_REQUEST_STATUS")
def status():
    form = StatusForm()
    inquiry = None
    looked_up = False
    if request.method == "GET" and request.args.get("no"):
        form = StatusForm(formdata=None, no=request.args.get("no", ""))
        key = request.args.get("key", "")
        if key:
            looked_up = True
            inquiry = find_for_status(request.args["no"], secret=key)
    elif form.validate_on_submit():
        looked_up = True
        inquiry = find_for_status(
            form.no.data,
            secret=(form.key.data or "").strip(),
            contact=(form.contact.data or "").strip(),
        )
    steps = []
    if inquiry is not None:
        steps = [(e.day, e.to_label) for e in inquiry.events]
    return _no_store(
        render_template(
            "inquiries/public_status.html",
            form=form,
            inquiry=inquiry,
            looked_up=looked_up,
            steps=steps,
            today=local_today(),
        )
    )


# --- staff: lists ------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*STAFF)
def index():
    offices = _visible_offices()
    wanted = request.args.get("status", "open")
    office_id = request.args.get("office", type=int)
    start, end, period_error = _period_args()
    stmt = _scoped(select(Inquiry))
    if wanted == "open":
        stmt = stmt.where(Inquiry.status.in_(OPEN_STATUSES))
    elif wanted == "overdue":
        stmt = stmt.where(
            Inquiry.status.in_(OPEN_STATUSES),
            Inquiry.status != "waiting",
            Inquiry.due_date < local_today(),
        )
    elif wanted in STATUSES:
        stmt = stmt.where(Inquiry.status == wanted)
    if office_id:
        stmt = stmt.where(Inquiry.office_id == office_id)
    if query := request.args.get("q", "").strip():
        stmt = stmt.where(_search_filter(query))
    if start:
        stmt = stmt.where(
            Inquiry.received_at >= datetime.combine(start, datetime.min.time(), OFFICE_TZ)
        )
    if end:
        stmt = stmt.where(
            Inquiry.received_at
            < datetime.combine(end + timedelta(days=1), datetime.min.time(), OFFICE_TZ)
        )
    stmt = stmt.order_by(Inquiry.status == "closed", Inquiry.due_date, Inquiry.id)
    page = db.paginate(stmt, per_page=50, error_out=False)
    return render_template(
        "inquiries/index.html",
        page=page,
        offices=offices,
        statuses=STATUSES,
        wanted=wanted,
        office_id=office_id,
        start=request.args.get("from", ""),
        end=request.args.get("to", ""),
        query=request.args.get("q", ""),
        period_error=period_error,
        today=local_today(),
        title=_("คำขอข้อมูลข่าวสาร"),
        filters={k: v for k, v in request.args.items() if k != "page"},
    )


def _period_args():
    from ..thai import DateParseError, parse_thai_date

    out, error = [], None
    for key in ("from", "to"):
        text = request.args.get(key, "").strip()
        value = None
        if text:
            try:
                value = parse_thai_date(text)
            except DateParseError as exc:
                error = str(exc)
        out.append(value)
    return out[0], out[1], error


@bp.route("/mine")
@roles_required(*STAFF)
def mine():
    stmt = (
        select(Inquiry)
        .where(Inquiry.assigned_to_id == current_user.id, Inquiry.status.in_(OPEN_STATUSES))
        .order_by(Inquiry.due_date, Inquiry.id)
    )
    page = db.paginate(stmt, per_page=50, error_out=False)
    return render_template(
        "inquiries/index.html",
        page=page,
        offices=[],
        statuses=STATUSES,
        wanted="open",
        office_id=None,
        start="",
        end="",
        query="",
        period_error=None,
        today=local_today(),
        mine=True,
        title=_("คำขอที่ฉันรับผิดชอบ"),
        filters={},
    )


# --- staff: intake -----------------------------------------------------------------------------


@bp.route("/create", methods=["GET", "POST"])
@roles_required(*WORKERS)
def create():
    offices = _visible_offices()
    form = StaffInquiryForm()
    form.office_id.choices = choices([(o.id, f"{o.code} — {o.name}") for o in offices])
    form.assigned_to_id.choices = choices(_officer_choices([o.id for o in offices]))
    if request.method == "GET":
        form.office_id.data = current_user.office_id
        form.assigned_to_id.data = current_user.id
        visit_id = request.args.get("visit_id", type=int)
        if visit_id:
            from .counter_link import inquiry_for_visit

            existing = inquiry_for_visit(visit_id)
            if existing is not None and current_user.can_see_office(existing.office_id):
                flash(
                    _("การมาติดต่อรายการนี้เปิดเป็นคำขอเลขที่ %(number)s แล้ว", number=existing.tracking_no),
                    "info",
                )
                return redirect(url_for("inquiries.detail", inquiry_id=existing.id))
        _prefill_from_visit(form, visit_id)
    if form.validate_on_submit():
        if not current_user.can_see_office(form.office_id.data):
            abort(403)
        received_at = _received_at(form)
        # Only entries the clerk may see: another office's draft is answered as "not found".
        entry_ids, entry_errors = resolve_references(
            form.entry_ids.data, current_user.visible_office_ids(), bare_numbers_are_ids=True
        )
        form.entry_ids.errors = [*form.entry_ids.errors, *entry_errors]
        if received_at > now_utc() + timedelta(minutes=5):
            form.received_date.errors.append(_("วันเวลาที่รับคำขอต้องไม่เป็นเวลาในอนาคต"))
        elif not entry_errors:
            entry_ids = tuple(entry_ids)
            visit_id = int(form.visit_id.data) if (form.visit_id.data or "").isdigit() else None
            data = _new_inquiry(
                form,
                channel=form.channel.data,
                received_at=received_at,
                assigned_to_id=form.assigned_to_id.data or None,
                visit_id=visit_id,
                entry_ids=entry_ids,
            )
            try:
                inquiry, secret = create_inquiry(data, current_user)
            except InquiryError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                _link_visit(inquiry)
                db.session.commit()
                notify_requester(inquiry, secret)
                flash(
                    _(
                        "บันทึกคำขอเลขที่ %(number)s แล้ว ครบกำหนดตอบ %(due)s "
                        "— รหัสลับสำหรับผู้ขอตรวจสอบสถานะ: %(secret)s (แจ้งผู้ขอ ระบบจะไม่แสดงอีก)",
                        number=inquiry.tracking_no,
                        due=_short_date(inquiry.due_date),
                        secret=secret,
                    ),
                    "success",
                )
                return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))
    return render_template("inquiries/create.html", form=form)


def _short_date(day) -> str:
    """ "29/4/2568" in Thai (as clerks type dates), "29 Apr 2025" in English."""
    if current_language() == "en":
        return display_date(day, "short")
    return f"{day.day}/{day.month}/{be_year(day)}"


def _received_at(form: StaffInquiryForm) -> datetime:
    now_local = now_utc().astimezone(OFFICE_TZ)
    day = form.received_date.date or now_local.date()
    text = (form.received_time.data or "").strip()
    if text:
        hours, minutes = (int(p) for p in text.replace(".", ":").split(":")[:2])
    elif day == now_local.date():
        hours, minutes = now_local.hour, now_local.minute
    else:
        hours, minutes = 9, 0
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=OFFICE_TZ)


def _prefill_from_visit(form: StaffInquiryForm, visit_id: int | None) -> None:
    """Fill the form from the counter's visit (when the counter feature is installed)."""
    if not visit_id:
        return
    from . import counter_link

    counter_link.prefill(form, visit_id)


def _link_visit(inquiry: Inquiry) -> None:
    if inquiry.visit_id:
        from . import counter_link

        counter_link.link(inquiry)


# --- staff: the request page ---------------------------------------------------------------------


@bp.route("/<int:inquiry_id>")
@roles_required(*STAFF)
def detail(inquiry_id: int):
    inquiry = _get_visible(inquiry_id)
    return _render_detail(inquiry)


def _render_detail(
    inquiry: Inquiry,
    step_form: StepForm | None = None,
    note_form: NoteForm | None = None,
    file_form: FileForm | None = None,
    status_code: int = 200,
):
    assign_form = AssignForm()
    assign_form.assigned_to_id.choices = choices(_officer_choices([inquiry.office_id]))
    assign_form.assigned_to_id.data = inquiry.assigned_to_id or 0
    can_act = current_user.role in WORKERS
    return render_template(
        "inquiries/detail.html",
        inquiry=inquiry,
        today=local_today(),
        can_act=can_act,
        steps=[(s, ACTION_LABELS[s]) for s in allowed_steps(inquiry)],
        step_form=step_form or StepForm(),
        note_form=note_form or NoteForm(),
        file_form=file_form or FileForm(),
        assign_form=assign_form,
    ), status_code


@bp.route("/<int:inquiry_id>/step", methods=["POST"])
@roles_required(*WORKERS)
def step(inquiry_id: int):
    inquiry = _get_visible(inquiry_id)
    form = StepForm()
    if not form.validate_on_submit():
        flash(_("ยังไม่ได้บันทึกขั้นตอน กรุณาแก้ไขช่องที่มีข้อความสีแดง"), "danger")
        return _render_detail(inquiry, step_form=form, status_code=400)
    try:
        transition(
            inquiry,
            form.step.data,
            current_user,
            day=form.day.date,
            note=form.note.data or "",
            new_due=form.new_due.date,
            outcome=form.outcome.data or None,
            grounds=form.grounds.data or [],
            agency=form.agency.data or "",
            fee_charged=form.fee_charged.data,
            fee_waived=form.fee_waived.data,
        )
    except InquiryError as exc:
        db.session.rollback()
        inquiry = _get_visible(inquiry_id)
        form.form_errors.append(str(exc))
        flash(str(exc), "danger")
        return _render_detail(inquiry, step_form=form, status_code=400)
    db.session.commit()
    sent = notify_requester(inquiry)
    if sent:
        flash(
            _("บันทึกขั้นตอนแล้ว: สถานะ “%(status)s” และแจ้งผู้ขอทางอีเมลแล้ว", status=inquiry.status_label),
            "success",
        )
    else:
        flash(_("บันทึกขั้นตอนแล้ว: สถานะ “%(status)s”", status=inquiry.status_label), "success")
    return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))


@bp.route("/<int:inquiry_id>/assign", methods=["POST"])
@roles_required(*WORKERS)
def assign(inquiry_id: int):
    inquiry = _get_visible(inquiry_id)
    form = AssignForm()
    form.assigned_to_id.choices = choices(_officer_choices([inquiry.office_id]))
    if form.validate_on_submit():
        assign_officer(inquiry, form.assigned_to_id.data or None)
        db.session.commit()
        flash(_("บันทึกผู้รับผิดชอบแล้ว"), "success")
    else:
        flash(_("เลือกผู้รับผิดชอบไม่ถูกต้อง กรุณาเลือกจากรายการ"), "danger")
    return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))


@bp.route("/<int:inquiry_id>/notes", methods=["POST"])
@roles_required(
    *STAFF
)  # supervisors too: their instructions on a request (README, "Who does what")
def add_note(inquiry_id: int):
    inquiry = _get_visible(inquiry_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render_detail(inquiry, note_form=form, status_code=400)
    add_staff_note(inquiry, form.text.data, current_user.id)
    return saved(_("เพิ่มบันทึกแล้ว"), url_for("inquiries.detail", inquiry_id=inquiry.id) + "#notes")


@bp.route("/<int:inquiry_id>/files", methods=["POST"])
@roles_required(*WORKERS)
def add_file(inquiry_id: int):
    inquiry = _get_visible(inquiry_id)
    form = FileForm()
    if form.validate_on_submit():
        with show_errors(form, UploadError, "file"):
            attach_file(inquiry, form.file.data, current_user.id)
            return saved(
                _("แนบไฟล์แล้ว"), url_for("inquiries.detail", inquiry_id=inquiry.id) + "#files"
            )
    return _render_detail(inquiry, file_form=form, status_code=400)


@bp.route("/<int:inquiry_id>/files/<int:file_id>")
@roles_required(*STAFF)
def download(inquiry_id: int, file_id: int):
    inquiry = _get_visible(inquiry_id)
    item = db.session.get(InquiryFile, file_id)
    if item is None or item.inquiry_id != inquiry.id:
        abort(404)
    path = item.path
    if not path.exists():
        abort(404)
    return send_file(
        path, mimetype=item.mime_type, as_attachment=True, download_name=item.original_name
    )


# --- admin: holidays and office days off ------------------------------------------------------


@bp.route("/holidays", methods=["GET", "POST"])
@roles_required(ADMIN)
def holidays():
    year = bounded_int(request.args.get("year"), 1900, 2600) or local_today().year
    form = HolidayForm()
    offices = list(db.session.scalars(Office.ordered()))
    form.office_id.choices = choices(
        [(0, _("ทุกสำนักงาน (วันหยุดราชการ)"))] + [(o.id, o.name) for o in offices]
    )
    if form.validate_on_submit():
        day = form.day.date
        try:
            add_holiday(day, form.name.data, form.office_id.data or None)
        except InquiryError as exc:
            db.session.commit()  # the year's holidays copied on the way stay copied
            form.day.errors.append(str(exc))
        else:
            return saved(
                _("เพิ่มวันหยุดแล้ว การคำนวณวันครบกำหนดของคำขอใหม่จะนับวันนี้เป็นวันหยุด"),
                url_for("inquiries.holidays", year=day.year),
            )
    rows = list(
        db.session.scalars(
            select(Holiday)
            .where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
            .order_by(Holiday.day, Holiday.office_id)
        )
    )
    copied = db.session.get(HolidayYear, year) is not None
    if not copied:
        # Shown as the due dates count them, read from the package: nothing is written on a GET.
        listed = {(h.day, h.office_id) for h in rows}
        rows += [
            Holiday(day=day, name=name[:200], office_id=None, source="package")
            for day, name in package_holidays(year).items()
            if (day, None) not in listed
        ]
        rows.sort(key=lambda h: (h.day, h.office_id or 0))
    return render_template(
        "inquiries/holidays.html", form=form, rows=rows, year=year, copied=copied
    )


@bp.route("/holidays/copy", methods=["POST"])
@roles_required(ADMIN)
def copy_holidays():
    """Copy a year's public holidays into the table, so the admin can remove one."""
    year = bounded_int(request.form.get("year"), 1900, 2600) or abort(400)
    ensure_holidays(year)
    return saved(
        _("คัดลอกวันหยุดราชการของปีนี้ลงตารางแล้ว ลบวันที่ไม่ได้หยุดจริงได้"),
        url_for("inquiries.holidays", year=year),
    )


@bp.route("/holidays/<int:holiday_id>/delete", methods=["POST"])
@roles_required(ADMIN)
def delete_holiday(holiday_id: int):
    row = db.get_or_404(Holiday, holiday_id)
    year = row.day.year
    remove_holiday(row)
    return saved(_("ลบวันหยุดแล้ว"), url_for("inquiries.holidays", year=year))


def _search_filter(text: str):
    """Free-text filter over tracking number, requester and subject (the list's search box)."""
    like = f"%{text}%"
    return or_(
        Inquiry.tracking_no.ilike(like),
        Inquiry.requester_name.ilike(like),
        Inquiry.subject.ilike(like),
    )


# --- letters -----------------------------------------------------------------------------------


@bp.route("/<int:inquiry_id>/letter/<kind>.pdf")
@roles_required(*STAFF)
def letter(inquiry_id: int, kind: str):
    from .letters import KINDS, LetterError, build_letter

    inquiry = _get_visible(inquiry_id)
    if kind not in KINDS:
        abort(404)
    try:
        pdf = build_letter(inquiry, kind, book_number=request.args.get("book_number", ""))
    except LetterError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{inquiry.tracking_no}-{kind}.pdf"'
    return response
