"""The quarterly statistics report to the supervisor (dimension 2, item 4), as a Thai memo PDF.

The memo (บันทึกข้อความ, ระเบียบงานสารบรรณ) fits on one or two pages: the summary, what needs
action, the closing sentence and the signature block. The tables follow as its attachment
(สิ่งที่ส่งมาด้วย) with their own heading and page numbers; a province's report adds the offices
side by side (``rollup``) and, only when asked, one annex per office.

The figures come only from the statistics functions the dashboard uses (``infocenter.stats``),
read by ``figures.collect``; nothing is counted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer

from .. import pdf as T
from ..admin.models import Office
from ..integrity import report_section as integrity_section
from ..stats import Count
from ..thai import FiscalQuarter
from . import requests_section
from .figures import DUE_SOON_DAYS, Headline, Section, collect, headline  # noqa: F401  (re-exported for callers)
from .rollup import OfficeFigures

WALK_IN_COLOR = colors.HexColor("#1f5f99")
ONLINE_COLOR = colors.HexColor("#e08a1e")


# --- layout -----------------------------------------------------------------------------------


@dataclass
class ReportMeta:
    """What the memo header and the signature need."""

    report_code: str
    generated_at: datetime
    office: Office  # the office that sends the memo
    addressee: str
    prepared_by_name: str = ""
    prepared_by_position: str = ""
    thai_digits: bool = True
    book_number: str = ""  # the running number issued for this memo; blank: written in by hand


class QuarterlyLayout:
    """Lays out the sections of a quarterly report with the shared Thai typography."""

    def __init__(self, fq: FiscalQuarter, meta: ReportMeta) -> None:
        self.fq = fq
        self.meta = meta
        self.n = T.Numerals(meta.thai_digits)
        self.st = T.styles()

    # small helpers
    def p(self, text: str, style: str = "body") -> Flowable:
        return T.para(text, style)

    def change(self, now: int | None, before: int | None) -> str:
        """ "+๑๒.๕% (n = ๘๐)" against an earlier figure; no percentage when it is under 5."""
        if now is None or before is None:
            return "-"
        diff = now - before
        sign = "+" if diff > 0 else ""
        from ..stats import pct

        value = pct(diff, before)
        shown = "–" if value is None else f"{sign}{self.n.num(value, 1)}%"
        return f"{shown} (n = {self.n.num(before)})"

    def period(self, s: Section | None = None) -> str:
        if s is not None and s.partial:
            return f"{self.n.date(self.fq.start)} ถึงวันที่ {self.n.date(s.as_of)}"
        return f"{self.n.date(self.fq.start)} – {self.n.date(self.fq.end)}"

    def quarter_text(self, s: Section) -> str:
        """ "ไตรมาสที่ ๑ ปีงบประมาณ ๒๕๗๐", with "ถึงวันที่ …" while the quarter is in progress."""
        label = self.fq.label(thai=self.meta.thai_digits)
        return f"{label} ถึงวันที่ {self.n.date(s.as_of)}" if s.partial else label

    def count_table(self, title: str, rows: list[Count], unit: str = "ครั้ง") -> list[Flowable]:
        total = sum(r.count for r in rows)
        data: list[list[object]] = [[title, f"จำนวน ({unit})", "ร้อยละ (n)"]]
        for r in rows:
            data.append([r.label, self.n.num(r.count), self.n.pct(r.count, total)])
        data.append(["รวม", self.n.num(total), ""])
        return [
            T.table(data, [8.6 * cm, 3.2 * cm, 4.2 * cm], align=["l", "r", "r"], total_row=True)
        ]

    # the memo
    def header(self, s: Section) -> list[Flowable]:
        m = self.meta
        subject = f"รายงานสถิติการให้บริการศูนย์ข้อมูลข่าวสาร {self.quarter_text(s)}"
        return [
            T.MemoHeader(
                department=m.office.name,
                phone=self.n.text(m.office.phone or ""),
                reference=T.book_reference(m.office.book_prefix, m.book_number, self.n),
                date_text=self.n.date(m.generated_at),
                subject=subject,
                addressee=m.addressee,
            )
        ]

    def intro(self, s: Section, whole: str) -> Flowable:
        return self.p(
            f"ตามที่{whole} มีหน้าที่จัดให้มีข้อมูลข่าวสารของราชการไว้ให้ประชาชนเข้าตรวจดูได้ตามมาตรา ๙ "
            f"แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐ และรายงานผลการให้บริการต่อผู้บังคับบัญชาทุกไตรมาส "
            f"จึงขอรายงานสถิติการให้บริการ{self.quarter_text(s)} ({self.period(s)}) ดังนี้",
            "body_indent",
        )

    def as_of_text(self, s: Section) -> str:
        """ "ณ สิ้นไตรมาส (๓๑ มีนาคม ๒๕๖๓)", or "ณ วันที่ …" while the quarter is in progress."""
        day = self.n.date(s.as_of)
        return f"ณ วันที่ {day}" if s.partial else f"ณ สิ้นไตรมาส ({day})"

    def against(self, s: Section) -> str:
        """What the quarter is compared with: the whole previous quarter, or its same days."""
        return "ช่วงเดียวกันของไตรมาสก่อน" if s.partial else "ไตรมาสก่อน"

    def summary(self, s: Section) -> list[Flowable]:
        """The figures of one scope in one paragraph ("<title>: ...")."""
        n, now, prev = self.n, s.now, s.previous
        if now.no_service:
            return [
                self.p(
                    f"ในไตรมาสนี้ไม่มีการให้บริการ: ไม่มีผู้มาติดต่อที่ศูนย์ ไม่มีการใช้งานออนไลน์ "
                    f"และไม่มีคำขอข้อมูลข่าวสาร ({s.title})",
                    "body_indent",
                )
            ]
        against = self.against(s)
        visits = (
            f"มีผู้มาใช้บริการที่ศูนย์ {n.num(now.visits)} ครั้ง "
            f"{self._trend(now.visits, prev.visits, against)}"
        )
        online = (
            f"มีการใช้งานออนไลน์ {n.num(now.online_use)} ครั้ง (ค้นหา "
            f"{n.num(now.online.get('search', 0))} "
            f"ครั้ง เปิดดูรายการ {n.num(now.online.get('view', 0))} ครั้ง ดาวน์โหลด "
            f"{n.num(now.online.get('download', 0))} ครั้ง ยื่นคำขอทางออนไลน์ "
            f"{n.num(now.online.get('request', 0))} ครั้ง) "
            f"{self._trend(now.online_use, prev.online_use, against)}"
        )
        end = (
            "ณ วันที่ " + n.date(s.as_of) if s.partial else "ณ สิ้นไตรมาส"
        )  # (the period is just above)
        parts = [
            visits,
            online,
            f"ได้รับคำขอข้อมูลข่าวสารตามมาตรา ๑๑ จำนวน {n.num(now.requests_received)} เรื่อง "
            f"ดำเนินการแล้วเสร็จ {n.num(now.requests_closed)} เรื่อง "
            f"คงค้าง {end} {n.num(now.requests.pending_end)} เรื่อง",
        ]
        ix = s.index.total
        parts.append(
            f"ดัชนีข้อมูลข่าวสารมีรายการเปิดเผย {n.num(ix.public_entries)} รายการ "
            f"เพิ่มใหม่ในไตรมาสนี้ {n.num(ix.new_in_period)} รายการ"
        )
        return [self.p(f"{s.title}: " + " ".join(parts), "body_indent")]

    def _trend(self, now: int, before: int, against: str = "ไตรมาสก่อน") -> str:
        """ "เพิ่มขึ้นร้อยละ ๒๕.๐ เมื่อเทียบกับไตรมาสก่อน (n = ๘)", "เท่ากับไตรมาสก่อน (๕ ครั้ง)"."""
        n = self.n
        if now == before:
            return f"เท่ากับ{against} ({n.num(before)} ครั้ง)"
        word = "เพิ่มขึ้น" if now > before else "ลดลง"
        from ..stats import pct

        value = pct(abs(now - before), before)
        if value is None:
            return f"{word} {n.num(abs(now - before))} ครั้ง เมื่อเทียบกับ{against} (n = {n.num(before)})"
        return f"{word}ร้อยละ {n.num(value, 1)} เมื่อเทียบกับ{against} (n = {n.num(before)})"

    def actions(self, s: Section, rollup: list[OfficeFigures] | None = None) -> list[str]:
        """ "เรื่องที่ควรดำเนินการ": what the statistics say needs doing, most pressing first."""
        n, ix = self.n, s.index
        when = n.date(s.as_of)
        out = []
        if s.overdue:
            who = self._offices(rollup, lambda r: r.overdue, "เรื่อง")
            out.append(
                f"เร่งดำเนินการคำขอข้อมูลข่าวสารที่เกินกำหนด {self.as_of_text(s)} จำนวน {n.num(s.overdue)} "
                f"เรื่อง{who}"
            )
        if s.due_soon:
            out.append(
                f"ติดตามคำขอที่จะครบกำหนดภายใน {n.num(DUE_SOON_DAYS)} วันนับจากวันที่ {when} "
                f"จำนวน {n.num(s.due_soon)} เรื่อง"
            )
        if ix.empty_categories:
            codes = " ".join(n.text(c) for c in ix.empty_categories)
            out.append(f"จัดให้มีข้อมูลข่าวสารในหมวดตามมาตรา ๙ ที่ยังไม่มีรายการเปิดเผย ได้แก่ {codes}")
        elif rollup and any(r.empty_categories for r in rollup):
            who = self._offices(rollup, lambda r: len(r.empty_categories), "หมวด")
            out.append(f"หน่วยงานที่ยังมีหมวดตามมาตรา ๙ ที่ไม่มีรายการเปิดเผย{who}")
        if ix.total.past_review:
            out.append(f"ทบทวนรายการในดัชนีที่เลยกำหนดทบทวน {n.num(ix.total.past_review)} รายการ")
        if s.zero_result_queries:
            top = " ".join(f"“{q.query}” ({n.num(q.count)} ครั้ง)" for q in s.zero_result_queries[:3])
            out.append(f"พิจารณาเพิ่มข้อมูลที่ประชาชนค้นหาแต่ไม่พบ เช่น {top}")
        plan = s.line_plan
        if rollup:  # the province: each office against its own target, not all posts against one
            short = [r for r in rollup if r.line_shortfall > 0]
            if short and plan is not None:
                who = self._offices(rollup, lambda r: r.line_shortfall, "สัปดาห์")
                out.append(
                    f"โครงการ LINE: หน่วยงานที่โพสต์ภาพนิ่งไม่ถึงเป้าหมาย ({n.num(plan.still_target)} "
                    "เรื่องต่อสัปดาห์) "
                    f"{n.num(len(short))} จาก {n.num(len(rollup))} แห่ง{who}"
                )
        elif plan is not None and plan.weeks_full > plan.weeks_met:
            out.append(
                f"โครงการ LINE: สัปดาห์ที่โพสต์ภาพนิ่งไม่ถึงเป้าหมาย ({n.num(plan.still_target)} "
                "เรื่องต่อสัปดาห์) "
                f"{n.num(plan.weeks_full - plan.weeks_met)} จาก {n.num(plan.weeks_full)} สัปดาห์"
            )
        return out

    def _offices(self, rollup, value, unit: str, limit: int = 5) -> str:
        """ " (อำเภอ ก ๒ เรื่อง, อำเภอ ข ๑ เรื่อง)": the offices a province-wide item comes from."""
        if not rollup:
            return ""
        hits = sorted((r for r in rollup if value(r) > 0), key=lambda r: -value(r))
        if not hits:
            return ""
        names = ", ".join(f"{r.name} {self.n.num(value(r))} {unit}" for r in hits[:limit])
        more = f" และอีก {self.n.num(len(hits) - limit)} หน่วยงาน" if len(hits) > limit else ""
        return f" ({names}{more})"

    def memo(
        self, s: Section, *, whole: str, rollup: list[OfficeFigures] | None, annexes: bool
    ) -> list[Flowable]:
        """The memo itself: one or two pages ending with the signatures."""
        out = self.header(s)
        out.append(self.intro(s, whole))
        out += self.summary(s)
        if rollup:
            weakest = [r for r in rollup if r.issues][:3]
            text = (
                f"เปรียบเทียบผลการดำเนินงานของหน่วยงานทั้ง {self.n.num(len(rollup))} "
                "แห่งตามตารางในสิ่งที่ส่งมาด้วย"
            )
            if weakest:
                text += " หน่วยงานที่มีเรื่องที่ควรดำเนินการมากที่สุด ได้แก่ " + ", ".join(
                    r.name for r in weakest
                )
            out.append(self.p(text, "body_indent"))
        out.append(self.p("เรื่องที่ควรดำเนินการ", "h2"))
        items = self.actions(s, rollup)
        if items:
            out += [
                self.p(f"{self.n.num(i)}. {text}", "bullet")
                for i, text in enumerate(items, start=1)
            ]
        else:
            out.append(self.p("ไม่มีเรื่องที่ต้องเร่งดำเนินการในไตรมาสนี้", "bullet"))
        what = (
            "ตารางสถิติประกอบรายงาน"
            + (" ตารางเปรียบเทียบรายหน่วยงาน" if rollup else "")
            + (" และรายละเอียดรายหน่วยงาน" if annexes else "")
        )
        out.append(self.p(f"สิ่งที่ส่งมาด้วย {what} จำนวน ๑ ชุด", "body"))
        out += self.signature()
        return out

    def month_label(self, s: Section, m) -> str:
        """A month of the chart; the month the figures stop in is marked "(ถึง ๑๐)" while the
        quarter is in progress, so a ten-day bar is not read as a whole month's."""
        label = self.n.text(m.label)
        if s.partial and m.month == f"{s.as_of:%Y-%m}":
            label += f" (ถึง {self.n.num(s.as_of.day)})"
        return label

    def bar_chart(self, chart, size: tuple[float, float], margins, data, names, font_size):
        """A drawing of ``size`` with two series of bars (walk-in colour, then online colour):
        ``margins`` (left, bottom, right, top) around the plot, the Thai font, the value axis
        from 0 with room above the longest bar, numbers in the memo's digits."""
        width, height = size
        left, bottom, right, top = margins
        d = Drawing(width, height)
        chart.x, chart.y = left, bottom
        chart.width, chart.height = width - left - right, height - bottom - top
        chart.data = data
        chart.categoryAxis.categoryNames = names
        for axis in (chart.categoryAxis.labels, chart.valueAxis.labels):
            axis.fontName, axis.fontSize = T.FONT, font_size
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = max([1, *data[0], *data[1]]) * 1.15
        chart.valueAxis.labelTextFormat = lambda v: self.n.num(v)
        chart.bars[0].fillColor, chart.bars[1].fillColor = WALK_IN_COLOR, ONLINE_COLOR
        d.add(chart)
        return d

    @staticmethod
    def legend(at: tuple[float, float], names: tuple[str, str], font_size, deltax) -> Legend:
        """The two series' colours and names on one line each."""
        legend = Legend()
        legend.fontName, legend.fontSize = T.FONT, font_size
        legend.x, legend.y = at
        legend.columnMaximum = 1
        legend.colorNamePairs = list(zip((WALK_IN_COLOR, ONLINE_COLOR), names, strict=True))
        legend.deltax = deltax
        return legend

    def chart(self, s: Section) -> Flowable:
        width, height = T.FRAME_WIDTH, 6.2 * cm
        chart = VerticalBarChart()
        data = (
            [[m.visits for m in s.monthly], [m.online for m in s.monthly]]
            if s.monthly
            else [[0], [0]]
        )
        names = [self.month_label(s, m) for m in s.monthly]
        d = self.bar_chart(
            chart, (width, height), (1.6 * cm, 1.3 * cm, 0.6 * cm, 0.9 * cm), data, names, 11
        )
        chart.barLabels.fontName, chart.barLabels.fontSize = T.FONT, 10
        chart.barLabelFormat = lambda v: self.n.num(v)
        chart.barLabels.nudge = 6
        legend = self.legend(
            (width - 7 * cm, height - 0.2 * cm), ("มาติดต่อที่ศูนย์", "ใช้งานออนไลน์"), 12, 110
        )
        legend.alignment = "right"
        d.add(legend)
        d.add(String(0, chart.y + chart.height + 6, "ครั้ง", fontName=T.FONT, fontSize=11))
        return T.ShapedDrawing(d)

    def walk_in(self, s: Section) -> list[Flowable]:
        n = self.n
        out: list[Flowable] = [
            self.p("๑. การให้บริการ ณ ศูนย์ข้อมูลข่าวสาร และการใช้งานออนไลน์รายเดือน", "h2"),
            self.chart(s),
        ]
        rows = [["เดือน", "มาติดต่อที่ศูนย์ (ครั้ง)", "ใช้งานออนไลน์ (ครั้ง)"]]
        rows += [[self.month_label(s, m), n.num(m.visits), n.num(m.online)] for m in s.monthly]
        rows.append(
            [
                "รวม",
                n.num(sum(m.visits for m in s.monthly)),
                n.num(sum(m.online for m in s.monthly)),
            ]
        )
        out.append(
            T.table(rows, [5 * cm, 5.5 * cm, 5.5 * cm], align=["l", "r", "r"], total_row=True)
        )
        out.append(self.p("๒. ผู้มาใช้บริการจำแนกตามประเภท", "h2"))
        out += self.count_table("ประเภทผู้ใช้บริการ", s.visitor_types)
        out.append(self.p("๓. วัตถุประสงค์ของการมาใช้บริการ", "h2"))
        out += self.count_table("วัตถุประสงค์", s.purposes)
        out.append(self.p("๔. ช่องทางและผลการให้บริการ", "h2"))
        out += self.count_table("ช่องทาง", s.channels)
        out.append(Spacer(1, 4))
        out += self.count_table("ผลการให้บริการ", s.outcomes)
        out.append(self.p("๕. หมวดข้อมูลข่าวสารตามมาตรา ๙ ที่มีผู้ขอตรวจดู", "h2"))
        out += self.count_table(
            "หมวด", [Count(c.key, f"{n.text(c.key)} {c.label}", c.count) for c in s.categories]
        )
        out.append(self.p("๖. รายการที่มีผู้ขอตรวจดูมากที่สุด", "h2"))
        if s.top_entries:
            rows = [["ลำดับ", "เลขที่ / เรื่อง", "หมวด", "จำนวน (ครั้ง)"]]
            rows += [
                [n.num(i), f"{e.ref} {e.title}".strip(), n.text(e.category_code), n.num(e.count)]
                for i, e in enumerate(s.top_entries, start=1)
            ]
            out.append(
                T.table(rows, [1.4 * cm, 9.6 * cm, 2 * cm, 3 * cm], align=["c", "l", "c", "r"])
            )
        else:
            out.append(self.p("ไม่มีการขอตรวจดูรายการใดในไตรมาสนี้"))
        f = s.fees
        out.append(self.p("๗. การทำสำเนาและค่าธรรมเนียม", "h2"))
        out.append(
            T.table(
                [
                    ["รายการ", "จำนวน"],
                    ["ครั้งที่มีการขอสำเนา", n.num(f.visits_with_copies)],
                    ["สำเนาทั้งหมด (หน้า)", n.num(f.pages_copied)],
                    ["สำเนาธรรมดา (หน้า)", n.num(f.pages_plain)],
                    ["สำเนารับรองถูกต้อง (หน้า)", n.num(f.pages_certified)],
                    ["ค่าธรรมเนียมที่เรียกเก็บ (บาท)", n.num(f.fees_collected, 2)],
                    [
                        "ค่าธรรมเนียมที่ได้รับยกเว้น (บาท)",
                        f"{n.num(f.fees_waived, 2)} ({n.num(f.waived_visits)} ครั้ง)",
                    ],
                ],
                [10 * cm, 6 * cm],
                align=["l", "r"],
            )
        )
        sat = s.satisfaction
        out.append(self.p("๘. ความพึงพอใจของผู้ใช้บริการ (คะแนน ๑–๕)", "h2"))
        if sat.n:
            mean = n.num(sat.mean, 2) if sat.n >= 5 else "–"
            out.append(self.p(f"คะแนนเฉลี่ย {mean} จากผู้ตอบ {n.num(sat.n)} คน"))
            rows = [["คะแนน", "จำนวน (คน)", "ร้อยละ (n)"]]
            rows += [
                [n.num(score), n.num(c), n.pct(c, sat.n)]
                for score, c in zip(range(5, 0, -1), sat.by_score[::-1], strict=True)
            ]
            out.append(T.table(rows, [5 * cm, 5 * cm, 6 * cm], align=["c", "r", "r"]))
        else:
            out.append(self.p("ไม่มีผู้ตอบแบบประเมินความพึงพอใจในไตรมาสนี้"))
        return out

    def online(self, s: Section) -> list[Flowable]:
        n = self.n
        out: list[Flowable] = [self.p("๙. การใช้งานออนไลน์ (นับตามหลักเกณฑ์ COUNTER)", "h2")]
        rows = [["ประเภท", "ทั้งหมด (ครั้ง)", "นับไม่ซ้ำ (ครั้ง)"]]
        rows += [[c.label, n.num(c.total), n.num(c.unique)] for c in s.online]
        out.append(T.table(rows, [8 * cm, 4 * cm, 4 * cm], align=["l", "r", "r"]))
        searches = s.now.online.get("search", 0)
        out.append(
            self.p(
                f"การค้นหาที่ไม่พบผลลัพธ์ {n.num(s.searches_without_results)} ครั้ง "
                f"({n.pct(s.searches_without_results, searches)} ของการค้นหาทั้งหมด)"
            )
        )
        out.append(self.p("๑๐. คำค้นที่ไม่พบผลลัพธ์ (ข้อมูลที่ควรพิจารณาเพิ่มในดัชนี)", "h2"))
        if s.zero_result_queries:
            rows = [["คำค้น", "จำนวน (ครั้ง)"]] + [
                [q.query, n.num(q.count)] for q in s.zero_result_queries
            ]
            out.append(T.table(rows, [12 * cm, 4 * cm], align=["l", "r"]))
        else:
            out.append(self.p("ไม่มีคำค้นที่ไม่พบผลลัพธ์ในไตรมาสนี้"))
        return out

    def requests(self, s: Section) -> list[Flowable]:
        return requests_section.flowables(self, s)

    def comparison(self, s: Section) -> list[Flowable]:
        n = self.n
        now, prev, yb = s.now, s.previous, s.year_before

        def lbl(h) -> str:
            text = n.text(h.fq.label(style="short"))
            if s.partial and h.scope is not None:  # the same days of each quarter
                text += f" ({n.date(h.scope.start, 'short')}–{n.date(h.scope.end, 'short')})"
            return text

        if s.partial:
            head = [
                "รายการ",
                lbl(now),
                lbl(prev),
                "เทียบช่วงเดียวกันของไตรมาสก่อน",
                lbl(yb),
                "เทียบช่วงเดียวกันของปีก่อน",
            ]
        else:
            head = ["รายการ", lbl(now), lbl(prev), "เทียบไตรมาสก่อน", lbl(yb), "เทียบปีก่อน"]
        rows: list[list[object]] = [head]

        def row(label: str, a: int | None, b: int | None, c: int | None) -> list[object]:
            return [label, n.num(a), n.num(b), self.change(a, b), n.num(c), self.change(a, c)]

        rows.append(row("มาติดต่อที่ศูนย์", now.visits, prev.visits, yb.visits))
        rows.append(row("ใช้งานออนไลน์รวม", now.online_use, prev.online_use, yb.online_use))
        for kind, label in (
            ("search", "ค้นหา"),
            ("view", "เปิดดูรายการ"),
            ("download", "ดาวน์โหลด"),
            ("request", "ยื่นคำขอทางออนไลน์"),
        ):
            rows.append(
                row(
                    f"– {label}",
                    now.online.get(kind, 0),
                    prev.online.get(kind, 0),
                    yb.online.get(kind, 0),
                )
            )
        rows.append(
            row(
                "คำขอตามมาตรา ๑๑ ที่ได้รับ",
                now.requests_received,
                prev.requests_received,
                yb.requests_received,
            )
        )
        rows.append(
            row(
                "คำขอที่ดำเนินการแล้วเสร็จ",
                now.requests_closed,
                prev.requests_closed,
                yb.requests_closed,
            )
        )
        title = "๑๔. เปรียบเทียบกับไตรมาสก่อนและไตรมาสเดียวกันของปีก่อน"
        if s.partial:
            title = (
                f"๑๔. เปรียบเทียบกับช่วงเดียวกัน ({n.num((s.as_of - self.fq.start).days + 1)} วันแรก) "
                "ของไตรมาสก่อนและของไตรมาสเดียวกันปีก่อน"
            )
        return [
            self.p(title, "h2"),
            T.table(
                rows,
                [3.6 * cm, 2 * cm, 2 * cm, 3.2 * cm, 2 * cm, 3.2 * cm],
                align=["l", "r", "r", "r", "r", "r"],
            ),
        ]

    def index(self, s: Section) -> list[Flowable]:
        n, ix = self.n, s.index
        t = ix.total
        out: list[Flowable] = [self.p("๑๕. ดัชนีข้อมูลข่าวสาร: การเพิ่มขึ้นและการใช้งาน", "h2")]
        out.append(
            T.table(
                [
                    ["รายการ", "จำนวน"],
                    ["รายการที่เพิ่มใหม่ในไตรมาสนี้", n.num(t.new_in_period)],
                    ["รายการที่ปรับปรุงในไตรมาสนี้", n.num(t.updated_in_period)],
                    ["รายการที่เปิดเผยทั้งหมด ณ สิ้นไตรมาส", n.num(t.public_entries)],
                    ["การค้นหาออนไลน์ (ครั้ง)", n.num(s.now.online.get("search", 0))],
                    ["การเปิดดูรายการออนไลน์ (ครั้ง)", n.num(s.now.online.get("view", 0))],
                ],
                [10 * cm, 6 * cm],
                align=["l", "r"],
            )
        )
        out.append(self.p("๑๖. ความครบถ้วนของข้อมูลข่าวสารตามมาตรา ๙ จำแนกตามหมวด", "h2"))
        rows = [["หมวด", "ชื่อหมวด", "เปิดเผย", "ใหม่ในไตรมาส", "เลยกำหนดทบทวน"]]
        rows += [
            [
                n.text(c.key),
                c.label,
                n.num(c.public_entries),
                n.num(c.new_in_period),
                n.num(c.past_review),
            ]
            for c in ix.categories
        ]
        rows.append(
            ["", "รวม", n.num(t.public_entries), n.num(t.new_in_period), n.num(t.past_review)]
        )
        out.append(
            T.table(
                rows,
                [1.5 * cm, 7.6 * cm, 2 * cm, 2.2 * cm, 2.7 * cm],
                align=["c", "l", "r", "r", "r"],
                total_row=True,
            )
        )
        if ix.empty_categories:
            out.append(
                self.p(
                    "หมวดที่ยังไม่มีรายการเปิดเผย: " + " ".join(n.text(c) for c in ix.empty_categories)
                )
            )
        return out

    def tables(self, s: Section) -> list[Flowable]:
        """The attachment's tables for one scope."""
        out: list[Flowable] = []
        if (
            not s.now.no_service
        ):  # an empty quarter: no pages of zeros, just the comparison and the index
            out += self.walk_in(s)
            out += self.online(s)
            out += self.requests(s)
        out += self.comparison(s)
        out += self.index(s)
        out += integrity_section.flowables(self, s.scope)
        return out

    def annex(self, s: Section) -> list[Flowable]:
        """One office's annex: its summary (without the memo's opening paragraph) and its tables."""
        return [self.p(s.title, "h1"), *self.summary(s), *self.tables(s)]

    def rollup_table(self, rows: list[OfficeFigures], total: Section) -> list[Flowable]:
        """Every office in one table, the offices with most to act on first, and a province
        total."""
        n = self.n
        # Headings worded so each word fits its narrow column whole (lines break between words).
        head = [
            "หน่วยงาน",
            "มาติดต่อ (ครั้ง)",
            "ออนไลน์ (ครั้ง)",
            "คำขอ (เรื่อง) รับ/เสร็จ",
            "ทันกำหนด /n",
            "มัธยฐาน (วัน)",
            "ดัชนี เปิดเผย/ใหม่/ เลยทบทวน",
            "LINE ถึงเป้า (สัปดาห์)",
            "ข้อที่ควรทำ",
        ]
        data: list[list[object]] = [head]

        def on_time(on: int, of: int) -> str:
            return f"{n.num(on)}/{n.num(of)}" if of else "–"

        for r in rows:
            data.append(
                [
                    r.name,
                    n.num(r.visits),
                    n.num(r.online),
                    f"{n.num(r.received)}/{n.num(r.closed)}",
                    on_time(r.on_time, r.timed),
                    "–" if r.median_days is None else n.num(r.median_days, 1),
                    f"{n.num(r.public_entries)}/{n.num(r.new_entries)}/{n.num(r.past_review)}",
                    f"{n.num(r.line_weeks_met)}/{n.num(r.line_weeks_full)}",
                    n.num(len(r.issues)),
                ]
            )
        med = total.requests.to_complete.median
        data.append(
            [
                "รวมทุกหน่วยงาน",
                n.num(sum(r.visits for r in rows)),
                n.num(sum(r.online for r in rows)),
                f"{n.num(sum(r.received for r in rows))}/{n.num(sum(r.closed for r in rows))}",
                on_time(sum(r.on_time for r in rows), sum(r.timed for r in rows)),
                "–" if med is None else n.num(med, 1),
                f"{n.num(sum(r.public_entries for r in rows))}/"
                f"{n.num(sum(r.new_entries for r in rows))}/"
                f"{n.num(sum(r.past_review for r in rows))}",
                f"{n.num(sum(r.line_weeks_met for r in rows))}/"
                f"{n.num(sum(r.line_weeks_full for r in rows))}",
                n.num(sum(len(r.issues) for r in rows)),
            ]
        )
        widths = [3.0, 1.4, 1.6, 1.5, 2.0, 1.6, 1.9, 1.7, 1.3]
        out: list[Flowable] = [
            self.p("ก. เปรียบเทียบผลการดำเนินงานรายหน่วยงาน", "h2"),
            self.p(
                "เรียงจากหน่วยงานที่มีเรื่องที่ควรดำเนินการมากที่สุด แล้วจากหน่วยงานที่มีผู้ใช้บริการน้อยที่สุด "
                "มัธยฐานในแถวรวมคิดจากคำขอทั้งหมด ไม่ใช่ผลรวมของแต่ละหน่วยงาน",
                "small",
            ),
            T.table(
                data,
                [w * cm for w in widths],
                align=["l", "r", "r", "c", "r", "r", "c", "c", "r"],
                total_row=True,
                font_size=11,
            ),
        ]
        flagged = [r for r in rows if r.issues]
        if flagged:
            out.append(self.p("ข้อที่ควรดำเนินการของแต่ละหน่วยงาน", "h2"))
            out += [self.p(f"{r.name}: {n.text('; '.join(r.issues))}", "bullet") for r in flagged]
        out.append(self.rollup_chart(rows))
        return out

    def rollup_chart(self, rows: list[OfficeFigures]) -> Flowable:
        """Visits and requests per office as horizontal bars, in the table's order."""
        from reportlab.graphics.charts.barcharts import HorizontalBarChart

        height = max(4 * cm, 0.75 * cm * len(rows) + 2 * cm)
        ordered = list(reversed(rows))  # the chart draws from the bottom up
        d = self.bar_chart(
            HorizontalBarChart(),
            (T.FRAME_WIDTH, height),
            (5.2 * cm, 1 * cm, 0.8 * cm, 0.8 * cm),
            [[r.visits for r in ordered] or [0], [r.received for r in ordered] or [0]],
            [r.name for r in ordered] or [""],
            10,
        )
        names = ("มาติดต่อที่ศูนย์ (ครั้ง)", "คำขอข้อมูลข่าวสาร (เรื่อง)")
        d.add(self.legend((5.2 * cm, height - 0.1 * cm), names, 11, 150))
        return T.ShapedDrawing(d)

    def attachment(
        self, main: Section, *, rollup: list[OfficeFigures] | None, annexes: list[Section]
    ) -> list[Flowable]:
        """สิ่งที่ส่งมาด้วย: its own heading and page numbers; the tables of the memo's scope, the
        offices side by side for a province, then the per-office annexes if asked for."""
        out: list[Flowable] = [
            PageBreak(),
            T.PartStart("สิ่งที่ส่งมาด้วย"),
            self.p("สิ่งที่ส่งมาด้วย", "title"),
            self.p(
                f"ตารางสถิติประกอบรายงานการให้บริการศูนย์ข้อมูลข่าวสาร {self.quarter_text(main)} "
                f"({self.period(main)}) {main.title}",
                "center",
            ),
        ]
        if rollup:
            out += self.rollup_table(rollup, main)
        out.append(self.p(main.title, "h1"))
        out += self.tables(main)
        for s in annexes:
            out.append(PageBreak())
            out += self.annex(s)
        return out

    def signature(self) -> list[Flowable]:
        m = self.meta
        # The closing line and both signatures stay on one page: a signature alone on the last
        # page would not show what was signed.
        return [
            T.keep(
                Spacer(1, 6),
                self.p("จึงเรียนมาเพื่อโปรดทราบ", "body_indent"),
                Spacer(1, 6),
                T.SignatureBlock(
                    name=m.prepared_by_name, position=m.prepared_by_position, caption="ผู้จัดทำรายงาน"
                ),
                Spacer(1, 8),
                T.SignatureBlock(name="", position="ผู้บังคับบัญชา", caption="ทราบ", with_date=True),
            )
        ]


def build_pdf(
    target,
    fq: FiscalQuarter,
    sections: list[Section],
    meta: ReportMeta,
    *,
    whole: str,
    rollup: list[OfficeFigures] | None = None,
) -> int:
    """Write the report PDF to ``target`` (path or file object); returns the number of pages.

    ``sections[0]`` is the memo's scope (the office, or the province total); any further
    sections are per-office annexes. ``rollup``: the offices side by side (a province's report).
    """
    layout = QuarterlyLayout(fq, meta)
    main, annexes = sections[0], sections[1:]
    out = layout.memo(main, whole=whole, rollup=rollup, annexes=bool(annexes))
    out += layout.attachment(main, rollup=rollup, annexes=annexes)
    doc = T.ThaiDocument(
        target,
        title=f"รายงานสถิติการให้บริการ {fq.label(thai=False)}",
        doc_id=meta.report_code,
        generated_at=meta.generated_at,
        numerals=layout.n,
        author=meta.prepared_by_name,
    )
    doc.build(out)
    return doc.total_pages
