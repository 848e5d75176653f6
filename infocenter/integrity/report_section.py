"""The quarterly report's list of the integrity plan's late activities (nothing when no plan)."""

from __future__ import annotations

from typing import Protocol

from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from .. import pdf as T  # the shared Thai typography
from ..stats import Scope
from ..thai import fiscal_year
from .stats import late_activities, plan_for_year


class QuarterlyLayout(Protocol):
    """What this section needs of the report's layout (``reports.quarterly.QuarterlyLayout``;
    named here, not imported, so the report and this section do not import each other)."""

    n: T.Numerals

    def p(self, text: str, style: str = "body") -> Flowable: ...


def flowables(layout: QuarterlyLayout, scope: Scope) -> list[Flowable]:
    """ "๑๗. กิจกรรมที่ล่าช้า": activities whose period ended by the quarter's end without confirmed
    evidence."""

    if plan_for_year(fiscal_year(scope.end)) is None:
        return []
    n = layout.n
    late = late_activities(scope)
    out: list[Flowable] = [layout.p("๑๗. กิจกรรมตามแผนปฏิบัติการด้านคุณธรรมและความโปร่งใสที่ล่าช้า", "h2")]
    if not late:
        out.append(layout.p("ไม่มีกิจกรรมที่ล่าช้า ณ สิ้นไตรมาส"))
        return out
    rows: list[list[object]] = [["มิติ", "กิจกรรม", "ระยะเวลา", "ผู้รับผิดชอบ"]]
    for p in late:
        a = p.activity
        rows.append(
            [
                n.text(a.measure.dimension.number),
                n.text(f"{a.code} {a.title}"),
                n.text(a.period_text),
                a.responsible,
            ]
        )
    out.append(T.table(rows, [1.3 * cm, 8.7 * cm, 3 * cm, 3 * cm], align=["c", "l", "l", "l"]))
    return out
