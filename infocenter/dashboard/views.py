"""The staff dashboard: this fiscal quarter (or another) at a glance, for every office the user sees
or one of them, the offices side by side, with links into lists every staff role can open.

A quarter in progress is shown "ถึงวันที่ …" and compared with the same number of days of the
previous quarter (``reports.figures.periods``, as in the report); its last month is marked partial.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import nav
from ..admin.models import Office
from ..auth.roles import staff_required
from ..catalogue.models import SECTION9, SECTION9_8_ITEMS, Category
from ..counter.models import Visit
from ..extensions import db
from ..i18n import current_language, display_date, display_digits, display_month, display_quarter
from ..reports import rollup
from ..reports.figures import periods
from ..stats import index as index_stats
from ..stats import online as online_stats
from ..stats import requests as request_stats
from ..stats import visits as visit_stats
from ..thai import FiscalQuarter, local_today
from .charts import Series, grouped_bars, horizontal_bars

bp = Blueprint("dashboard", __name__)

nav.add("dashboard.index", "ภาพรวม", ("admin", "clerk", "supervisor"), order=10)


def _quarter_from_args() -> FiscalQuarter:
    current = FiscalQuarter.of(local_today())
    try:
        year = int(request.args.get("fy", current.year))
        quarter = int(request.args.get("q", current.quarter))
        return FiscalQuarter(year, quarter)
    except ValueError:
        abort(404)


def _english_category_names() -> dict[str, str]:
    """Section 9 category names for English pages: each category's English name as stored, else
    the one the application ships with."""
    if current_language() == "th":
        return {}
    names = {code: en for code, _th, en in SECTION9 + SECTION9_8_ITEMS}
    names.update(
        (code, en) for code, en in db.session.execute(select(Category.code, Category.name_en)) if en
    )
    return names


def _visible_offices() -> list[Office]:
    return Office.visible_to(current_user)


def _office_from_args(offices: list[Office]) -> Office | None:
    """The office chosen in the filter (one the user sees), or None for every office they see."""
    raw = request.args.get("office", "").strip()
    if not raw:
        return None
    chosen = next((o for o in offices if str(o.id) == raw), None)
    if chosen is None:
        abort(404)
    return chosen


def _period_args(fq: FiscalQuarter, office: Office | None) -> dict:
    args = {"fy": fq.year, "q": fq.quarter}
    if office is not None:
        args["office"] = office.id
    return args


@bp.route("/dashboard")
@staff_required
def index():
    fq = _quarter_from_args()
    offices = _visible_offices()
    office = _office_from_args(offices)
    office_ids = (office.id,) if office is not None else current_user.visible_office_ids()
    scope, previous_scope, _year_before = periods(
        fq, tuple(office_ids) if office_ids is not None else None
    )
    partial = fq.start <= scope.end < fq.end  # (a quarter not begun has nothing to compare)
    series = online_stats.walkin_vs_online_by_month(scope)
    months = [display_month(m.month, short=True) for m in series]
    if (
        partial and series and series[-1].month == f"{scope.end:%Y-%m}"
    ):  # a month cut short, marked so
        months[-1] = _(
            "%(month)s (ถึงวันที่ %(day)s)", month=months[-1], day=display_digits(scope.end.day)
        )
    online = {row.kind: row for row in online_stats.online_totals(scope)}
    names = _english_category_names()
    by_category = visit_stats.entries_by_category(scope)
    completeness = index_stats.completeness(scope)
    figures = {
        "visits": visit_stats.visit_count(scope),
        "previous_visits": visit_stats.visit_count(previous_scope),
        "online": online,
        "satisfaction": visit_stats.satisfaction(scope),
        "fees": visit_stats.copies_and_fees(scope),
        "no_result": online_stats.searches_without_results(scope),
        "requests": request_stats.flow(scope),
        "overdue": request_stats.overdue_now(scope),
    }
    label = display_quarter(fq)
    charts = {
        "monthly": grouped_bars(
            months,
            [
                Series(_("ผู้มาติดต่อที่ศูนย์"), [m.visits for m in series]),
                Series(_("ใช้งานออนไลน์"), [m.online for m in series]),
            ],
            title=_("ผู้ใช้บริการรายเดือน %(quarter)s: ที่ศูนย์และออนไลน์", quarter=label),
        ),
        "categories": horizontal_bars(
            [(names.get(c.key, c.label), c.count) for c in by_category],
            title=_("ข้อมูลข่าวสารที่ผู้มาติดต่อขอดู แยกตามหมวดมาตรา ๙"),
        ),
    }
    side_by_side = rollup.compare(fq, offices) if office is None and len(offices) > 1 else []
    return render_template(
        "dashboard/index.html",
        fq=fq,
        quarter=label,
        scope=scope,
        series=list(zip(months, series, strict=True)),
        figures=figures,
        charts=charts,
        by_category=by_category,
        completeness=completeness,
        category_names=names,
        offices=offices,
        office=office,
        partial=partial,
        previous_scope=previous_scope,
        side_by_side=side_by_side,
        period_args=_period_args(fq, office),
        as_of=display_date(scope.end),
    )


VISITS_PER_PAGE = 50


@bp.route("/dashboard/visits")
@staff_required
def visits():
    """The visits the dashboard's card counts (the quarter so far, the offices chosen), read-only:
    the list behind the card for every staff role, supervisors included (the counter is for
    clerks)."""
    fq = _quarter_from_args()
    offices = _visible_offices()
    office = _office_from_args(offices)
    office_ids = (office.id,) if office is not None else current_user.visible_office_ids()
    scope = periods(fq, tuple(office_ids) if office_ids is not None else None)[0]
    stmt = select(Visit).where(visit_stats.counted(scope))  # the visits the card counts, no other
    page = db.paginate(
        stmt.order_by(Visit.visited_at.desc(), Visit.id.desc()),
        per_page=VISITS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "dashboard/visits.html",
        fq=fq,
        quarter=display_quarter(fq),
        office=office,
        page=page,
        total=visit_stats.visit_count(scope),
        period_args=_period_args(fq, office),
        as_of=display_date(scope.end),
    )
