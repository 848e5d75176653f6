"""The counter page (/counter): log a visit in seconds, today's visits under the form; edit, void,
import a past register; and the administrator's lists (visitor types, purposes, fee table)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import nav, settings
from ..auth.roles import ADMIN, CLERK, roles_required, visible_or_404
from ..cache import ProcessCache
from ..extensions import db
from ..forms import choices
from ..i18n import current_language, display_date, display_year
from ..stats import Scope
from ..stats import visits as vs
from ..thai import DateParseError, local_today, parse_thai_date, to_local
from ..viewhelpers import edit_form, saved, show_errors
from .forms import FeeRateForm, ImportForm, LookupForm, VisitForm, VoidForm
from .importer import COLUMNS, ImportFailed, import_register
from .models import (
    CHANNELS,
    DEFAULT_PURPOSES,
    DEFAULT_VISITOR_TYPES,
    FEE_KINDS,
    FeeRate,
    Visit,
    VisitorType,
    VisitPurpose,
)
from .operations import (
    ListItemError,
    VisitData,
    VisitInputError,
    apply,
    check_copies,
    entries_text,
    parse_visit_time,
    record_visit,
    resolve_entries,
    save_fee_rate,
    save_list_item,
    void,
)

bp = Blueprint("counter", __name__, url_prefix="/counter")

nav.add("counter.index", "เคาน์เตอร์บริการ", (ADMIN, CLERK), order=20)
nav.add("counter.lists", "รายการของเคาน์เตอร์", (ADMIN,), order=85)


@dataclass(frozen=True)
class VisitAction:
    """A button on a row of today's visits, added by another feature (e.g.
    "turn into a request")."""

    endpoint: str
    label: str
    # Given the ids of the visits on the page, those that should not show the button (one query).
    hidden_for: Callable[[list[int]], set[int]] = lambda visit_ids: set()


VISIT_ACTIONS: list[VisitAction] = []


def add_visit_action(
    endpoint: str, label: str, hidden_for: Callable[[list[int]], set[int]] = lambda visit_ids: set()
) -> None:
    """Let another feature put a button (a GET link taking ``visit_id``) on each visit row."""
    if not any(a.endpoint == endpoint for a in VISIT_ACTIONS):
        VISIT_ACTIONS.append(VisitAction(endpoint, label, hidden_for))


def _row_actions(visits: list[Visit]) -> list[tuple[VisitAction, set[int]]]:
    """Each action with the visits it is hidden for, asked once per page rather than once per
    row."""
    ids = [v.id for v in visits]
    return [(action, action.hidden_for(ids) if ids else set()) for action in VISIT_ACTIONS]


@bp.context_processor
def _retention():
    return {"retention_days": settings.get("privacy_retention_days")}


@bp.before_request
@roles_required(ADMIN, CLERK)
def _clerks_and_admins():
    """Clerks and administrators log visits; supervisors read the statistics elsewhere."""


@dataclass(frozen=True)
class RateRow:
    """A fee rate as the counter shows it (plain data, kept between requests)."""

    id: int
    name: str
    kind: str
    satang: int

    @property
    def baht(self) -> float:
        return self.satang / 100


@dataclass(frozen=True)
class CounterLists:
    visitor_types: list[tuple[int, str]]  # active ones, in order
    purposes: list[tuple[int, str]]
    rates: list[RateRow]


_lists_cache = ProcessCache("counter_lists", (VisitorType, VisitPurpose, FeeRate))


def _load_lists() -> CounterLists:
    rates = db.session.scalars(
        select(FeeRate).where(FeeRate.active.is_(True)).order_by(FeeRate.sort_order)
    )
    return CounterLists(
        _active(VisitorType),
        _active(VisitPurpose),
        [RateRow(r.id, r.name, r.kind, r.satang) for r in rates],
    )


def counter_lists() -> CounterLists:
    """The active visitor types, purposes and fee rates; every counter page needs them and the
    administrator rarely changes them, so they are kept per process (see infocenter.cache)."""
    return _lists_cache.get("all", _load_lists)


def _lists(form: VisitForm) -> None:
    lists = counter_lists()
    form.visitor_type_id.choices = choices(lists.visitor_types)
    form.purpose_id.choices = choices(lists.purposes)
    form.fee_rate_id.choices = choices(
        (r.id, _("%(name)s (%(baht)s บาท)", name=r.name, baht=f"{r.baht:,.2f}"))
        for r in lists.rates
        if r.kind == "page"
    )


def _active(model, keep_id: int | None = None) -> list[tuple[int, str]]:
    rows = db.session.scalars(select(model).order_by(model.sort_order, model.id))
    return [(r.id, r.name) for r in rows if r.active or r.id == keep_id]


def _visible(visit_id: int) -> Visit:
    return visible_or_404(Visit, visit_id)


def _data_from(form: VisitForm) -> VisitData | None:
    """Checked values from a submitted form, or None with the errors put on the form's fields."""
    ok = form.validate()
    entry_ids, entry_errors = resolve_entries(form.entries.data, current_user.visible_office_ids())
    form.entries.errors = list(form.entries.errors) + entry_errors
    try:
        at, backdated = parse_visit_time(form.visited_at.data)
    except VisitInputError as exc:
        form.visited_at.errors = list(form.visited_at.errors) + [str(exc)]
        at, backdated = None, False
    if not ok or entry_errors or at is None:
        return None
    data = VisitData(
        visitor_type_id=form.visitor_type_id.data,
        purpose_id=form.purpose_id.data,
        channel=form.channel.data,
        outcome=form.outcome.data,
        entry_ids=tuple(entry_ids),
        pages_copied=form.pages_copied.data or 0,
        pages_certified=form.pages_certified.data or 0,
        fee_rate_id=form.fee_rate_id.data or None,
        fee_waived=form.fee_waived.data,
        waiver_reason=form.waiver_reason.data,
        visitor_name=form.visitor_name.data,
        visitor_contact=form.visitor_contact.data,
        satisfaction=int(form.satisfaction.data) if form.satisfaction.data else None,
        note=form.note.data or "",
        visited_at=at if form.visited_at.data else None,
        backdated=backdated,
    )
    copy_errors = check_copies(data)
    if copy_errors:
        form.pages_certified.errors = list(form.pages_certified.errors) + copy_errors
        return None
    return data


