"""The quarterly report: CLI, stored record and checksum, what the PDF says (read back with
pdftotext, pypdf and pdfplumber) against the statistics functions on a fixed data set."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from infocenter.admin.models import Office
from infocenter.extensions import db
from infocenter.reports.models import Report
from infocenter.stats import Scope
from infocenter.stats import index as ix
from infocenter.stats import online as on
from infocenter.stats import visits as vs
from infocenter.thai import format_number, thai_digits
from tests.factories import Q2_2563
from tests.pdfread import embedded_fonts, flat, loose, page_count, pdftotext, table_rows, used_fonts


def th(n, decimals=0) -> str:
    return format_number(n, decimals=decimals, thai=True)


def run_report(runner, tmp_path, *args) -> tuple[str, Path]:
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "quarterly", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, out


def test_cli_stores_the_pdf_with_checksum_and_record(app, runner, tmp_path, events):
    output, out = run_report(
        runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--office", "NSW"
    )
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        stored = Path(app.config["REPORTS_DIR"]) / report.file_name
        assert stored.is_file() and stored.read_bytes() == out.read_bytes()
        assert report.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
        assert (report.fiscal_year, report.quarter, report.generated_via) == (2563, 2, "cli")
        assert report.office.code == "NSW" and not report.all_offices
        assert report.pages == page_count(out) and report.size == len(out.read_bytes())
        assert report.code in output


def test_header_fields_and_footer(app, runner, tmp_path, events, make_user):
    with app.app_context():
        office = db.session.get(Office, events["a"])
        office.phone = "0 5622 1234"
        db.session.commit()
    make_user("supervisor", office_id=events["a"], position="พัฒนาการจังหวัดนครสวรรค์")
    _, out = run_report(
        runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--office", "NSW"
    )
    layer = flat(pdftotext(out))
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        code, day = report.code, report.generated_at
    from infocenter.thai import thai_date

    # The book number is left to be written in by hand; the system code is in the footer.
    for want in (
        "บันทึกข้อความ",
        "ส่วนราชการสำนักงานทดสอบ NSW",
        "โทร. ๐ ๕๖๒๒ ๑๒๓๔",
        "ที่................/........",
        f"วันที่{thai_date(day)}",
        "เรื่องรายงานสถิติการให้บริการศูนย์ข้อมูลข่าวสาร ไตรมาสที่ ๒ ปีงบประมาณ ๒๕๖๓",
        "เรียนพัฒนาการจังหวัดนครสวรรค์",
        "(๑ มกราคม ๒๕๖๓ – ๓๑ มีนาคม ๒๕๖๓)",
        "จึงเรียนมาเพื่อโปรดทราบ",
        "(ลงชื่อ)",
        "ผู้จัดทำรายงาน",
        "ทราบ",
    ):
        assert flat(want) in layer, want
    assert flat(code) in layer and flat("หน้า ๑/") in layer and flat("สิ่งที่ส่งมาด้วย หน้า ๑/") in layer
    fonts = embedded_fonts(out)
    assert fonts and all(fonts.values()), fonts
    assert used_fonts(out) <= {"Sarabun-Regular", "Sarabun-Bold"}


def test_totals_equal_the_statistics_functions(app, runner, tmp_path, events):
    _, out = run_report(
        runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--office", "NSW"
    )
    layer = flat(pdftotext(out))
    with app.app_context():
        scope = Scope.quarter(Q2_2563, (events["a"],))
        visits = vs.visit_count(scope)
        online = {c.kind: c for c in on.online_totals(scope)}
        fees = vs.copies_and_fees(scope)
        months = on.walkin_vs_online_by_month(scope)
        types = vs.visits_by_visitor_type(scope)
        index_total = ix.total(scope)
        zero = on.searches_without_results(scope)
    assert visits == 5  # the register's hand count for office A (see test_stats_visits)
    assert flat(f"มีผู้มาใช้บริการที่ศูนย์ {th(visits)} ครั้ง") in layer
    for m in months:
        assert flat(f"{thai_digits(m.label)}{th(m.visits)}{th(m.online)}") in layer, m
    assert (
        flat(f"รวม{th(sum(m.visits for m in months))}{th(sum(m.online for m in months))}") in layer
    )
    for kind in ("search", "view", "download"):
        c = online[kind]
        assert flat(f"{c.label}{th(c.total)}{th(c.unique)}") in layer, kind
    assert flat(f"ค่าธรรมเนียมที่เรียกเก็บ (บาท){th(fees.fees_collected, 2)}") in layer
    assert flat(f"สำเนาทั้งหมด (หน้า){th(fees.pages_copied)}") in layer
    assert flat(f"การค้นหาที่ไม่พบผลลัพธ์ {th(zero)} ครั้ง") in layer
    rows = table_rows(out)
    assert [loose("รายการที่เปิดเผยทั้งหมด ณ สิ้นไตรมาส"), th(index_total.public_entries)] in rows
    # Every percentage has its n: ประชาชน 2 of 5 visits → 40.0% (n = 5).
    public = next(t for t in types if t.key == "public")
    assert (
        flat(
            f"{public.label}{th(public.count)}{th(100 * public.count / visits, 1)}% (n = "
            f"{th(visits)})"
        )
        in layer
    )


def test_small_groups_get_no_percentage(app, runner, tmp_path, events):
    # Office B had one visit: its tables show "– (n = ๑)", never "100.0%".
    _, out = run_report(
        runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--office", "NSW01"
    )
    layer = flat(pdftotext(out))
    assert flat("– (n = ๑)") in layer
    assert flat("๑๐๐.๐%") not in layer


def test_categories_with_code_and_full_thai_name(app, runner, tmp_path, events):
    from infocenter.catalogue.models import SECTION9

    _, out = run_report(
        runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--office", "NSW"
    )
    rows = table_rows(out)
    with app.app_context():
        categories = {c.key: c for c in ix.by_category(Scope.quarter(Q2_2563, (events["a"],)))}
    for code, name, _en in SECTION9:
        c = categories[code]
        # code, full Thai name, public entries, new this quarter, past review date
        want = [
            loose(thai_digits(code)),
            loose(name),
            th(c.public_entries),
            th(c.new_in_period),
            th(c.past_review),
        ]
        assert want in rows, code


def test_comparison_with_previous_quarter_and_year_before(app, runner, tmp_path, events):
    # Q3 2563 (Apr–Jun 2020): one visit and one view on 1 Apr; Q2 had 5 visits (n = ๕) → −80.0%.
    _, out = run_report(
        runner, tmp_path, "--fiscal-year", "2563", "--quarter", "3", "--office", "NSW"
    )
    layer = flat(pdftotext(out))
    assert flat("มาติดต่อที่ศูนย์๑๕-๘๐.๐% (n = ๕)๐– (n = ๐)") in layer


def test_all_offices_one_section_each_and_a_province_total(app, runner, tmp_path, events):
    _, out = run_report(
        runner, tmp_path, "--fiscal-year", "2563", "--quarter", "2", "--all", "--annexes"
    )
    layer = flat(pdftotext(out))
    assert flat("ภาพรวมจังหวัด (ทุกหน่วยงาน)") in layer
    assert flat("สำนักงานทดสอบ NSW:") in layer and flat("สำนักงานทดสอบ NSW01:") in layer
    with app.app_context():
        total = vs.visit_count(Scope.quarter(Q2_2563))
        report = db.session.scalars(select(Report)).one()
        assert report.all_offices and report.office_id is None
    assert total == 6
    assert flat(f"มีผู้มาใช้บริการที่ศูนย์ {th(total)} ครั้ง") in layer


def test_empty_quarter_gives_a_valid_report_saying_no_service(app, runner, tmp_path, events):
    _, out = run_report(
        runner, tmp_path, "--fiscal-year", "2560", "--quarter", "1", "--office", "NSW"
    )
    text = pdftotext(out)
    assert flat("ในไตรมาสนี้ไม่มีการให้บริการ") in flat(text)
    assert flat("บันทึกข้อความ") in flat(text)
    assert page_count(out) >= 1


def test_arabic_digits_option(app, runner, tmp_path, events):
    _, out = run_report(
        runner,
        tmp_path,
        "--fiscal-year",
        "2563",
        "--quarter",
        "2",
        "--office",
        "NSW",
        "--arabic-digits",
    )
    layer = flat(pdftotext(out))
    assert flat("มีผู้มาใช้บริการที่ศูนย์ 5 ครั้ง") in layer
    assert flat("ไตรมาสที่ 2 ปีงบประมาณ 2563") in layer


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fiscal-year", "2563", "--quarter", "2", "--office", "NOPE"], "ไม่พบสำนักงานรหัส NOPE"),
        (["--fiscal-year", "63", "--quarter", "2"], "ปีงบประมาณต้องเป็นปี พ.ศ."),
        (
            ["--fiscal-year", "2563", "--quarter", "2", "--office", "NSW", "--all"],
            "--office หรือ --all",
        ),
    ],
)
def test_cli_bad_input_says_what_to_do(app, runner, events, args, message):
    result = runner.invoke(args=["report", "quarterly", *args])
    assert result.exit_code != 0
    assert message in result.output
