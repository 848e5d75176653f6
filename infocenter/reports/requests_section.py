"""The Section 11 part of the quarterly report: volume balance, outcomes and grounds, timeliness,
response times, the oldest pending requests and fees, with the previous quarter and the same
quarter a year before alongside.

Every figure comes from ``infocenter.stats.requests.summary`` (what the dashboard shows); this
module only lays them out.
"""

from __future__ import annotations

from typing import Protocol

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from .. import pdf as T
from ..stats import Count
from ..stats.requests import Durations, RequestStats
from .figures import Section


class QuarterlyLayout(Protocol):
    """What this part needs of the report's layout (``quarterly.QuarterlyLayout``)."""

    n: T.Numerals

    def p(self, text: str, style: str = "body") -> Flowable: ...

    def count_table(self, title: str, rows: list[Count], unit: str = "ครั้ง") -> list[Flowable]: ...

    def as_of_text(self, s: Section) -> str: ...


def _quarter(layout: QuarterlyLayout, fq) -> str:
    n = layout.n
    return n.text(fq.label(style="short"))


def _three(s: Section) -> tuple[RequestStats, RequestStats, RequestStats]:
    return s.requests, s.requests_previous, s.requests_year_before


def balance(layout: QuarterlyLayout, s: Section) -> list[Flowable]:
    """Pending at the start + received − closed = pending at the end, for three quarters."""
    n = layout.n
    quarters = (s.now.fq, s.previous.fq, s.year_before.fq)
    stats = _three(s)
    rows: list[list[object]] = [["รายการ (เรื่อง)", *(_quarter(layout, q) for q in quarters)]]
    for label, attr in (
        ("คงค้างต้นไตรมาส", "pending_start"),
        ("+ รับใหม่", "received"),
        ("− ดำเนินการแล้วเสร็จ", "closed"),
        ("= คงค้างสิ้นไตรมาส", "pending_end"),
    ):
        rows.append([label, *(n.num(getattr(r.flow, attr)) for r in stats)])
    return [
        T.table(
            rows,
            [6.4 * cm, 3.2 * cm, 3.2 * cm, 3.2 * cm],
            align=["l", "r", "r", "r"],
            total_row=True,
        )
    ]


def _on_time_share(layout: QuarterlyLayout, r: RequestStats) -> str:
    closed = sum(c.count for c in r.timeliness)
    on_time = next((c.count for c in r.timeliness if c.key == "on_time"), 0)
    return layout.n.pct(on_time, closed)


