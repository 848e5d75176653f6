"""The counter page: logging, validation, same-as-last, edit and void (audited), roles, admin
lists."""

from __future__ import annotations

from datetime import timedelta

import pytest

from infocenter.audit import AuditEntry
from infocenter.counter.models import (
    Visit,
)
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import visits as vs
from infocenter.thai import local_today, now_utc, to_local
from tests.factories import form


def today_scope() -> Scope:
    return Scope(local_today() - timedelta(days=400), local_today())


def test_a_visit_saved_with_every_field(app, client, login_as, lists):
    login_as("clerk", username="malee", full_name="นางมาลี รักษ์ชุมชน")
    e1, e2 = lists["entries"]
    yesterday = to_local(now_utc() - timedelta(days=1))
    typed_time = f"{yesterday:%d/%m}/{yesterday.year + 543} 14:30"
    response = client.post(
        "/counter",
        data=form(
            lists,
            visitor_type_id=lists["types"]["business"],
            purpose_id=lists["purposes"]["certified_copy"],
            channel="letter",
            outcome="partial",
            entries=f"นว 0017/1, #{e2}",
            pages_copied="6",
            pages_certified="2",
            fee_rate_id=lists["rates"]["F4"],
            fee_waived="y",
            waiver_reason="ผู้มีรายได้น้อย",
            visitor_name="นายสมศักดิ์ ทดสอบ",
            visitor_contact="081-234-5678",
            satisfaction="4",
            visited_at=typed_time,
            note="มาพร้อมหนังสือมอบอำนาจ",
        ),
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "บันทึกผู้ใช้บริการรายที่" in page and "ค่าธรรมเนียม 19.00 บาท (ยกเว้น)" in page
    with app.app_context():
        visit = db.session.scalars(db.select(Visit)).one()
        # 6 F4 pages × 1.50 + 2 certified × 5 = 19 baht, waived.
        assert (visit.pages_copied, visit.pages_certified, visit.fee_satang, visit.fee_waived) == (
            6,
            2,
            1900,
            True,
        )
        assert visit.waiver_reason == "ผู้มีรายได้น้อย"
        assert (visit.channel, visit.outcome, visit.satisfaction) == ("letter", "partial", 4)
        assert sorted(visit.entry_ids) == sorted([e1, e2])
        assert (visit.visitor_name, visit.visitor_contact) == ("นายสมศักดิ์ ทดสอบ", "081-234-5678")
        assert visit.served_by.username == "malee"
        assert visit.backdated is True and visit.source == "counter"
        local = to_local(visit.visited_at)
        assert (local.date(), local.hour, local.minute) == (yesterday.date(), 14, 30)
        assert visit.note == "มาพร้อมหนังสือมอบอำนาจ"
        # The audit log notes the name was given, never the name itself.
        created = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.record_type == "Visit")
        ).one()
        assert created.changes["visitor_name"] == ["***", "***"]
        assert "สมศักดิ์" not in str(created.changes)


def test_the_common_visit_needs_few_inputs_and_is_not_backdated(app, client, login_as, lists):
    login_as("clerk")
    response = client.post(
        "/counter",
        data={
            "visitor_type_id": lists["types"]["public"],
            "purpose_id": lists["purposes"]["inspect"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        visit = db.session.scalars(db.select(Visit)).one()
        assert visit.backdated is False and visit.channel == "walk_in" and visit.outcome == "full"
        assert visit.fee_satang == 0 and visit.satisfaction is None
        assert abs((visit.visited_at - now_utc()).total_seconds()) < 60


def test_page_is_keyboard_first_and_lists_todays_visits(app, client, login_as, lists):
    login_as("clerk")
    client.post("/counter", data=form(lists, entries="นว 0017/2"))
    page = client.get("/counter").get_data(as_text=True)
    assert "autofocus" in page and 'accesskey="s"' in page and "Alt+L" in page
    assert 'name="csrf_token"' in page or "csrf_token" in page
    assert "แจ้งการเก็บข้อมูลส่วนบุคคล" in page and "/privacy" in page
    assert 'id="todays-visits"' in page and "นว 0017/2" in page
    assert "<script>" not in page and "onclick" not in page
    assert "js/counter.js" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"pages_copied": "2", "pages_certified": "5"}, "จำนวนหน้ารับรองต้องไม่เกินจำนวนหน้าสำเนาทั้งหมด"),
        ({"entries": "นว 9999/99"}, "ไม่พบเลขที่หนังสือ “นว 9999/99” ในดัชนี"),
        ({"entries": "#999999"}, "ไม่พบรายการเลขที่ #999999 ในดัชนี"),
        (
            {"pages_copied": "3", "fee_waived": "y", "waiver_reason": ""},
            "กรุณาระบุเหตุผลที่ยกเว้นค่าธรรมเนียม",
        ),
        ({"visited_at": "31/02/2563"}, "ไม่มีวันที่"),
        ({"visited_at": "25:99"}, "กรุณาพิมพ์แบบ 24 ชั่วโมง"),
        ({"pages_copied": "สาม"}, "Not a valid integer value."),
        ({"visitor_type_id": ""}, "กรุณาเลือกประเภทผู้ใช้บริการ"),
    ],
)
def test_validation_errors_in_thai_keep_what_was_typed(
    app, client, login_as, lists, overrides, message
):
    login_as("clerk")
    data = form(lists, visitor_name="นางสาวรักษา ข้อมูลเดิม", note="ข้อความที่พิมพ์ไว้", **overrides)
    response = client.post("/counter", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    if message.startswith("Not a valid"):
        message = "ต้องเป็นตัวเลข"
    assert message in page
    assert "ยังไม่ได้บันทึก" in page
    assert 'value="นางสาวรักษา ข้อมูลเดิม"' in page and "ข้อความที่พิมพ์ไว้" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Visit.id))) == 0


