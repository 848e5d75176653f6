"""The index from the staff side (create, edit, withdraw, files, audit, office scoping) and the
public side (entry pages, downloads, API, categories): what each role can see and do."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from infocenter.audit import history
from infocenter.catalogue.models import Category, EntryFile, IndexEntry
from infocenter.extensions import db
from tests.factories import category_id, entry_form, make_entry


def _pdf() -> bytes:
    from infocenter.demo.catalogue import _pdf as make

    return make("test document")


@pytest.fixture
def clerk(app, login_as, make_office):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    return office


def _only_entry(app) -> IndexEntry:
    with app.app_context():
        entry = db.session.scalars(select(IndexEntry)).one()
        db.session.expunge(entry)
        return entry


def test_create_edit_withdraw_with_audit(app, client, clerk):
    response = client.post("/staff/index/new", data=entry_form(app, clerk))
    assert response.status_code == 302
    entry = _only_entry(app)
    assert (entry.doc_date, entry.fiscal_year, entry.keywords) == (
        date(2020, 4, 29),
        2563,
        "แผน;งบประมาณ",
    )
    assert (
        entry.review_by is not None and entry.review_by > date.today()
    )  # a year after today's update
    assert client.get(f"/documents/{entry.id}").status_code == 200

    response = client.post(
        f"/staff/index/{entry.id}/edit", data=entry_form(app, clerk, title="แผนปฏิบัติการฉบับปรับปรุง")
    )
    assert response.status_code == 302
    response = client.post(f"/staff/index/{entry.id}/withdraw", data={"reason": "มีฉบับใหม่แทน"})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(IndexEntry, entry.id)
        assert stored.state == "withdrawn" and stored.withdrawn_reason == "มีฉบับใหม่แทน"
        log = history("IndexEntry", entry.id)
        assert [e.action for e in log] == ["create", "update", "update"]
        assert log[1].changes["title"] == ["แผนปฏิบัติการประจำปี ๒๕๖๗", "แผนปฏิบัติการฉบับปรับปรุง"]
        assert log[2].reason == "มีฉบับใหม่แทน" and log[2].changes["state"] == [
            "published",
            "withdrawn",
        ]
    # Withdrawn: kept for staff (with its history), gone for the public.
    page = client.get(f"/staff/index/{entry.id}").get_data(as_text=True)
    assert "มีฉบับใหม่แทน" in page and "ประวัติการแก้ไข" in page
    client.post("/logout")
    assert client.get(f"/documents/{entry.id}").status_code == 404


def test_bad_input_keeps_what_was_typed(app, client, clerk):
    response = client.post(
        "/staff/index/new", data=entry_form(app, clerk, doc_date="31/02/2563", title="ชื่อที่พิมพ์ไว้")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ไม่มีวันที่" in html and "ชื่อที่พิมพ์ไว้" in html and "31/02/2563" in html
    response = client.post("/staff/index/new", data=entry_form(app, clerk, disclosure="partial"))
    assert "กรุณาเลือกเหตุที่ปกปิด" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(IndexEntry.id)) is None


def _upload(client, entry_id, data: bytes, name: str):
    response = client.post(
        f"/staff/index/{entry_id}/files",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    # The test client spools big bodies to a temporary file that it never closes.
    response.request.environ["wsgi.input"].close()
    return response


def test_real_pdf_accepted_and_served_with_thai_name(app, client, clerk):
    entry_id = make_entry(app, clerk)
    response = _upload(client, entry_id, _pdf(), "คู่มือ บริการ.pdf")
    assert response.status_code == 302
    with app.app_context():
        file = db.session.scalars(select(EntryFile)).one()
        assert file.mime_type == "application/pdf" and file.original_name == "คู่มือ บริการ.pdf"
        assert file.stored_name.endswith(".pdf") and "คู่มือ" not in file.stored_name
        file_id = file.id
    client.post("/logout")
    with client.get(f"/documents/{entry_id}/files/{file_id}") as r:
        assert r.status_code == 200 and r.data.startswith(b"%PDF")
        disposition = r.headers["Content-Disposition"]
        assert "filename*=UTF-8''%E0%B8%84%E0%B8%B9%E0%B9%88" in disposition
        assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name,data,message",
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,
            "ไม่รับไฟล์ประเภทนี้",
        ),  # a renamed .exe
        ("notes.pdf", "ข้อความธรรมดา".encode() * 10, "ไม่รับไฟล์ประเภทนี้"),
        ("../../etc/passwd.pdf", None, "ชื่อไฟล์มีอักขระที่ไม่อนุญาต"),
        ("..\\..\\boot.pdf", None, "ชื่อไฟล์มีอักขระที่ไม่อนุญาต"),
    ],
)
def test_bad_files_refused(app, client, clerk, tmp_path, name, data, message):
    entry_id = make_entry(app, clerk)
    response = _upload(client, entry_id, data or _pdf(), name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(EntryFile.id)) is None
    assert not list((tmp_path / "uploads").rglob("*.pdf"))


@pytest.mark.app_config(MAX_UPLOAD_MB=1)
def test_oversized_file_refused(app, client, clerk):
    entry_id = make_entry(app, clerk)
    big = _pdf() + b"%" * (1024 * 1024 + 10)
    response = _upload(client, entry_id, big, "ใหญ่.pdf")
    assert response.status_code == 400
    assert "ไฟล์ใหญ่เกิน 1 MB" in response.get_data(as_text=True)
    # Far over the limit: the server stops reading and answers with the Thai 413 page.
    response = _upload(client, entry_id, big * 2, "ใหญ่มาก.pdf")
    assert response.status_code == 413 and "ไฟล์ใหญ่เกินกำหนด" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "draft"},
        {"state": "withdrawn"},
        {"disclosure": "closed", "withheld_ground": "15(5)"},
    ],
)
def test_non_public_entries_invisible_to_the_public(app, client, make_office, fields):
    office = make_office("NSW")
    entry_id = make_entry(app, office, title="เอกสารลับเฉพาะ", **fields)
    with app.app_context():
        file = EntryFile(
            entry_id=entry_id,
            original_name="ลับ.pdf",
            stored_name="abc.pdf",
            mime_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
        db.session.add(file)
        db.session.commit()
        file_id = file.id
    assert client.get(f"/documents/{entry_id}").status_code == 404
    assert client.get(f"/documents/{entry_id}/print").status_code == 404
    assert client.get(f"/documents/{entry_id}/files/{file_id}").status_code == 404
    assert client.get(f"/api/v1/documents/{entry_id}").status_code == 404
    assert client.get("/api/v1/documents?q=เอกสารลับ").get_json()["total"] == 0
    assert "เอกสารลับเฉพาะ" not in client.get("/search?q=เอกสาร").get_data(as_text=True)


def test_public_entry_page_print_view_and_categories(app, client, make_office):
    office = make_office("NSW")
    entry_id = make_entry(
        app,
        office,
        title="คู่มือการให้บริการ",
        doc_date=date(2020, 4, 29),
        disclosure="partial",
        withheld_ground="15(5)",
        ref="นว 0018/77",
    )
    html = client.get(f"/documents/{entry_id}").get_data(as_text=True)
    assert "๒๙ เมษายน ๒๕๖๓" in html and "แผนงาน โครงการ และงบประมาณรายจ่าย" in html
    assert "ข้อมูลข่าวสารส่วนบุคคล" in html and "นว 0018/77" in html
    assert "พิมพ์เมื่อ" in client.get(f"/documents/{entry_id}/print").get_data(as_text=True)
    cats = client.get("/categories").get_data(as_text=True)
    assert "มาตรา ๙(๓)" in cats and "สรุปผลการจัดซื้อจัดจ้างรายเดือน" in cats
    assert 'href="/search?category=9%283%29"' in cats or "category=9(3)" in cats


def test_api(app, client, make_office):
    office = make_office("NSW")
    first = make_entry(app, office, title="แผนปฏิบัติการ ก", doc_date=date(2024, 1, 1), ref="R1")
    second = make_entry(app, office, title="แผนปฏิบัติการ ข", doc_date=date(2024, 2, 1))
    data = client.get("/api/v1/documents?q=แผนปฏิบัติการ&per_page=1").get_json()
    assert data["total"] == 2 and data["page"] == 1 and data["per_page"] == 1
    item = data["items"][0]
    assert item["id"] == second and set(item) == {
        "id",
        "ref",
        "title",
        "summary",
        "category",
        "office",
        "date",
        "fiscal_year",
        "url",
        "files",
    }
    assert item["category"] == "9(3)" and item["office"] == "NSW" and item["date"] == "2024-02-01"
    assert item["fiscal_year"] == 2567 and item["url"].endswith(f"/documents/{second}")
    assert client.get("/api/v1/documents?per_page=100000").get_json()["per_page"] == 100
    detail = client.get(f"/api/v1/documents/{first}").get_json()
    assert detail["ref"] == "R1" and detail["category_name"].startswith("แผนงาน")
    cats = client.get("/api/v1/categories").get_json()["items"]
    assert {c["code"]: c["count"] for c in cats}["9(3)"] == 2
    assert client.get("/api/v1/documents/999999").get_json()["error"]["code"] == 404


def test_office_scoping_for_district_clerk(app, client, login_as, make_office):
    province = make_office("NSW")
    district = make_office("NSW01", kind="district", parent_id=province)
    other = make_entry(app, province, title="ของจังหวัด", state="draft")
    own = make_entry(app, district, title="ของอำเภอ", state="draft")
    login_as("clerk", office_id=district)
    listing = client.get("/staff/index").get_data(as_text=True)
    assert "ของอำเภอ" in listing and "ของจังหวัด" not in listing
    assert client.get(f"/staff/index/{other}").status_code == 404
    assert client.get(f"/staff/index/{own}").status_code == 200
    response = client.post("/staff/index/new", data=entry_form(app, province))
    assert response.status_code == 200  # the province is not among the choices
    with client.get("/staff/index/export?format=csv") as r:
        text = r.data.decode("utf-8-sig")
    assert "ของอำเภอ" in text and "ของจังหวัด" not in text


def test_supervisor_reads_but_does_not_edit(app, client, login_as, make_office):
    office = make_office("NSW")
    entry_id = make_entry(app, office)
    login_as("supervisor", office_id=office)
    assert client.get(f"/staff/index/{entry_id}").status_code == 200
    assert client.get("/staff/index/completeness").status_code == 200
    assert client.post(f"/staff/index/{entry_id}/withdraw", data={"reason": "x"}).status_code == 403
    assert client.get(f"/staff/index/{entry_id}/edit").status_code == 403


def test_completeness_page_shows_counts_and_gaps(app, client, login_as, make_office):
    office = make_office("NSW")
    make_entry(app, office, title="แผน", review_by=date(2000, 1, 1))
    login_as("supervisor", office_id=office)
    html = client.get("/staff/index/completeness").get_data(as_text=True)
    assert "หมวดที่ยังไม่มีรายการเปิดเผย" in html and "มาตรา ๙(๑)" in html
    assert 'text-danger fw-bold">1<' in html  # one entry past its review date


def test_admin_edits_category_and_adds_9_8_sub_item(app, client, login_as):
    login_as("admin")
    cat = category_id(app, "9(3)")
    response = client.post(
        f"/staff/index/categories/{cat}/edit",
        data={
            "code": "9(99)",
            "name_th": "แผนงาน โครงการ",
            "name_en": "",
            "review_months": 6,
            "sort_order": 30,
            "active": "y",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/staff/index/categories/new",
        data={
            "code": "9(8).4",
            "name_th": "รายงานผลการดำเนินงานประจำปี",
            "name_en": "Annual report",
            "review_months": 12,
            "sort_order": 84,
            "active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        changed = db.session.get(Category, cat)
        assert changed.code == "9(3)" and changed.review_months == 6  # the legal code stays
        sub = db.session.scalar(select(Category).where(Category.code == "9(8).4"))
        assert sub.parent.code == "9(8)" and sub.section == "9(8)"
    response = client.post(
        "/staff/index/categories/new", data={"code": "10(1)", "name_th": "x", "review_months": 12}
    )
    assert "ต้องมีรหัสขึ้นต้นด้วย 9(8)." in response.get_data(as_text=True)


def test_demo_seeder_makes_searchable_entries_and_clears_them(app):
    import random

    from infocenter.demo import SeedContext, core
    from infocenter.demo import catalogue as demo_catalogue

    with app.app_context():
        ctx = SeedContext(rng=random.Random(1), documents=300, echo=lambda *_: None)
        core.seed(ctx)
        demo_catalogue.seed(ctx)
        db.session.commit()
        ids = ctx.extra["document_ids"]
        assert (
            len(ids) == 300 and len(ctx.extra["public_document_ids"]) == demo_catalogue.DEMO_FILES
        )
        # Bulk-inserted rows are normalised and indexed like any other.
        total = search_entries_total("จัดซื้อ")
        assert 0 < total < 300
        entry = db.session.get(IndexEntry, ctx.extra["public_document_ids"][0])
        assert entry.files and entry.files[0].mime_type == "application/pdf"
        months = {e.created_at.strftime("%Y-%m") for e in db.session.scalars(select(IndexEntry))}
        assert len(months) >= 10  # spread over the twelve months
        demo_catalogue.clear(ctx)
        core.clear(ctx)
        db.session.commit()
        assert db.session.scalar(select(IndexEntry.id)) is None
        assert search_entries_total("จัดซื้อ") == 0


def search_entries_total(query: str) -> int:
    from infocenter.catalogue.search import search_entries

    return search_entries(query).total


def test_restore_withdrawn_and_delete_file(app, client, clerk, tmp_path):
    entry_id = make_entry(app, clerk, state="withdrawn", withdrawn_reason="ผิดพลาด")
    assert client.post(f"/staff/index/{entry_id}/restore").status_code == 302
    assert _upload(client, entry_id, _pdf(), "ไฟล์.pdf").status_code == 302
    with app.app_context():
        assert db.session.get(IndexEntry, entry_id).state == "draft"
        file_id = db.session.scalar(select(EntryFile.id))
    assert len(list((tmp_path / "uploads").rglob("*.pdf"))) == 1
    assert client.post(f"/staff/index/{entry_id}/files/{file_id}/delete").status_code == 302
    assert not list((tmp_path / "uploads").rglob("*.pdf"))
    with app.app_context():
        assert db.session.scalar(select(EntryFile.id)) is None
        assert [e.action for e in history("EntryFile", file_id)] == ["create", "delete"]
