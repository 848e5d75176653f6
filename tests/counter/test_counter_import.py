"""Importing a past register: CSV and XLSX, all rows or none, errors with row numbers in Thai."""

from __future__ import annotations

import io

from openpyxl import Workbook

from infocenter.counter.models import Visit
from infocenter.extensions import db
from infocenter.thai import to_local
from tests.factories import REGISTER_HEADER, REGISTER_ROWS, csv_bytes


def count_visits(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Visit.id)))


def test_csv_import_through_the_staff_page(app, client, login_as, lists):
    login_as("clerk")
    response = client.post(
        "/counter/import",
        data={"file": (io.BytesIO(csv_bytes(REGISTER_ROWS)), "register.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "นำเข้าทะเบียนแล้ว 3 รายการ" in response.get_data(as_text=True)
    with app.app_context():
        visits = db.session.scalars(db.select(Visit).order_by(Visit.visited_at)).all()
        assert all(v.backdated and v.source == "import" for v in visits)
        first, second, third = visits
        assert to_local(first.visited_at).strftime("%Y-%m-%d %H:%M") == "2020-01-05 09:15"
        assert first.satisfaction == 5 and len(first.entry_ids) == 1
        # No time given: noon, on the right day.
        assert to_local(second.visited_at).strftime("%Y-%m-%d %H:%M") == "2020-01-06 12:00"
        assert (second.channel, second.pages_copied, second.pages_certified, second.fee_satang) == (
            "phone",
            4,
            1,
            1100,
        )
        assert second.fee_waived and second.visitor_name == "นายก ข" and len(second.entry_ids) == 2
        assert (third.channel, third.outcome) == ("email", "referred")


def test_one_bad_row_imports_nothing_and_names_the_rows(app, client, login_as, lists):
    login_as("clerk")
    bad = REGISTER_ROWS + [
        "32/01/2563,,ประชาชน,ตรวจดูข้อมูล,,,,,,,,,,,,",
        "08/01/2563,,มนุษย์ต่างดาว,ตรวจดูข้อมูล,,,,2,3,,,,,,9,",
    ]
    response = client.post(
        "/counter/import",
        data={"file": (io.BytesIO(csv_bytes(bad)), "register.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "ยังไม่ได้นำเข้า" in page
    assert "แถวที่ 6: ไม่มีวันที่" in page
    assert "แถวที่ 7: ไม่รู้จักประเภทผู้ใช้บริการ “มนุษย์ต่างดาว”" in page
    assert "แถวที่ 7: ความพึงพอใจ “9” ต้องเป็นเลข 1 ถึง 5" in page
    assert count_visits(app) == 0


def test_xlsx_import_from_the_command_line(app, runner, lists, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(REGISTER_HEADER.split(","))
    from datetime import datetime

    sheet.append(
        [
            datetime(2020, 2, 3, 10, 30),
            None,
            "นิติบุคคล/ผู้ประกอบการ",
            "ขอสำเนารับรอง",
            None,
            None,
            "นว 0017/2",
            2,
            2,
            "A4",
            None,
            None,
            None,
            None,
            4,
            None,
        ]
    )
    path = tmp_path / "register.xlsx"
    book.save(path)
    result = runner.invoke(args=["counter", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "นำเข้าแล้ว 1 รายการ" in result.output
    with app.app_context():
        visit = db.session.scalars(db.select(Visit)).one()
        assert to_local(visit.visited_at).strftime("%Y-%m-%d %H:%M") == "2020-02-03 10:30"
        assert visit.fee_satang == 2 * 100 + 2 * 500


def test_missing_columns_and_wrong_file_type(app, runner, lists, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("ชื่อ,ติดต่อ\nก,ข\n", encoding="utf-8")
    result = runner.invoke(args=["counter", "import", str(path)])
    assert result.exit_code != 0
    assert "แถวที่ 1: ไม่พบคอลัมน์ วันที่, ประเภทผู้ใช้บริการ, วัตถุประสงค์" in result.output
    other = tmp_path / "register.pdf"
    other.write_bytes(b"%PDF-1.4")
    result = runner.invoke(args=["counter", "import", str(other)])
    assert "ไฟล์นี้ไม่ใช่ตาราง รับเฉพาะไฟล์ .csv, .xlsx หรือ .xls" in result.output  # told by content
    assert count_visits(app) == 0


def test_upload_without_a_file_says_what_to_do(app, client, login_as, lists):
    login_as("admin")
    response = client.post("/counter/import", data={}, content_type="multipart/form-data")
    assert "กรุณาเลือกไฟล์ทะเบียน" in response.get_data(as_text=True)
