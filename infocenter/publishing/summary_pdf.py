"""The monthly summary of the LINE project for the supervisor: a memo (บันทึกข้อความ) in the
same Thai typography as the quarterly report (Sarabun, shaping, dictionary line breaks)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from reportlab.lib.units import cm
from reportlab.platypus import Spacer
from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import SUPERVISOR
from ..extensions import db
from ..pdf import (
    FRAME_WIDTH,
    MemoHeader,
    Numerals,
    SignatureBlock,
    ThaiDocument,
    keep,
    para,
    table,
)
from ..thai import be_year, local_today, month_label, now_utc
from .plan import (
    PlanPeriod,
    build_plan,
    month_period,
    month_posts,
    post_group_messages,
)

PROJECT_NAME = "Application Line สร้างสรรค์งาน พช.นครสวรรค์ใสสะอาด"


SHORT_KIND = {"still": "ภาพนิ่ง", "clip": "คลิป", "news": "ข่าว"}


def _day(n: Numerals, value) -> str:
    """ "๓๑ ส.ค." — the day and month without the year (the month and year head the report)."""
    return n.date(value, "short").rsplit(" ", 1)[0]


def iso_weeks_of_month(month: date) -> PlanPeriod:
    """Whole ISO weeks whose Thursday falls in the month (so every week belongs to one month)."""
    period = month_period(month)
    first_thursday = period.start + timedelta(days=(3 - period.start.weekday()) % 7)
    last_thursday = period.end - timedelta(days=(period.end.weekday() - 3) % 7)
    return PlanPeriod(first_thursday - timedelta(days=3), last_thursday + timedelta(days=3))


def _addressee(office_id: int) -> str:
    """The supervisor's position (e.g. พัฒนาการจังหวัดนครสวรรค์), or a generic title."""
    position = db.session.scalars(
        select(User.position)
        .where(User.role == SUPERVISOR, User.active.is_(True), User.position != "")
        .order_by(User.office_id != office_id, User.id)
        .limit(1)
    ).first()
    return position or "ผู้บังคับบัญชา"


