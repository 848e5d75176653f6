"""Search as citizens really type (issue 14), on every backend the `app` fixture covers: spaces
next to digits and dots, references in any spelling, abbreviations and full forms, loan words,
misspellings in the query and in the stored titles, and number forms. Titles are written the way
clerks write them (stray spaces, abbreviations, mixed digits, a typo or two)."""

from datetime import date

import pytest
from sqlalchemy import select, text

from infocenter.catalogue.models import Category, IndexEntry
from infocenter.catalogue.search import search_entries
from infocenter.extensions import db
from tests.factories import seed_demo_documents

# key: (ref, category, title, summary, keywords, doc_date)
CORPUS = {
    "budget": (
        "นว 0015/1",
        "9(3)",
        "ประกาศงบประมาณรายจ่ายประจำปี 2567",
        "วงเงินรวม 1,500,000 บาท",
        "งบประมาณ",
        date(2023, 10, 2),
    ),
    "budget_q2": (
        "นว 0015/14",
        "9(3)",
        "แผนการใช้จ่ายงบประมาณ ปี 2567 ไตรมาส ๒",
        "",
        "",
        date(2024, 1, 20),
    ),
    "budget_2": ("นว 0015/10", "9(3)", "รายงานผลการใช้จ่ายงบประมาณ ปี ๒๕๖๖", "", "", date(2023, 9, 1)),
    "school": (
        "นว ๐๐๒๑/๓๓",
        "9(1)",
        "ผลการพิจารณาทุนการศึกษานักเรียนชั้น ม. 4 ปีการศึกษา 2566",
        "",
        "",
        date(2023, 6, 1),
    ),
    "bylaw": (
        "",
        "9(2)",
        "ข้อบัญญัติองค์การบริหารส่วนตำบลหนองบัว เรื่อง การจัดการขยะ",
        "",
        "",
        date(2023, 3, 1),
    ),
    "local": ("", "9(3)", "แผนพัฒนาท้องถิ่นของ อปท. ในจังหวัดนครสวรรค์", "", "", date(2023, 4, 1)),
    "act": ("", "9(5)", "พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐", "", "", date(2020, 1, 1)),
    "act_manual": ("", "9(4)", "คู่มือการปฏิบัติตาม พ.ร.บ. จัดซื้อจัดจ้าง", "", "", date(2022, 5, 1)),
    "officials": ("", "9(1)", "คำสั่งแต่งตั้งข้าราชการผู้รับผิดชอบศูนย์ข้อมูลข่าวสาร", "", "", date(2023, 2, 1)),
    "procure": ("", "9(8).1", "สรุปผลการจัดซื้อจัดจ้างประจำเดือนมีนาคม 2567", "", "", date(2024, 4, 3)),
    "covid": ("", "9(4)", "มาตรการป้องกันโรค COVID-19 ในสำนักงาน", "", "", date(2021, 7, 1)),
    "email": ("", "9(4)", "แนวทางการใช้อีเมล์ของหน่วยงาน", "", "", date(2022, 8, 1)),
    "rule": ("", "9(2)", "กฎกระทรวงว่าด้วยการขอรับบริการ", "", "", date(2021, 1, 5)),
    "practice": ("", "9(4)", "แนวทางปฏิบัติในการให้บริการประชาชน", "", "", date(2022, 1, 5)),
    "corrupt": ("", "9(2)", "มาตรการป้องกันการคอรัปชั่นในองค์กร", "", "", date(2022, 3, 5)),
    "travel": ("", "9(4)", "ระเบียบการเบิกค่าใช้จ่ายในการเดินทางไปราชการ", "", "", date(2021, 3, 5)),
    "internet": ("", "9(6)", "สัญญาเช่าบริการอินเตอร์เน็ตความเร็วสูง", "", "", date(2022, 6, 5)),
    "website": ("", "9(3)", "โครงการปรับปรุงเว็บไซต์ศูนย์ข้อมูลข่าวสาร", "", "", date(2023, 7, 5)),
    "otop": ("", "9(3)", "ตลาดนัดสินค้า OTOP ประจำปี", "", "", date(2023, 11, 5)),
    "ita": ("", "9(8).2", "ผลการประเมินคุณธรรมและความโปร่งใส (ITA) ปี 2566", "", "", date(2023, 9, 5)),
    "winner": ("", "9(8).3", "ประกาศผู้ชนะการเสนอราคา วงเงิน 250,000 บาท", "", "", date(2024, 2, 5)),
    "seminar": ("", "9(3)", "โครงการสัมนาผู้นำชุมชนด้านเศรษฐกิจ", "", "", date(2023, 8, 5)),
    "line": ("", "9(2)", "นโยบาย Line Group ของสำนักงาน", "", "", date(2021, 5, 1)),
    # Known from the lexicon (KhamYo's abbreviations, PyThaiNLP's loan words), not the table:
    "governor": ("", "9(1)", "คำสั่งผู้ว่าราชการจังหวัดนครสวรรค์ เรื่อง มอบอำนาจ", "", "", date(2022, 2, 7)),
    "interior": ("", "9(2)", "หนังสือ มท. ด่วนที่สุด เรื่อง การรายงานผล", "", "", date(2022, 4, 7)),
    "lunch": ("", "9(3)", "โครงการอาหารกลางวัน ร.ร.บ้านหนองบัว", "", "", date(2022, 6, 7)),
    "hotel": ("", "9(3)", "สัญญาเช่าห้องประชุมโรงแรมริเวอร์ไซด์", "", "", date(2022, 7, 7)),
    "page": ("", "9(3)", "ประชาสัมพันธ์ผ่านเพจเฟซบุ๊กของสำนักงาน", "", "", date(2022, 8, 7)),
    "notebook": ("", "9(8).1", "จัดซื้อเครื่องโน๊ตบุ๊ก จำนวน 3 เครื่อง", "", "", date(2022, 9, 7)),
    "app": ("", "9(4)", "คู่มือการใช้งาน application ของสำนักงาน", "", "", date(2021, 9, 7)),
    "takhli": ("", "9(3)", "ผลการคัดเลือกหมู่บ้านต้นแบบ อำเภอตาคลี", "", "", date(2021, 10, 7)),
    "plan": (
        "",
        "9(3)",
        "แผนการดำเนินงานประจำปี",
        "",
        "",
        date(2022, 12, 1),
    ),  # fiscal year 2566, not said
    # A two-digit year is written after a word for the year or a month; "67" alone is also
    # inside references and amounts of other years.
    "ref_17671": (
        "นว 0001/17671",
        "9(3)",
        "ประกาศรายชื่อผู้มีสิทธิรับเงินอุดหนุนประจำปี",
        "จำนวน 267 ราย",
        "",
        date(2027, 1, 10),
    ),  # fiscal year 2570
    "report_67": ("", "9(3)", "สรุปผลการดำเนินงานกองทุนหมู่บ้าน ปีงบ 67", "", "", date(2025, 2, 1)),
    "ref_12567": (
        "นว 0001/12567",
        "9(4)",
        "คู่มือการลงทะเบียนผู้สูงอายุ",
        "",
        "",
        date(2026, 9, 25),
    ),  # fiscal year 2569: its running number holds 2567
    # A month of a year: written "ต.ค. 66", "ตุลาคม 2566"; dated in it without saying so.
    "oct_66": (
        "นว 0015/66",
        "9(8).1",
        "สรุปผลการจัดหาพัสดุ ประจำเดือน ต.ค. 66",
        "",
        "",
        date(2023, 11, 5),
    ),
    "oct_meeting": ("", "9(1)", "รายงานการประชุมคณะกรรมการหมู่บ้าน", "", "", date(2023, 10, 15)),
    "oct_2570": (
        "นว 0001/1066",
        "9(8).1",
        "สรุปผลการจัดหาพัสดุ ประจำเดือนตุลาคม 2570",
        "",
        "",
        date(2026, 11, 3),
    ),
    # Pasted from a word processor: an en dash between the years.
    "plan_5y": ("", "9(3)", "แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๑–๒๕๖๕) ฉบับทบทวน", "", "", date(2021, 9, 1)),
    "meeting_67": ("", "9(1)", "รายงานการประชุมประจำเดือน ม.ค. 67", "", "", date(2025, 5, 1)),
}