def _days(layout: QuarterlyLayout, value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else layout.n.num(value, decimals)


def durations_table(layout: QuarterlyLayout, s: Section) -> Flowable:
    """Days to complete (waiting days excluded): n, median, mean, shortest, longest, for three
    quarters."""
    quarters = (s.now.fq, s.previous.fq, s.year_before.fq)
    ds: list[Durations] = [r.to_complete for r in _three(s)]
    n = layout.n
    rows: list[list[object]] = [["ระยะเวลาดำเนินการ (วัน)", *(_quarter(layout, q) for q in quarters)]]
    rows.append(["จำนวนเรื่องที่แล้วเสร็จ", *(n.num(d.n) for d in ds)])
    rows.append(["มัธยฐาน", *(_days(layout, d.median) for d in ds)])
    rows.append(["ค่าเฉลี่ย", *(_days(layout, d.mean) for d in ds)])
    rows.append(["สั้นที่สุด", *(_days(layout, d.shortest, 0) for d in ds)])
    rows.append(["นานที่สุด", *(_days(layout, d.longest, 0) for d in ds)])
    rows.append(["แล้วเสร็จภายในกำหนด", *(_on_time_share(layout, r) for r in _three(s))])
    return T.table(rows, [6.4 * cm, 3.2 * cm, 3.2 * cm, 3.2 * cm], align=["l", "r", "r", "r"])


def oldest_pending(layout: QuarterlyLayout, s: Section) -> list[Flowable]:
    """The ten oldest requests still pending at the end of the quarter."""
    n = layout.n
    pending = s.requests.oldest_pending
    if not pending:
        return [layout.p(f"ไม่มีคำขอคงค้าง {layout.as_of_text(s)}")]
    # No status column: today's status would change the page when the report is made again later.
    rows: list[list[object]] = [["ที่", "เลขที่คำขอ", "วันที่รับ", "ครบกำหนด", "อายุ (วัน)", "เรื่อง"]]
    for i, p in enumerate(pending, start=1):
        rows.append(
            [
                n.num(i),
                p.tracking_no,
                n.date(p.received_on, "short"),
                n.date(p.due_date, "short"),
                n.num(p.age_days),
                p.subject,
            ]
        )
    return [
        T.table(
            rows,
            [0.8 * cm, 4.4 * cm, 2.3 * cm, 2.3 * cm, 1.4 * cm, 4.8 * cm],
            align=["c", "l", "c", "c", "r", "l"],
        )
    ]


def flowables(layout: QuarterlyLayout, s: Section) -> list[Flowable]:
    """Sections ๑๑–๑๓ of the report: Section 11 requests."""
    n, r = layout.n, s.requests
    flow = r.flow
    out: list[Flowable] = [layout.p("๑๑. คำขอข้อมูลข่าวสารตามมาตรา ๑๑: ปริมาณงาน", "h2")]
    out.append(
        layout.p(
            f"คงค้างต้นไตรมาส {n.num(flow.pending_start)} เรื่อง รับใหม่ {n.num(flow.received)} เรื่อง "
            f"ดำเนินการแล้วเสร็จ {n.num(flow.closed)} เรื่อง คงค้างสิ้นไตรมาส {n.num(flow.pending_end)} "
            "เรื่อง "
            f"({n.num(flow.pending_start)} + {n.num(flow.received)} − {n.num(flow.closed)} = "
            f"{n.num(flow.pending_end)})"
        )
    )
    out += balance(layout, s)
    out.append(Spacer(1, 4))
    out += layout.count_table("ช่องทางการยื่นคำขอ", list(r.by_channel), unit="เรื่อง")
    ext = r.extensions
    out.append(
        layout.p(
            f"ขยายระยะเวลาในไตรมาสนี้ {n.num(ext.steps)} ครั้ง ({n.num(ext.requests)} เรื่อง) "
            f"คำขอที่เกินกำหนด {layout.as_of_text(s)} {n.num(s.overdue)} เรื่อง"
        )
    )

    out.append(layout.p("๑๒. ผลการพิจารณาคำขอและเหตุตามกฎหมาย", "h2"))
    out += layout.count_table("ผลการพิจารณา (คำขอที่แล้วเสร็จ)", list(r.by_outcome), unit="เรื่อง")
    if r.by_ground:
        rows: list[list[object]] = [["เหตุตามกฎหมาย", "จำนวน (เรื่อง)"]]
        rows += [[c.label, n.num(c.count)] for c in r.by_ground]
        out.append(Spacer(1, 4))
        out.append(T.table(rows, [12 * cm, 4 * cm], align=["l", "r"]))
        out.append(layout.p("คำขอหนึ่งเรื่องอาจอ้างเหตุได้มากกว่าหนึ่งข้อ", "small"))
    else:
        out.append(layout.p("ไม่มีคำขอที่ปฏิเสธ ให้ข้อมูลบางส่วน หรือส่งต่อหน่วยงานอื่นในไตรมาสนี้"))
    fees = r.fees
    out.append(
        layout.p(
            f"ค่าธรรมเนียมที่เรียกเก็บ {n.num(fees.charged, 2)} บาท ได้รับยกเว้น "
            f"{n.num(fees.waived, 2)} บาท ({n.num(fees.waived_requests)} เรื่อง)"
        )
    )

    out.append(layout.p("๑๓. ระยะเวลาดำเนินการตามคำขอ", "h2"))
    out += layout.count_table("ความตรงต่อเวลา (คำขอที่แล้วเสร็จ)", list(r.timeliness), unit="เรื่อง")
    out.append(Spacer(1, 4))
    out.append(durations_table(layout, s))
    out.append(Spacer(1, 4))
    bands = [Count(b.key, n.text(b.label), b.count) for b in r.to_complete.bands]
    out += layout.count_table("ช่วงระยะเวลาดำเนินการ", bands, unit="เรื่อง")
    ack = r.to_acknowledge
    if ack.n:
        out.append(
            layout.p(
                f"ตอบรับคำขอ {n.num(ack.n)} เรื่อง ใช้เวลามัธยฐาน {_days(layout, ack.median)} วัน "
                f"เฉลี่ย {_days(layout, ack.mean)} วัน"
            )
        )
    out.append(layout.p(f"คำขอคงค้างที่นานที่สุด ๑๐ ลำดับ (อายุนับถึงวันที่ {n.date(s.as_of)})", "h2"))
    out += oldest_pending(layout, s)
    return out
