"""The printed index: cover page with office and date, entries grouped by Section 9 category with
reference, title, BE date, location and a QR code that opens the entry's page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from infocenter.admin.models import Office
from infocenter.catalogue.models import SECTION9, Category, IndexEntry
from infocenter.extensions import db
from infocenter.reports.printed_index import build_index_pdf, entry_url
from infocenter.thai import local_today, thai_date, thai_digits
from tests.pdfread import embedded_fonts, flat, loose, pdftotext, table_rows


@pytest.fixture
def index_data(app, make_office):
    a = make_office("NSW", kind="province")
    b = make_office("NSW01", kind="district", parent_id=a)
    with app.app_context():
        cat = {c.code: c.id for c in db.session.scalars(db.select(Category))}
        rows = [
            (
                a,
                "9(3)",
                "นว 0017/101",
                "แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2563",
                date(2019, 10, 1),
                "แฟ้ม 3 ชั้น 1",
                "published",
                "open",
            ),
            (
                a,
                "9(8).1",
                "สขร.1/2563",
                "สรุปผลการจัดซื้อจัดจ้างประจำเดือนเมษายน",
                date(2020, 5, 5),
                "แฟ้ม 8",
                "published",
                "partial",
            ),
            (
                a,
                "9(1)",
                "นว 0017/555",
                "คำสั่งที่ไม่เปิดเผย",
                date(2020, 1, 1),
                "ตู้ 1",
                "published",
                "closed",
            ),
            (a, "9(1)", "นว 0017/556", "ร่างที่ยังไม่เผยแพร่", date(2020, 1, 1), "ตู้ 1", "draft", "open"),
            (
                b,
                "9(4)",
                "นว 0117/1",
                "คู่มือการให้บริการของอำเภอ",
                date(2020, 2, 2),
                "ตู้ อ.1",
                "published",
                "open",
            ),
        ]
        for office, code, ref, title, d, loc, state, disclosure in rows:
            db.session.add(
                IndexEntry(
                    office_id=office,
                    category_id=cat[code],
                    ref=ref,
                    title=title,
                    doc_date=d,
                    location=loc,
                    state=state,
                    disclosure=disclosure,
                )
            )
        db.session.commit()
    return {"a": a, "b": b}


@pytest.mark.app_config(PUBLIC_BASE_URL="https://info.example.go.th")
def test_printed_index_pdf(app, tmp_path, index_data):
    out = tmp_path / "index.pdf"
    with app.app_context():
        office = db.session.get(Office, index_data["a"])
        build_index_pdf(str(out), office=office)
        ids = {e.ref: e.id for e in db.session.scalars(db.select(IndexEntry))}
        url = entry_url(ids["นว 0017/101"])
    text = pdftotext(out)
    layer = flat(text)
    # Cover: title, office, date.
    for want in (
        "ดัชนีข้อมูลข่าวสาร",
        "ศูนย์ข้อมูลข่าวสารสำนักงานทดสอบ NSW",
        f"ข้อมูล ณ วันที่ {thai_date(local_today())}",
    ):
        assert flat(want) in layer, want
    # Every Section 9 category has its heading with code and full name.
    for code, name, _en in SECTION9:
        assert flat(f"หมวด {thai_digits(code)} {name}") in layer, code
    rows = table_rows(out)
    # Reference, title, BE date, location; a 9(8) sub-item listed under 9(8) with its own code.
    assert [
        loose("๑"),
        loose("นว ๐๐๑๗/๑๐๑"),
        loose("แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2563"),
        loose("1 ต.ค. ๒๕๖๒".replace("1", "๑")),
        loose("แฟ้ม ๓ ชั้น ๑"),
        "",
    ] in rows
    assert any(loose("สรุปผลการจัดซื้อจัดจ้างประจำเดือนเมษายน (๙(๘).๑)") in r for r in rows)
    # Not public, drafts and other offices' entries are left out.
    for hidden in ("คำสั่งที่ไม่เปิดเผย", "ร่างที่ยังไม่เผยแพร่", "คู่มือการให้บริการของอำเภอ"):
        assert flat(hidden) not in layer
    assert url == f"https://info.example.go.th/documents/{ids['นว 0017/101']}"
    assert all(embedded_fonts(out).values())
    assert_qr_codes_open(out, url)


def assert_qr_codes_open(path, url):
    """A QR code (vector modules) is drawn on the pages with entries, and none where a category is
    empty."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = [
            (loose(page.extract_text() or ""), len([r for r in page.rects if r["fill"]]))
            for page in pdf.pages
        ]

    def modules(code: str) -> int:
        return next(n for text, n in pages if text.startswith(loose(f"หมวด {code}")))

    assert modules("๙(๓)") > 100 and modules("๙(๘)") > 100
    assert modules("๙(๑)") == 0


