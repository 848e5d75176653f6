"""The staff dashboard: this fiscal quarter (or another) at a glance, with links into each list."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from .. import nav
from ..auth.roles import staff_required
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


@bp.route("/dashboard")
@staff_required
def index():
    fq = _quarter_from_args()
    scope = Scope.quarter(fq, current_user.visible_office_ids())
    series = online_stats.walkin_vs_online_by_month(scope)
    online = {row.kind: row for row in online_stats.online_totals(scope)}
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
    charts = {
        "monthly": grouped_bars(
            [m.label for m in series],
            [Series("ผู้มาติดต่อที่ศูนย์", [m.visits for m in series]), Series("ใช้งานออนไลน์", [m.online for m in series])],
            title=f"ผู้ใช้บริการรายเดือน {fq.label()}: ที่ศูนย์และออนไลน์",
        ),
        "categories": horizontal_bars([(c.label, c.count) for c in by_category],
                                      title="ข้อมูลข่าวสารที่ผู้มาติดต่อขอดู แยกตามหมวดมาตรา ๙"),
    }
    return render_template("dashboard/index.html", fq=fq, scope=scope, series=series, figures=figures,
                           charts=charts, by_category=by_category, completeness=completeness)