RECENT_ON_COUNTER = 20  # today's latest visits under the form; the register lists them all
REGISTER_PER_PAGE = 50


def _day_scope(day) -> Scope:
    """One local day in the offices the user sees, as the statistics count it."""
    offices = current_user.visible_office_ids()
    return Scope(day, day, tuple(offices) if offices is not None else None)


def _day_visits(scope: Scope):
    """The scope's visits, voided ones too, newest first (a statement, to page or limit)."""
    return (
        select(Visit)
        .options(selectinload(Visit.served_by))  # one query for the clerks, not one per row
        .where(scope.time_filter(Visit.visited_at), scope.office_filter(Visit.office_id))
        .order_by(Visit.visited_at.desc(), Visit.id.desc())
    )


def _prefill(form: VisitForm, visit: Visit) -> None:
    """ "Same as last": the previous visit's choices, without its personal data or time."""
    form.visitor_type_id.data = visit.visitor_type_id
    form.purpose_id.data = visit.purpose_id
    form.channel.data = visit.channel
    form.outcome.data = visit.outcome
    form.entries.data = entries_text(visit)
    form.fee_rate_id.data = visit.fee_rate_id or form.fee_rate_id.data


def _fee_table() -> list[RateRow]:
    return counter_lists().rates


@bp.route("", methods=["GET", "POST"])
def index():
    form = VisitForm()
    _lists(form)
    last = db.session.scalars(
        select(Visit)
        .where(Visit.served_by_id == current_user.id)
        .order_by(Visit.id.desc())
        .limit(1)
    ).first()
    if request.method == "GET" and request.args.get("like") == "last" and last is not None:
        _prefill(form, last)
    if request.method == "POST":
        data = _data_from(form)
        if data is not None:
            visit = record_visit(data, current_user.office_id, current_user.id)
            # Read before the commit, which expires the object (reading after it is another query).
            visit_id, satang, waived = visit.id, visit.fee_satang, visit.fee_waived
            db.session.commit()
            amount = f"{satang / 100:,.2f}"
            if not satang:
                message = _("บันทึกผู้ใช้บริการรายที่ %(id)s แล้ว", id=visit_id)
            elif waived:
                message = _(
                    "บันทึกผู้ใช้บริการรายที่ %(id)s แล้ว ค่าธรรมเนียม %(amount)s บาท (ยกเว้น)",
                    id=visit_id,
                    amount=amount,
                )
            else:
                message = _(
                    "บันทึกผู้ใช้บริการรายที่ %(id)s แล้ว ค่าธรรมเนียม %(amount)s บาท",
                    id=visit_id,
                    amount=amount,
                )
            flash(message, "success")
            return redirect(url_for("counter.index"))
    scope = _day_scope(local_today())
    visits = list(db.session.scalars(_day_visits(scope).limit(RECENT_ON_COUNTER + 1)))
    more = len(visits) > RECENT_ON_COUNTER  # one row more than shown says the register has more
    visits = visits[:RECENT_ON_COUNTER]
    return render_template(
        "counter/index.html",
        form=form,
        visits=visits,
        last=last,
        more=more,
        todays_count=vs.visit_count(scope),
        fee_table=_fee_table(),
        actions=_row_actions(visits),
        editing=None,
    )


