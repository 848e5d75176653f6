"""The quarterly report as a memo a supervisor can sign and send (issue 16), read back page by
page with pdftotext: the book number, the memo ending on page 1 or 2 with the signature, the
attachment after it with its own page numbers, the province's offices side by side, totals that
equal the sum of their printed parts, figures that stay the same when the report is made again,
and quarters in progress compared with the same days."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from infocenter import pdf as T
from infocenter.admin.models import Office
from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.reports import figures
from infocenter.reports.models import Report
from infocenter.thai import FiscalQuarter, arabic_digits
from infocenter.usage.models import UsageEvent
from tests.pdfread import flat, pdftotext

CHECKER = Path("/work/shared/tools/pdf_thai_check.py")


def pages(path: Path) -> list[str]:
    """The text of each page, flattened (pdftotext separates pages with a form feed)."""
    return [flat(p) for p in pdftotext(path).split("\f") if p.strip()]


def run(runner, tmp_path, *args, name="report.pdf") -> Path:
    out = tmp_path / name
    result = runner.invoke(args=["report", "quarterly", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def memo_end(text_pages: list[str]) -> int:
    """The page (1-based) that carries the memo's closing and signatures."""
    return next(i for i, p in enumerate(text_pages, start=1) if flat("จึงเรียนมาเพื่อโปรดทราบ") in p)


def test_memo_with_book_number_and_signature_ends_on_page_one_or_two(
    app, runner, tmp_path, events, make_user
):
    with app.app_context():
        office = db.session.get(Office, events["a"])
        office.book_prefix = "นว ๐๐๑๘"
        db.session.commit()
    username = make_user(
        "clerk", office_id=events["a"], full_name="นางสาวมาลี ใจดี", position="นักวิชาการ"
    )
    with app.app_context():
        from infocenter.auth.models import User
        from infocenter.reports.operations import generate_quarterly

        user = db.session.scalars(select(User).where(User.username == username)).one()
        report = generate_quarterly(
            FiscalQuarter(2563, 2),
            office=db.session.get(Office, events["a"]),
            user=user,
            via="cli",
            book_number="123",
        )
        db.session.commit()
        path = Path(app.config["REPORTS_DIR"]) / report.file_name
        code = report.code
    text = pages(path)
    end = memo_end(text)
    assert end <= 2
    memo = "".join(text[:end])
    assert flat("ที่นว ๐๐๑๘/๑๒๓") in text[0]  # the book number, Thai digits, on page 1
    assert flat(f"ที่{code}") not in text[0] and flat(code) in text[0]  # the system code: footer only
    assert flat("เรื่องที่ควรดำเนินการ") in memo
    assert flat("(นางสาวมาลี ใจดี)") in text[end - 1] and flat("นักวิชาการ") in text[end - 1]
    assert flat("(ลงชื่อ)") in text[end - 1]
    # The attachment follows, with its own heading and page numbers.
    assert text[end].startswith(flat("สิ่งที่ส่งมาด้วย"))
    assert flat("สิ่งที่ส่งมาด้วยหน้า ๑/") in text[end]
    assert flat(f"หน้า ๑/{'๑' if end == 1 else '๒'}") in text[0]
    # What needs action comes from the statistics: nothing public in any category here.
    assert flat("จัดให้มีข้อมูลข่าวสารในหมวดตามมาตรา ๙ ที่ยังไม่มีรายการเปิดเผย") in memo
    thai_check(path)


