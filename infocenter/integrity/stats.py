"""Progress of the plan: each activity's status per office and overall, counted from its evidence
links in SQL. Status: done (evidence confirmed), late (the period is over without it), in progress
(begun, or evidence proposed), not started."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ..admin.models import Office
from ..extensions import db
from ..stats import Scope
from ..thai import fiscal_year, local_today
from .models import EvidenceLink, IntegrityPlan, PlanActivity, PlanDimension, PlanMeasure

STATUSES = ("not_started", "in_progress", "done", "late")


@dataclass
class ActivityProgress:
    activity: PlanActivity
    status: str
    by_office: dict[int, str] = field(default_factory=dict)  # office id -> status
    confirmed: int = 0
    proposed: int = 0


def office_status(activity: PlanActivity, confirmed: int, proposed: int, today: date) -> str:
    """One office's status for one activity."""
    if confirmed:
        return "done"
    if activity.end_date is not None and activity.end_date < today:
        return "late"
    if proposed or (activity.start_date is not None and activity.start_date <= today):
        return "in_progress"
    return "not_started"


def overall(statuses: list[str]) -> str:
    """An activity's status over its offices: done when all are, late when any is."""
    if not statuses:
        return "not_started"
    if all(s == "done" for s in statuses):
        return "done"
    if "late" in statuses:
        return "late"
    if any(s in ("in_progress", "done") for s in statuses):
        return "in_progress"
    return "not_started"


def _offices() -> tuple[list[int], list[int]]:
    rows = db.session.execute(select(Office.id, Office.kind).order_by(Office.code)).all()
    return [r.id for r in rows if r.kind == "province"], [
        r.id for r in rows if r.kind == "district"
    ]


def plan_progress(
    plan: IntegrityPlan, today: date | None = None, office_ids: tuple[int, ...] | None = None
) -> list[ActivityProgress]:
    """Every activity of the plan with its status; with ``office_ids``, the activities those offices
    carry out, with their status over those offices only."""
    today = today or local_today()
    activities = db.session.scalars(
        select(PlanActivity)
        .join(PlanMeasure)
        .join(PlanDimension)
        .where(PlanDimension.plan_id == plan.id)
        .order_by(PlanDimension.number, PlanMeasure.position, PlanActivity.position)
    ).all()
    counts = db.session.execute(
        select(
            EvidenceLink.activity_id,
            EvidenceLink.office_id,
            func.sum(case((EvidenceLink.state == "confirmed", 1), else_=0)).label("confirmed"),
            func.sum(case((EvidenceLink.state == "proposed", 1), else_=0)).label("proposed"),
        )
        .join(PlanActivity)
        .join(PlanMeasure)
        .join(PlanDimension)
        .where(PlanDimension.plan_id == plan.id)
        .group_by(EvidenceLink.activity_id, EvidenceLink.office_id)
    ).all()
    by_key = {
        (r.activity_id, r.office_id): (int(r.confirmed or 0), int(r.proposed or 0)) for r in counts
    }
    provinces, districts = _offices()
    out = []
    for a in activities:
        ids = (provinces if a.provincial else []) + (districts if a.districts else [])
        if office_ids is not None:
            ids = [i for i in ids if i in office_ids]
            if not ids:
                continue  # not carried out by these offices (a province-only item for a district)
        by_office = {}
        confirmed = proposed = 0
        for oid in ids:
            c, p = by_key.get((a.id, oid), (0, 0))
            by_office[oid] = office_status(a, c, p, today)
            confirmed, proposed = confirmed + c, proposed + p
        out.append(
            ActivityProgress(a, overall(list(by_office.values())), by_office, confirmed, proposed)
        )
    return out


def summary(progress: list[ActivityProgress]) -> dict[str, int]:
    """How many activities are in each status."""
    counted = Counter(p.status for p in progress)
    return {s: counted.get(s, 0) for s in STATUSES}


def plan_for_year(fiscal_year: int | None = None, *, whole: bool = False) -> IntegrityPlan | None:
    """The plan of a fiscal year, or the newest plan (``whole``: with its dimensions, measures and
    activities loaded in three queries, for pages that show them all)."""
    q = select(IntegrityPlan)
    if whole:
        q = q.options(
            selectinload(IntegrityPlan.dimensions)
            .selectinload(PlanDimension.measures)
            .selectinload(PlanMeasure.activities)
        )
    if fiscal_year is not None:
        q = q.where(IntegrityPlan.fiscal_year == fiscal_year)
    return db.session.scalars(q.order_by(IntegrityPlan.fiscal_year.desc()).limit(1)).first()


def late_activities(scope: Scope) -> list[ActivityProgress]:
    """Activities late at the end of ``scope`` at its offices (for the quarterly report's list):
    their period ended on or before the scope's last day without confirmed evidence."""
    plan = plan_for_year(fiscal_year(scope.end))
    if plan is None:
        return []
    progress = plan_progress(plan, today=scope.end + timedelta(days=1), office_ids=scope.office_ids)
    return [p for p in progress if p.status == "late"]
