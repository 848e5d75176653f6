"""Writes: store an imported plan, link evidence, confirm or reject it, propose links the product
can find itself, and keep the indicator map. Callers commit."""

from __future__ import annotations

import re

from sqlalchemy import and_, delete, or_, select

from ..admin.models import Office
from ..catalogue.models import IndexEntry
from ..extensions import db
from ..publishing.models import Post
from ..reports.models import Report
from ..thai import FiscalQuarter, fiscal_year_range, local_day_bounds_utc, now_utc, search_key
from .importer import ParsedPlan
from .models import (
    EvidenceLink,
    IndicatorItem,
    IntegrityPlan,
    PlanActivity,
    PlanDimension,
    PlanMeasure,
)


def save_plan(parsed: ParsedPlan, *, source_name: str = "", is_demo: bool = False) -> IntegrityPlan:
    """Store a parsed plan as the plan of its fiscal year, replacing the one there. Evidence
    already linked moves to the new plan's activity of the same dimension and number (a clerk
    fixes the file and imports it again without losing what was confirmed)."""
    old = db.session.scalars(
        select(IntegrityPlan).where(IntegrityPlan.fiscal_year == parsed.fiscal_year)
    ).first()
    if old is not None:
        old.fiscal_year = -old.fiscal_year  # out of the way of the new plan until it is deleted
        db.session.flush()
    plan = IntegrityPlan(
        fiscal_year=parsed.fiscal_year,
        title=parsed.title,
        source_name=source_name[:255],
        is_demo=is_demo,
    )
    for d in parsed.dimensions:
        dimension = PlanDimension(number=d.number, title=d.title)
        plan.dimensions.append(dimension)
        for mpos, m in enumerate(d.measures):
            measure = PlanMeasure(
                position=mpos, level=m.level[:16], number=m.number[:32], title=m.title
            )
            dimension.measures.append(measure)
            for apos, a in enumerate(m.activities):
                measure.activities.append(
                    PlanActivity(
                        position=apos,
                        code=a.code[:32],
                        title=a.title,
                        period_text=a.period_text[:200],
                        start_date=a.start,
                        end_date=a.end,
                        responsible=a.responsible[:200],
                        offices_text=a.offices_text[:100],
                        provincial=a.provincial,
                        districts=a.districts,
                        evidence_expected=a.evidence,
                        source_line=a.line,
                    )
                )
    db.session.add(plan)
    db.session.flush()
    if old is not None:
        by_ref = {a.ref: a for d in plan.dimensions for m in d.measures for a in m.activities}
        for d in old.dimensions:
            for m in d.measures:
                for activity in m.activities:
                    target = by_ref.get(activity.ref)
                    for evidence in list(activity.links) if target is not None else []:
                        evidence.activity = target
        db.session.delete(old)
        db.session.flush()
    return plan


def carrying_offices(activity: PlanActivity) -> list[Office]:
    """The offices that carry out an activity: the provincial office(s) (สพจ.), every district
    (สพอ.)."""
    kinds = [
        k for k, on in (("province", activity.provincial), ("district", activity.districts)) if on
    ]
    if not kinds:
        return []
    return list(db.session.scalars(Office.ordered().where(Office.kind.in_(kinds))))


def link(
    activity: PlanActivity,
    office_id: int,
    kind: str,
    *,
    user=None,
    confirmed: bool = True,
    entry_id: int | None = None,
    post_id: int | None = None,
    report_id: int | None = None,
    url: str = "",
    file_name: str = "",
    original_name: str = "",
    note: str = "",
    public: bool = False,
) -> EvidenceLink:
    """Link a piece of evidence; a person linking it confirms it at once (the audit log keeps
    who)."""
    existing = _find(activity.id, office_id, kind, entry_id, post_id, report_id, url, file_name)
    evidence = existing or EvidenceLink(
        activity_id=activity.id,
        office_id=office_id,
        kind=kind,
        entry_id=entry_id,
        post_id=post_id,
        report_id=report_id,
        url=url[:500],
        file_name=file_name,
        original_name=original_name[:255],
        note=note,
        public=public,
        proposed_by=user.username if user else "system",
    )
    if existing is None:
        db.session.add(evidence)
    if confirmed and user is not None:
        confirm(evidence, user)
    db.session.flush()
    return evidence


def _find(
    activity_id, office_id, kind, entry_id, post_id, report_id, url, file_name
) -> EvidenceLink | None:
    q = select(EvidenceLink).where(
        EvidenceLink.activity_id == activity_id,
        EvidenceLink.office_id == office_id,
        EvidenceLink.kind == kind,
    )
    if kind == "entry":
        q = q.where(EvidenceLink.entry_id == entry_id)
    elif kind == "post":
        q = q.where(EvidenceLink.post_id == post_id)
    elif kind == "report":
        q = q.where(EvidenceLink.report_id == report_id)
    elif kind == "url":
        q = q.where(EvidenceLink.url == url)
    else:
        q = q.where(EvidenceLink.file_name == file_name)
    return db.session.scalars(q).first()


def confirm(evidence: EvidenceLink, user) -> None:
    evidence.state = "confirmed"
    evidence.confirmed_by_id = user.id
    evidence.confirmed_at = now_utc()


def reject(evidence: EvidenceLink, user) -> None:
    evidence.state = "rejected"
    evidence.confirmed_by_id = user.id
    evidence.confirmed_at = now_utc()


# --- proposals -------------------------------------------------------------------------------

