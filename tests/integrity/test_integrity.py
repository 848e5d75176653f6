"""The integrity plan: the seed imports, evidence is linked and confirmed (audited), activities
turn late, /transparency shows only public evidence, the indicator map round-trips through CSV."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from infocenter.extensions import db
from tests.factories import make_entry

# A copy of the office's plan, seed 000_aeaf089b8acacf95.txt, byte for byte.
SEED = Path(__file__).parent / "data" / "integrity_plan_2563.txt"


def _seed_bytes() -> bytes:
    return SEED.read_bytes()


def _parse(app, data: bytes | None = None, name: str = "plan.txt", year=None):
    from infocenter.integrity.importer import parse_rows, read_rows

    with app.test_request_context():
        return parse_rows(
            read_rows(data if data is not None else _seed_bytes(), name), fiscal_year=year
        )


def _activity(parsed, dimension: int, code: str):
    d = next(d for d in parsed.dimensions if d.number == dimension)
    return next(a for m in d.measures for a in m.activities if a.code == code)


# --- import -----------------------------------------------------------------------------------


def test_the_office_plan_imports_with_every_dimension_measure_and_activity(app):
    parsed = _parse(app)
    assert parsed.fiscal_year == 2563
    assert [d.number for d in parsed.dimensions] == [1, 2, 3, 4, 5]
    assert [len(d.measures) for d in parsed.dimensions] == [10, 5, 2, 5, 6]
    assert len(parsed.measures) == 28
    assert [sum(len(m.activities) for m in d.measures) for d in parsed.dimensions] == [
        21,
        10,
        2,
        7,
        10,
    ]
    assert len(parsed.activities) == 50
    assert parsed.dimensions[1].title == "ด้านการเปิดเผยข้อมูล"
    # The heading repeated as "มิติที่ ๔" is the fifth dimension.
    assert parsed.dimensions[4].title == "ด้านการรักษาสีเขียวสดในสถานที่ทำงาน"


def test_sample_activities_read_by_hand(app):
    parsed = _parse(app)
    # One cell, three numbered activities ๑.๑.๑ … ๑.๑.๓, each its own.
    place = _activity(parsed, 2, "1.1.1")
    assert place.title.startswith("จัดสถานที่จัดตั้งศูนย์ข้อมูลข่าวสาร")
    assert _activity(parsed, 2, "1.1.3").title == "มีป้ายบอกสถานที่ตั้งของศูนย์ข้อมูล"
    assert (place.start, place.end) == (date(2020, 4, 1), date(2020, 4, 30))  # "เม.ย.-๖๓"
    assert place.provincial and not place.districts  # "สพจ."
    # The statistics item: "เม.ย.-๖๓ - ก.ย.-๖๓", two activities, evidence split one each.
    report = _activity(parsed, 2, "4.1.2")
    assert report.title == "นำเสนอสรุปรายงานให้ผู้บังคับบัญชาทราบ ทุก ๓ เดือน"  # digits as written
    assert (report.start, report.end) == (date(2020, 4, 1), date(2020, 9, 30))
    assert report.evidence == "สำเนารายงาน เสนอผู้บังคับบัญชา"
    assert report.responsible == "กลุ่มงาน สารสนเทศ"
    # "ต.ค.๖๒ - ก.ย.๖๓", "สพจ./สพอ.": the whole fiscal year, the province and every district.
    waste = _activity(parsed, 5, "1.1.1")
    assert (waste.start, waste.end) == (date(2019, 10, 1), date(2020, 9, 30))
    assert waste.provincial and waste.districts
    # A named round: "รอบประเมินที่ ๑ และ ๒" is the whole fiscal year.
    budget = _activity(parsed, 1, "2.2.1")
    assert (budget.start, budget.end) == (date(2019, 10, 1), date(2020, 9, 30))
    # One period and one office per activity in the same cell, in order.
    first, second = _activity(parsed, 1, "2.3.1"), _activity(parsed, 1, "2.3.2")
    assert first.end == date(2020, 9, 30) and second.end == date(2021, 9, 30)
    # HTML list items inside a cell are activities too.
    line = _activity(parsed, 1, "2.2")
    assert line.title.startswith('มีการจัดทำโครงการนวัตกรรม "Application Line')
    # Sub-items on their own rows under 2.1.1 share its period and offices.
    sub = _activity(parsed, 5, "2.1.1.1")
    assert sub.title == "แปรงพื้นด้วยความรับผิดชอบ" and sub.end == date(2020, 9, 30) and sub.districts


def test_what_cannot_be_read_is_reported_by_line(app):
    parsed = _parse(app)
    by_line = {}
    for p in parsed.problems:
        by_line.setdefault(p.line, []).append(p)
    assert set(by_line) >= {13, 16, 17, 28, 80}
    with app.test_request_context():
        assert "มิติที่ 4" in str(by_line[80][0]) and "มิติที่ 5" in str(by_line[80][0])
        assert "ไม่มีกิจกรรม" in str(by_line[16][0])
        assert "2.1.2" in str(by_line[13][0])  # the same number written twice


MESSY_CSV = (
    "มิติที่ ๒ ด้านการเปิดเผยข้อมูล,,,,,,\n"
    "ระดับ,นโยบาย/มาตรการ/แนวทาง,กิจกรรม/โครงการ,ระยะเวลาดำเนินการ,ผู้รับผิดชอบ,หน่วยงานปฏิบัติ สพจ./สพอ.,หลักฐานอ้างอิง\n"  # noqa: E501
    "๑,๑.๑ มีศูนย์,๑.๑.๑ จัดสถานที่  ๑.๑.๒ แต่งตั้งเจ้าหน้าที่,ม.ย. 63,กลุ่มงาน สารสนเทศ,สพจ.,ป้าย คำสั่ง\n"
    "๒,๒.๑ ข้อมูล,๒.๑.๑ ข้อมูลครบ,เมษา ๖๓,กลุ่มงาน,สพอ.,แฟ้ม\n"
)


def test_a_messy_csv_with_a_year_given_imports_and_names_the_bad_period(app):
    parsed = _parse(app, MESSY_CSV.encode("utf-8-sig"), "plan.csv", year=2563)
    assert [a.code for a in parsed.activities] == ["1.1.1", "1.1.2", "2.1.1"]
    first = parsed.activities[0]
    assert (
        first.start == date(2020, 6, 1) and first.evidence == "ป้าย"
    )  # "ม.ย." misspelt, evidence per activity
    assert parsed.activities[2].districts and not parsed.activities[2].provincial
    assert any(p.line == 4 and "เมษา" in p.params.get("text", "") for p in parsed.problems)


def test_xlsx_with_the_same_columns_imports(app):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in MESSY_CSV.splitlines():
        ws.append(line.split(","))
    buffer = io.BytesIO()
    wb.save(buffer)
    parsed = _parse(app, buffer.getvalue(), "plan.xlsx", year=2563)
    assert len(parsed.activities) == 3


def test_flask_plan_import_stores_the_plan_and_lists_lines_to_fix(app, runner, tmp_path):
    from infocenter.integrity.models import PlanActivity, PlanDimension

    path = tmp_path / "plan.txt"
    path.write_bytes(_seed_bytes())
    result = runner.invoke(args=["plan", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 dimensions, 28 measures, 50 activities" in result.output
    assert "line 80:" in result.output
    # Importing again replaces the year's plan instead of doubling it.
    assert runner.invoke(args=["plan", "import", str(path)]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(PlanActivity.id))) == 50
        assert db.session.scalar(select(func.count(PlanDimension.id))) == 5


def test_the_import_page_reads_the_seed_and_shows_the_lines_to_fix(app, client, login_as):
    login_as("clerk")
    response = client.post(
        "/staff/plan/import",
        data={"file": (io.BytesIO(_seed_bytes()), "แผน.txt"), "year": ""},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "50 กิจกรรม" in html and 'id="problems"' in html
    assert "มิติที่ 4" in html


def test_the_import_page_asks_for_a_year_when_the_file_has_none(app, client, login_as):
    login_as("clerk")
    data = MESSY_CSV.encode()
    response = client.post(
        "/staff/plan/import",
        data={"file": (io.BytesIO(data), "plan.csv"), "year": "๒๕๖x"},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert "ใส่ปีงบประมาณเป็นปี พ.ศ. สี่หลัก" in html
    response = client.post(
        "/staff/plan/import",
        data={"file": (io.BytesIO(data), "plan.csv"), "year": "๒๕๖๓"},
        content_type="multipart/form-data",
    )
    assert "3 กิจกรรม" in response.get_data(as_text=True)


# --- evidence, progress, audit ------------------------------------------------------------------


def _import_seed(app):
    from infocenter.integrity.operations import save_plan

    parsed = _parse(app)
    with app.app_context():
        plan = save_plan(parsed, source_name="seed")
        db.session.commit()
        return plan.id


def _activity_id(app, dimension: int, code: str) -> int:
    from infocenter.integrity.models import PlanActivity, PlanDimension, PlanMeasure

    with app.app_context():
        return db.session.scalar(
            select(PlanActivity.id)
            .join(PlanMeasure)
            .join(PlanDimension)
            .where(PlanDimension.number == dimension, PlanActivity.code == code)
        )


def _status(app, activity_id, today):
    from infocenter.integrity.stats import plan_for_year, plan_progress

    with app.app_context():
        rows = plan_progress(plan_for_year(2563), today=today)
        return next(r.status for r in rows if r.activity.id == activity_id)


def test_a_clerk_links_an_entry_and_the_confirmation_is_audited(app, client, login_as, make_office):
    from infocenter.audit import history
    from infocenter.integrity.models import EvidenceLink

    province = make_office("NSW", kind="province")
    _import_seed(app)
    activity_id = _activity_id(app, 2, "1.1.2")
    entry_id = make_entry(app, province, "คำสั่งแต่งตั้งเจ้าหน้าที่ประจำศูนย์ข้อมูลข่าวสาร", ref="นว 0018/45")
    assert _status(app, activity_id, date(2020, 4, 15)) == "in_progress"
    clerk = login_as("clerk", office_id=province)
    response = client.post(
        f"/staff/plan/activities/{activity_id}",
        data={"kind": "entry", "office_id": province, "entry": "นว 0018/45", "note": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        link = db.session.scalars(select(EvidenceLink)).one()
        assert (link.entry_id, link.state, link.confirmed_by.username) == (
            entry_id,
            "confirmed",
            clerk,
        )
        entries = history("EvidenceLink", link.id)
        assert entries[0].actor == clerk and entries[0].changes["state"][1] == "confirmed"
    assert _status(app, activity_id, date(2020, 12, 1)) == "done"
    page = client.get(f"/staff/plan/activities/{activity_id}").get_data(as_text=True)
    assert "คำสั่งแต่งตั้งเจ้าหน้าที่ประจำศูนย์ข้อมูลข่าวสาร" in page and clerk in page


def test_an_unknown_entry_is_refused_next_to_the_field(app, client, login_as, make_office):
    province = make_office("NSW", kind="province")
    _import_seed(app)
    activity_id = _activity_id(app, 2, "1.1.2")
    login_as("clerk", office_id=province)
    response = client.post(
        f"/staff/plan/activities/{activity_id}",
        data={"kind": "entry", "office_id": province, "entry": "๙๙๙๙", "note": "ดูแฟ้ม"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "ไม่พบรายการนี้ในดัชนี" in html and "ดูแฟ้ม" in html


def test_an_activity_turns_late_when_its_period_ends_without_evidence(app, make_office):
    make_office("NSW", kind="province")
    _import_seed(app)
    activity_id = _activity_id(app, 2, "3.1.1")  # เม.ย.-๖๓
    assert _status(app, activity_id, date(2020, 3, 31)) == "not_started"
    assert _status(app, activity_id, date(2020, 4, 30)) == "in_progress"
    assert _status(app, activity_id, date(2020, 5, 1)) == "late"


def test_an_activity_of_every_district_is_done_only_when_each_has_evidence(
    app, make_office, make_user
):
    from infocenter.auth.models import User
    from infocenter.integrity.models import PlanActivity
    from infocenter.integrity.operations import link

    province = make_office("NSW", kind="province")
    district = make_office("NSW01", kind="district", parent_id=province)
    _import_seed(app)
    activity_id = _activity_id(app, 3, "1.1.1")  # สพจ./สพอ.
    name = make_user("clerk", office_id=province)
    with app.test_request_context():
        user = db.session.scalars(select(User).where(User.username == name)).one()
        activity = db.session.get(PlanActivity, activity_id)
        link(activity, province, "url", user=user, url="https://example.go.th/news/1")
        db.session.commit()
    assert _status(app, activity_id, date(2020, 10, 1)) == "late"  # the district has none
    with app.test_request_context():
        user = db.session.scalars(select(User).where(User.username == name)).one()
        link(
            db.session.get(PlanActivity, activity_id),
            district,
            "url",
            user=user,
            url="https://example.go.th/d",
        )
        db.session.commit()
    assert _status(app, activity_id, date(2020, 10, 1)) == "done"


def test_the_product_proposes_reports_posts_and_matching_entries_and_a_person_confirms(
    app, client, login_as, make_office
):
    from infocenter.integrity.models import EvidenceLink
    from infocenter.publishing.models import Post
    from infocenter.reports.models import Report

    province = make_office("NSW", kind="province")
    _import_seed(app)
    index_id = make_entry(
        app, province, "ดัชนีข้อมูลข่าวสาร สพจ.นครสวรรค์ ๒๕๖๓", doc_date=date(2020, 4, 20)
    )
    with app.app_context():
        db.session.add(Report(fiscal_year=2563, quarter=3, office_id=province))
        db.session.add(
            Report(fiscal_year=2562, quarter=3, office_id=province)
        )  # another year: not proposed
        db.session.add(
            Post(
                office_id=province,
                title="ไม่รับของขวัญ",
                state="published",
                published_at=datetime(2020, 5, 4, 3, tzinfo=UTC),
            )
        )
        db.session.commit()
    login_as("clerk", office_id=province)
    assert client.post("/staff/plan/propose?year=2563").status_code == 302
    with app.app_context():
        links = db.session.scalars(select(EvidenceLink)).all()
        kinds = {(ln.activity.measure.dimension.number, ln.activity.code, ln.kind) for ln in links}
        assert (
            (2, "4.1.2", "report") in kinds
            and (2, "5.1.3", "post") in kinds
            and (2, "3.1.1", "entry") in kinds
        )
        assert all(ln.state == "proposed" for ln in links)
        assert all(ln.report is None or ln.report.fiscal_year == 2563 for ln in links)
        proposal = next(ln for ln in links if ln.entry_id == index_id)
    # Proposing again adds nothing; confirming turns it done.
    client.post("/staff/plan/propose?year=2563")
    with app.app_context():
        assert db.session.scalar(select(func.count(EvidenceLink.id))) == len(links)
    activity_id = _activity_id(app, 2, "3.1.1")
    assert _status(app, activity_id, date(2020, 4, 1)) == "in_progress"
    client.post(f"/staff/plan/evidence/{proposal.id}/confirm")
    assert _status(app, activity_id, date(2020, 12, 1)) == "done"


def test_the_late_list_for_the_quarterly_report(app, make_office):
    from infocenter.integrity.stats import late_activities
    from infocenter.stats import Scope
    from infocenter.thai import FiscalQuarter

    make_office("NSW", kind="province")
    _import_seed(app)
    with app.app_context():
        q2 = late_activities(Scope.quarter(FiscalQuarter(2563, 2)))
        q3 = late_activities(Scope.quarter(FiscalQuarter(2563, 3)))
        codes = {(p.activity.measure.dimension.number, p.activity.code) for p in q3}
    assert q2 == []  # nothing was due before April 2563
    assert (2, "1.1.1") in codes and (
        2,
        "4.1.2",
    ) not in codes  # April items late; the Apr–Sep one not yet


# --- public --------------------------------------------------------------------------------------


def test_transparency_shows_only_public_evidence(app, client, login_as, make_office, make_user):
    from infocenter.auth.models import User
    from infocenter.integrity.models import PlanActivity
    from infocenter.integrity.operations import link

    province = make_office("NSW", kind="province")
    _import_seed(app)
    open_id = make_entry(app, province, "ประกาศเปิดศูนย์ข้อมูลข่าวสาร")
    closed_id = make_entry(app, province, "บันทึกลับเรื่องการแต่งตั้ง", disclosure="closed")
    draft_id = make_entry(app, province, "ร่างคำสั่งที่ยังไม่เผยแพร่", state="draft")
    name = make_user("clerk", office_id=province)
    activity_id = _activity_id(app, 2, "1.1.1")
    with app.test_request_context():
        user = db.session.scalars(select(User).where(User.username == name)).one()
        activity = db.session.get(PlanActivity, activity_id)
        for entry_id in (open_id, closed_id, draft_id):
            link(activity, province, "entry", user=user, entry_id=entry_id)
        link(
            activity,
            province,
            "url",
            user=user,
            url="https://example.go.th/internal",
            note="ลิงก์ภายใน",
        )
        link(
            activity,
            province,
            "url",
            user=user,
            url="https://example.go.th/open",
            note="ภาพป้ายศูนย์",
            public=True,
        )
        db.session.commit()
    html = client.get("/transparency").get_data(as_text=True)
    assert "ประกาศเปิดศูนย์ข้อมูลข่าวสาร" in html and f"/documents/{open_id}" in html
    assert "ภาพป้ายศูนย์" in html
    for hidden in (
        "บันทึกลับเรื่องการแต่งตั้ง",
        "ร่างคำสั่งที่ยังไม่เผยแพร่",
        "ลิงก์ภายใน",
        f"/documents/{closed_id}",
    ):
        assert hidden not in html
    assert "ด้านการเปิดเผยข้อมูล" in html
    # Opened from /transparency, the entry's page is there for the citizen.
    assert client.get(f"/documents/{open_id}").status_code == 200


def test_the_printable_transparency_pdf(app, client, make_office, tmp_path):
    from tests.pdfread import flat, pdftotext

    make_office("NSW", kind="province")
    _import_seed(app)
    response = client.get("/transparency.pdf?year=๒๕๖๓")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "t.pdf"
    path.write_bytes(response.data)
    assert "ด้านการเปิดเผยข้อมูล" in flat(pdftotext(path))


def test_the_indicator_map_round_trips_through_csv(app, client, login_as, make_office):
    from infocenter.integrity.models import IndicatorItem

    province = make_office("NSW", kind="province")
    _import_seed(app)
    entry_id = make_entry(app, province, "สถิติการให้บริการศูนย์ข้อมูลข่าวสาร")
    login_as("admin")
    csv_in = (
        "fiscal_year,code,title,activities,links\n"
        '๒๕๖๓,o5,ข้อมูลเชิงสถิติการให้บริการ,"2:4.1.1; 2:4.1.2",https://example.go.th/stat\n'
        "2563,o10,ช่องทางการสื่อสาร,2:5.1.3,\n"
    )
    response = client.post(
        "/admin/indicators",
        data={"csv-file": (io.BytesIO(csv_in.encode("utf-8-sig")), "oit.csv"), "csv-submit": "1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.test_request_context():
        from infocenter.auth.models import User
        from infocenter.integrity.models import PlanActivity
        from infocenter.integrity.operations import link

        admin = db.session.scalars(select(User).where(User.role == "admin")).one()
        link(
            db.session.get(PlanActivity, _activity_id(app, 2, "4.1.1")),
            province,
            "entry",
            user=admin,
            entry_id=entry_id,
        )
        db.session.commit()
    exported = client.get("/transparency/indicators.csv?year=2563")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    assert "o5,ข้อมูลเชิงสถิติการให้บริการ,2:4.1.1; 2:4.1.2,https://example.go.th/stat" in text
    with app.app_context():
        before = [
            (i.fiscal_year, i.code, i.title, i.ref_list, i.url_list)
            for i in db.session.scalars(select(IndicatorItem).order_by(IndicatorItem.code))
        ]
    # Importing the export back changes nothing.
    client.post(
        "/admin/indicators",
        data={"csv-file": (io.BytesIO(exported.data), "again.csv"), "csv-submit": "1"},
        content_type="multipart/form-data",
    )
    with app.app_context():
        after = [
            (i.fiscal_year, i.code, i.title, i.ref_list, i.url_list)
            for i in db.session.scalars(select(IndicatorItem).order_by(IndicatorItem.code))
        ]
    assert after == before and len(after) == 2
    page = client.get("/transparency").get_data(as_text=True)
    assert (
        "o5" in page
        and "สถิติการให้บริการศูนย์ข้อมูลข่าวสาร" in page
        and "https://example.go.th/stat" in page
    )


def test_a_bad_indicator_csv_is_refused_by_line(app, client, login_as):
    login_as("admin")
    bad = "fiscal_year,code,title\n63,o1,โครงสร้าง\n2563,,ผู้บริหาร\n"
    response = client.post(
        "/admin/indicators",
        data={"csv-file": (io.BytesIO(bad.encode()), "x.csv"), "csv-submit": "1"},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "บรรทัด 2" in html and "บรรทัด 3" in html


@pytest.mark.parametrize("path", ["/staff/plan", "/transparency"])
def test_pages_before_any_plan(app, client, login_as, path):
    login_as("supervisor")
    assert client.get(path).status_code == 200


def test_the_quarterly_report_lists_late_activities(app, make_office, tmp_path):
    from infocenter.admin.models import Office
    from infocenter.reports.quarterly import ReportMeta, build_pdf, collect
    from infocenter.thai import FiscalQuarter, now_utc
    from tests.pdfread import flat, pdftotext

    make_office("NSW", kind="province")
    _import_seed(app)
    fq = FiscalQuarter(2563, 3)
    path = tmp_path / "q.pdf"
    with app.app_context():
        office = db.session.scalars(select(Office)).one()
        meta = ReportMeta(
            report_code="RPT-TEST", generated_at=now_utc(), office=office, addressee="พัฒนาการจังหวัด"
        )
        build_pdf(str(path), fq, [collect(fq, None, "ภาพรวม")], meta, whole="ภาพรวม")
    text = flat(pdftotext(path))
    assert flat("กิจกรรมตามแผนปฏิบัติการด้านคุณธรรมและความโปร่งใสที่ล่าช้า") in text
    assert flat("จัดทำดัชนีข้อมูลข่าวสารไว้ให้บริการ") in text  # 2:3.1.1, due in April 2563


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_an_uploaded_photo_is_evidence_and_public_only_when_ticked(
    app, client, login_as, make_office
):
    from infocenter.integrity.models import EvidenceLink

    province = make_office("NSW", kind="province")
    _import_seed(app)
    activity_id = _activity_id(app, 2, "1.1.3")  # the sign
    login_as("clerk", office_id=province)
    url = f"/staff/plan/activities/{activity_id}"
    bad = client.post(
        url,
        data={
            "kind": "file",
            "office_id": province,
            "note": "ป้าย",
            "file": (io.BytesIO(b"not an image"), "ป้าย.png"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and "ไม่รับไฟล์ประเภทนี้" in bad.get_data(as_text=True)
    for public, name in ((True, "ภาพป้ายศูนย์.png"), (False, "ภาพภายใน.png")):
        data = {"kind": "file", "office_id": province, "note": "", "file": (io.BytesIO(PNG), name)}
        if public:
            data["public"] = "y"
        assert client.post(url, data=data, content_type="multipart/form-data").status_code == 302
    with app.app_context():
        shown, hidden = db.session.scalars(select(EvidenceLink).order_by(EvidenceLink.id)).all()
        assert (
            shown.state == "confirmed"
            and shown.original_name == "ภาพป้ายศูนย์.png"
            and not hidden.public
        )
    client.post("/logout")
    page = client.get("/transparency").get_data(as_text=True)
    assert "ภาพป้ายศูนย์.png" in page and "ภาพภายใน.png" not in page
    with client.get(f"/transparency/evidence/{shown.id}") as response:
        assert response.data == PNG
    assert client.get(f"/transparency/evidence/{hidden.id}").status_code == 404


def test_only_clerks_and_admins_change_the_plan(app, client, login_as, make_office):
    province = make_office("NSW", kind="province")
    _import_seed(app)
    activity_id = _activity_id(app, 2, "1.1.1")
    assert "/login" in client.post("/staff/plan/propose").headers["Location"]
    assert "/login" in client.post("/staff/plan/evidence/1/confirm").headers["Location"]
    login_as("supervisor", office_id=province)
    assert client.post("/staff/plan/propose").status_code == 403
    assert (
        client.post(
            f"/staff/plan/activities/{activity_id}",
            data={"kind": "url", "office_id": province, "url": "https://example.go.th"},
        ).status_code
        == 403
    )
    assert client.post("/staff/plan/import").status_code == 403


def test_the_plan_csv_reads_back_into_the_same_plan(app, client, make_office):
    province = make_office("NSW", kind="province")
    _import_seed(app)
    original = _parse(app)
    with app.test_request_context():
        from infocenter.auth.models import User
        from infocenter.integrity.models import PlanActivity
        from infocenter.integrity.operations import link

        db.session.add(User(username="c1", role="clerk", office_id=province, password_hash="x"))
        db.session.flush()
        user = db.session.scalars(select(User)).one()
        link(
            db.session.get(PlanActivity, _activity_id(app, 2, "1.1.1")),
            province,
            "url",
            user=user,
            url="https://example.go.th/sign",
            public=True,
        )
        db.session.commit()
    response = client.get("/transparency/plan.csv?year=2563")
    assert response.status_code == 200 and "https://example.go.th/sign" in response.get_data(
        as_text=True
    )
    again = _parse(app, response.data, "plan.csv")

    def shape(parsed):
        return [
            (
                d.number,
                d.title,
                [
                    (
                        m.level,
                        m.number,
                        m.title,
                        [
                            (
                                a.code,
                                a.title,
                                a.start,
                                a.end,
                                a.responsible,
                                a.provincial,
                                a.districts,
                                a.evidence,
                            )
                            for a in m.activities
                        ],
                    )
                    for m in d.measures
                ],
            )
            for d in parsed.dimensions
        ]

    assert again.fiscal_year == 2563
    assert shape(again) == shape(original)


def test_importing_the_plan_again_keeps_the_evidence_already_linked(
    app, runner, make_office, make_user, tmp_path
):
    from infocenter.auth.models import User
    from infocenter.integrity.models import EvidenceLink, PlanActivity
    from infocenter.integrity.operations import link

    province = make_office("NSW", kind="province")
    _import_seed(app)
    name = make_user("clerk", office_id=province)
    with app.test_request_context():
        user = db.session.scalars(select(User).where(User.username == name)).one()
        link(
            db.session.get(PlanActivity, _activity_id(app, 2, "4.1.2")),
            province,
            "url",
            user=user,
            url="https://example.go.th/report-q3",
        )
        db.session.commit()
    path = tmp_path / "plan.txt"
    path.write_bytes(_seed_bytes())
    assert runner.invoke(args=["plan", "import", str(path)]).exit_code == 0
    with app.app_context():
        evidence = db.session.scalars(select(EvidenceLink)).one()
        assert evidence.activity.ref == "2:4.1.2" and evidence.state == "confirmed"
        assert db.session.scalar(select(func.count(PlanActivity.id))) == 50


def test_an_indicator_naming_an_unknown_activity_is_flagged_and_can_be_deleted(
    app, client, login_as, make_office
):
    from infocenter.integrity.models import IndicatorItem

    make_office("NSW", kind="province")
    _import_seed(app)
    login_as("admin")
    response = client.post(
        "/admin/indicators",
        data={
            "item-fiscal_year": "๒๕๖๓",
            "item-code": "o7",
            "item-title": "ข้อมูลผู้บริหาร",
            "item-activities": "2:๑.๑.๒; 2:9.9.9",
            "item-links": "",
            "item-submit": "1",
        },
    )
    assert response.status_code == 302
    page = client.get("/admin/indicators").get_data(as_text=True)
    assert "ไม่พบกิจกรรมนี้ในแผนของปีนั้น: 2:9.9.9" in page and "2:1.1.2," not in page
    with app.app_context():
        item_id = db.session.scalar(select(IndicatorItem.id))
    assert client.post(f"/admin/indicators/{item_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(IndicatorItem.id))) == 0


def test_a_year_written_below_the_table_still_dates_the_periods(app):
    rows = [line.split(",") for line in MESSY_CSV.splitlines()] + [["ประจำปีงบประมาณ พ.ศ. ๒๕๖๓"]]
    from infocenter.integrity.importer import parse_rows

    with app.test_request_context():
        parsed = parse_rows(rows)
    assert parsed.fiscal_year == 2563 and parsed.activities[0].start == date(2020, 6, 1)
    assert [p.line for p in parsed.problems] == [4]  # only the unreadable "เมษา ๖๓"


def test_a_district_sees_only_the_activities_it_carries_out(app, client, login_as, make_office):
    from infocenter.integrity.stats import plan_for_year, plan_progress

    province = make_office("NSW", kind="province")
    district = make_office("NSW01", kind="district", parent_id=province)
    _import_seed(app)
    with app.app_context():
        rows = plan_progress(plan_for_year(2563), office_ids=(district,))
        refs = {p.activity.ref for p in rows}
    assert "3:1.1.1" in refs and "2:1.1.1" not in refs  # สพจ./สพอ. yes; สพจ. only no
    login_as("clerk", office_id=district)
    page = client.get("/staff/plan").get_data(as_text=True)
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert (
        "ศูนย์ข้อมูลข่าวสาร" not in body and "มีการเผยแพร่งานตามภารกิจหลัก" in body
    )  # dimension 2 is the province's