def thai_check(path: Path) -> None:
    """The shared checker of Thai text layers (fonts embedded, no mark starting a line, lines
    broken between words), where it and PyThaiNLP are installed."""
    if not CHECKER.exists():
        return
    checked = subprocess.run(
        [sys.executable, str(CHECKER), str(path)], capture_output=True, text=True
    )
    if "No module named" not in checked.stderr:
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_blank_book_number_is_a_line_to_fill_by_hand(app, runner, tmp_path, events):
    out = run(runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--office", "NSW")
    first = pages(out)[0]
    assert flat("ที่................/........") in first
    with app.app_context():
        assert db.session.scalars(select(Report)).one().book_number == ""


def test_cli_refuses_a_quarter_that_has_not_started(app, runner, events):
    result = runner.invoke(args=["report", "quarterly", "--fiscal-year", "2600", "--quarter", "1"])
    assert result.exit_code != 0 and "ไตรมาสนี้ยังไม่เริ่ม" in result.output
    with app.app_context():
        assert db.session.scalars(select(Report)).first() is None


def test_province_report_compares_every_office_and_annexes_only_when_asked(
    app, runner, tmp_path, events, make_office
):
    for code in ("NSW02", "NSW03"):
        make_office(
            code, name=f"สำนักงานพัฒนาชุมชนอำเภอทดสอบ {code}", kind="district", parent_id=events["a"]
        )
    out = run(runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--all")
    thai_check(out)
    text = pages(out)
    end = memo_end(text)
    assert end <= 2
    memo = "".join(
        text[:end]
    )  # the LINE plan: each office against its own target (none posted here)
    assert flat("โครงการ LINE: หน่วยงานที่โพสต์ภาพนิ่งไม่ถึงเป้าหมาย (๓ เรื่องต่อสัปดาห์) ๔ จาก ๔ แห่ง") in memo
    table = "".join(text[end:])
    assert flat("เปรียบเทียบผลการดำเนินงานรายหน่วยงาน") in table
    with app.app_context():
        names = list(db.session.scalars(select(Office.name)))
    assert len(names) == 4
    for name in names:
        assert flat(name) in table, name
    assert flat("สำนักงานทดสอบ NSW01: มีผู้มาใช้บริการ") not in "".join(
        text
    )  # no per-office annex by default
    annexed = run(
        runner,
        tmp_path,
        "--fiscal-year",
        "2563",
        "--quarter",
        "2",
        "--all",
        "--annexes",
        name="a.pdf",
    )
    whole = "".join(pages(annexed))
    # (an office without service says so, its name in brackets)
    assert (
        flat("สำนักงานทดสอบ NSW01:") in whole and flat("(สำนักงานพัฒนาชุมชนอำเภอทดสอบ NSW03)") in whole
    )


# --- every printed total equals the sum of its printed parts ---------------------------------

_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?")


def _numbers(cell: object) -> tuple[float, ...] | None:
    """ "๑,๒๓๔" → (1234,), "๓/๒/๑" → (3, 2, 1); None for text, percentages and dashes."""
    text = arabic_digits(str(cell)).strip()
    parts = text.split("/")
    if not text or not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    return tuple(float(p.replace(",", "")) for p in parts)


def check_tables(tables: list[tuple[list, bool]]) -> int:
    """Assert every total row and every "of which" breakdown; returns how many totals were
    checked."""
    checked = 0
    for rows, total_row in tables:
        head, body = [str(c) for c in rows[0]], rows[1:]
        if head[0] == "รายการ (เรื่อง)":  # the balance: start + received − closed = end
            for col in range(1, len(head)):
                start, received, closed, end = (_numbers(r[col])[0] for r in body)
                assert start + received - closed == end, (head[col], start, received, closed, end)
                checked += 1
            continue
        if total_row:
            parts, total = body[:-1], body[-1]
            for col in range(1, len(head)):
                if "มัธยฐาน" in head[col] or "ร้อยละ" in head[col]:
                    continue
                values = [_numbers(r[col]) for r in parts]
                want = _numbers(total[col])
                if want is None or any(v is None for v in values) or not values:
                    continue
                sums = tuple(sum(v[i] for v in values) for i in range(len(want)))
                assert sums == want, (head, col, values, want)
                checked += 1
        labels = [str(r[0]) for r in rows]
        if "ใช้งานออนไลน์รวม" in labels:  # the comparison: the online total and its kinds
            i = labels.index("ใช้งานออนไลน์รวม")
            kinds = [r for r in rows[i + 1 :] if str(r[0]).startswith("– ")]
            for col in (1, 2, 4):
                assert sum(_numbers(r[col])[0] for r in kinds) == _numbers(rows[i][col])[0], (
                    col,
                    kinds,
                )
                checked += 1
    return checked


def check_online_sentence(text: str) -> None:
    """Page 1: "มีการใช้งานออนไลน์ X ครั้ง (ค้นหา a ครั้ง เปิดดูรายการ b ครั้ง ดาวน์โหลด c ครั้ง
    ยื่นคำขอทางออนไลน์ d ครั้ง)" with X = a + b + c + d."""
    words = (
        "มีการใช้งานออนไลน์",
        "ครั้ง(ค้นหา",
        "ครั้งเปิดดูรายการ",
        "ครั้งดาวน์โหลด",
        "ครั้งยื่นคำขอทางออนไลน์",
        "ครั้ง)",
    )
    pattern = r"([\d,]+)".join(re.escape(flat(w)) for w in words)  # (NFKC, as the extracted text)
    found = re.findall(pattern, arabic_digits(flat(text)))
    assert found, "the online sentence is not on page 1"
    for total, *parts in found:
        assert int(total.replace(",", "")) == sum(int(p.replace(",", "")) for p in parts), (
            total,
            parts,
        )


@pytest.fixture
def captured_tables(monkeypatch):
    tables: list[tuple[list, bool]] = []
    real = T.table

    def table(rows, *args, total_row=False, **kw):
        tables.append(([list(r) for r in rows], total_row))
        return real(rows, *args, total_row=total_row, **kw)

    monkeypatch.setattr(T, "table", table)
    return tables


def _online_request(app):
    with app.app_context():  # an online request counts in the online total (left out before)
        db.session.execute(
            db.insert(UsageEvent),
            [
                {
                    "session_key": "s9",
                    "kind": "request",
                    "at": datetime(2020, 2, 3, 3, 0, tzinfo=UTC),
                    "entry_id": None,
                    "office_id": None,
                    "query": None,
                    "result_count": None,
                    "ua_class": "desktop",
                    "is_demo": False,
                }
            ],
        )
        db.session.commit()


@pytest.mark.parametrize("scope", [("--office", "NSW"), ("--all",)])
def test_every_printed_total_equals_the_sum_of_its_parts(
    app, runner, tmp_path, events, captured_tables, scope
):
    _online_request(app)
    out = run(runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", *scope)
    assert check_tables(captured_tables) >= 10
    check_online_sentence(pages(out)[0])


def test_request_totals_add_up_for_an_office_and_the_province(
    app, runner, tmp_path, offices, captured_tables
):
    out = run(runner, tmp_path, "--fiscal-year", "2568", "--quarter", "3", "--all")
    assert check_tables(captured_tables) >= 10
    text = "".join(pages(out))
    assert flat("รวมทุกหน่วยงาน") in text


def test_the_checker_catches_a_wrong_total():
    with pytest.raises(AssertionError):
        check_tables([([["เดือน", "จำนวน"], ["ม.ค.", "๑"], ["ก.พ.", "๒"], ["รวม", "๔"]], True)])
    with pytest.raises(AssertionError):
        check_online_sentence(
            flat(
                "มีการใช้งานออนไลน์ ๙ ครั้ง (ค้นหา ๑ ครั้ง เปิดดูรายการ ๒ ครั้ง ดาวน์โหลด ๓ ครั้ง "
                "ยื่นคำขอทางออนไลน์ ๐ ครั้ง)"
            )
        )


# --- as of the quarter's end; quarters in progress ---------------------------------------------


def _body(path: Path) -> str:
    """The report's text without what changes from one making to the next (date, code, footer)."""
    text = pdftotext(path)
    text = re.sub(r"RPT-\d+-Q\d-\d+", "", text)
    text = re.sub(r"จัดทำเมื่อ.*", "", text)
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("วันที่"))


def test_a_past_quarter_made_again_after_new_data_gives_the_same_figures(
    app, runner, tmp_path, offices
):
    first = run(
        runner, tmp_path, "--fiscal-year", "2568", "--quarter", "3", "--office", "AAA", name="1.pdf"
    )
    a, _ = offices
    with app.app_context():
        from infocenter.inquiries.operations import NewInquiry, create_inquiry

        # Next quarter: a new request, and the one still open on 30 Jun 2025 closed (or overdue
        # now).
        create_inquiry(
            NewInquiry(
                office_id=a,
                channel="counter",
                requester_name="ผู้ขอ",
                subject="ใหม่",
                received_at=datetime(2025, 8, 1, 3, 0, tzinfo=UTC),
            )
        )
        db.session.commit()
        assert db.session.scalar(select(db.func.count(Inquiry.id))) >= 10
    second = run(
        runner, tmp_path, "--fiscal-year", "2568", "--quarter", "3", "--office", "AAA", name="2.pdf"
    )
    assert _body(first) == _body(second)


def test_overdue_is_counted_on_the_quarters_last_day(app, offices):
    a, _ = offices
    fq = FiscalQuarter(2568, 3)
    with app.app_context():
        section = figures.collect(fq, (a,), "AAA", today=date(2026, 1, 1))
        again = figures.collect(fq, (a,), "AAA", today=date(2027, 1, 1))
    assert section.as_of == fq.end and not section.partial
    assert section.overdue == again.overdue and section.requests.flow == again.requests.flow


def test_a_quarter_in_progress_is_compared_with_the_same_days(app, runner, tmp_path, events):
    fq = FiscalQuarter(2563, 2)  # 1 Jan – 31 Mar 2020; say today is 10 Feb 2020
    with app.app_context():
        s = figures.collect(fq, None, "ทั้งหมด", today=date(2020, 2, 10))
    assert s.partial and s.as_of == date(2020, 2, 10)
    assert (s.previous.scope.start, s.previous.scope.end) == (date(2019, 10, 1), date(2019, 11, 10))
    assert (s.year_before.scope.start, s.year_before.scope.end) == (
        date(2019, 1, 1),
        date(2019, 2, 10),
    )
    from infocenter.reports.quarterly import QuarterlyLayout, ReportMeta

    with app.app_context():
        office = db.session.get(Office, events["a"])
        layout = QuarterlyLayout(fq, ReportMeta("X", datetime(2020, 2, 10), office, "ผู้บังคับบัญชา"))
        assert "ถึงวันที่ ๑๐ กุมภาพันธ์ ๒๕๖๓" in layout.quarter_text(s)
        text = " ".join(p.getPlainText() for p in layout.summary(s) if hasattr(p, "getPlainText"))
        assert "ช่วงเดียวกันของไตรมาสก่อน" in text
        months = [layout.month_label(s, m) for m in s.monthly]
        assert months[-1].endswith("(ถึง ๑๐)") and "(ถึง" not in months[0]


def test_equal_figures_read_as_one_phrase(app, events):
    from infocenter.reports.quarterly import QuarterlyLayout, ReportMeta

    with app.app_context():
        office = db.session.get(Office, events["a"])
        layout = QuarterlyLayout(
            FiscalQuarter(2563, 2), ReportMeta("X", datetime(2020, 4, 1), office, "x")
        )
    assert layout._trend(5, 5) == "เท่ากับไตรมาสก่อน (๕ ครั้ง)"
    assert layout._trend(5, 3) == "เพิ่มขึ้น ๒ ครั้ง เมื่อเทียบกับไตรมาสก่อน (n = ๓)"
    assert layout._trend(10, 8) == "เพิ่มขึ้นร้อยละ ๒๕.๐ เมื่อเทียบกับไตรมาสก่อน (n = ๘)"