_STATISTICS_RE = re.compile(r"สถิติ|ทะเบียน.*ใช้บริการ|รายงาน.*ผู้บังคับบัญชา")
_SOCIAL_RE = re.compile(r"line|facebook|เครือข่ายสังคม|สื่อสังคม|ไลน์", re.I)
# Words too common in "evidence expected" to match titles by (every notice is a ประกาศ).
_STOP = {
    "ประกาศ",
    "ประกาศฯ",
    "คำสั่ง",
    "รายงาน",
    "โครงการ",
    "โครงการฯ",
    "และ",
    "หรือ",
    "เว็บไซต์",
    "สำนักงาน",
}
MAX_POSTS = 12


def _phrases(evidence: str) -> list[str]:
    """Distinctive phrases of an activity's expected evidence ("คำสั่งแต่งตั้งเจ้าหน้าที่", "ดัชนีข้อมูล")."""
    out = []
    for part in re.split(r"[\s/,\-–]+", evidence or ""):
        part = part.strip().rstrip("ฯ").strip()
        if len(part) >= 6 and part not in _STOP:
            out.append(search_key(part))
    return list(dict.fromkeys(p for p in out if p))


def _span(activity: PlanActivity, fiscal_year: int):
    start, end = fiscal_year_range(fiscal_year)
    return activity.start_date or start, activity.end_date or end


def propose(plan: IntegrityPlan) -> int:
    """Propose evidence the product already holds: the quarterly reports of the activity's quarters
    for the statistics item, posts for the LINE/Facebook item, index entries whose titles match the
    expected evidence. Returns how many new proposals were made; people confirm them."""
    made = 0
    activities = db.session.scalars(
        select(PlanActivity)
        .join(PlanMeasure)
        .join(PlanDimension)
        .where(PlanDimension.plan_id == plan.id)
    ).all()
    for activity in activities:
        offices = carrying_offices(activity)
        office_ids = [o.id for o in offices]
        if not office_ids:
            continue
        start, end = _span(activity, plan.fiscal_year)
        text = f"{activity.title} {activity.evidence_expected}"
        candidates: list[tuple[int, str, dict]] = []
        if _STATISTICS_RE.search(text):
            quarters = {(FiscalQuarter.of(start).year, FiscalQuarter.of(start).quarter)}
            fq = FiscalQuarter.of(start)
            while fq.end < end:
                fq = fq.next()
                quarters.add((fq.year, fq.quarter))
            reports = db.session.scalars(
                select(Report).where(
                    or_(*[and_(Report.fiscal_year == y, Report.quarter == q) for y, q in quarters])
                )
            ).all()
            for r in reports:
                for oid in (
                    [r.office_id]
                    if r.office_id in office_ids
                    else office_ids[:1]
                    if r.all_offices
                    else []
                ):
                    candidates.append((oid, "report", {"report_id": r.id}))
        if _SOCIAL_RE.search(text):
            lo, hi = local_day_bounds_utc(start, end)
            posts = db.session.scalars(
                select(Post)
                .where(
                    Post.state == "published",
                    Post.published_at >= lo,
                    Post.published_at < hi,
                    Post.office_id.in_(office_ids),
                )
                .order_by(Post.published_at.desc())
                .limit(MAX_POSTS)
            ).all()
            candidates += [(p.office_id, "post", {"post_id": p.id}) for p in posts]
        phrases = _phrases(activity.evidence_expected)
        if phrases:
            entries = db.session.scalars(
                select(IndexEntry)
                .where(
                    IndexEntry.office_id.in_(office_ids),
                    IndexEntry.state == "published",
                    or_(IndexEntry.doc_date.is_(None), IndexEntry.doc_date.between(start, end)),
                    or_(*[IndexEntry.search_title.contains(p, autoescape=True) for p in phrases]),
                )
                .limit(20)
            ).all()
            candidates += [(e.office_id, "entry", {"entry_id": e.id}) for e in entries]
        for office_id, kind, ids in candidates:
            if (
                _find(
                    activity.id,
                    office_id,
                    kind,
                    ids.get("entry_id"),
                    ids.get("post_id"),
                    ids.get("report_id"),
                    "",
                    "",
                )
                is None
            ):
                db.session.add(
                    EvidenceLink(
                        activity_id=activity.id,
                        office_id=office_id,
                        kind=kind,
                        proposed_by="system",
                        **ids,
                    )
                )
                made += 1
        db.session.flush()
    return made


# --- the indicator map -----------------------------------------------------------------------

INDICATOR_COLUMNS = ("fiscal_year", "code", "title", "activities", "links")


def save_indicators(rows: list[dict], replace_year: int | None = None) -> int:
    """Create or update indicator items from rows (the CSV's columns); returns how many."""
    if replace_year is not None:
        db.session.execute(delete(IndicatorItem).where(IndicatorItem.fiscal_year == replace_year))
    count = 0
    for pos, row in enumerate(rows):
        item = db.session.scalars(
            select(IndicatorItem).where(
                IndicatorItem.fiscal_year == row["fiscal_year"], IndicatorItem.code == row["code"]
            )
        ).first()
        item = item or IndicatorItem(fiscal_year=row["fiscal_year"], code=row["code"])
        item.title = row["title"]
        item.activity_refs = row.get("activities", "")
        item.urls = row.get("links", "")
        item.position = pos
        db.session.add(item)
        count += 1
    db.session.flush()
    return count


def remove_indicator(item: IndicatorItem) -> None:
    """Take an item off the year's indicator map. The caller commits."""
    db.session.delete(item)
