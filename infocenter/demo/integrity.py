"""A demo integrity plan for the current fiscal year, with evidence in every state: done (a
confirmed index entry), in progress (posts the product proposed, waiting for a person), late
(its month is over and nothing proves it) and not started (its month is still ahead)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from ..extensions import db
from ..integrity.importer import COLUMNS, parse_rows
from ..integrity.models import IndicatorItem, IntegrityPlan, PlanActivity
from ..integrity.operations import link, propose, save_indicators, save_plan
from ..thai import THAI_MONTHS_SHORT, be_year, fiscal_year, fiscal_year_range, thai_digits
from . import SeedContext


def _month(d: date) -> str:
    """ "เม.ย.-๖๓": how the plan writes a month."""
    return thai_digits(f"{THAI_MONTHS_SHORT[d.month - 1]}-{be_year(d) % 100:02d}")


def _shift(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def _rows(ctx: SeedContext) -> list[list[str]]:
    fy = fiscal_year(ctx.today)
    start, end = fiscal_year_range(fy)
    whole = f"{_month(start)} - {_month(end)}"
    past = _month(_shift(ctx.today, -2))
    ahead = _month(_shift(ctx.today, 2))
    head = list(COLUMNS)  # the plan's header row, as the importer reads it
    return [
        [thai_digits(f"ประจำปีงบประมาณ พ.ศ.{fy}")],
        ['แผนปฏิบัติการดำเนินงานโครงการ "พัฒนาชุมชนนครสวรรค์ใสสะอาด" (ตัวอย่าง)'],
        ["มิติที่ ๑ ด้านบทบาทผู้บริหารและความพยายามริเริ่มของหน่วยงานในการสร้างความโปร่งใส"],
        head,
        [
            "๑",
            "๑.๑ มาตรฐานจริยธรรมของผู้บริหาร",
            "๑.๑.๑ จัดทำประกาศมาตรฐานจริยธรรมของผู้บริหาร",
            past,
            "ฝ่ายอำนวยการ",
            "สพจ.",
            "ประกาศฯ",
        ],
        ["มิติที่ ๒ ด้านการเปิดเผยข้อมูล"],
        head,
        [
            "๑",
            "๑.๑ มีการจัดสถานที่จัดตั้งศูนย์ข้อมูลข่าวสาร",
            "๑.๑.๑ จัดสถานที่จัดตั้งศูนย์ข้อมูลข่าวสาร ๑.๑.๒ แต่งตั้งเจ้าหน้าที่ผู้รับผิดชอบประจำศูนย์ข้อมูลข่าวสาร",
            past,
            "กลุ่มงานสารสนเทศ",
            "สพจ.",
            "ป้ายบอกสถานที่  คำสั่งแต่งตั้งเจ้าหน้าที่",
        ],
        [
            "๓",
            "๓.๑ มีดัชนีข้อมูลข่าวสารตามมาตรา ๙",
            "๓.๑.๑ จัดทำดัชนีข้อมูลข่าวสารไว้ให้บริการ",
            whole,
            "กลุ่มงานสารสนเทศ",
            "สพจ.",
            "ดัชนีข้อมูลข่าวสาร",
        ],
        [
            "๔",
            "๔.๑ มีสถิติและสรุปผลการใช้บริการศูนย์ข้อมูลข่าวสาร",
            "๔.๑.๑ นำเสนอสรุปรายงานสถิติให้ผู้บังคับบัญชาทราบ ทุก ๓ เดือน",
            whole,
            "กลุ่มงานสารสนเทศ",
            "สพจ.",
            "สำเนารายงาน เสนอผู้บังคับบัญชา",
        ],
        [
            "๕",
            "๕.๑ เผยแพร่ข้อมูลข่าวสารที่สำคัญ",
            "๕.๑.๑ เผยแพร่ข้อมูลข่าวสารที่สำคัญทางเครือข่ายสังคมออนไลน์ Facebook, Line",
            whole,
            "กลุ่มงานสารสนเทศ",
            "สพจ./สพอ.",
            "โพสต์ในกลุ่ม Line",
        ],
        ["มิติที่ ๔ ด้านการเสริมสร้างองค์กรคุณธรรม"],
        head,
        [
            "๕",
            "๕.๑ ถอดบทเรียนองค์กรคุณธรรม",
            "๕.๑.๑ ถอดบทเรียนการขับเคลื่อนองค์กรคุณธรรม",
            ahead,
            "กลุ่มงานยุทธศาสตร์ฯ",
            "สพจ.",
            "เล่มผลการดำเนินงาน",
        ],
    ]


def seed(ctx: SeedContext) -> None:
    parsed = parse_rows(_rows(ctx))
    real = select(IntegrityPlan.id).where(
        IntegrityPlan.fiscal_year == parsed.fiscal_year, IntegrityPlan.is_demo.is_(False)
    )
    if db.session.scalar(real) is not None:
        ctx.echo("integrity: the office's own plan for this year is kept; no demo plan")
        return
    plan = save_plan(parsed, source_name="demo", is_demo=True)
    province = ctx.offices[0]
    clerk = (ctx.users.get("clerk") or [None])[0]
    activities = {
        a.ref: a
        for a in db.session.scalars(select(PlanActivity))
        if a.measure.dimension.plan_id == plan.id
    }
    public_ids = ctx.extra.get("public_document_ids") or ctx.extra.get("document_ids") or []
    if clerk is not None and public_ids:
        # Done: the place and its sign, proved by a public index entry the clerk confirmed.
        link(activities["2:1.1.1"], province.id, "entry", user=clerk, entry_id=public_ids[0])
        link(
            activities["2:1.1.1"],
            province.id,
            "url",
            user=clerk,
            url="https://example.go.th/infocenter/sign.jpg",
            note="ภาพป้ายศูนย์ข้อมูลข่าวสาร (ตัวอย่าง)",
            public=True,
        )
    # In progress: the product proposes the LINE posts; nobody has confirmed them yet.
    propose(plan)
    if db.session.scalar(
        select(IndicatorItem.id).where(IndicatorItem.fiscal_year == plan.fiscal_year)
    ):
        return  # the administrator's own indicator map stays as it is
    save_indicators(
        [
            {
                "fiscal_year": plan.fiscal_year,
                "code": "o5",
                "title": "ข้อมูลเชิงสถิติการให้บริการ",
                "activities": "2:4.1.1",
                "links": "",
            },
            {
                "fiscal_year": plan.fiscal_year,
                "code": "o10",
                "title": "ช่องทางการสื่อสารและการเผยแพร่ข้อมูล",
                "activities": "2:5.1.1; 2:1.1.1",
                "links": "https://example.go.th/line",
            },
        ]
    )
    for item in db.session.scalars(
        select(IndicatorItem).where(IndicatorItem.fiscal_year == plan.fiscal_year)
    ):
        item.is_demo = True


def clear(ctx: SeedContext) -> None:
    for plan in db.session.scalars(select(IntegrityPlan).where(IntegrityPlan.is_demo.is_(True))):
        db.session.delete(plan)
    db.session.execute(delete(IndicatorItem).where(IndicatorItem.is_demo.is_(True)))
    db.session.flush()
