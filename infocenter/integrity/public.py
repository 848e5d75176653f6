"""What /transparency shows: the plan's confirmed evidence that the public may open (never a
non-public index entry), the indicator map, its CSV and the printable PDF."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from .. import pdf as T  # the shared Thai typography
from ..catalogue.models import IndexEntry
from ..catalogue.search import public_filter
from ..extensions import db
from ..publishing.models import Post
from ..thai import arabic_digits, now_utc, year_from_input
from .models import (
    EvidenceLink,
    IndicatorItem,
    IntegrityPlan,
    PlanActivity,
    PlanDimension,
    PlanMeasure,
)


def public_evidence(plan: IntegrityPlan) -> dict[int, list[EvidenceLink]]:
    """Confirmed evidence of the plan the public may open, by activity id."""
    rows = db.session.scalars(
        select(EvidenceLink)
        .join(PlanActivity, EvidenceLink.activity_id == PlanActivity.id)
        .join(PlanMeasure)
        .join(PlanDimension)
        .outerjoin(IndexEntry, EvidenceLink.entry_id == IndexEntry.id)
        .outerjoin(Post, EvidenceLink.post_id == Post.id)
        .where(
            PlanDimension.plan_id == plan.id,
            EvidenceLink.state == "confirmed",
            or_(
                and_(EvidenceLink.kind == "entry", public_filter()),
                and_(EvidenceLink.kind == "post", Post.state == "published"),
                and_(EvidenceLink.kind.in_(("url", "file")), EvidenceLink.public.is_(True)),
            ),
        )
        .options(selectinload(EvidenceLink.entry), selectinload(EvidenceLink.post))
        .order_by(EvidenceLink.activity_id, EvidenceLink.id)
    ).all()
    out: dict[int, list[EvidenceLink]] = {}
    for link in rows:
        if link.is_public:  # the model's rule again, so the two can never disagree silently
            out.setdefault(link.activity_id, []).append(link)
    return out


@dataclass
class IndicatorRow:
    item: IndicatorItem
    activities: list[PlanActivity] = field(default_factory=list)
    evidence: list[EvidenceLink] = field(default_factory=list)
    missing_refs: list[str] = field(default_factory=list)


def activities_of_year(fiscal_year: int) -> list[PlanActivity]:
    """Every activity of the plan of a fiscal year (none when there is no plan)."""
    return list(
        db.session.scalars(
            select(PlanActivity)
            .join(PlanMeasure)
            .join(PlanDimension)
            .join(IntegrityPlan)
            .where(IntegrityPlan.fiscal_year == fiscal_year)
        )
    )


def indicator_rows(fiscal_year: int, evidence: dict[int, list[EvidenceLink]]) -> list[IndicatorRow]:
    """The indicator map of a year with each item's activities and their public evidence."""
    items = db.session.scalars(
        select(IndicatorItem)
        .where(IndicatorItem.fiscal_year == fiscal_year)
        .order_by(IndicatorItem.position, IndicatorItem.code)
    ).all()
    by_ref = {a.ref: a for a in activities_of_year(fiscal_year)}
    out = []
    for item in items:
        row = IndicatorRow(item)
        for ref in item.ref_list:
            activity = by_ref.get(arabic_digits(ref).replace(" ", ""))
            if activity is None:
                row.missing_refs.append(ref)
                continue
            row.activities.append(activity)
            row.evidence += evidence.get(activity.id, [])
        out.append(row)
    return out


