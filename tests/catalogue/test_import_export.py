"""Import (CLI and staff page) and export of the index: all or nothing, row numbers in Thai,
CSV with or without BOM and XLSX, and export → import round trips."""

import io
import shutil
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from infocenter.catalogue.models import IndexEntry
from infocenter.catalogue.search import search_entries
from infocenter.extensions import db

SAMPLE = Path("/work/shared/samples/index_sample.csv")
HEADER = "ref,title,category,date,summary,keywords,location\n"


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(IndexEntry.id)))


def _sample(tmp_path) -> Path:
    path = tmp_path / "index_sample.csv"
    if SAMPLE.exists():
        shutil.copy(SAMPLE, path)
    else:  # the same rows, for a checkout without the shared samples folder
        path.write_text(
            HEADER + "นว 0018/9002,แผนปฏิบัติการศูนย์ข้อมูลข่าวสาร ปีงบประมาณ ๒๕๖๔,9(3),2020-10-05,,"
            "แผนปฏิบัติการ;ศูนย์ข้อมูลข่าวสาร,แฟ้ม 1 ชั้น A\n",
            encoding="utf-8",
        )
    return path


def _set_up(runner) -> None:
    """A fresh installation's setup: the main office from the settings (issue 19: an import no
    longer makes it on the way)."""
    assert runner.invoke(args=["offices", "setup"]).exit_code == 0


def test_cli_imports_sample_on_a_fresh_database(app, runner, tmp_path):
    path = _sample(tmp_path)
    rows = len(path.read_text(encoding="utf-8-sig").strip().splitlines()) - 1
    _set_up(runner)
    result = runner.invoke(args=["index", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"นำเข้าแล้ว {rows} รายการ" in result.output
    assert _count(app) == rows
    with app.app_context():
        entry = db.session.scalar(select(IndexEntry).where(IndexEntry.ref == "นว 0018/9002"))
        assert (
            entry.category.code == "9(3)"
            and entry.doc_date == date(2020, 10, 5)
            and entry.fiscal_year == 2564
        )
        assert (
            entry.state == "published"
            and entry.disclosure == "open"
            and entry.location == "แฟ้ม 1 ชั้น A"
        )
        assert entry.keyword_list == ["แผนปฏิบัติการ", "ศูนย์ข้อมูลข่าวสาร"]
        # Imported entries are searchable at once.
        assert search_entries("แผนปฏิบัติการศูนย์").total == 1


def test_cli_refuses_bad_rows_with_numbers_and_imports_nothing(app, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "\ufeff"
        + HEADER
        + "1,แผนงานดี,9(3),2020-10-05,,,\n"
        + "2,,9(3),2020-10-05,,,\n"  # row 3: no title
        + "3,หมวดผิด,9(12),2020-10-05,,,\n"  # row 4: unknown category
        + "4,วันผิด,๙(๑),31/02/2563,,,\n"  # row 5: no such date
        + "5,ดีอีกแถว,๙(๘),29 เม.ย. 2563,,,\n",
        encoding="utf-8",
    )
    _set_up(runner)
    result = runner.invoke(args=["index", "import", str(path)])
    assert result.exit_code != 0
    assert "แถวที่ 3: ไม่มีชื่อเรื่อง" in result.output
    assert "แถวที่ 4: ไม่รู้จักหมวด “9(12)”" in result.output
    assert "แถวที่ 5: ไม่มีวันที่ “31/02/2563” ในปฏิทิน" in result.output
    assert "ยังไม่ได้นำเข้าข้อมูลใด ๆ" in result.output
    assert "แถวที่ 2" not in result.output and "แถวที่ 6" not in result.output
    assert _count(app) == 0


def test_cli_dry_run_office_and_formats(app, runner, tmp_path, make_office):
    make_office("NSW")
    make_office("NSW05", kind="district")
    path = tmp_path / "plain.csv"  # no BOM, Thai digits, BE dates, Thai category code
    path.write_text(HEADER + "นว ๑/๒๕๖๓,คู่มือประชาชน,๙(๔),๒๙/๐๔/๒๕๖๓,สรุป,ก;ข,ตู้ ๑\n", encoding="utf-8")
    result = runner.invoke(args=["index", "import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "นำเข้าได้ 1 รายการ" in result.output
    assert _count(app) == 0
    result = runner.invoke(args=["index", "import", str(path), "--office", "nsw05"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalars(select(IndexEntry)).one()
        assert (
            entry.office.code == "NSW05"
            and entry.doc_date == date(2020, 4, 29)
            and entry.category.code == "9(4)"
        )
    result = runner.invoke(args=["index", "import", str(path), "--office", "XXX"])
    assert result.exit_code != 0 and "ไม่พบสำนักงานรหัส XXX" in result.output
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(HEADER.encode() + "x,\xe9t\xe9,9(1),,,,\n".encode("latin-1"))
    result = runner.invoke(args=["index", "import", str(bad)])
    assert result.exit_code != 0 and "UTF-8" in result.output


def test_xlsx_import(app, runner, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "ref",
            "title",
            "category",
            "date",
            "summary",
            "keywords",
            "location",
            "disclosure",
            "withheld_ground",
        ]
    )
    sheet.append(
        ["ก 1", "สัญญาเช่าพื้นที่", "9(6)", date(2024, 1, 15), "", "สัญญา", "แฟ้ม 9", "partial", "15(6)"]
    )
    sheet.append([None, None, None, None, None, None, None, None, None])  # blank rows are skipped
    path = tmp_path / "index.xlsx"
    book.save(path)
    _set_up(runner)
    result = runner.invoke(args=["index", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalars(select(IndexEntry)).one()
        assert (entry.doc_date, entry.disclosure, entry.withheld_ground) == (
            date(2024, 1, 15),
            "partial",
            "15(6)",
        )


def test_export_import_round_trip(app, runner, tmp_path, make_office):
    make_office("NSW")
    source = _sample(tmp_path)
    assert runner.invoke(args=["index", "import", str(source)]).exit_code == 0
    with app.app_context():
        first = db.session.scalars(select(IndexEntry).order_by(IndexEntry.id)).first()
        first.state, first.disclosure, first.withheld_ground = "draft", "partial", "15(5)"
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
                )
                for e in db.session.scalars(select(IndexEntry))
            )

    before = snapshot()
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"export.{fmt}"
        result = runner.invoke(args=["index", "export", "--format", fmt, str(out)])
        assert result.exit_code == 0, result.output
        with app.app_context():
            db.session.execute(IndexEntry.__table__.delete())
            db.session.commit()
        result = runner.invoke(args=["index", "import", str(out)])
        assert result.exit_code == 0, result.output
        assert snapshot() == before


def test_staff_page_previews_then_imports(app, client, login_as, make_office, tmp_path):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    data = (HEADER + "1,แผนปฏิบัติการ,9(3),2020-10-05,,,\n2,คู่มือ,9(4),,,,\n").encode("utf-8-sig")
    response = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(data), "index.csv"), "office_id": office},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and "ตัวอย่างสิ่งที่จะนำเข้า (2 รายการ)" in html
        and "แผนปฏิบัติการ" in html
    )
    assert _count(app) == 0  # nothing until confirmed
    response = client.post("/staff/index/import/confirm")
    assert response.status_code == 302 and _count(app) == 2
    # A file with a bad row: the errors, and no confirm button.
    bad = (HEADER + "1,,9(3),,,,\n").encode()
    html = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(bad), "bad.csv"), "office_id": office},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "แถวที่ 2: ไม่มีชื่อเรื่อง" in html and "ยืนยันนำเข้า" not in html
    wrong = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(b"x"), "index.txt"), "office_id": office},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "ไม่พบคอลัมน์ ชื่อเรื่อง, หมวด" in wrong  # read by content: a one-column text file
    with client.get("/staff/index/export?format=xlsx") as r:
        assert r.status_code == 200 and r.data[:2] == b"PK"
    assert _count(app) == 2


