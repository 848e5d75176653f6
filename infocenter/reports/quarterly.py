"""The quarterly statistics report to the supervisor (dimension 2, item 4), as a Thai memo PDF.

The figures come only from the statistics functions the dashboard uses (``infocenter.stats``);
nothing is counted here. ``collect`` gathers them for one scope, ``build_pdf`` lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer

from ..admin.models import Office
from ..integrity import report_section as integrity_section
from ..stats import Count, Scope
from ..stats import index as index_stats
from ..stats import online as online_stats
from ..stats import requests as request_stats
from ..stats import visits as visit_stats
from ..thai import FiscalQuarter
from . import requests_section
from . import typography as T

WALK_IN_COLOR = colors.HexColor("#1f5f99")
ONLINE_COLOR = colors.HexColor("#e08a1e")
ONLINE_KINDS = ("search", "view", "download", "request")


@dataclass(frozen=True)
class Headline:
    """The few totals compared across quarters."""

    fq: FiscalQuarter
    visits: int
    online: dict[str, int]  # kind → counted events
    requests: request_stats.Flow

    @property
    def requests_received(self) -> int:
        return self.requests.received

    @property
    def requests_closed(self) -> int:
        return self.requests.closed

    @property
    def online_use(self) -> int:
        """Searches, views, downloads and online requests (API calls left out, as in the chart)."""
        return sum(self.online.get(k, 0) for k in ONLINE_KINDS)

    @property
    def no_service(self) -> bool:
        r = self.requests
        return not (self.visits or self.online_use or r.received or r.closed or r.pending_end)


@dataclass
class Section:
    """Everything printed for one scope: one office, or the province total."""

    title: str
    scope: Scope
    now: Headline
    previous: Headline
    year_before: Headline
    monthly: list[Any]
    visitor_types: list[Count]
    purposes: list[Count]
    channels: list[Count]
    outcomes: list[Count]
    categories: list[Count]
    top_entries: list[Any]
    fees: Any
    satisfaction: Any
    online: list[Any]
    searches_without_results: int
    zero_result_queries: list[Any]
    index: Any
    requests: request_stats.RequestStats
    requests_previous: request_stats.RequestStats
    requests_year_before: request_stats.RequestStats


def headline(fq: FiscalQuarter, office_ids: tuple[int, ...] | None,
             requests: request_stats.RequestStats) -> Headline:
    """The totals of one quarter, from the statistics functions."""
    scope = Scope.quarter(fq, office_ids)
    online = {c.kind: c.total for c in online_stats.online_totals(scope)}
    return Headline(fq, visit_stats.visit_count(scope), online, requests.flow)


def collect(fq: FiscalQuarter, office_ids: tuple[int, ...] | None, title: str,
            today: date | None = None) -> Section:
    """Read every figure of one scope for the quarter (``today``: the day "overdue now" is counted on)."""
    scope = Scope.quarter(fq, office_ids)
    online = online_stats.online_totals(scope)
    previous, year_before = fq.previous(), fq.year_before()
    requests = request_stats.summary(scope, today=today)
    requests_previous = request_stats.summary(Scope.quarter(previous, office_ids), today=today)
    requests_year_before = request_stats.summary(Scope.quarter(year_before, office_ids), today=today)
    return Section(
        title=title, scope=scope,
        now=Headline(fq, visit_stats.visit_count(scope), {c.kind: c.total for c in online}, requests.flow),
        previous=headline(previous, office_ids, requests_previous),
        year_before=headline(year_before, office_ids, requests_year_before),
        monthly=online_stats.walkin_vs_online_by_month(scope),
        visitor_types=visit_stats.visits_by_visitor_type(scope),
        purposes=visit_stats.visits_by_purpose(scope),
        channels=visit_stats.visits_by_channel(scope),
        outcomes=visit_stats.visits_by_outcome(scope),
        categories=visit_stats.entries_by_category(scope),
        top_entries=visit_stats.top_entries(scope, 10),
        fees=visit_stats.copies_and_fees(scope),
        satisfaction=visit_stats.satisfaction(scope),
        online=online,
        searches_without_results=online_stats.searches_without_results(scope),
        zero_result_queries=online_stats.top_queries(scope, 10, zero_results_only=True),
        index=index_stats.completeness(scope),
        requests=requests,
        requests_previous=requests_previous,
        requests_year_before=requests_year_before,
    )


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
        """"+๑๒.๕% (n = ๘๐)" against an earlier figure; no percentage when it is under 5."""
        if now is None or before is None:
            return "-"
        diff = now - before
        sign = "+" if diff > 0 else ""
        from ..stats import pct

        value = pct(diff, before)
        shown = "–" if value is None else f"{sign}{self.n.num(value, 1)}%"
        return f"{shown} (n = {self.n.num(before)})"

    def period(self) -> str:
        return f"{self.n.date(self.fq.start)} – {self.n.date(self.fq.end)}"

    def count_table(self, title: str, rows: list[Count], unit: str = "ครั้ง") -> list[Flowable]:
        total = sum(r.count for r in rows)
        data: list[list[object]] = [[title, f"จำนวน ({unit})", "ร้อยละ (n)"]]
        for r in rows:
            data.append([r.label, self.n.num(r.count), self.n.pct(r.count, total)])
        data.append(["รวม", self.n.num(total), ""])
        return [T.table(data, [8.6 * cm, 3.2 * cm, 4.2 * cm], align=["l", "r", "r"], total_row=True)]

    # the parts
    def header(self, sections: list[Section]) -> list[Flowable]:
        m, fq = self.meta, self.fq
        subject = f"รายงานสถิติการให้บริการศูนย์ข้อมูลข่าวสาร {fq.label(thai=m.thai_digits)}"
        return [T.MemoHeader(department=m.office.name, phone=self.n.text(m.office.phone or ""),
                             reference=m.report_code,
                             date_text=self.n.date(m.generated_at), subject=subject, addressee=m.addressee)]

    def summary(self, s: Section, *, whole: str) -> list[Flowable]:
        n, now, prev = self.n, s.now, s.previous
        intro = (f"ตามที่{whole}มีหน้าที่จัดให้มีข้อมูลข่าวสารของราชการไว้ให้ประชาชนเข้าตรวจดูได้ตามมาตรา ๙ "
                 f"แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐ และรายงานผลการให้บริการต่อผู้บังคับบัญชาทุกไตรมาส "
                 f"จึงขอรายงานสถิติการให้บริการ{self.fq.label(thai=self.meta.thai_digits)} ({self.period()}) ดังนี้")
        out = [self.p(intro, "body_indent")]
        if now.no_service:
            out.append(self.p(f"ในไตรมาสนี้ไม่มีการให้บริการ: ไม่มีผู้มาติดต่อที่ศูนย์ ไม่มีการใช้งานออนไลน์ "
                              f"และไม่มีคำขอข้อมูลข่าวสาร ({s.title})", "body_indent"))
            return out
        visits = (f"มีผู้มาใช้บริการที่ศูนย์ {n.num(now.visits)} ครั้ง "
                  f"{self._trend(now.visits, prev.visits)} เมื่อเทียบกับไตรมาสก่อน ({n.num(prev.visits)} ครั้ง)")
        online = (f"มีการใช้งานออนไลน์ {n.num(now.online_use)} ครั้ง (ค้นหา {n.num(now.online.get('search', 0))} "
                  f"ครั้ง เปิดดูรายการ {n.num(now.online.get('view', 0))} ครั้ง ดาวน์โหลด "
                  f"{n.num(now.online.get('download', 0))} ครั้ง) {self._trend(now.online_use, prev.online_use)} "
                  f"เมื่อเทียบกับไตรมาสก่อน")
        parts = [visits, online]
        parts.append(f"ได้รับคำขอข้อมูลข่าวสารตามมาตรา ๑๑ จำนวน {n.num(now.requests_received)} เรื่อง "
                     f"ดำเนินการแล้วเสร็จ {n.num(now.requests_closed)} เรื่อง "
                     f"คงค้าง ณ สิ้นไตรมาส {n.num(now.requests.pending_end)} เรื่อง")
        ix = s.index.total
        parts.append(f"ดัชนีข้อมูลข่าวสารมีรายการเปิดเผย {n.num(ix.public_entries)} รายการ "
                     f"เพิ่มใหม่ในไตรมาสนี้ {n.num(ix.new_in_period)} รายการ")
        out.append(self.p(f"{s.title}: " + " ".join(parts), "body_indent"))
        return out

    def _trend(self, now: int, before: int) -> str:
        if now == before:
            return "เท่ากับ"
        word = "เพิ่มขึ้น" if now > before else "ลดลง"
        from ..stats import pct

        value = pct(abs(now - before), before)
        if value is None:
            return f"{word} {self.n.num(abs(now - before))} ครั้ง (n = {self.n.num(before)})"
        return f"{word}ร้อยละ {self.n.num(value, 1)} (n = {self.n.num(before)})"

    def chart(self, s: Section) -> Flowable:
        width, height = T.FRAME_WIDTH, 6.2 * cm
        d = Drawing(width, height)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 1.6 * cm, 1.3 * cm, width - 2.2 * cm, height - 2.2 * cm
        chart.data = [[m.visits for m in s.monthly], [m.online for m in s.monthly]] if s.monthly else [[0], [0]]
        chart.categoryAxis.categoryNames = [self.n.text(m.label) for m in s.monthly]
        for axis in (chart.categoryAxis.labels, chart.valueAxis.labels):
            axis.fontName, axis.fontSize = T.FONT, 11
        chart.valueAxis.valueMin = 0
        top = max([1, *chart.data[0], *chart.data[1]])
        chart.valueAxis.valueMax = top * 1.15
        chart.valueAxis.labelTextFormat = lambda v: self.n.num(v)
        chart.bars[0].fillColor, chart.bars[1].fillColor = WALK_IN_COLOR, ONLINE_COLOR
        chart.barLabels.fontName, chart.barLabels.fontSize = T.FONT, 10
        chart.barLabelFormat = lambda v: self.n.num(v)
        chart.barLabels.nudge = 6
        d.add(chart)
        legend = Legend()
        legend.fontName, legend.fontSize = T.FONT, 12
        legend.x, legend.y = width - 7 * cm, height - 0.2 * cm
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.colorNamePairs = [(WALK_IN_COLOR, "มาติดต่อที่ศูนย์"), (ONLINE_COLOR, "ใช้งานออนไลน์")]
        legend.deltax = 110
        d.add(legend)
        d.add(String(0, chart.y + chart.height + 6, "ครั้ง", fontName=T.FONT, fontSize=11))
        return T.ShapedDrawing(d)

    def walk_in(self, s: Section) -> list[Flowable]:
        n = self.n
        out: list[Flowable] = [self.p("๑. การให้บริการ ณ ศูนย์ข้อมูลข่าวสาร และการใช้งานออนไลน์รายเดือน", "h2"),
                               self.chart(s)]
        rows = [["เดือน", "มาติดต่อที่ศูนย์ (ครั้ง)", "ใช้งานออนไลน์ (ครั้ง)"]]
        rows += [[n.text(m.label), n.num(m.visits), n.num(m.online)] for m in s.monthly]
        rows.append(["รวม", n.num(sum(m.visits for m in s.monthly)), n.num(sum(m.online for m in s.monthly))])
        out.append(T.table(rows, [5 * cm, 5.5 * cm, 5.5 * cm], align=["l", "r", "r"], total_row=True))
        out.append(self.p("๒. ผู้มาใช้บริการจำแนกตามประเภท", "h2"))
        out += self.count_table("ประเภทผู้ใช้บริการ", s.visitor_types)
        out.append(self.p("๓. วัตถุประสงค์ของการมาใช้บริการ", "h2"))
        out += self.count_table("วัตถุประสงค์", s.purposes)
        out.append(self.p("๔. ช่องทางและผลการให้บริการ", "h2"))
        out += self.count_table("ช่องทาง", s.channels)
        out.append(Spacer(1, 4))
        out += self.count_table("ผลการให้บริการ", s.outcomes)
        out.append(self.p("๕. หมวดข้อมูลข่าวสารตามมาตรา ๙ ที่มีผู้ขอตรวจดู", "h2"))
        out += self.count_table("หมวด", [Count(c.key, f"{n.text(c.key)} {c.label}", c.count) for c in s.categories])
        out.append(self.p("๖. รายการที่มีผู้ขอตรวจดูมากที่สุด", "h2"))
        if s.top_entries:
            rows = [["ลำดับ", "เลขที่ / เรื่อง", "หมวด", "จำนวน (ครั้ง)"]]
            rows += [[n.num(i), f"{e.ref} {e.title}".strip(), n.text(e.category_code), n.num(e.count)]
                     for i, e in enumerate(s.top_entries, start=1)]
            out.append(T.table(rows, [1.4 * cm, 9.6 * cm, 2 * cm, 3 * cm], align=["c", "l", "c", "r"]))
        else:
            out.append(self.p("ไม่มีการขอตรวจดูรายการใดในไตรมาสนี้"))
        f = s.fees
        out.append(self.p("๗. การทำสำเนาและค่าธรรมเนียม", "h2"))
        out.append(T.table([
            ["รายการ", "จำนวน"],
            ["ครั้งที่มีการขอสำเนา", n.num(f.visits_with_copies)],
            ["สำเนาทั้งหมด (หน้า)", n.num(f.pages_copied)],
            ["สำเนาธรรมดา (หน้า)", n.num(f.pages_plain)],
            ["สำเนารับรองถูกต้อง (หน้า)", n.num(f.pages_certified)],
            ["ค่าธรรมเนียมที่เรียกเก็บ (บาท)", n.num(f.fees_collected, 2)],
            ["ค่าธรรมเนียมที่ได้รับยกเว้น (บาท)", f"{n.num(f.fees_waived, 2)} ({n.num(f.waived_visits)} ครั้ง)"],
        ], [10 * cm, 6 * cm], align=["l", "r"]))
        sat = s.satisfaction
        out.append(self.p("๘. ความพึงพอใจของผู้ใช้บริการ (คะแนน ๑–๕)", "h2"))
        if sat.n:
            mean = n.num(sat.mean, 2) if sat.n >= 5 else "–"
            out.append(self.p(f"คะแนนเฉลี่ย {mean} จากผู้ตอบ {n.num(sat.n)} คน"))
            rows = [["คะแนน", "จำนวน (คน)", "ร้อยละ (n)"]]
            rows += [[n.num(score), n.num(c), n.pct(c, sat.n)] for score, c in zip(range(5, 0, -1), sat.by_score[::-1], strict=True)]
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
        out.append(self.p(f"การค้นหาที่ไม่พบผลลัพธ์ {n.num(s.searches_without_results)} ครั้ง "
                          f"({n.pct(s.searches_without_results, searches)} ของการค้นหาทั้งหมด)"))
        out.append(self.p("๑๐. คำค้นที่ไม่พบผลลัพธ์ (ข้อมูลที่ควรพิจารณาเพิ่มในดัชนี)", "h2"))
        if s.zero_result_queries:
            rows = [["คำค้น", "จำนวน (ครั้ง)"]] + [[q.query, n.num(q.count)] for q in s.zero_result_queries]
            out.append(T.table(rows, [12 * cm, 4 * cm], align=["l", "r"]))
        else:
            out.append(self.p("ไม่มีคำค้นที่ไม่พบผลลัพธ์ในไตรมาสนี้"))
        return out

    def requests(self, s: Section) -> list[Flowable]:
        return requests_section.flowables(self, s)

    def comparison(self, s: Section) -> list[Flowable]:
        n = self.n
        now, prev, yb = s.now, s.previous, s.year_before
        def lbl(fq: FiscalQuarter) -> str:
            return f"ไตรมาส {n.text(fq.quarter)}/{n.text(fq.year)}"

        rows: list[list[object]] = [["รายการ", lbl(now.fq), lbl(prev.fq), "เทียบไตรมาสก่อน", lbl(yb.fq), "เทียบปีก่อน"]]

        def row(label: str, a: int | None, b: int | None, c: int | None) -> list[object]:
            return [label, n.num(a), n.num(b), self.change(a, b), n.num(c), self.change(a, c)]

        rows.append(row("มาติดต่อที่ศูนย์", now.visits, prev.visits, yb.visits))
        rows.append(row("ใช้งานออนไลน์รวม", now.online_use, prev.online_use, yb.online_use))
        for kind, label in (("search", "ค้นหา"), ("view", "เปิดดูรายการ"), ("download", "ดาวน์โหลด")):
            rows.append(row(f"– {label}", now.online.get(kind, 0), prev.online.get(kind, 0), yb.online.get(kind, 0)))
        rows.append(row("คำขอตามมาตรา ๑๑ ที่ได้รับ", now.requests_received, prev.requests_received,
                        yb.requests_received))
        rows.append(row("คำขอที่ดำเนินการแล้วเสร็จ", now.requests_closed, prev.requests_closed, yb.requests_closed))
        return [self.p("๑๔. เปรียบเทียบกับไตรมาสก่อนและไตรมาสเดียวกันของปีก่อน", "h2"),
                T.table(rows, [3.6 * cm, 2 * cm, 2 * cm, 3.2 * cm, 2 * cm, 3.2 * cm],
                        align=["l", "r", "r", "r", "r", "r"])]

    def index(self, s: Section) -> list[Flowable]:
        n, ix = self.n, s.index
        t = ix.total
        out: list[Flowable] = [self.p("๑๕. ดัชนีข้อมูลข่าวสาร: การเพิ่มขึ้นและการใช้งาน", "h2")]
        out.append(T.table([
            ["รายการ", "จำนวน"],
            ["รายการที่เพิ่มใหม่ในไตรมาสนี้", n.num(t.new_in_period)],
            ["รายการที่ปรับปรุงในไตรมาสนี้", n.num(t.updated_in_period)],
            ["รายการที่เปิดเผยทั้งหมด ณ สิ้นไตรมาส", n.num(t.public_entries)],
            ["การค้นหาออนไลน์ (ครั้ง)", n.num(s.now.online.get("search", 0))],
            ["การเปิดดูรายการออนไลน์ (ครั้ง)", n.num(s.now.online.get("view", 0))],
        ], [10 * cm, 6 * cm], align=["l", "r"]))
        out.append(self.p("๑๖. ความครบถ้วนของข้อมูลข่าวสารตามมาตรา ๙ จำแนกตามหมวด", "h2"))
        rows = [["หมวด", "ชื่อหมวด", "เปิดเผย", "ใหม่ในไตรมาส", "เลยกำหนดทบทวน"]]
        rows += [[n.text(c.key), c.label, n.num(c.public_entries), n.num(c.new_in_period), n.num(c.past_review)]
                 for c in ix.categories]
        rows.append(["", "รวม", n.num(t.public_entries), n.num(t.new_in_period), n.num(t.past_review)])
        out.append(T.table(rows, [1.5 * cm, 7.6 * cm, 2 * cm, 2.2 * cm, 2.7 * cm],
                           align=["c", "l", "r", "r", "r"], total_row=True))
        if ix.empty_categories:
            out.append(self.p("หมวดที่ยังไม่มีรายการเปิดเผย: " + " ".join(n.text(c) for c in ix.empty_categories)))
        return out

    def section(self, s: Section, *, whole: str) -> list[Flowable]:
        out: list[Flowable] = [self.p(s.title, "h1")]
        out += self.summary(s, whole=whole)
        if not s.now.no_service:  # an empty quarter: no pages of zeros, just the comparison and the index
            out += self.walk_in(s)
            out += self.online(s)
            out += self.requests(s)
        out += self.comparison(s)
        out += self.index(s)
        out += integrity_section.flowables(self, s.scope)
        return out

    def signature(self) -> list[Flowable]:
        m = self.meta
        # The closing line and both signatures stay on one page: a signature alone on the last
        # page would not show what was signed.
        return [T.keep(
            Spacer(1, 10),
            self.p("จึงเรียนมาเพื่อโปรดทราบ", "body_indent"),
            Spacer(1, 8),
            T.SignatureBlock(name=m.prepared_by_name, position=m.prepared_by_position, caption="ผู้จัดทำรายงาน"),
            Spacer(1, 12),
            T.SignatureBlock(name="", position="ผู้บังคับบัญชา", caption="ทราบ", with_date=True),
        )]


def build_pdf(target, fq: FiscalQuarter, sections: list[Section], meta: ReportMeta, *, whole: str) -> int:
    """Write the report PDF to ``target`` (path or file object); returns the number of pages."""
    layout = QuarterlyLayout(fq, meta)

    def flowables() -> list[Flowable]:
        out = layout.header(sections)
        for i, s in enumerate(sections):
            if i:
                out.append(PageBreak())
            out += layout.section(s, whole=whole)
        out += layout.signature()
        return out

    doc = T.ThaiDocument(target, title=f"รายงานสถิติการให้บริการ {fq.label(thai=False)}", doc_id=meta.report_code,
                         generated_at=meta.generated_at, numerals=layout.n, author=meta.prepared_by_name)
    doc.build_counted(flowables)
    return doc.total_pages
