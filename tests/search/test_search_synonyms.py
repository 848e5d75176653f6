"""The synonyms page under the index admin: administrators add, edit, delete, export and import
groups of equivalent search terms; every change is audited and the search follows it at once."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from infocenter.audit import AuditEntry
from infocenter.catalogue.search import search_entries
from infocenter.catalogue.synonyms import SearchSynonym, expand
from infocenter.extensions import db
from tests.factories import make_entry


def test_an_administrator_adds_a_group_and_search_follows(app, client, login_as, make_office):
    make_entry(
        app,
        make_office("NSW"),
        "คู่มือการใช้งานระบบสารบรรณอิเล็กทรอนิกส์",
        category="9(4)",
        doc_date=date(2024, 1, 1),
    )
    login_as("admin")
    with app.app_context():
        assert search_entries("e-saraban").total == 0
    page = client.get("/staff/index/synonyms").get_data(as_text=True)
    assert "อบต." in page and "องค์การบริหารส่วนตำบล" in page  # the seed
    response = client.post(
        "/staff/index/synonyms/new",
        data={"terms": "e-saraban ; สารบรรณอิเล็กทรอนิกส์", "note": "ระบบสารบรรณ"},
    )
    assert response.status_code == 302
    with app.app_context():
        page = search_entries("e-saraban")
        assert page.total == 1 and page.added_forms == ["สารบรรณอิเล็กทรอนิกส์"]
        group = db.session.scalar(select(SearchSynonym).where(SearchSynonym.note == "ระบบสารบรรณ"))
        assert group.terms == "e-saraban;สารบรรณอิเล็กทรอนิกส์"
        assert db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.record_type == "SearchSynonym", AuditEntry.record_id == str(group.id)
            )
        )
        group_id = group.id
    client.post(f"/staff/index/synonyms/{group_id}/delete")
    with app.app_context():
        assert search_entries("e-saraban").total == 0


def test_one_word_is_refused_with_a_thai_message_keeping_the_input(client, login_as):
    login_as("admin")
    response = client.post("/staff/index/synonyms/new", data={"terms": "อบต.", "note": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "อย่างน้อยสองคำ" in html and 'value="อบต."' in html


def test_csv_round_trips_and_a_bad_file_changes_nothing(app, client, login_as):
    login_as("admin")
    exported = client.get("/staff/index/synonyms.csv")
    assert exported.mimetype == "text/csv"
    data = exported.get_data()
    assert "องค์การบริหารส่วนตำบล".encode() in data
    with app.app_context():
        before = db.session.scalar(select(db.func.count(SearchSynonym.id)))
    bad = data + "แค่คำเดียว,\n".encode()
    response = client.post(
        "/staff/index/synonyms/import",
        data={"file": (io.BytesIO(bad), "s.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "บรรทัดที่" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(SearchSynonym.id))) == before
    small = "terms,note\nโควิด;COVID-19,โรคระบาด\n".encode(
        "cp874", errors="ignore"
    )  # Windows-874 from Excel
    response = client.post(
        "/staff/index/synonyms/import",
        data={"file": (io.BytesIO(small), "s.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert [r.terms for r in db.session.scalars(select(SearchSynonym))] == ["โควิด;COVID-19"]
        # The seed was replaced: อปท. (in the seed, not in the lexicon) no longer expands.
        assert expand("อปท.").alternatives == ("อปท.",)
    response = client.post(
        "/staff/index/synonyms/import",
        data={"file": (io.BytesIO(data), "s.csv")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        assert db.session.scalar(select(db.func.count(SearchSynonym.id))) == before


def test_only_administrators_edit_synonyms(client, login_as):
    login_as("clerk")
    assert client.get("/staff/index/synonyms").status_code == 403


def _import(client, data: bytes, name: str):
    return client.post(
        "/staff/index/synonyms/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_the_import_reads_windows_874_and_xlsx_like_every_other_import(app, client, login_as):
    from openpyxl import Workbook

    login_as("admin")
    # Excel's "CSV" on a Thai Windows: Windows-874, header row, a Thai note.
    thai_csv = "terms,note\r\nเทศบาล;ทต.,ย่อจากหนังสือกรม\r\n".encode("cp874")
    assert _import(client, thai_csv, "คำพ้อง.csv").status_code == 302
    with app.app_context():
        rows = [(r.terms, r.note) for r in db.session.scalars(select(SearchSynonym))]
    assert rows == [("เทศบาล;ทต.", "ย่อจากหนังสือกรม")]

    book = Workbook()
    sheet = book.active
    sheet.append(["terms", "note"])
    sheet.append(["กรมส่งเสริมการปกครองท้องถิ่น;สถ.", "จาก Excel"])
    sheet.append(["คำเดียว", ""])
    out = io.BytesIO()
    book.save(out)
    refused = _import(client, out.getvalue(), "synonyms.xlsx")
    assert refused.status_code == 400 and "บรรทัดที่ 3" in refused.get_data(as_text=True)
    del sheet["A3"]
    out = io.BytesIO()
    book.save(out)
    assert _import(client, out.getvalue(), "synonyms.xlsx").status_code == 302
    with app.app_context():
        rows = [(r.terms, r.note) for r in db.session.scalars(select(SearchSynonym))]
        assert rows == [("กรมส่งเสริมการปกครองท้องถิ่น;สถ.", "จาก Excel")]
        assert "กรมส่งเสริมการปกครองท้องถิ่น" in " ".join(expand("สถ.").alternatives)


def test_the_lexicon_knows_abbreviations_and_loan_words_the_table_does_not(app):
    """KhamYo's dictionary is read from its package without importing it (the import loads a
    language model); PyThaiNLP's transliteration corpus gives the loan words."""
    import sys

    from infocenter.catalogue.lexicon import lexicon

    with app.app_context():
        assert lexicon().by_key
        assert "khamyo" not in sys.modules
        assert "ผู้ว่าราชการจังหวัด" in expand("ผวจ.").alternatives
        assert set(expand("รร.").alternatives) >= {"โรงเรียน", "โรงแรม"}
        assert "โรงแรม" not in expand("โรงเรียน").alternatives
        assert {"เฟซบุ๊ก", "facebook"} <= set(expand("เฟสบุ๊ค").alternatives)
        assert "เฟซบุ๊ก" in expand("เฟสบุ๊ค").added  # shown as "รวมผลของ …"


@pytest.mark.parametrize(
    "typed, expected, never",
    [
        ("อ.ตาคลี", "อำเภอตาคลี", ()),
        ("ต.หนองบัว", "ตำบลหนองบัว", ()),
        ("ต.ค.", "ตุลาคม", ("ตำบลค.",)),  # a month, not ตำบล + ค.
        ("ม.ค.66", None, ("หมู่บ้านค.66",)),
        ("พ.ร.บ.", None, ("พระร.บ.",)),
    ],
)
def test_a_one_letter_abbreviation_expands_only_before_a_name(app, typed, expected, never):
    """อ.ตาคลี is อำเภอ ตาคลี; ต.ค. is not ตำบล + ค.: the letter after the dot starts another
    abbreviation."""
    from infocenter.thai import search_key

    with app.app_context():
        alternatives = expand(search_key(typed)).alternatives
    if expected:
        assert expected in alternatives, alternatives
    assert not set(never) & set(alternatives), alternatives
