"""The Section 11 part of the quarterly report, read back from the PDF (pdftotext, pdfplumber)
against ``stats.requests.summary`` on the fixed set of requests made through the inquiries
operations in test_stats_requests (office AAA, Q3 of FY 2568: 1 Apr – 30 Jun 2025)."""

from __future__ import annotations

from pathlib import Path

from infocenter.stats import Scope
from infocenter.stats import requests as rstats
from infocenter.thai import FiscalQuarter, format_number, thai_date, thai_digits
from tests.pdfread import flat, loose, pdftotext, table_rows

Q3_2568 = FiscalQuarter(2568, 3)


def th(n, decimals=0) -> str:
    return format_number(n, decimals=decimals, thai=True)


def report(runner, tmp_path, *args) -> Path:
    out = tmp_path / "report.pdf"
    result = runner.invoke(
        args=[
            "report",
            "quarterly",
            "--fiscal-year",
            "2568",
            "--quarter",
            "3",
            *args,
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    return out


def test_request_figures_equal_the_statistics_functions(app, runner, tmp_path, offices):
    a, _ = offices
    out = report(runner, tmp_path, "--office", "AAA")
    layer, rows = flat(pdftotext(out)), table_rows(out)
    with app.app_context():
        s = rstats.summary(Scope.quarter(Q3_2568, (a,)))
        prev = rstats.summary(Scope.quarter(Q3_2568.previous(), (a,)))
        yb = rstats.summary(Scope.quarter(Q3_2568.year_before(), (a,)))
    f = s.flow
    # The hand count of test_stats_requests: 2 pending + 4 received − 3 closed = 3 pending.
    assert (f.pending_start, f.received, f.closed, f.pending_end) == (2, 4, 3, 3)
    assert flat(f"({th(2)} + {th(4)} − {th(3)} = {th(3)})") in layer
    assert (
        flat(f"ได้รับคำขอข้อมูลข่าวสารตามมาตรา ๑๑ จำนวน {th(4)} เรื่อง ดำเนินการแล้วเสร็จ {th(3)} เรื่อง")
        in layer
    )
    # The balance table: this quarter, the previous quarter and the same quarter a year before.
    for label, attr in (
        ("คงค้างต้นไตรมาส", "pending_start"),
        ("+ รับใหม่", "received"),
        ("− ดำเนินการแล้วเสร็จ", "closed"),
        ("= คงค้างสิ้นไตรมาส", "pending_end"),
    ):
        want = [loose(label), *(th(getattr(r.flow, attr)) for r in (s, prev, yb))]
        assert want in rows, (label, rows)
    # Q2 (Jan–Mar): R9, R1, R2 received, R9 closed 20 Mar → 0 + 3 − 1 = 2; Q3 2567 had nothing.
    assert prev.flow == rstats.Flow(0, 3, 1, 2) and yb.flow == rstats.Flow(0, 0, 0, 0)
    # Outcomes: 3 closed (one each), 3 < 5 so no percentage, only n.
    for c in s.by_outcome:
        assert [loose(c.label), th(c.count), loose(f"– (n = {th(3)})")] in rows, c
    assert flat("๑๐๐.๐%") not in layer and flat("๓๓.๓%") not in layer
    # Grounds, counted once per request.
    for c in s.by_ground:
        assert [loose(c.label), th(c.count)] in rows, c
    # Timeliness and response times.
    for c in s.timeliness:
        assert [loose(c.label), th(c.count), loose(f"– (n = {th(3)})")] in rows, c
    d = s.to_complete
    assert (d.median, d.shortest, d.longest) == (28.0, 15, 39)
    assert [
        loose("มัธยฐาน"),
        th(28.0, 1),
        *(
            ("–" if x.to_complete.median is None else th(x.to_complete.median, 1))
            for x in (prev, yb)
        ),
    ] in rows
    assert [
        loose("ค่าเฉลี่ย"),
        th(d.mean, 1),
        *(("–" if x.to_complete.mean is None else th(x.to_complete.mean, 1)) for x in (prev, yb)),
    ] in rows
    assert [loose("สั้นที่สุด"), th(15)] == next(r for r in rows if r[0] == loose("สั้นที่สุด"))[:2]
    assert [loose("นานที่สุด"), th(39)] == next(r for r in rows if r[0] == loose("นานที่สุด"))[:2]
    for band in d.bands:
        assert [
            loose(thai_digits(band.label)),
            th(band.count),
            loose(f"– (n = {th(3)})"),
        ] in rows, band
    # The oldest pending: tracking number, receipt date (BE), age at the end of the quarter.
    assert [p.tracking_no for p in s.oldest_pending] == [
        "AAA-2568-00001",
        "AAA-2568-00005",
        "AAA-2568-00006",
    ]
    for i, p in enumerate(s.oldest_pending, start=1):
        row = next(r for r in rows if r[1:2] == [loose(p.tracking_no)])
        assert row[:5] == [
            th(i),
            loose(p.tracking_no),
            loose(thai_date(p.received_on, style="short", thai=True)),
            loose(thai_date(p.due_date, style="short", thai=True)),
            th(p.age_days),
        ], row
    assert s.oldest_pending[0].age_days == 112  # 10 Mar → 30 Jun
    # Fees of the closed requests.
    assert s.fees == rstats.Fees(25.0, 10.0, 1)
    assert (
        flat(f"ค่าธรรมเนียมที่เรียกเก็บ {th(25, 2)} บาท ได้รับยกเว้น {th(10, 2)} บาท ({th(1)} เรื่อง)")
        in layer
    )
    assert flat(f"ขยายระยะเวลาในไตรมาสนี้ {th(1)} ครั้ง ({th(1)} เรื่อง)") in layer
    # The comparison table of section ๑๔ carries the request rows too.
    assert flat("คำขอตามมาตรา ๑๑ ที่ได้รับ") in layer


def test_percentages_appear_from_five_requests_with_their_n(app, runner, tmp_path, offices):
    # All offices: 4 requests closed in the quarter (A: 3, B: 1) → still no percentage;
    # five channels' worth of received requests (A: 4, B: 1) → 5 received, percentages with n = ๕.
    out = report(runner, tmp_path, "--all")
    rows = table_rows(out)
    with app.app_context():
        s = rstats.summary(Scope.quarter(Q3_2568))
    assert s.flow.received == 5
    for c in s.by_channel:
        assert [
            loose(c.label),
            th(c.count),
            loose(f"{th(100 * c.count / 5, 1)}% (n = {th(5)})"),
        ] in rows, c


def test_a_quarter_without_requests_says_so(app, runner, tmp_path, offices):
    # Office BBB, Q4 2568: nothing received, closed or pending.
    out = report(runner, tmp_path, "--office", "BBB")
    layer = flat(pdftotext(out))
    assert flat("ไม่มีคำขอคงค้าง ณ สิ้นไตรมาส") in layer