# (query, the entry a person is looking for, how: "first" = it comes first, "in" = it is found,
# "approx" = found through "คุณหมายถึง …", marked approximate)
CASES = [
    # spaces next to digits and dots
    ("งบประมาณปี2567", "budget_q2", "in"),
    ("งบประมาณ ปี 2567", "budget_q2", "in"),
    ("ปี๒๕๖๗", "budget_q2", "in"),
    ("ปี 2566", "budget_2", "in"),
    ("ม.4", "school", "in"),
    ("ม. 4", "school", "in"),
    ("ม.๔", "school", "in"),
    ("ชั้นม.4", "school", "in"),
    ("ชั้น ม.4", "school", "in"),
    ("พ.ศ.2540", "act", "in"),
    ("พ.ศ. ๒๕๔๐", "act", "in"),
    ("ไตรมาส2", "budget_q2", "in"),
    ("(ITA)ปี 2566", "ita", "in"),
    # references in any spelling: the exact one first
    ("นว 0015/1", "budget", "first"),
    ("นว0015/1", "budget", "first"),
    ("นว ๐๐๑๕/๑", "budget", "first"),
    ("นว๐๐๑๕/๑", "budget", "first"),
    ("ที่ นว 0015/1", "budget", "first"),
    ("นว. 0015/1", "budget", "first"),
    ("นว 0015 / 1", "budget", "first"),
    ("นว 0015/14", "budget_q2", "first"),
    ("นว0015/10", "budget_2", "first"),
    ("นว 0021/33", "school", "first"),
    ("นว0021/๓๓", "school", "first"),
    # abbreviations and full forms
    ("อบต.", "bylaw", "in"),
    ("อบต", "bylaw", "in"),
    ("องค์การบริหารส่วนตำบล", "bylaw", "in"),
    ("ข้อบัญญัติ อบต.", "bylaw", "in"),
    ("อปท.", "local", "in"),
    ("องค์กรปกครองส่วนท้องถิ่น", "local", "in"),
    ("พรบ.", "act", "in"),
    ("พรบ", "act_manual", "in"),
    ("พ.ร.บ.", "act", "in"),
    ("พระราชบัญญัติ", "act_manual", "in"),
    ("พรบ.ข้อมูลข่าวสาร", "act", "in"),
    ("พรบ จัดซื้อ", "act_manual", "in"),
    ("ขรก.", "officials", "in"),
    ("ขรก", "officials", "in"),
    ("สขร.๑", "procure", "in"),
    ("สขร1", "procure", "in"),
    ("สขร.1 มีนาคม", "procure", "in"),
    ("ITA", "ita", "in"),
    ("คุณธรรมและความโปร่งใส", "ita", "in"),
    ("โอทอป", "otop", "in"),
    # loan words and transliteration
    ("โควิด", "covid", "in"),
    ("โควิด-19", "covid", "in"),
    ("covid19", "covid", "in"),
    ("Covid-19", "covid", "in"),
    ("โคโรนา", "covid", "in"),
    ("อีเมล", "email", "in"),
    ("อีเมล์", "email", "in"),
    ("e-mail", "email", "in"),
    ("Email", "email", "in"),
    ("อินเทอร์เน็ต", "internet", "in"),
    ("internet", "internet", "in"),
    ("เว็บไซท์", "website", "in"),
    ("คอร์รัปชัน", "corrupt", "in"),
    ("คอรัปชั่น", "corrupt", "in"),
    ("ผวจ.", "governor", "in"),
    ("ผวจ.นครสวรรค์", "governor", "in"),
    ("กระทรวงมหาดไทย", "interior", "in"),
    ("มท.", "interior", "in"),
    ("โรงเรียนบ้านหนองบัว", "lunch", "in"),
    ("รร.", "lunch", "in"),
    ("โรงเรียน", "hotel", "not"),  # รร. is also a hotel, but a school is not
    ("เฟสบุ๊ค", "page", "in"),
    ("facebook", "page", "in"),
    ("โน้ตบุ๊ค", "notebook", "in"),
    ("notebook", "notebook", "in"),
    ("แอปพลิเคชัน", "app", "in"),
    ("แอพพลิเคชั่น", "app", "in"),
    # quotation marks and punctuation around the words
    ('"กฎกระทรวง"', "rule", "in"),
    ("“แนวทางปฏิบัติ”", "practice", "in"),
    ("มาตรการป้องกัน!!", "corrupt", "in"),
    ("(ITA)", "ita", "in"),
    ("อบต.?", "bylaw", "in"),
    # a one-letter abbreviation glued to a place name
    ("อ.ตาคลี", "takhli", "in"),
    ("หมู่บ้านต้นแบบ อ.ตาคลี", "takhli", "in"),
    ("จ.นครสวรรค์", "local", "in"),
    ("ต.หนองบัว", "bylaw", "in"),
    # misspellings in the query and in the stored titles
    ("ขอบัญญัติ", "bylaw", "approx"),
    ("กฏกระทรวง", "rule", "approx"),
    ("ปฎิบัติ", "practice", "approx"),
    ("สัมมนา", "seminar", "approx"),
    ("ค่าไช้จ่าย", "travel", "approx"),
    ("ระเบียบการเบิกค่าใช้จ่ายในการเดินทางไปราชกา", "travel", "in"),
    ("ประเมิณ", "ita", "approx"),
    ("ความโปร่งไส", "ita", "approx"),
    ("สัญญาเช่าบริการอินเตอเน็ต", "internet", "approx"),
    ("มาตรการป้องกันโรคโควิดในสำนักงาน", "covid", "none"),  # a sentence is not a spelling
    # number forms
    ("1500000", "budget", "in"),
    ("1,500,000", "budget", "in"),
    ("๑,๕๐๐,๐๐๐", "budget", "in"),
    ("๑๕๐๐๐๐๐", "budget", "in"),
    ("1,500,000บาท", "budget", "in"),
    ("250000", "winner", "in"),
    ("๒๕๐,๐๐๐ บาท", "winner", "in"),
    ("วงเงิน 250000", "winner", "in"),
    # years: the entries of that fiscal year whose title does not say it ("not": must not be found)
    ("2566", "bylaw", "in"),
    ("๒๕๖๖", "officials", "in"),
    ("ปี 66", "website", "in"),
    ("ปี๖๖", "seminar", "in"),
    ("แผนการดำเนินงาน ปี 66", "plan", "in"),
    ("แผนการดำเนินงานปีงบ66", "plan", "in"),
    ("ปีงบประมาณ ๒๕๖๖ ข้อบัญญัติ", "bylaw", "in"),
    ("งบ 66 โครงการ", "website", "in"),
    ("ประจำปี 2567", "otop", "in"),
    ("2566 บาท", "bylaw", "not"),  # an amount
    ("ที่ 2566", "bylaw", "not"),  # a number, not a year
    ("2,566", "bylaw", "not"),
    ("นว 0015/2566", "bylaw", "not"),  # a reference
    ("2023", "bylaw", "not"),  # CE: not read as a fiscal year
    ("66", "bylaw", "not"),  # two digits alone are not a year
    # a two-digit year is the year, not the digits anywhere (นว 0001/17671, 267 ราย)
    ("ปี 67", "ref_17671", "not"),
    ("ปีงบ 67", "report_67", "in"),  # said in the text, entered in a later fiscal year
    ("พ.ศ. 67", "meeting_67", "in"),
    ("กองทุนหมู่บ้าน ปี๖๗", "report_67", "in"),
    ("ปี 67 งบประมาณ", "budget_q2", "in"),
    # a dash typed as "-" finds an en or em dash, and the other way round
    ("แผนพัฒนาท้องถิ่น 2561-2565", "plan_5y", "first"),
    ("๒๕๖๑ — ๒๕๖๕", "plan_5y", "first"),
    # a month of a year, in any spelling; its entries whose text does not say it after
    ("ตุลาคม 2566", "oct_66", "in"),
    ("จัดหาพัสดุ ต.ค.๖๖", "oct_66", "first"),
    ("ต.ค. 66", "oct_meeting", "in"),
    ("ตค 66", "oct_2570", "not"),  # ตุลาคม of another year, 66 in its reference
    ("สรุปผลการจัดซื้อจัดจ้าง มี.ค. 67", "procure", "first"),
    ("มีนาคม67", "procure", "in"),
    # what matched before still matches
    ("Line Group", "line", "in"),
    ("line", "line", "in"),
    ("งบประมาณ", "budget", "in"),
    ("ข้อมูลข่าวสาร", "act", "in"),
]


