"""Staff pages of the integrity plan (import, progress, evidence) and the public /transparency
page."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from .. import nav
from ..admin.models import Office
from ..auth.models import User
from ..auth.roles import ADMIN, CLERK, roles_required, staff_required
from ..catalogue.models import IndexEntry
from ..extensions import db
from ..forms import choices
from ..spreadsheet import SpreadsheetError, csv_download
from ..thai import arabic_digits, local_today
from ..uploads import UploadError
from ..viewhelpers import saved, send_upload
from . import files as evidence_files
from .forms import IndicatorForm, IndicatorImportForm, LinkForm, PlanImportForm
from .importer import parse_rows, read_rows
from .models import STATUS_LABELS, EvidenceLink, IndicatorItem, PlanActivity
from .operations import (
    carrying_offices,
    confirm,
    link,
    propose,
    reject,
    remove_indicator,
    save_indicators,
    save_plan,
)
from .public import (
    activities_of_year,
    evidence_url,
    indicator_rows,
    parse_indicator_csv,
    plan_rows,
    public_evidence,
    transparency_pdf,
)
from .stats import STATUSES, plan_for_year, plan_progress, summary

bp = Blueprint("integrity", __name__)

nav.add("integrity.transparency", "ความโปร่งใส (ITA)", order=45)
nav.add("integrity.progress", "แผนคุณธรรมและความโปร่งใส", ("admin", "clerk", "supervisor"), order=62)


@bp.app_template_global("integrity_card")
def integrity_card() -> dict | None:
    """The dashboard card's figures: activities of the newest plan per status (the user's
    offices)."""
    plan = plan_for_year()
    if plan is None:
        return None
    return {"plan": plan, "counts": summary(plan_progress(plan, office_ids=_scope_ids()))}


def _year_arg() -> int | None:
    text = arabic_digits(request.args.get("year", "").strip())
    return int(text) if text.isdigit() else None


def _scope_ids() -> tuple[int, ...] | None:
    ids = current_user.visible_office_ids()
    return tuple(ids) if ids is not None else None


@bp.route("/staff/plan")
@staff_required
def progress():
    plan = plan_for_year(_year_arg())
    rows = plan_progress(plan, office_ids=_scope_ids()) if plan else []
    status = request.args.get("status", "")
    shown = [r for r in rows if r.status == status] if status in STATUSES else rows
    offices = {o.id: o for o in db.session.scalars(select(Office))}
    return render_template(
        "integrity/progress.html",
        plan=plan,
        rows=shown,
        counts=summary(rows),
        status=status,
        STATUSES=STATUSES,
        STATUS_LABELS=STATUS_LABELS,
        offices=offices,
    )


@bp.route("/staff/plan/import", methods=["GET", "POST"])
@roles_required(ADMIN, CLERK)
def import_plan():
    form = PlanImportForm()
    parsed = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            parsed = parse_rows(
                read_rows(upload.read(), upload.filename or "plan.txt"), fiscal_year=form.year.year
            )
        except SpreadsheetError as exc:
            form.file.errors = list(form.file.errors) + [str(exc)]
        if parsed is None:
            pass
        elif parsed.fiscal_year is None:
            form.year.errors = list(form.year.errors) + [
                _("ไม่พบปีงบประมาณในไฟล์ กรุณาระบุปีงบประมาณ เช่น 2563")
            ]
        elif not parsed.activities:
            form.file.errors = list(form.file.errors) + [
                _('ไม่พบกิจกรรมในไฟล์ ตรวจว่ามีหัวข้อ "มิติที่ ..." และตารางคั่นด้วยแท็บหรือจุลภาค')
            ]
        else:
            plan = save_plan(parsed, source_name=upload.filename or "")
            db.session.commit()
            flash(
                _(
                    "นำเข้าแผนปีงบประมาณ %(year)s แล้ว: %(d)s มิติ %(m)s มาตรการ %(a)s กิจกรรม",
                    year=plan.fiscal_year,
                    d=len(parsed.dimensions),
                    m=len(parsed.measures),
                    a=len(parsed.activities),
                ),
                "success",
            )
    return render_template("integrity/import.html", form=form, parsed=parsed)


@bp.route("/staff/plan/propose", methods=["POST"])
@roles_required(ADMIN, CLERK)
def propose_links():
    plan = plan_for_year(_year_arg())
    if plan is None:
        abort(404)
    made = propose(plan)
    return saved(
        _("ระบบเสนอหลักฐาน %(n)s รายการ กรุณาตรวจและยืนยัน", n=made),
        url_for("integrity.progress", year=plan.fiscal_year),
    )


def _activity(activity_id: int) -> PlanActivity:
    activity = db.get_or_404(PlanActivity, activity_id)
    return activity


def _link_offices(activity: PlanActivity) -> list[Office]:
    return [o for o in carrying_offices(activity) if current_user.can_see_office(o.id)]


@bp.route("/staff/plan/activities/<int:activity_id>", methods=["GET", "POST"])
@staff_required
def activity(activity_id: int):
    item = _activity(activity_id)
    offices = _link_offices(item)
    form = LinkForm()
    form.office_id.choices = choices([(o.id, o.name) for o in offices])
    if request.method == "POST":
        if current_user.role not in (ADMIN, CLERK):
            abort(403)
        if form.validate_on_submit():
            evidence = _link_from_form(item, form)
            if evidence is not None:
                return saved(_("เชื่อมหลักฐานแล้ว"), url_for("integrity.activity", activity_id=item.id))
    links = [ln for ln in item.links if current_user.can_see_office(ln.office_id)]
    rows = plan_progress(item.measure.dimension.plan, office_ids=_scope_ids())
    status = next((r for r in rows if r.activity.id == item.id), None)
    return render_template(
        "integrity/activity.html",
        activity=item,
        links=links,
        form=form,
        status=status,
        offices={o.id: o for o in offices},
        STATUS_LABELS=STATUS_LABELS,
        evidence_url=evidence_url,
    )


def _link_from_form(item: PlanActivity, form: LinkForm) -> EvidenceLink | None:
    office_id = form.office_id.data
    if form.kind.data == "file":
        upload = form.file.data
        if not upload or not upload.filename:
            form.file.errors = list(form.file.errors) + [_("กรุณาเลือกไฟล์ที่จะอัปโหลด")]
            return None
        try:
            stored, original, _mime = evidence_files.store(upload)
        except UploadError as error:
            form.file.errors = list(form.file.errors) + [str(error)]
            return None
        return link(
            item,
            office_id,
            "file",
            user=current_user,
            file_name=stored,
            original_name=original,
            note=form.note.data.strip(),
            public=form.public.data,
        )
    if form.kind.data == "url":
        if not (form.url.data or "").strip():
            form.url.errors = list(form.url.errors) + [_("กรุณาใส่ลิงก์ ขึ้นต้นด้วย https://")]
            return None
        return link(
            item,
            office_id,
            "url",
            user=current_user,
            url=form.url.data.strip(),
            note=form.note.data.strip(),
            public=form.public.data,
        )
    text = arabic_digits((form.entry.data or "").strip())
    if not text:
        form.entry.errors = list(form.entry.errors) + [
            _("กรุณาใส่เลขรายการ (ตัวเลขหลัง /staff/index/) หรือเลขที่หนังสือ")
        ]
        return None
    conditions = [IndexEntry.ref == (form.entry.data or "").strip(), IndexEntry.ref == text]
    if text.isdigit():
        conditions.append(IndexEntry.id == int(text))
    entry = db.session.scalars(
        select(IndexEntry).where(or_(*conditions)).order_by(IndexEntry.id)
    ).first()
    if entry is None or not current_user.can_see_office(entry.office_id):
        form.entry.errors = list(form.entry.errors) + [
            _("ไม่พบรายการนี้ในดัชนี ตรวจเลขรายการหรือเลขที่หนังสืออีกครั้ง")
        ]
        return None
    return link(
        item, office_id, "entry", user=current_user, entry_id=entry.id, note=form.note.data.strip()
    )


def _evidence(evidence_id: int) -> EvidenceLink:
    evidence = db.session.get(EvidenceLink, evidence_id)
    if evidence is None or not current_user.can_see_office(evidence.office_id):
        abort(404)
    return evidence


def _send_file(evidence: EvidenceLink) -> Response:
    if evidence.kind != "file" or not evidence.file_name:
        abort(404)
    path = evidence_files.stored_path(evidence.file_name)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return send_upload(
        path,
        mime,
        evidence.original_name or path.name,
        inline=mime == "application/pdf" or mime.startswith("image/"),
    )


@bp.route("/staff/plan/evidence/<int:evidence_id>/file")
@staff_required
def staff_file(evidence_id: int):
    return _send_file(_evidence(evidence_id))


@bp.route("/transparency/evidence/<int:evidence_id>")
def public_file(evidence_id: int):
    evidence = db.session.get(EvidenceLink, evidence_id)
    if evidence is None or not evidence.is_public:
        abort(404)
    return _send_file(evidence)


def _judge(evidence_id: int, verdict: Callable[[EvidenceLink, User], None], message: str):
    """A staff member's verdict on a link (``confirm`` or ``reject``), then back to its
    activity."""
    evidence = _evidence(evidence_id)
    verdict(evidence, current_user)
    return saved(message, url_for("integrity.activity", activity_id=evidence.activity_id))


@bp.route("/staff/plan/evidence/<int:evidence_id>/confirm", methods=["POST"])
@staff_required
def confirm_link(evidence_id: int):
    return _judge(evidence_id, confirm, _("ยืนยันหลักฐานแล้ว"))


@bp.route("/staff/plan/evidence/<int:evidence_id>/reject", methods=["POST"])
@staff_required
def reject_link(evidence_id: int):
    return _judge(evidence_id, reject, _("บันทึกว่าไม่ใช่หลักฐานแล้ว"))


# --- the indicator map (administrators) --------------------------------------------------------


@bp.route("/admin/indicators", methods=["GET", "POST"])
@roles_required(ADMIN)
def indicators():
    form = IndicatorForm(prefix="item")
    upload = IndicatorImportForm(prefix="csv")
    if form.submit.data and form.validate_on_submit():
        if form.fiscal_year.year is None:
            form.fiscal_year.errors = list(form.fiscal_year.errors) + [
                _("ใส่ปีงบประมาณเป็นปี พ.ศ. สี่หลัก เช่น 2563 หรือ ๒๕๖๓")
            ]
        else:
            save_indicators(
                [
                    {
                        "fiscal_year": form.fiscal_year.year,
                        "code": form.code.data.strip(),
                        "title": form.title.data.strip(),
                        "activities": arabic_digits(form.activities.data),
                        "links": form.links.data,
                    }
                ]
            )
            return saved(
                _("บันทึกข้อตัวชี้วัดแล้ว"), url_for("integrity.indicators", year=form.fiscal_year.year)
            )
    if upload.submit.data and upload.validate_on_submit():
        rows, errors = parse_indicator_csv(upload.file.data.read())
        if errors:
            upload.file.errors = list(upload.file.errors) + errors
        else:
            n = save_indicators(rows)
            return saved(_("นำเข้าข้อตัวชี้วัด %(n)s ข้อแล้ว", n=n), url_for("integrity.indicators"))
    year = _year_arg()
    q = select(IndicatorItem).order_by(
        IndicatorItem.fiscal_year.desc(), IndicatorItem.position, IndicatorItem.code
    )
    if year:
        q = q.where(IndicatorItem.fiscal_year == year)
    items = db.session.scalars(q).all()
    known = {y: {a.ref for a in activities_of_year(y)} for y in {i.fiscal_year for i in items}}
    unknown = {
        i.id: [
            r for r in i.ref_list if arabic_digits(r).replace(" ", "") not in known[i.fiscal_year]
        ]
        for i in items
    }
    return render_template(
        "integrity/indicators.html", items=items, unknown=unknown, form=form, upload=upload
    )


@bp.route("/admin/indicators/<int:item_id>/delete", methods=["POST"])
@roles_required(ADMIN)
def delete_indicator(item_id: int):
    item = db.get_or_404(IndicatorItem, item_id)
    year = item.fiscal_year
    remove_indicator(item)
    return saved(_("ลบข้อตัวชี้วัดแล้ว"), url_for("integrity.indicators", year=year))


# --- public -------------------------------------------------------------------------------------


@bp.route("/transparency")
def transparency():
    plan = plan_for_year(_year_arg(), whole=True)
    evidence = public_evidence(plan) if plan else {}
    items = indicator_rows(plan.fiscal_year if plan else _year_arg() or 0, evidence)
    return render_template(
        "integrity/transparency.html",
        plan=plan,
        evidence=evidence,
        items=items,
        today=local_today(),
        evidence_url=evidence_url,
    )


@bp.route("/transparency/indicators.csv")
def indicators_csv():
    plan = plan_for_year(_year_arg())
    year = plan.fiscal_year if plan else (_year_arg() or 0)
    items = db.session.scalars(
        select(IndicatorItem)
        .where(IndicatorItem.fiscal_year == year)
        .order_by(IndicatorItem.position, IndicatorItem.code)
    )
    rows = [
        (i.fiscal_year, i.code, i.title, "; ".join(i.ref_list), "\n".join(i.url_list))
        for i in items
    ]
    header = ("fiscal_year", "code", "title", "activities", "links")
    return csv_download([header, *rows], f"indicators-{year}.csv")


@bp.route("/transparency/plan.csv")
def plan_csv():
    plan = plan_for_year(_year_arg(), whole=True)
    if plan is None:
        abort(404)
    rows = plan_rows(plan, public_evidence(plan))
    return csv_download(rows, f"plan-{plan.fiscal_year}.csv")


@bp.route("/transparency.pdf")
def transparency_pdf_view():
    plan = plan_for_year(_year_arg(), whole=True)
    if plan is None:
        abort(404)
    evidence = public_evidence(plan)
    data = transparency_pdf(plan, evidence, indicator_rows(plan.fiscal_year, evidence))
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=transparency-{plan.fiscal_year}.pdf"},
    )