@pytest.mark.app_config(PUBLIC_BASE_URL="https://info.example.go.th")
def test_staff_button_downloads_the_printed_index(app, client, login_as, index_data):
    login_as("clerk", office_id=index_data["a"])
    with client.get(f"/reports/printed-index.pdf?office={index_data['a']}") as r:
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert r.data.startswith(b"%PDF")
    # A district clerk cannot print another office's index.
    client.post("/logout")
    login_as("clerk", office_id=index_data["b"])
    with client.get(f"/reports/printed-index.pdf?office={index_data['a']}") as r:
        assert r.status_code == 302


@pytest.mark.app_config(PUBLIC_BASE_URL="https://info.example.go.th")
def test_flask_index_print_writes_the_office_index(app, runner, tmp_path, index_data):
    out = tmp_path / "out" / "index.pdf"
    result = runner.invoke(args=["index", "print", "--office", "NSW01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and not (tmp_path / "out" / "index.pdf.part").exists()
    layer = flat(pdftotext(out))
    assert flat("ดัชนีข้อมูลข่าวสาร") in layer and flat("ศูนย์ข้อมูลข่าวสารสำนักงานทดสอบ NSW01") in layer
    assert flat("คู่มือการให้บริการของอำเภอ") in layer
    assert flat("แผนปฏิบัติราชการ") not in layer  # office NSW's entry
    # Without --office: the main office (the provincial one); with --all: every office.
    result = runner.invoke(args=["index", "print", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert flat("แผนปฏิบัติราชการ") in flat(pdftotext(out)) and flat(
        "คู่มือการให้บริการของอำเภอ"
    ) not in flat(pdftotext(out))
    result = runner.invoke(args=["index", "print", "--all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    both = flat(pdftotext(out))
    assert flat("แผนปฏิบัติราชการ") in both and flat("คู่มือการให้บริการของอำเภอ") in both


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--office", "NOPE"], "ไม่พบสำนักงานรหัส NOPE"),
        (["--office", "NSW", "--all"], "ใช้ --office หรือ --all อย่างใดอย่างหนึ่ง"),
    ],
)
def test_flask_index_print_bad_office_says_what_to_do(
    app, runner, tmp_path, index_data, args, message
):
    out = tmp_path / "index.pdf"
    result = runner.invoke(args=["index", "print", *args, "--out", str(out)])
    assert result.exit_code != 0
    assert message in result.output and not out.exists()


def test_flask_index_print_needs_out(app, runner, index_data):
    result = runner.invoke(args=["index", "print"])
    assert result.exit_code != 0 and "--out" in result.output


@pytest.mark.parametrize(
    "base", ["", "http://localhost:5000", "http://127.0.0.1", "https://[::1]/"]
)
def test_no_public_base_url_refuses_instead_of_printing_dead_qr_codes(
    app, client, runner, login_as, tmp_path, index_data, base
):
    app.config["PUBLIC_BASE_URL"] = base
    login_as("clerk", office_id=index_data["a"])
    r = client.get(f"/reports/printed-index.pdf?office={index_data['a']}", follow_redirects=True)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "PUBLIC_BASE_URL" in page and "คิวอาร์โค้ดในดัชนี" in page, page[page.find("<main") :][:1500]
    out = tmp_path / "index.pdf"
    result = runner.invoke(args=["index", "print", "--out", str(out)])
    assert result.exit_code != 0 and "PUBLIC_BASE_URL" in result.output and not out.exists()


@pytest.mark.app_config(
    PUBLIC_BASE_URL="https://info.example.go.th/",
    PRINTED_INDEX_INLINE_MAX=0,
    REPORT_JOBS_INLINE=False,
)
def test_large_index_is_built_in_the_background_and_kept_until_an_entry_changes(
    app, client, login_as, index_data
):
    from infocenter.reports.jobs import wait_for_background

    login_as("clerk", office_id=index_data["a"])
    url = f"/reports/printed-index.pdf?office={index_data['a']}"
    first = client.get(url)
    assert first.status_code == 302 and "/reports/jobs/" in first.location
    status_url = first.location
    wait_for_background()
    page = client.get(status_url).get_data(as_text=True)
    assert "ดัชนีข้อมูลข่าวสารของ" in page and "เสร็จแล้ว" in page
    download = re.search(r'href="([^"]*/file)"', page).group(1)
    with client.get(download) as ready:
        assert ready.status_code == 200 and ready.mimetype == "application/pdf"
        pdf = ready.data
    files = list((Path(app.config["REPORTS_DIR"]) / "printed-index").glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == pdf
    text = flat(pdftotext(files[0]))
    assert flat("แผนปฏิบัติราชการ") in text
    with client.get(url) as again:  # nothing changed: the same file, no new build
        assert again.status_code == 200 and again.data == pdf
    with app.app_context():
        entry = db.session.scalar(db.select(IndexEntry).where(IndexEntry.ref == "นว 0017/101"))
        entry.title = "แผนปฏิบัติราชการฉบับแก้ไข"
        db.session.commit()
    again = client.get(url)  # an entry changed: made again, by a new job
    assert again.status_code == 302 and again.location != status_url
    wait_for_background()
    with client.get(url) as changed:
        assert changed.status_code == 200
    files = list((Path(app.config["REPORTS_DIR"]) / "printed-index").glob("*.pdf"))
    assert len(files) == 1 and flat("ฉบับแก้ไข") in flat(pdftotext(files[0]))


def test_qr_codes_are_the_standard_codes_of_the_entry_urls():
    """Same modules as the qrcode library's own rendering of the URL with the chosen mask."""
    import qrcode

    from infocenter.reports.printed_index import QR_MASK, _qr_path, qr_matrix, qr_version

    url = "https://info.example.go.th/documents/123"
    version = qr_version([url, "https://info.example.go.th/documents/99999"])
    matrix = qr_matrix(url, version)
    code = qrcode.QRCode(
        version=version,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=0,
        mask_pattern=QR_MASK,
    )
    code.add_data(url)
    code.make(fit=False)
    assert [list(r) for r in matrix] == code.get_matrix()
    assert len(matrix) == 17 + 4 * version
    dark = sum(sum(r) for r in matrix)
    assert sum(int(op.split()[2]) for op in _qr_path(matrix).splitlines()) == dark


@pytest.mark.parametrize(
    "text, width",
    [
        ("ประกาศผลการคัดเลือกทุนการศึกษาบุตรผู้นำชุมชน ปี ๒๕๗๐", 170),  # a title, 6.2 cm
        ("คำสั่งทางปกครอง เรื่องเงินกองทุน อำเภอไพศาลี", 120),
        ("นว ๐๐๑๐/๙", 60),  # a reference in the 2.6 cm column
        ("แฟ้ม ๑๔ ชั้น D", 45),  # a location in the narrow column
    ],
)
def test_cell_lines_fit_and_break_between_words(text, width):
    from reportlab.pdfbase import pdfmetrics

    from infocenter import pdf
    from infocenter.reports.printed_index import break_lines

    pdf.register_fonts()
    lines = break_lines(text, pdf.FONT, 12, width)
    tokens = [t for t in pdf.break_tokens(text) if not t.isspace()]
    boundaries, at = set(), 0
    for token in tokens:
        at += len(token)
        boundaries.add(at)
    read, joined = 0, ""
    for line, line_width in lines:
        assert line == line.strip() and line
        assert line_width == pytest.approx(pdfmetrics.stringWidth(line, pdf.FONT, 12))
        assert line_width <= width  # nothing drawn past the cell
        joined += line.replace(" ", "")
        read += len(line.replace(" ", ""))
        assert read in boundaries  # every break between two words, never inside one
    assert joined == text.replace(" ", "")


def test_a_word_wider_than_the_cell_is_cut_between_character_clusters():
    from infocenter import pdf
    from infocenter.reports.printed_index import break_lines

    pdf.register_fonts()
    lines = break_lines("ประชาสัมพันธ์", pdf.FONT, 12, 30)
    assert len(lines) > 1 and "".join(line for line, _ in lines) == "ประชาสัมพันธ์"
    for line, _ in lines:  # a mark never starts a line: it stays on its consonant
        assert line[0] not in "ัิีึืุู่้๊๋์็"


def test_only_text_with_marks_goes_through_the_shaper():
    from infocenter.pdf.layout import _needs_shaping

    assert _needs_shaping("แฟ้ม ๑๔ ชั้น") and _needs_shaping("คำ") and _needs_shaping("ปี")
    assert not _needs_shaping("นว ๐๐๑๐/๙") and not _needs_shaping("๗ ธ.ค. ๒๕๖๙")
    assert not _needs_shaping("IDX-ALL-2569") and not _needs_shaping("")