def build_summary_pdf(month: date, office_ids: list[int] | None, user: User) -> bytes:
    """The PDF for one month: targets against posts, then each post with what staff saw."""
    n = Numerals()
    month_plan = build_plan(month_period(month), office_ids)
    weeks = build_plan(iso_weeks_of_month(month), office_ids).weeks
    judged = [w for w in weeks if w.ended]  # weeks not yet over are not counted as met or missed
    m = month_plan.months[0]
    posts = month_posts(month, office_ids)
    by_post = post_group_messages([p.id for p in posts])
    office = user.office
    label = month_label(month)
    title = f"รายงานผลการดำเนินงานโครงการ {PROJECT_NAME} ประจำเดือน{label}"
    weeks_met = sum(1 for w in judged if w.met)

    def flowables():
        out = [
            MemoHeader(
                department=office.name,
                phone=office.phone or "",
                reference=f"............/{n.text(be_year(local_today()))}",
                date_text=n.date(local_today()),
                subject=title,
                addressee=_addressee(office.id),
            ),
            para(
                f"ตามที่{office.name}ได้ดำเนินโครงการ {PROJECT_NAME} โดยจัดทำสื่อภาพนิ่งให้ความรู้ด้านคุณธรรม "
                f"จริยธรรม และวินัย เผยแพร่ผ่านกลุ่ม Line อย่างน้อยสัปดาห์ละ {n.num(month_plan.still_target)} "
                "เรื่อง "
                f"และแชร์คลิปสื่ออย่างน้อยเดือนละ {n.num(month_plan.clip_target)} เรื่อง "
                "พร้อมติดตามการเข้ารับชม "
                f"การวิพากษ์วิจารณ์และติชมของกลุ่มเป้าหมาย นั้น ขอรายงานผลการดำเนินงานประจำเดือน{label} ดังนี้",
                "body_indent",
            ),
            para(
                f"๑. เผยแพร่ภาพนิ่ง {n.num(m.still)} เรื่อง คลิป {n.num(m.clips)} เรื่อง และข่าวประชาสัมพันธ์ "
                f"{n.num(m.news)} เรื่อง รวม {n.num(m.total)} เรื่อง",
                "body_indent",
            ),
            para(
                f"๒. สัปดาห์ที่เผยแพร่ภาพนิ่งได้ตามเป้าหมาย {n.num(weeks_met)} จาก {n.num(len(judged))} "
                "สัปดาห์"
                f"{'ที่ผ่านไปแล้ว' if len(judged) < len(weeks) else ''} "
                + (
                    f"และคลิป{'ได้ตามเป้าหมาย' if m.met else 'ต่ำกว่าเป้าหมาย'}"
                    if m.ended
                    else "และคลิปอยู่ระหว่างดำเนินการ"
                )
                + f" ({n.num(m.clips)} จาก {n.num(m.clip_target)} เรื่อง)",
                "body_indent",
            ),
            para(
                f"๓. ผลการติดตาม: สถิติของ LINE มีผู้เห็นข้อความรวม {n.num(m.reach)} คน (ไม่นับซ้ำในแต่ละเรื่อง"
                + (f" ไม่รวม {n.num(m.reach_small)} เรื่องที่มีผู้เห็นน้อยกว่า ๒๐ คน" if m.reach_small else "")
                + f") มีความเห็นในกลุ่ม LINE {n.num(m.group_messages)} ข้อความ "
                f"และบันทึกผลด้วยมือ {n.num(m.with_feedback)} จาก {n.num(m.total)} เรื่อง "
                f"(ผู้อ่าน {n.num(m.reads)} ครั้ง ความคิดเห็น {n.num(m.comments)} ความคิดเห็น)",
                "body_indent",
            ),
        ]
        week_rows = [["สัปดาห์", "ช่วงวันที่", "ภาพนิ่ง", "เป้าหมาย", "ผล"]]
        for w in weeks:
            result = (
                "ยังไม่ถึง"
                if not w.started
                else "กำลังดำเนินการ"
                if w.in_progress
                else "ตามเป้า"
                if w.met
                else f"ขาด {n.num(w.target - w.still)}"
            )
            week_rows.append(
                [
                    n.text(f"{w.iso_week}"),
                    f"{_day(n, w.monday)} – {n.date(w.sunday, 'short')}",
                    n.num(w.still),
                    n.num(w.target),
                    result,
                ]
            )
        out.append(
            keep(
                para("ภาพนิ่งรายสัปดาห์ (สัปดาห์ ISO ที่วันพฤหัสบดีอยู่ในเดือนนี้)", "h2"),
                table(
                    week_rows,
                    [1.8 * cm, 6.6 * cm, 2.2 * cm, 2.2 * cm, FRAME_WIDTH - 12.8 * cm],
                    align=["c", "l", "r", "r", "c"],
                ),
            )
        )
        post_rows = [["ที่", "วันที่", "ประเภท: เรื่อง", "ผู้เห็น", "ความเห็น", "คำติชม"]]
        for i, p in enumerate(posts, start=1):
            fb = p.feedback
            groups = by_post.get(p.id, {})
            # LINE's figures first; what staff typed only where LINE gives none.
            if p.reach_fetched_at is not None:
                seen = "< ๒๐" if p.reach_impressions is None else n.num(p.reach_impressions)
            else:
                seen = n.num(fb.read_count) if fb else "-"
            said = (
                n.num(sum(groups.values())) if groups else (n.num(fb.comment_count) if fb else "-")
            )
            notes = "; ".join(f"{name} {n.num(k)}" for name, k in groups.items())
            if fb and fb.notes:
                notes = f"{notes}; {fb.notes}" if notes else fb.notes
            post_rows.append(
                [
                    n.num(i),
                    _day(n, p.published_at),
                    f"{SHORT_KIND[p.kind]}: {p.title}",
                    seen,
                    said,
                    notes or "ยังไม่บันทึก",
                ]
            )
        out.append(Spacer(1, 8))
        out.append(para("รายการที่เผยแพร่และผลการติดตาม", "h2"))
        if posts:
            out.append(
                table(
                    post_rows,
                    [1.1 * cm, 2.1 * cm, 5.3 * cm, 1.7 * cm, 2.4 * cm, FRAME_WIDTH - 12.6 * cm],
                    align=["c", "l", "l", "r", "r", "l"],
                )
            )
        else:
            out.append(para("ไม่มีรายการที่เผยแพร่ในเดือนนี้"))
        if month_plan.groups:
            group_rows = [["กลุ่ม LINE", "เรื่องที่ส่งถึง", "ความเห็นในกลุ่ม"]]
            for g in month_plan.groups:
                group_rows.append([g.name, n.num(g.posts), n.num(g.messages)])
            out.append(Spacer(1, 8))
            out.append(
                keep(
                    para("ผลรายกลุ่ม LINE", "h2"),
                    table(
                        group_rows,
                        [FRAME_WIDTH - 6.4 * cm, 3.2 * cm, 3.2 * cm],
                        align=["l", "r", "r"],
                    ),
                )
            )
        out += [
            Spacer(1, 10),
            para("จึงเรียนมาเพื่อโปรดทราบ", "body_indent"),
            Spacer(1, 18),
            SignatureBlock(name=user.full_name or user.username, position=user.position),
        ]
        return out

    buffer = io.BytesIO()
    doc = ThaiDocument(
        buffer,
        title=title,
        doc_id=f"LINE-{month:%Y-%m}",
        generated_at=now_utc(),
        numerals=n,
        author=office.name,
    )
    doc.build_counted(flowables)
    return buffer.getvalue()
