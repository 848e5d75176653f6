"""The offices side by side: one row of figures per office for a quarter (or the part of it so
far), sorted so the offices with most to act on come first. Printed in the province's report
and shown on the dashboard; every figure comes from ``infocenter.stats`` and the LINE plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..admin.models import Office
from ..stats import Scope
from ..stats import index as index_stats
from ..stats import online as online_stats
from ..stats import requests as request_stats
from ..stats import visits as visit_stats
from ..thai import FiscalQuarter
from .figures import ONLINE_KINDS, line_plan, periods


@dataclass(frozen=True)
class OfficeFigures:
    """One office's row of the comparison."""

    office_id: int
    code: str
    name: str
    visits: int
    online: int  # searches, views, downloads and online requests
    received: int
    closed: int
    on_time: int  # closed within the time limit
    timed: int  # closed requests whose timeliness is known (the n of the on-time share)
    median_days: float | None
    overdue: int  # past their due date at the end of the period
    public_entries: int
    new_entries: int
    past_review: int
    empty_categories: tuple[str, ...]
    line_weeks_met: int
    line_weeks_full: int

    @property
    def line_shortfall(self) -> int:
        """Whole weeks in the period whose still-image posts fell short of the target."""
        return self.line_weeks_full - self.line_weeks_met

    @property
    def late(self) -> int:
        return self.timed - self.on_time

    @property
    def issues(self) -> list[str]:
        """What this office should act on, in short phrases in the current language (Thai in the
        report, built under force_locale("th")); how many there are is the sort key."""
        out = []
        if not (self.visits or self.online or self.received):
            out.append(_("ไม่มีการให้บริการ"))
        if self.overdue:
            out.append(_("คำขอเกินกำหนด %(n)s เรื่อง", n=self.overdue))
        if self.late:
            out.append(_("แล้วเสร็จไม่ทันกำหนด %(n)s เรื่อง", n=self.late))
        if self.empty_categories:
            out.append(_("หมวดที่ยังไม่มีรายการ %(n)s หมวด", n=len(self.empty_categories)))
        if self.past_review:
            out.append(_("เลยกำหนดทบทวน %(n)s รายการ", n=self.past_review))
        if self.line_shortfall > 0:
            out.append(_("LINE ไม่ถึงเป้า %(n)s สัปดาห์", n=self.line_shortfall))
        return out


def office_figures(office: Office, scope: Scope, index_row) -> OfficeFigures:
    """The row of one office over ``scope`` (whose office_ids is that office)."""
    online = {c.kind: c.total for c in online_stats.online_totals(scope)}
    flow = request_stats.flow(scope)
    timeliness = request_stats.timeliness(scope)
    plan = line_plan(scope)
    return OfficeFigures(
        office_id=office.id,
        code=office.code,
        name=office.name,
        visits=visit_stats.visit_count(scope),
        online=sum(online.get(k, 0) for k in ONLINE_KINDS),
        received=flow.received,
        closed=flow.closed,
        on_time=next((c.count for c in timeliness if c.key == "on_time"), 0),
        timed=sum(c.count for c in timeliness),
        median_days=request_stats.time_to_complete(scope).median,
        overdue=request_stats.overdue_at(scope, scope.end),
        public_entries=index_row.public_entries if index_row else 0,
        new_entries=index_row.new_in_period if index_row else 0,
        past_review=index_row.past_review if index_row else 0,
        empty_categories=tuple(index_row.empty_categories) if index_row else (),
        line_weeks_met=plan.weeks_met,
        line_weeks_full=plan.weeks_full,
    )


def compare(
    fq: FiscalQuarter, offices: list[Office], today: date | None = None
) -> list[OfficeFigures]:
    """Every office's row for the quarter (its days so far while it is in progress), the offices
    with most to act on first, then the least used."""
    ids = tuple(o.id for o in offices)
    whole = periods(fq, ids, today)[0]
    index_rows = {r.key: r for r in index_stats.by_office(whole, whole.end)}
    rows = [
        office_figures(o, Scope(whole.start, whole.end, (o.id,)), index_rows.get(o.code))
        for o in offices
    ]
    return sorted(rows, key=lambda r: (-len(r.issues), r.visits + r.online, r.code))