@bp.route("/visits")
def register():
    """The visits register of any day, a page at a time, with the day's totals as the statistics
    count them (voided visits listed but not counted)."""
    typed = request.args.get("day", "").strip()
    day, error = local_today(), None
    if typed:
        try:
            day = parse_thai_date(typed)
        except DateParseError as exc:
            error = str(exc)
    if day > local_today() and error is None:
        error = _("วันที่ %(day)s ยังมาไม่ถึง แสดงทะเบียนของวันนี้แทน", day=display_date(day, "short"))
        day = local_today()
    scope = _day_scope(day)
    page = db.paginate(_day_visits(scope), per_page=REGISTER_PER_PAGE, error_out=False)
    visits = vs.visit_count(scope)
    return render_template(
        "counter/register.html",
        page=page,
        visits=page.items,
        day=day,
        typed=typed,
        error=error,
        visit_count=visits,
        voided=page.total - visits,
        copies=vs.copies_and_fees(scope),
        actions=_row_actions(page.items),
        today=local_today(),
        one_day=timedelta(days=1),
        empty_message=None if day == local_today() else _("ไม่มีผู้ใช้บริการในวันนี้"),
    )


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
def edit(visit_id: int):
    visit = _visible(visit_id)
    form = VisitForm(obj=visit if request.method == "GET" else None)
    _lists(form)
    # A retired type or purpose stays selectable on the visits that used it.
    form.visitor_type_id.choices = choices(_active(VisitorType, visit.visitor_type_id))
    form.purpose_id.choices = choices(_active(VisitPurpose, visit.purpose_id))
    if request.method == "GET":
        form.entries.data = entries_text(visit)
        form.satisfaction.data = str(visit.satisfaction) if visit.satisfaction else ""
        local = to_local(visit.visited_at)
        # a date and a time in one box: the year of the page's language, read back either way
        form.visited_at.data = f"{local:%d/%m}/{display_year(local)} {local:%H:%M}"
    if request.method == "POST":
        data = _data_from(form)
        if data is not None:
            unchanged = (
                data.visited_at is None
                or abs((data.visited_at - visit.visited_at).total_seconds()) < 60
            )
            if (
                unchanged
            ):  # the shown time (to the minute) or an emptied field keeps the recorded time
                data.visited_at, data.backdated = visit.visited_at, visit.backdated
            apply(visit, data)
            return saved(
                _("แก้ไขรายการที่ %(id)s แล้ว (บันทึกประวัติการแก้ไขไว้)", id=visit.id),
                url_for("counter.index"),
            )
    return render_template("counter/edit.html", form=form, visit=visit, fee_table=_fee_table())


@bp.route("/<int:visit_id>/void", methods=["GET", "POST"])
def void_visit(visit_id: int):
    visit = _visible(visit_id)
    if visit.is_void:
        flash(_("รายการนี้ถูกยกเลิกไปแล้ว"), "warning")
        return redirect(url_for("counter.index"))
    form = VoidForm()
    if form.validate_on_submit():
        void(visit, form.reason.data, current_user.id)
        return saved(
            _("ยกเลิกรายการที่ %(id)s แล้ว รายการยังคงอยู่ในทะเบียนแต่ไม่นับในสถิติ", id=visit.id),
            url_for("counter.index"),
        )
    return render_template("counter/void.html", form=form, visit=visit)


def _example_name(model, defaults) -> str:
    """A name of the office's list to show as an example (the list's own words, as stored)."""
    names = dict(
        db.session.execute(select(model.code, model.name).where(model.active.is_(True))).all()
    )
    return (
        names.get("copy")
        or names.get("public")
        or next(iter(names.values()), None)
        or defaults[0][1]
    )


