"""The append-only audit log."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from infocenter.admin.models import Office
from infocenter.audit import AuditEntry, acting_as, history, with_reason
from infocenter.extensions import db


def test_create_update_delete_are_logged_with_old_and_new_values(app):
    with app.app_context(), acting_as("tester"):
        office = Office(code="NSW09", name="สำนักงานพัฒนาชุมชนอำเภอตาคลี", kind="district")
        db.session.add(office)
        db.session.commit()
        office.phone = "0 5626 1234"
        db.session.commit()
        office_id = office.id
        with_reason(db.session, "ยุบรวมสำนักงาน")
        db.session.delete(office)
        db.session.commit()

        entries = history("Office", office_id)
        assert [e.action for e in entries] == ["create", "update", "delete"]
        assert all(e.actor == "tester" for e in entries)
        assert entries[0].changes["name"] == [None, "สำนักงานพัฒนาชุมชนอำเภอตาคลี"]
        assert entries[1].changes == {"phone": ["", "0 5626 1234"]}
        assert entries[2].changes["code"] == ["NSW09", None]
        assert entries[2].reason == "ยุบรวมสำนักงาน"
        assert entries[0].reason is None


def test_unchanged_assignment_writes_nothing(app):
    with app.app_context():
        office = Office(code="NSW10", name="ก", kind="district")
        db.session.add(office)
        db.session.commit()
        office.name = "ก"
        db.session.commit()
        assert [e.action for e in history("Office", office.id)] == ["create"]


def test_password_changes_are_logged_without_the_hash(app, make_user):
    from infocenter.auth.models import User

    make_user("clerk", username="malee")
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "malee")).one()
        user.set_password("another-password-2")
        db.session.commit()
        last = history("User", user.id)[-1]
        assert last.changes["password_hash"] == ["***", "***"]
        assert "pbkdf2" not in str(last.changes) and "scrypt" not in str(last.changes)


def test_web_edits_record_the_logged_in_user(app, client, login_as):
    login_as("admin", username="boss")
    response = client.post(
        "/admin/offices/new",
        data={
            "code": "nsw02",
            "name": "สำนักงานพัฒนาชุมชนอำเภอโกรกพระ",
            "kind": "district",
            "parent_id": "0",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        office = db.session.scalars(db.select(Office).where(Office.code == "NSW02")).one()
        (entry,) = history("Office", office.id)
        assert entry.actor == "boss" and entry.user_id is not None and entry.office_id is None


def test_the_log_refuses_updates_and_deletes_in_the_database(app):
    with app.app_context(), acting_as("tester"):
        db.session.add(Office(code="NSW11", name="ข", kind="district"))
        db.session.commit()
        before = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
        assert before > 0
        for sql in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(DatabaseError):
                with db.engine.begin() as conn:
                    conn.execute(text(sql))
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == before
        assert (
            db.session.scalar(db.select(db.func.count()).where(AuditEntry.actor == "someone else"))
            == 0
        )


def test_admin_browses_and_filters_the_log(app, client, login_as):
    login_as("admin", username="boss")
    client.post(
        "/admin/offices/new",
        data={"code": "NSW03", "name": "สำนักงานทดสอบสาม", "kind": "district", "parent_id": "0"},
    )
    page = client.get("/admin/audit?type=Office").get_data(as_text=True)
    assert "สำนักงานทดสอบสาม" in page and "boss" in page
    empty = client.get("/admin/audit?type=Office&actor=nobody").get_data(as_text=True)
    assert "ยังไม่มีรายการ" in empty