def test_checked_files_never_confirmed_are_deleted(app, client, login_as, make_office):
    """A checked import waits for its confirmation a day at most, and one person's second check
    replaces the first: files that may hold unpublished entries do not pile up in UPLOAD_DIR."""
    import os
    import time

    office = make_office("NSW")
    login_as("clerk", office_id=office)
    imports = Path(app.config["UPLOAD_DIR"]) / "imports"

    def check(title: str):
        data = (HEADER + f"1,{title},9(3),2020-10-05,,,\n").encode()
        response = client.post(
            "/staff/index/import",
            data={"file": (io.BytesIO(data), "index.csv"), "office_id": office},
            content_type="multipart/form-data",
        )
        assert "ยืนยันนำเข้า" in response.get_data(as_text=True)

    check("แผนฉบับแรก")
    check("แผนฉบับที่สอง")
    assert len(list(imports.iterdir())) == 1  # the first check's file is gone
    stale = imports / ("0" * 32)  # someone else's, checked two days ago and forgotten
    stale.write_bytes(b"ref,title\n")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    check("แผนฉบับที่สาม")
    assert not stale.exists() and len(list(imports.iterdir())) == 1
    # This person's own check, left a day and more before confirming: refused, nothing imported.
    mine = next(imports.iterdir())
    os.utime(mine, (two_days_ago, two_days_ago))
    response = client.post("/staff/index/import/confirm", follow_redirects=True)
    assert "ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาเลือกไฟล์และตรวจสอบใหม่อีกครั้ง" in response.get_data(as_text=True)
    assert _count(app) == 0 and not mine.exists()
