"""Pages of the Section 9 index: public search, categories and documents; staff editing,
files, import and export, the completeness view; the administrator's category page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from .. import nav, uploads
from ..admin.models import Office, main_office
from ..audit import history
from ..auth.roles import ADMIN, CLERK, roles_required, staff_required, visible_or_404
from ..extensions import db
from ..forms import choices
from ..importmap import remember
from ..security import limited
from ..spreadsheet import Limits
from ..stats import Scope
from ..stats import index as index_stats
from ..thai import N_, FiscalQuarter, local_today
from ..usage.record import record as record_usage
from ..viewhelpers import edit_form, saved, send_upload, show_errors
from . import synonym_views  # noqa: F401  (the synonyms pages, on this blueprint)
from .blueprint import bp
from .forms import (
    CategoryForm,
    ConfirmForm,
    EntryForm,
    FileForm,
    ImportConfirmForm,
    ImportForm,
    WithdrawForm,
)
from .importexport import (
    FORMATS,
    ImportFileError,
    RowError,
    apply_import,
    export_bytes,
    grouped,
    plan_import,
    read_rows,
)
from .models import (
    DISCLOSURE_LABELS,
    STATE_LABELS,
    WITHHOLDING_GROUNDS,
    Category,
    EntryFile,
    IndexEntry,
)
from .operations import (
    CategoryError,
    CategoryFields,
    attach_file,
    checked_file,
    discard_checked_file,
    keep_checked_file,
    remove_file,
    restore,
    save_category,
    save_entry,
    withdraw,
)
from .search import category_counts, filter_choices, search_from_args

editors_only = roles_required(ADMIN, CLERK)

nav.add("catalogue.search", "ค้นหาข้อมูลข่าวสาร", order=10)
nav.add("catalogue.categories", "หมวดหมู่", order=11)
nav.add("catalogue.staff_index", "ดัชนีข้อมูลข่าวสาร", ("admin", "clerk", "supervisor"), order=20)


@bp.context_processor
def _labels() -> dict:
    return {
        "WITHHOLDING_GROUNDS": WITHHOLDING_GROUNDS,
        "STATE_LABELS": STATE_LABELS,
        "DISCLOSURE_LABELS": DISCLOSURE_LABELS,
        "today": local_today(),
    }


# --- public ----------------------------------------------------------------------------------


def _filter_choices() -> dict:
    choices = filter_choices()
    return {"categories": choices.categories, "offices": choices.offices, "years": choices.years}


@bp.route("/search")
@limited("RATELIMIT_SEARCH")
def search():
    args = request.args
    page = search_from_args(args, per_page=_public_per_page())
    if args.get("q", "").strip() and page.page == 1:  # a new search, not the next page of one
        record_usage("search", query=args.get("q"), result_count=page.total)
    counts = category_counts() if not page.total else {}  # shown only with "no result"
    return render_template(
        "catalogue/search.html", page=page, args=args, counts=counts, **_filter_choices()
    )


def _public_per_page() -> int:
    from .. import settings

    return int(settings.get("public_per_page"))


@bp.route("/categories")
def categories():
    tops = db.session.scalars(
        select(Category)
        .where(Category.parent_id.is_(None), Category.active.is_(True))
        .order_by(Category.sort_order)
    ).all()
    subs = db.session.scalars(
        select(Category)
        .where(Category.parent_id.is_not(None), Category.active.is_(True))
        .order_by(Category.sort_order, Category.code)
    ).all()
    return render_template(
        "catalogue/categories.html", tops=tops, subs=subs, counts=category_counts()
    )


def _public_entry(entry_id: int) -> IndexEntry:
    entry = db.session.get(IndexEntry, entry_id)
    if entry is None or not entry.is_public:
        abort(404)
    return entry


@bp.route("/documents/<int:entry_id>")
def document(entry_id: int):
    entry = _public_entry(entry_id)
    record_usage("view", entry)
    return render_template("catalogue/document.html", entry=entry)


@bp.route("/documents/<int:entry_id>/print")
def document_print(entry_id: int):
    entry = _public_entry(entry_id)
    return render_template("catalogue/document_print.html", entry=entry, today=local_today())


@bp.route("/documents/<int:entry_id>/files/<int:file_id>")
def download(entry_id: int, file_id: int):
    entry = _public_entry(entry_id)
    response = _send(entry, file_id)
    record_usage("download", entry)
    return response


def _entry_file(entry: IndexEntry, file_id: int) -> EntryFile:
    """A file of this entry: 404 for an unknown file id or a file of another entry."""
    file = db.session.get(EntryFile, file_id)
    if file is None or file.entry_id != entry.id:
        abort(404)
    return file


def _send(entry: IndexEntry, file_id: int) -> Response:
    file = _entry_file(entry, file_id)
    return send_upload(
        file.path, file.mime_type, file.original_name, inline=file.mime_type == "application/pdf"
    )


# --- staff: entries --------------------------------------------------------------------------


def _visible_office_ids() -> list[int] | None:
    return current_user.visible_office_ids()


def _staff_entry(entry_id: int) -> IndexEntry:
    return visible_or_404(IndexEntry, entry_id)


@bp.route("/staff/index")
@staff_required
def staff_index():
    args = request.args
    page = search_from_args(
        args,
        per_page=50,
        public_only=False,
        office_ids=_visible_office_ids(),
        state=args.get("state") or None,
    )
    return render_template(
        "catalogue/staff_index.html", page=page, args=args, formats=FORMATS, **_filter_choices()
    )


def _entry_form(entry: IndexEntry | None) -> EntryForm:
    form = EntryForm(obj=entry)
    form.office_id.choices = choices(
        [(o.id, f"{o.code} — {o.name}") for o in Office.visible_to(current_user)]
    )
    cats = db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.sort_order)
    )
    form.category_id.choices = choices([(c.id, f"{c.code} {c.name_th[:80]}") for c in cats])
    if request.method == "GET":
        if entry is None:
            form.office_id.data = current_user.office_id
        else:
            form.withheld_ground.data = entry.withheld_ground or ""
            if entry.state == "withdrawn":
                form.state.data = "draft"
    return form


@bp.route("/staff/index/new", methods=["GET", "POST"])
@bp.route("/staff/index/<int:entry_id>/edit", methods=["GET", "POST"])
@editors_only
def edit_entry(entry_id: int | None = None):
    entry = _staff_entry(entry_id) if entry_id else None
    form = _entry_form(entry)
    if form.validate_on_submit():
        entry = save_entry(entry or IndexEntry(), form, current_user.id)
        db.session.commit()  # first: a new entry has its id, for the URL of its page, from here
        flash(_("บันทึก “%(title)s” แล้ว", title=entry.title), "success")
        return redirect(url_for("catalogue.staff_entry", entry_id=entry.id))
    return render_template("catalogue/entry_form.html", form=form, entry=entry)


@bp.route("/staff/index/<int:entry_id>")
@staff_required
def staff_entry(entry_id: int):
    return _render_staff_entry(_staff_entry(entry_id))


def _render_staff_entry(
    entry: IndexEntry,
    file_form: FileForm | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> str:
    """The staff page of an entry; a form that failed is shown again with its errors."""
    return render_template(
        "catalogue/staff_entry.html",
        entry=entry,
        changes=history("IndexEntry", entry.id),
        file_form=file_form or FileForm(),
        withdraw_form=withdraw_form or WithdrawForm(),
        max_mb=current_app.config["MAX_UPLOAD_MB"],
        allowed=uploads.ALLOWED_LABEL,
    )


@bp.route("/staff/index/<int:entry_id>/withdraw", methods=["POST"])
@editors_only
def withdraw_entry(entry_id: int):
    entry = _staff_entry(entry_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        withdraw(entry, form.reason.data, current_user.id)
        return saved(
            _("ถอนรายการออกจากดัชนีสาธารณะแล้ว (รายการและประวัติยังเก็บไว้)"),
            url_for("catalogue.staff_entry", entry_id=entry.id),
        )
    return _render_staff_entry(entry, withdraw_form=form), 400


@bp.route("/staff/index/<int:entry_id>/restore", methods=["POST"])
@editors_only
def restore_entry(entry_id: int):
    entry = _staff_entry(entry_id)
    if ConfirmForm().validate_on_submit() and entry.state == "withdrawn":
        restore(entry, current_user.id)
        db.session.commit()
        flash(_("นำรายการกลับมาเป็นร่างแล้ว ตรวจสอบแล้วเปลี่ยนสถานะเป็นเผยแพร่ได้"), "success")
    return redirect(url_for("catalogue.staff_entry", entry_id=entry.id))


@bp.route("/staff/index/<int:entry_id>/files", methods=["POST"])
@editors_only
def upload_file(entry_id: int):
    entry = _staff_entry(entry_id)
    form = FileForm()
    if form.validate_on_submit():
        with show_errors(form, uploads.UploadError, "file"):
            attach_file(entry, form.file.data, current_user.id)
            return saved(_("อัปโหลดไฟล์แล้ว"), url_for("catalogue.staff_entry", entry_id=entry.id))
    return _render_staff_entry(entry, file_form=form), 400


@bp.route("/staff/index/<int:entry_id>/files/<int:file_id>")
@staff_required
def staff_download(entry_id: int, file_id: int):
    return _send(_staff_entry(entry_id), file_id)


@bp.route("/staff/index/<int:entry_id>/files/<int:file_id>/delete", methods=["POST"])
@editors_only
def delete_file(entry_id: int, file_id: int):
    entry = _staff_entry(entry_id)
    file = _entry_file(entry, file_id)
    if ConfirmForm().validate_on_submit():
        remove_file(file)
        db.session.commit()
        flash(_("ลบไฟล์ %(name)s แล้ว", name=file.original_name), "success")
    return redirect(url_for("catalogue.staff_entry", entry_id=entry.id))


# --- staff: import and export ----------------------------------------------------------------


def _import_form() -> ImportForm:
    form = ImportForm()
    form.office_id.choices = choices(
        [(o.id, f"{o.code} — {o.name}") for o in Office.visible_to(current_user)]
    )
    if request.method == "GET":
        form.office_id.data = current_user.office_id
    return form


def _plan(data: bytes, name: str, office_id: int):
    """Check a file within a web request: at most IMPORT_MAX_WEB_ROWS rows (each is written with
    its audit row on confirmation, and that must end before the worker's timeout; the CLI takes
    up to IMPORT_MAX_ROWS) and IMPORT_MAX_SECONDS for reading and again for checking."""
    limits = Limits.from_config()
    limits = replace(
        limits, rows=min(limits.rows, int(current_app.config.get("IMPORT_MAX_WEB_ROWS", 5000)))
    )
    plan = plan_import(
        read_rows(data, name, limits=limits),
        db.session.get(Office, office_id) or main_office(),
        seconds=limits.seconds,
    )
    visible = _visible_office_ids()
    if visible is not None:
        allowed = [e for e in plan.entries if e["office"].id in visible]
        plan.errors.extend(
            RowError(
                e["row"],
                N_("ท่านไม่มีสิทธิ์นำเข้าข้อมูลของสำนักงาน %(office)s"),
                {"office": e["office"].code},
            )
            for e in plan.entries
            if e not in allowed
        )
        plan.entries = allowed
    return plan


def _preview(form: ImportForm, plan) -> str:
    categories = db.session.scalars(
        select(Category)
        .where(Category.active.is_(True))
        .order_by(Category.sort_order, Category.code)
    ).all()
    return render_template(
        "catalogue/import.html",
        form=form,
        plan=plan,
        map_form=ConfirmForm(),
        confirm=ImportConfirmForm(),
        error_groups=grouped(plan.errors) if plan else [],
        warning_groups=grouped(plan.warnings) if plan else [],
        categories=categories,
    )


@bp.route("/staff/index/import", methods=["GET", "POST"])
@editors_only
def import_entries():
    form = _import_form()
    plan = None
    if form.validate_on_submit():
        data, name = form.file.data.read(), form.file.data.filename or ""
        try:
            plan = _plan(data, name, form.office_id.data)
        except ImportFileError as exc:
            form.file.errors.append(str(exc))
        else:
            if plan.entries or plan.unknown.get("category"):
                # Kept for the confirmation, or for checking again after mapping unknown values.
                previous = session.get("index_import") or {}
                session["index_import"] = {
                    "token": keep_checked_file(data, previous.get("token")),
                    "name": Path(name).name,
                    "office_id": form.office_id.data,
                    "entries": len(plan.entries),
                }
            if not plan.entries and not plan.errors:
                form.file.errors.append(_("ไม่มีแถวข้อมูลในไฟล์"))
    return _preview(form, plan)


class ImportAgain(Exception):
    """The import checked earlier cannot go on; the (translated) message says why."""


@bp.errorhandler(ImportAgain)
def _import_again(exc: ImportAgain):
    """Back to the import page, saying why the checked file cannot be used."""
    flash(str(exc), "warning")
    return redirect(url_for("catalogue.import_entries"))


def _checked_import(form: FlaskForm) -> tuple[dict, Path]:
    """The import this person checked (from the session) and its kept file; ImportAgain when the
    posted ``form`` is not valid or the file is no longer kept."""
    pending = session.get("index_import")
    path = checked_file(pending.get("token")) if pending else None
    if not form.validate_on_submit() or path is None:
        raise ImportAgain(_("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาเลือกไฟล์และตรวจสอบใหม่อีกครั้ง"))
    return pending, path


def _check_again(pending: dict, path: Path):
    """The plan of the kept file, checked again (with the office's mappings as they are now)."""
    try:
        return _plan(path.read_bytes(), pending["name"], pending["office_id"])
    except ImportFileError as exc:  # e.g. checking took longer than IMPORT_MAX_SECONDS this time
        raise ImportAgain(str(exc)) from exc


@bp.route("/staff/index/import/map", methods=["POST"])
@editors_only
def map_import_values():
    """Remember this office's reading of each unknown category value, then check the file again."""
    pending, path = _checked_import(ConfirmForm())
    codes = set(db.session.scalars(select(Category.code)))
    chosen = {
        value: target
        for value, target in zip(
            request.form.getlist("value"), request.form.getlist("target"), strict=False
        )
        if target in codes
    }
    if chosen:
        remember(pending["office_id"], "category", chosen, current_user.id)
        db.session.commit()
    form = _import_form()
    form.office_id.data = pending["office_id"]
    plan = _check_again(pending, path)
    session["index_import"] = pending | {"entries": len(plan.entries)}
    return _preview(form, plan)


@bp.route("/staff/index/import/confirm", methods=["POST"])
@editors_only
def confirm_import():
    pending, path = _checked_import(ImportConfirmForm())
    plan = _check_again(pending, path)
    if not plan.entries or len(plan.entries) != pending.get("entries"):
        raise ImportAgain(_("ข้อมูลเปลี่ยนไปหลังการตรวจสอบ กรุณาตรวจสอบไฟล์ใหม่อีกครั้ง"))
    created = apply_import(plan, current_user.id)
    db.session.commit()
    discard_checked_file(pending["token"])
    session.pop("index_import", None)
    flash(ngettext("นำเข้าแล้ว %(num)d รายการ", "นำเข้าแล้ว %(num)d รายการ", created), "success")
    if plan.errors:
        flash(
            ngettext(
                "ข้าม %(num)d แถวที่มีข้อผิดพลาด: แถวที่ %(rows)s",
                "ข้าม %(num)d แถวที่มีข้อผิดพลาด: แถวที่ %(rows)s",
                len(plan.bad_rows),
                rows=", ".join(map(str, plan.bad_rows[:50])),
            ),
            "warning",
        )
    return redirect(url_for("catalogue.staff_index"))


@bp.route("/staff/index/export")
@staff_required
def export_entries():
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(404)
    mime = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"index-{local_today().isoformat()}.{fmt}"
    return Response(
        export_bytes(fmt, _visible_office_ids()),
        mimetype=mime,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- staff: completeness ---------------------------------------------------------------------


@bp.route("/staff/index/completeness")
@staff_required
def completeness():
    current = FiscalQuarter.of(local_today())
    try:
        quarter = FiscalQuarter(
            request.args.get("year", current.year, type=int),
            request.args.get("quarter", current.quarter, type=int),
        )
    except ValueError:
        flash(_("ไตรมาสที่เลือกไม่ถูกต้อง แสดงไตรมาสปัจจุบันแทน"), "warning")
        quarter = current
    result = index_stats.completeness(Scope.quarter(quarter, _visible_office_ids()))
    return render_template(
        "catalogue/completeness.html", result=result, quarter=quarter, current=current
    )


# --- admin: categories -----------------------------------------------------------------------


@bp.route("/staff/index/categories")
@roles_required(ADMIN)
def admin_categories():
    rows = db.session.scalars(select(Category).order_by(Category.sort_order, Category.code)).all()
    return render_template(
        "catalogue/admin_categories.html", categories=rows, counts=category_counts(all_states=True)
    )


@bp.route("/staff/index/categories/new", methods=["GET", "POST"])
@bp.route("/staff/index/categories/<int:category_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_category(category_id: int | None = None):
    category, form = edit_form(Category, category_id, CategoryForm)
    parent = db.session.scalar(select(Category).where(Category.code == "9(8)"))
    if request.method == "GET" and category is None:
        n = (
            db.session.scalar(
                select(func.count(Category.id)).where(Category.parent_id == parent.id)
            )
            or 0
        )
        form.code.data = f"9(8).{n + 1}"
        form.sort_order.data = 80 + n + 1
    fixed = category is not None and category.parent_id is None
    if form.validate_on_submit():
        fields = CategoryFields(
            code=form.code.data,
            name_th=form.name_th.data,
            name_en=form.name_en.data or "",
            review_months=form.review_months.data,
            sort_order=form.sort_order.data or 0,
            active=bool(form.active.data),
        )
        with show_errors(form, CategoryError, "code"):
            category = save_category(category, fields)
            return saved(
                _("บันทึกหมวด %(code)s แล้ว", code=category.code),
                url_for("catalogue.admin_categories"),
            )
    return render_template(
        "catalogue/category_form.html", form=form, category=category, fixed=fixed
    )
