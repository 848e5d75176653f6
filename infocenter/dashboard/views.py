"""The staff dashboard: this fiscal quarter (or another) at a glance, with links into each list."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import nav
from ..auth.roles import staff_required
from ..catalogue.models import SECTION9, SECTION9_8_ITEMS, Category
from ..extensions import db
from ..i18n import current_language, display_digits
from ..stats import Scope
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


def quarter_label(fq: FiscalQuarter) -> str:
    """"ไตรมาสที่ ๓ ปีงบประมาณ ๒๕๖๓" (as FiscalQuarter.label) on Thai pages; "Quarter 3, fiscal year
    B.E. 2563" on English ones (Thai fiscal years are named by their Buddhist Era year)."""
    return _("ไตรมาสที่ %(quarter)s ปีงบประมาณ %(year)s", quarter=display_digits(fq.quarter),
             year=display_digits(fq.year))


def month_label(month: str, thai_label: str) -> str:
    """A month of the statistics ('2020-04') for the page: the statistics' Thai label ('เม.ย. 2563'),
    or 'Apr 2020' on English pages."""
    if current_language() == "th":
        return thai_label
    year, mon = (int(p) for p in month.split("-"))
    return format_date(date(year, mon, 1), "MMM y", locale="en")


def _english_category_names() -> dict[str, str]:
    """Section 9 category names for English pages: each category's English name as stored, else
    the one the application ships with."""
    if current_language() == "th":
        return {}
    names = {code: en for code, _th, en in SECTION9 + SECTION9_8_ITEMS}
    names.update((code, en) for code, en in db.session.execute(select(Category.code, Category.name_en)) if en)
    return names


@bp.route("/dashboard")
@staff_required
def index():
    fq = _quarter_from_args()
    scope = Scope.quarter(fq, current_user.visible_office_ids())
    series = online_stats.walkin_vs_online_by_month(scope)
    months = [month_label(m.month, m.label) for m in series]
    online = {row.kind: row for row in online_stats.online_totals(scope)}
    names = _english_category_names()
    by_category = visit_stats.entries_by_category(scope)
    completeness = index_stats.completeness(scope)
    figures = {
        "visits": visit_stats.visit_count(scope),
        "previous_visits": visit_stats.visit_count(Scope.quarter(fq.previous(), scope.office_ids)),
        "online": online,
        "satisfaction": visit_stats.satisfaction(scope),
        "fees": visit_stats.copies_and_fees(scope),
        "no_result": online_stats.searches_without_results(scope),
        "requests": request_stats.flow(scope),
        "overdue": request_stats.overdue_now(scope),
    }
    label = quarter_label(fq)
    charts = {
        "monthly": grouped_bars(
            months,
            [Series(_("ผู้มาติดต่อที่ศูนย์"), [m.visits for m in series]),
             Series(_("ใช้งานออนไลน์"), [m.online for m in series])],
            title=_("ผู้ใช้บริการรายเดือน %(quarter)s: ที่ศูนย์และออนไลน์", quarter=label),
        ),
        "categories": horizontal_bars(
            [(names.get(c.key, c.label), c.count) for c in by_category],
            title=_("ข้อมูลข่าวสารที่ผู้มาติดต่อขอดู แยกตามหมวดมาตรา ๙"),
        ),
    }
    return render_template("dashboard/index.html", fq=fq, quarter=label, scope=scope, series=list(zip(months, series, strict=True)),
                           figures=figures, charts=charts, by_category=by_category, completeness=completeness,
                           category_names=names)