def test_future_time_is_refused(app, client, login_as, lists):
    login_as("clerk")
    tomorrow = to_local(now_utc() + timedelta(days=2))
    response = client.post(
        "/counter", data=form(lists, visited_at=f"{tomorrow:%d/%m}/{tomorrow.year + 543} 10:00")
    )
    assert "เวลาในอนาคต" in response.get_data(as_text=True)


def test_same_as_last_prefills_choices_but_not_personal_data(app, client, login_as, lists):
    login_as("clerk")
    e1 = lists["entries"][0]
    client.post(
        "/counter",
        data=form(
            lists,
            visitor_type_id=lists["types"]["media"],
            purpose_id=lists["purposes"]["copy"],
            channel="phone",
            entries=f"#{e1}",
            visitor_name="คนแรก",
        ),
    )
    page = client.get("/counter?like=last").get_data(as_text=True)
    assert (
        f'value="{lists["types"]["media"]}" selected' in page
        or f'selected value="{lists["types"]["media"]}"' in page
    )
    assert f'value="#{e1}"' in page
    assert 'value="phone" selected' in page or 'selected value="phone"' in page
    assert "คนแรก" not in page.split('id="todays-visits"')[0]


def test_edit_is_audited_and_reflected_in_statistics(app, client, login_as, lists):
    login_as("clerk")
    client.post("/counter", data=form(lists))
    with app.app_context():
        visit_id = db.session.scalar(db.select(Visit.id))
        assert [c.count for c in vs.visits_by_purpose(today_scope()) if c.key == "inspect"] == [1]
    page = client.get(f"/counter/{visit_id}/edit").get_data(as_text=True)
    assert "แก้ไขรายการผู้ใช้บริการเลขที่" in page
    response = client.post(
        f"/counter/{visit_id}/edit",
        data=form(lists, purpose_id=lists["purposes"]["copy"], pages_copied="4", visited_at=""),
    )
    assert response.status_code == 302
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert (visit.pages_copied, visit.fee_satang, visit.backdated) == (4, 400, False)
        scope = today_scope()
        purposes = {c.key: c.count for c in vs.visits_by_purpose(scope)}
        assert (purposes["inspect"], purposes["copy"]) == (0, 1)
        assert vs.copies_and_fees(scope).pages_copied == 4
        update = db.session.scalars(
            db.select(AuditEntry).where(
                AuditEntry.record_type == "Visit", AuditEntry.action == "update"
            )
        ).one()
        assert update.changes["purpose_id"] == [
            lists["purposes"]["inspect"],
            lists["purposes"]["copy"],
        ]
        assert update.changes["pages_copied"] == [0, 4] and update.changes["fee_satang"] == [0, 400]