@bp.route("/import", methods=["GET", "POST"])
def import_page():
    form = ImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            form.file.errors = [_("กรุณาเลือกไฟล์ทะเบียน (.csv หรือ .xlsx)")]
        else:
            try:
                created = import_register(
                    upload.stream,
                    upload.filename,
                    office_id=current_user.office_id,
                    served_by_id=current_user.id,
                )
            except ImportFailed as exc:
                errors = exc.errors
            else:
                return saved(
                    _(
                        "นำเข้าทะเบียนแล้ว %(count)s รายการ (ทำเครื่องหมายว่าบันทึกย้อนหลัง)",
                        count=f"{created:,}",
                    ),
                    url_for("counter.index"),
                )
    # The file keeps Thai headers and values; English pages name the English aliases it also
    # accepts.
    thai = current_language() == "th"
    columns = {key: names[0] if thai else names[1] for key, names in COLUMNS.items()}
    channels = ", ".join(CHANNELS.values() if thai else CHANNELS)
    examples = ", ".join(
        _example_name(model, defaults)
        for model, defaults in (
            (VisitorType, DEFAULT_VISITOR_TYPES),
            (VisitPurpose, DEFAULT_PURPOSES),
        )
    )
    return render_template(
        "counter/import.html",
        form=form,
        errors=errors,
        columns=columns,
        channels=channels,
        examples=examples,
    )


# --- the administrator's lists ---------------------------------------------------------------


@dataclass(frozen=True)
class AdminList:
    """One of the administrator's lists and the words its pages use (whole phrases,
    translatable)."""

    model: type
    title: str
    add: str
    edit: str
    saved: str  # flash message, with %(name)s


LIST_MODELS = {
    "types": AdminList(
        VisitorType,
        _l("ประเภทผู้ใช้บริการ"),
        _l("เพิ่มประเภทผู้ใช้บริการ"),
        _l("แก้ไขประเภทผู้ใช้บริการ"),
        _l("บันทึกประเภทผู้ใช้บริการ “%(name)s” แล้ว"),
    ),
    "purposes": AdminList(
        VisitPurpose,
        _l("วัตถุประสงค์"),
        _l("เพิ่มวัตถุประสงค์"),
        _l("แก้ไขวัตถุประสงค์"),
        _l("บันทึกวัตถุประสงค์ “%(name)s” แล้ว"),
    ),
}


@bp.route("/lists")
@roles_required(ADMIN)
def lists():
    tables = {
        key: (
            spec,
            list(
                db.session.scalars(
                    select(spec.model).order_by(spec.model.sort_order, spec.model.id)
                )
            ),
        )
        for key, spec in LIST_MODELS.items()
    }
    rates = list(db.session.scalars(select(FeeRate).order_by(FeeRate.sort_order, FeeRate.id)))
    fee_kinds = {kind: _(label) for kind, label in FEE_KINDS.items()}
    return render_template("counter/lists.html", tables=tables, rates=rates, fee_kinds=fee_kinds)


@bp.route("/lists/<kind>/new", methods=["GET", "POST"])
@bp.route("/lists/<kind>/<int:item_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_list_item(kind: str, item_id: int | None = None):
    if kind not in LIST_MODELS:
        abort(404)
    spec = LIST_MODELS[kind]
    item, form = edit_form(spec.model, item_id, LookupForm)
    if form.validate_on_submit():
        with show_errors(form, ListItemError, "code"):
            item = save_list_item(
                spec.model,
                item,
                kind,
                name=form.name.data,
                code=form.code.data or "",
                sort_order=form.sort_order.data or 0,
                active=form.active.data,
            )
            return saved(str(spec.saved) % {"name": item.name}, url_for("counter.lists"))
    return render_template("counter/list_item.html", form=form, item=item, spec=spec)


@bp.route("/fees/new", methods=["GET", "POST"])
@bp.route("/fees/<int:rate_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_fee(rate_id: int | None = None):
    rate, form = edit_form(FeeRate, rate_id, FeeRateForm)
    if request.method == "GET" and rate is not None:
        form.baht.data = Decimal(rate.satang) / 100
    if form.validate_on_submit():
        with show_errors(form, ListItemError, "code"):
            rate = save_fee_rate(
                rate,
                name=form.name.data,
                code=form.code.data or "",
                kind=form.kind.data,
                satang=int(form.baht.data * 100),  # NumberField: 0 to 100,000 baht, 2 places
                sort_order=form.sort_order.data or 0,
                active=form.active.data,
            )
            return saved(
                _("บันทึกอัตรา “%(name)s” แล้ว (ใช้กับรายการที่บันทึกหลังจากนี้)", name=rate.name),
                url_for("counter.lists"),
            )
    return render_template("counter/fee_form.html", form=form, rate=rate)