@pytest.fixture
def corpus(app, make_office):
    office = make_office("NSW")
    ids = {}
    with app.app_context():
        cats = {c.code: c.id for c in db.session.scalars(select(Category))}
        for key, (ref, code, title, summary, keywords, doc_date) in CORPUS.items():
            entry = IndexEntry(
                office_id=office,
                category_id=cats[code],
                ref=ref,
                title=title,
                summary=summary,
                keywords=keywords,
                doc_date=doc_date,
                state="published",
                disclosure="open",
            )
            db.session.add(entry)
            db.session.flush()
            ids[key] = entry.id
        db.session.commit()
    return ids


def test_there_are_enough_cases():
    assert len(CASES) >= 60
    assert len({q for q, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize("query,wanted,how", CASES, ids=[c[0] for c in CASES])
def test_citizens_find_what_they_typed(app, corpus, query, wanted, how):
    by_id = {v: k for k, v in corpus.items()}
    with app.app_context():
        page = search_entries(query, per_page=50)
        found = [by_id[h.entry.id] for h in page.items]
    if how == "none":
        assert not page.approximate
        return
    if how == "not":
        assert wanted not in found, (query, found)
        return
    assert wanted in found, (query, found, page.suggestion)
    if how == "first":
        assert found[0] == wanted, found
    if how == "approx":
        assert page.approximate and page.suggestion, page
    else:
        assert not page.approximate


def test_exact_reference_first_through_the_api(client, corpus):
    for q in ("นว 0015/1", "นว0015/1", "นว ๐๐๑๕/๑", f"#{corpus['budget']}"):
        data = client.get("/api/v1/documents", query_string={"q": q}).get_json()
        assert data["items"][0]["id"] == corpus["budget"], (q, data["items"])
        assert data["items"][0]["ref"] == "นว 0015/1"
    # the longer reference that contains it comes after, not before
    data = client.get("/api/v1/documents", query_string={"q": "นว 0015/1"}).get_json()
    assert [i["ref"] for i in data["items"]][:1] == ["นว 0015/1"]


def test_the_api_reports_expansions_and_suggestions(client, corpus):
    data = client.get("/api/v1/documents", query_string={"q": "อบต."}).get_json()
    assert data["expansions"] == [{"term": "อบต.", "added": ["องค์การบริหารส่วนตำบล"]}]
    assert data["suggestion"] is None and data["approximate"] is False
    data = client.get("/api/v1/documents", query_string={"q": "ขอบัญญัติ"}).get_json()
    assert data["suggestion"] == "ข้อบัญญัติ" and data["approximate"] is True
    assert [i["id"] for i in data["items"]] == [corpus["bylaw"]]


def test_the_page_shows_expansions_suggestion_and_ways_on(client, corpus):
    html = client.get("/search", query_string={"q": "อบต."}).get_data(as_text=True)
    assert "รวมผลของ องค์การบริหารส่วนตำบล" in html
    html = client.get("/search", query_string={"q": "ขอบัญญัติ"}).get_data(as_text=True)
    assert "ผลใกล้เคียง" in html and "ข้อบัญญัติ" in html
    html = client.get("/search", query_string={"q": "ซ่อมเครื่องบินรบ"}).get_data(as_text=True)
    assert "เลือกดูตามหมวด" in html and "/requests/new" in html


def test_the_page_says_the_query_as_searched(client, corpus):
    """Quotes and stray spaces typed around the words are not echoed back (““กฎกระทรวง””)."""
    html = client.get("/search", query_string={"q": "  “กฎกระทรวง”  "}).get_data(as_text=True)
    assert "สำหรับ “กฎกระทรวง”" in html and "““" not in html
    html = client.get("/search", query_string={"q": '"กองทุนหมูบ้านบ้าน"'}).get_data(as_text=True)
    assert "““" not in html and '“"' not in html


def test_a_stored_misspelling_is_found_by_the_right_spelling(app, corpus):
    with app.app_context():
        page = search_entries("สัมมนาผู้นำ")
        assert page.suggestion == "สัมนาผู้นำ" and page.approximate
        assert [h.entry.id for h in page.items] == [corpus["seminar"]]


def test_exact_reference_first_over_the_demo_index(app, client, runner):
    """Issue 13: in the demo index "นว 0001/1" must not open "นว 0001/14" first, however typed."""
    from infocenter.thai import thai_digits

    seed_demo_documents(runner, 120)
    with app.app_context():
        public = {
            e.ref: e.id for e in db.session.scalars(select(IndexEntry).where(IndexEntry.is_public))
        }
    refs = [r for r in public if any(o != r and o.startswith(r) for o in public)]
    assert refs, "the demo index should have references that are prefixes of others"
    for ref in refs[:5]:
        for typed in (ref, ref.replace(" ", ""), thai_digits(ref), f"ที่ {ref}", f"#{public[ref]}"):
            data = client.get("/api/v1/documents", query_string={"q": typed}).get_json()
            assert data["items"][0]["id"] == public[ref], (
                typed,
                [i["ref"] for i in data["items"][:5]],
            )


@pytest.mark.parametrize(
    "query,order",
    [
        ("งบประมาณ", ["budget_q2", "budget", "budget_2"]),  # all in the title: newest first
        ("ข้อมูลข่าวสาร", ["website", "officials", "act"]),
        (
            "นว 0015/1",
            ["budget", "budget_q2", "budget_2"],
        ),  # the exact reference, then the others by date
        ("จัดซื้อจัดจ้าง", ["procure", "act_manual"]),  # the phrase in a newer title first
    ],
)
def test_the_same_order_on_every_database(app, corpus, query, order):
    by_id = {v: k for k, v in corpus.items()}
    with app.app_context():
        assert [by_id[h.entry.id] for h in search_entries(query).items] == order


def test_reindex_rebuilds_keys_made_by_the_old_normalisation(app, runner, corpus):
    """Rows indexed before this normalisation (spaces kept next to digits, no reference key) are
    found again after `flask index reindex` (the migration runs the same rebuild)."""
    from sqlalchemy import update

    with app.app_context():
        db.session.execute(
            update(IndexEntry)
            .where(IndexEntry.id == corpus["budget"])
            .values(
                search_title="นว 0015/1\nประกาศงบประมาณรายจ่ายประจำปี 2567",
                search_body="นว 0015/1\nประกาศงบประมาณรายจ่ายประจำปี 2567",
                search_ref="",
            )
        )
        db.session.commit()
        assert corpus["budget"] not in {h.entry.id for h in search_entries("นว0015/1").items}
    result = runner.invoke(args=["index", "reindex"])
    assert result.exit_code == 0 and "เปลี่ยน 1 รายการ" in result.output, result.output
    with app.app_context():
        assert search_entries("นว0015/1").items[0].entry.id == corpus["budget"]
        assert search_entries("ปี2567").total >= 2


def _fts_segments() -> int:
    """How many segments SQLite's FTS5 index has (its structure record: a 4-byte cookie, then
    varints: levels, segments; both small here)."""
    block = db.session.scalar(text("SELECT block FROM index_entries_fts_data WHERE id = 10"))
    return block[5]


def test_optimize_compacts_the_index_and_finds_the_same(app, runner, corpus):
    """`flask index optimize` (nightly, and after `flask demo seed`): one FTS5 segment on SQLite,
    VACUUM (ANALYZE) on PostgreSQL; every search answers as before."""
    queries = ["งบประมาณ", "นว 0015/1", "จัดซื้อจัดจ้าง", "ปี2567", "อบต."]
    with app.app_context():
        before = {q: [h.entry.id for h in search_entries(q).items] for q in queries}
        sqlite = db.session.get_bind().dialect.name == "sqlite"
        if sqlite:  # one segment per committed entry of the corpus, merged in part
            assert _fts_segments() > 1
    result = runner.invoke(args=["index", "optimize"])
    assert result.exit_code == 0, result.output
    assert ("FTS5 optimize" if sqlite else "VACUUM (ANALYZE) index_entries") in result.output
    with app.app_context():
        if sqlite:
            assert _fts_segments() == 1
        assert {q: [h.entry.id for h in search_entries(q).items] for q in queries} == before
        assert all(before.values())


@pytest.mark.parametrize("query", ["2566", "๒๕๖๖", "ปี 66", "ปีงบประมาณ 2566"])
def test_a_year_finds_its_fiscal_year_after_the_titles_that_say_it(app, corpus, query):
    by_id = {v: k for k, v in corpus.items()}
    says = {"school", "budget_2", "ita"}  # "2566" / "๒๕๖๖" in the title
    if query == "ปี 66":  # two digits: "ต.ค. 66" says the year too
        says.add("oct_66")
    quiet = {
        "bylaw",
        "local",
        "officials",
        "website",
        "seminar",
        "plan",
    }  # fiscal year 2566, title silent
    with app.app_context():
        page = search_entries(query, per_page=50)
        found = [by_id[h.entry.id] for h in page.items]
        if query != "ปีงบประมาณ 2566":  # no title says "ปีงบประมาณ": only the silent ones then
            assert set(found[: len(says)]) == says, found
        assert set(found) - says == quiet and page.total == len(found), found
        # the fiscal-year part newest first, and pages carry on across the two parts
        rest = found[len(found) - len(quiet) :]
        assert rest == sorted(rest, key=lambda k: CORPUS[k][5], reverse=True)
        paged = [
            by_id[h.entry.id]
            for n in (1, 2, 3, 4, 5)
            for h in search_entries(query, page=n, per_page=2).items
        ]
        assert paged == found


@pytest.mark.parametrize(
    "query,two_digits",
    [("2567", False), ("ปี 67", True), ("ปีงบประมาณ ๒๕๖๗", False), ("พ.ศ.67", True)],
)
def test_a_year_inside_a_longer_number_comes_after_the_year_itself(app, corpus, query, two_digits):
    """นว 0001/12567 holds the digits of 2567 and is found, but after every entry whose text
    says the year (with two digits too, when the query does: "ปีงบ 67", "ม.ค. 67"); a two-digit
    year never matches inside a number (นว 0001/17671, 267 ราย)."""
    by_id = {v: k for k, v in corpus.items()}
    says = {"budget", "budget_q2", "procure"}
    if two_digits:
        says |= {"report_67", "meeting_67"}
    with app.app_context():
        found = [by_id[h.entry.id] for h in search_entries(query, per_page=50).items]
    assert set(found[: len(says)]) == says, found
    assert "ref_12567" in found and "ref_17671" not in found, found


def test_a_year_in_the_api(client, corpus):
    data = client.get("/api/v1/documents", query_string={"q": "ประจำปี ๒๕๖๗"}).get_json()
    ids = [i["id"] for i in data["items"]]
    assert ids[0] == corpus["budget"] and corpus["otop"] in ids[1:], ids
    assert data["total"] == len(ids)


@pytest.mark.parametrize(
    "typed, stored, never",
    [
        ("ขอบัญญัติ", "พระราชบัญญัติข้อมูลข่าวสารของราชการ", ("าชบัญญัติ", "ชบัญญัติ")),
        ("อบต.", "ขอบไม้ริมรั้วโรงเรียน", ("อบไ", "อบ")),
        ("ประเมิณ", "ผลการประเมินคุณธรรมและความโปร่งใส", ("รประเมิน", "ารประเมิน")),
    ],
)
def test_a_suggested_spelling_is_never_a_piece_of_a_syllable(typed, stored, never):
    """The suggestion is cut out of stored text that has no spaces between Thai words: it starts
    and ends on syllable edges (a word inside a compound still counts: ประเมิน in การประเมิน)."""
    from infocenter.catalogue.search import _closest_in
    from infocenter.thai import search_key, split_syllables

    found = _closest_in(search_key(typed), stored)
    if found is not None:
        part = found[1]
        assert part not in never
        start = stored.index(part)
        edges = {sum(map(len, split_syllables(stored)[:i])) for i in range(99)}
        assert start in edges and start + len(part) in edges
    if typed == "ประเมิณ":
        assert found == (1, "ประเมิน")


@pytest.mark.parametrize(
    "typed,added,never",
    [
        ("ต.ค.", "ตุลาคม", None),  # month abbreviations, both ways
        ("กุมภาพันธ์", "ก.พ.", None),
        ("หมู่บ้าน", None, "ม."),  # a one-letter abbreviation is not searched in a word's place
        ("กองทุนหมู่บ้าน", None, "กองทุนม."),
        ("อำเภอเมือง", None, "อ.เมือง"),
    ],
)
def test_the_lexicon_adds_what_helps_and_not_one_letter_forms(app, typed, added, never):
    from infocenter.catalogue.synonyms import expand
    from infocenter.thai import search_key

    with app.app_context():
        found = expand(search_key(typed)).alternatives
    if added:
        assert search_key(added) in found, found
    if never:
        assert search_key(never) not in found, found


def test_the_ranked_spelling_fallback_looks_among_the_newest_entries_only(app, corpus, monkeypatch):
    """SQLite ranks every entry sharing a trigram with a typo; at a million entries that took
    seconds, so it looks among the newest FUZZY_SCOPE entries (here 3)."""
    from infocenter.catalogue import search

    with app.app_context():
        if db.session.get_bind().dialect.name != "sqlite":
            pytest.skip("PostgreSQL finds its candidates by word similarity, not by rank")
        monkeypatch.setattr(search, "FUZZY_SCOPE", 2)
        newest = db.session.scalars(
            select(IndexEntry.search_body)
            .order_by(IndexEntry.doc_date.desc(), IndexEntry.id.desc())
            .limit(3)
        ).all()
        found = search._fuzzy_candidates("งบประมาน", public_only=True)
        assert found and set(found) <= set(newest), (found, newest)
        monkeypatch.setattr(search, "FUZZY_SCOPE", 100_000)
        assert len(search._fuzzy_candidates("งบประมาน", public_only=True)) > len(found)


@pytest.mark.parametrize(
    "typed,text,suggested",
    [
        ("ปฎิบัติการ", "แผนปฏิบัติการประจำปี", "ปฏิบัติการ"),  # one edit
        ("กองทุนหมูบ้าน", "กองทุนหมู่บ้านและชุมชนเมือง", "กองทุนหมู่บ้าน"),
        ("นายอำเภอ", "ประชุมที่อำเภอตาคลี", None),  # three edits: another word, not a typo
        ("สัมนา", "ประชุมสัมพันธ์", None),
    ],
)
def test_a_suggestion_is_at_most_a_few_edits_away(typed, text, suggested):
    from infocenter.catalogue.search import _commonest_close
    from infocenter.thai import search_key

    assert _commonest_close(search_key(typed), [search_key(text)]) == (
        search_key(suggested) if suggested else None
    )


def test_a_dash_typed_as_a_hyphen_is_marked_where_the_text_has_it(app, corpus):
    with app.app_context():
        hit = search_entries("2561-2565").items[0]
    assert hit.entry.id == corpus["plan_5y"]
    assert "<mark>๒๕๖๑–๒๕๖๕</mark>" in str(hit.title_html), hit.title_html