def test_void_keeps_the_visit_audits_the_reason_and_leaves_statistics(app, client, login_as, lists):
    login_as("clerk")
    client.post("/counter", data=form(lists, pages_copied="3"))
    client.post("/counter", data=form(lists))
    with app.app_context():
        first = db.session.scalar(db.select(Visit.id).order_by(Visit.id))
        assert vs.visit_count(today_scope()) == 2
    response = client.post(f"/counter/{first}/void", data={"reason": ""})
    assert "กรุณาระบุเหตุผลที่ยกเลิก" in response.get_data(as_text=True)
    response = client.post(
        f"/counter/{first}/void", data={"reason": "บันทึกซ้ำ"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "ยกเลิก: บันทึกซ้ำ" in page
    with app.app_context():
        visit = db.session.get(Visit, first)
        assert visit.voided_at is not None and visit.void_reason == "บันทึกซ้ำ"
        scope = today_scope()
        assert vs.visit_count(scope) == 1
        assert vs.copies_and_fees(scope).pages_copied == 0
        entry = db.session.scalars(
            db.select(AuditEntry).where(
                AuditEntry.record_type == "Visit",
                AuditEntry.record_id == str(first),
                AuditEntry.action == "update",
            )
        ).one()
        # The reason stays on the visit; the log says a void happened, never the words (PDPA).
        assert entry.reason == "ยกเลิกรายการผู้ใช้บริการ" and entry.changes["void_reason"] == [
            "***",
            "***",
        ]


def test_clerk_cannot_touch_another_offices_visit(app, client, login_as, make_office, lists):
    other = make_office("NSW02", kind="district")
    with app.app_context():
        v = Visit(
            office_id=other,
            visitor_type_id=lists["types"]["public"],
            purpose_id=lists["purposes"]["inspect"],
        )
        db.session.add(v)
        db.session.commit()
        vid = v.id
    login_as("clerk")
    assert client.get(f"/counter/{vid}/edit").status_code == 404
    assert client.post(f"/counter/{vid}/void", data={"reason": "ลองดู"}).status_code == 404
    assert f'id="visit-{vid}"' not in client.get("/counter").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("supervisor", 403), (None, 302)])
def test_supervisors_and_anonymous_cannot_log_visits(app, client, login_as, lists, role, status):
    if role:
        login_as(role)
    response = client.post("/counter", data=form(lists))
    assert response.status_code == status
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Visit.id))) == 0


def test_admin_edits_lists_and_fee_table(app, client, login_as, lists):
    login_as("admin")
    page = client.get("/counter/lists").get_data(as_text=True)
    assert "นักเรียน/นักศึกษา/นักวิจัย" in page and "ค่ารับรองสำเนาถูกต้อง" in page
    response = client.post(
        "/counter/lists/types/new",
        data={"name": "องค์กรพัฒนาเอกชน", "sort_order": "65", "active": "y"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/counter/fees/{lists['rates']['A4']}",
        data={
            "name": "สำเนาขนาด A4",
            "code": "A4",
            "kind": "page",
            "baht": "ห้า",
            "sort_order": "10",
            "active": "y",
        },
    )
    assert "“ห้า” ไม่ใช่ตัวเลข" in response.get_data(as_text=True) and "เช่น 1.50" in response.get_data(
        as_text=True
    )
    response = client.post(
        f"/counter/fees/{lists['rates']['A4']}",
        data={
            "name": "สำเนาขนาด A4",
            "code": "A4",
            "kind": "page",
            "baht": "0.50",
            "sort_order": "10",
            "active": "y",
        },
    )
    assert response.status_code == 302
    page = client.get("/counter").get_data(as_text=True)
    assert "องค์กรพัฒนาเอกชน" in page
    client.post("/counter", data=form(lists, pages_copied="10"))
    with app.app_context():
        assert db.session.scalar(db.select(Visit.fee_satang)) == 500  # 10 × 0.50 baht
        assert db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.record_type == "FeeRate")
        ).first()


def test_a_code_already_taken_is_refused_next_to_the_field(app, client, login_as, lists):
    """A list entry or a fee rate given another's code: refused in Thai on the code field, with
    what was typed kept; its own code, unchanged, is fine."""
    login_as("admin")
    client.post(
        "/counter/lists/types/new",
        data={"name": "องค์กรพัฒนาเอกชน", "code": "ngo", "sort_order": "65", "active": "y"},
    )
    again = client.post(
        "/counter/lists/types/new",
        data={"name": "มูลนิธิ", "code": "ngo", "sort_order": "66", "active": "y"},
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "รหัสนี้ถูกใช้แล้ว" in page and "มูลนิธิ" in page
    rate = {"name": "สำเนา", "kind": "page", "baht": "1", "sort_order": "5", "active": "y"}
    taken = client.post("/counter/fees/new", data={**rate, "code": "A4"})
    assert taken.status_code == 200 and "รหัสนี้ถูกใช้แล้ว" in taken.get_data(as_text=True)
    own = client.post(f"/counter/fees/{lists['rates']['A4']}", data={**rate, "code": "A4"})
    assert own.status_code == 302