def parse_indicator_csv(data: bytes) -> tuple[list[dict], list[str]]:
    """Rows of an indicator-map CSV (columns fiscal_year, code, title, activities, links) and the
    problems found, by line."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    missing = {"fiscal_year", "code", "title"} - set(reader.fieldnames or [])
    if missing:
        return [], [
            _(
                "ไฟล์ต้องมีคอลัมน์ fiscal_year, code, title (และ activities, links ถ้ามี) ขาด: %(cols)s",
                cols=", ".join(sorted(missing)),
            )
        ]
    rows, errors = [], []
    for line, raw in enumerate(reader, start=2):
        year = year_from_input(raw.get("fiscal_year"), short=False, common_era=False)
        code, title = (raw.get("code") or "").strip(), (raw.get("title") or "").strip()
        if year is None:
            errors.append(
                _(
                    'บรรทัด %(line)s: ปีงบประมาณ "%(value)s" ต้องเป็นปี พ.ศ. เช่น 2563',
                    line=line,
                    value=raw.get("fiscal_year") or "",
                )
            )
            continue
        if not code or not title:
            errors.append(_("บรรทัด %(line)s: ต้องมีรหัสข้อ (code) และชื่อข้อ (title)", line=line))
            continue
        rows.append(
            {
                "fiscal_year": year,
                "code": code[:16],
                "title": title,
                "activities": arabic_digits(raw.get("activities") or "").strip(),
                "links": (raw.get("links") or "").strip(),
            }
        )
    return rows, errors


def transparency_pdf(
    plan: IntegrityPlan, evidence: dict[int, list[EvidenceLink]], items: list[IndicatorRow]
) -> bytes:
    """The public evidence page, printable, in the shared Thai typography (Thai digits)."""
    from flask import url_for

    n = T.Numerals(True)
    W = T.FRAME_WIDTH

    def evidence_text(links: list[EvidenceLink]) -> str:
        return "\n".join(f"{ln.title} ({_link_url(ln, url_for)})" for ln in links) or "-"

    def flowables():
        out = [
            T.para("การเปิดเผยข้อมูลตามแผนปฏิบัติการด้านคุณธรรมและความโปร่งใส", "title"),
            T.para(n.text(f"ปีงบประมาณ พ.ศ. {plan.fiscal_year}"), "center"),
        ]
        if plan.title:
            out.append(T.para(n.text(plan.title), "center"))
        for d in plan.dimensions:
            out.append(T.para(n.text(f"มิติที่ {d.number} {d.title}"), "h1"))
            rows = [["กิจกรรม", "ระยะเวลา", "หลักฐาน"]]
            for m in d.measures:
                for a in m.activities:
                    rows.append(
                        [
                            n.text(f"{a.code} {a.title}"),
                            n.text(a.period_text or "-"),
                            n.text(evidence_text(evidence.get(a.id, []))),
                        ]
                    )
            out.append(T.table(rows, [W * 0.5, W * 0.18, W * 0.32]))
        if items:
            out.append(T.para("ตัวชี้วัดการเปิดเผยข้อมูลสาธารณะ (OIT)", "h1"))
            rows = [["ข้อ", "รายการ", "หลักฐาน"]]
            for r in items:
                links = evidence_text(r.evidence)
                extra = "\n".join(r.item.url_list)
                rows.append(
                    [
                        r.item.code,
                        n.text(r.item.title),
                        n.text(links if links != "-" or not extra else "")
                        + (("\n" + extra) if extra else ""),
                    ]
                )
            out.append(T.table(rows, [W * 0.1, W * 0.45, W * 0.45]))
        return out

    buffer = io.BytesIO()
    doc = T.ThaiDocument(
        buffer,
        title=f"ความโปร่งใส {plan.fiscal_year}",
        doc_id=f"ITA-{plan.fiscal_year}",
        generated_at=now_utc(),
    )
    doc.build_counted(flowables)
    return buffer.getvalue()


def _link_url(link: EvidenceLink, url_for) -> str:
    if link.kind == "entry":
        return url_for("catalogue.document", entry_id=link.entry_id, _external=True)
    if link.kind == "post":
        return url_for("publishing.post", post_id=link.post_id, _external=True)
    if link.kind == "file":
        return url_for("integrity.public_file", evidence_id=link.id, _external=True)
    return link.url


def evidence_url(link: EvidenceLink) -> str:
    """Where the public opens a piece of evidence."""
    from flask import url_for

    return _link_url(link, url_for)


def plan_rows(plan: IntegrityPlan, evidence: dict[int, list[EvidenceLink]]) -> list[list[str]]:
    """The plan as rows in the office's own layout (headings, the seven columns), which
    ``importer.parse_rows`` reads back into the same plan; an eighth column lists the public
    evidence (the importer ignores it)."""
    from .importer import COLUMNS

    rows: list[list[str]] = [[f"ประจำปีงบประมาณ พ.ศ.{plan.fiscal_year}"]]
    if plan.title:
        rows.append([plan.title])
    for d in plan.dimensions:
        rows += [[f"มิติที่ {d.number} {d.title}".strip()], [*COLUMNS, "หลักฐานที่เปิดเผย"]]
        level = None
        for m in d.measures:
            for i, a in enumerate(m.activities):
                code = a.code.split("-")[
                    0
                ]  # "2.1.2-2": the number as written; the importer renames it again
                title = f"{code}{'.' if '.' not in code else ''} {a.title}"
                first = i == 0
                rows.append(
                    [
                        m.level if first and m.level != level else "",
                        f"{m.number} {m.title}".strip() if first else "",
                        title,
                        a.period_text,
                        a.responsible,
                        a.offices_text,
                        a.evidence_expected,
                        " ".join(evidence_url(ln) for ln in evidence.get(a.id, [])),
                    ]
                )
                if first:
                    level = m.level
    return rows
