"""PDPA: after `flask privacy purge`, a planted name and phone number are in no table, no audit
row and (on SQLite) not in the database file's bytes; reply files and old backups are gone."""

from __future__ import annotations

import io
import os
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select

from infocenter.audit import AuditEntry
from infocenter.counter.models import Visit, ensure_counter_defaults
from infocenter.extensions import db
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.thai import OFFICE_TZ, now_utc

pytestmark = pytest.mark.postgres

NAME = "สมหญิงลับเฉพาะ"
PHONE = "0899912345"


def _visit_lists(client):
    import re

    page = client.get("/counter").get_data(as_text=True)
    return {
        name: value
        for name, value in re.findall(
            r'<select[^>]*name="(visitor_type_id|purpose_id)"[^>]*>.*?<option[^>]*value="(\d+)"',
            page,
            re.S,
        )
    }


def _every_text_value() -> str:
    """Every text column of every row of every table, as one string."""
    chunks = []
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if isinstance(c.type, String | Text) or c.name == "changes"
        ]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            chunks.extend(str(v) for v in row)
    return "\n".join(chunks)


def test_planted_name_and_phone_are_gone_everywhere_after_the_purge(
    app, client, runner, login_as, make_office
):
    with app.app_context():
        ensure_counter_defaults()  # what the migrations seed
        db.session.commit()
    login_as("clerk")
    lists = _visit_lists(client)
    assert set(lists) == {"visitor_type_id", "purpose_id"}
    # At the counter: a visit naming the visitor in every field, later voided with a reason naming
    # them.
    response = client.post(
        "/counter",
        data={
            **lists,
            "channel": "walk_in",
            "outcome": "full",
            "pages_copied": "0",
            "pages_certified": "0",
            "visitor_name": NAME,
            "visitor_contact": PHONE,
            "note": f"โทรกลับ {NAME} {PHONE}",
            "fee_waived": "y",
            "waiver_reason": f"{NAME} ผู้สูงอายุ",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with app.app_context():
        visit_id = db.session.scalars(select(Visit.id)).one()
    assert (
        client.post(
            f"/counter/{visit_id}/void", data={"reason": f"{NAME} ขอยกเลิก โทร {PHONE}"}
        ).status_code
        == 302
    )
    # A request: name, phone, subject, purpose, a note, a step note and a reply file.
    with app.app_context():
        office_id = db.session.get(Visit, visit_id).office_id
        inquiry, _ = create_inquiry(
            NewInquiry(
                office_id=office_id,
                channel="online",
                requester_name=NAME,
                requester_phone=PHONE,
                subject=f"สำเนาคำสั่งแต่งตั้ง {NAME}",
                purpose=f"ติดต่อ {PHONE}",
                received_at=datetime(2023, 1, 9, 10, tzinfo=OFFICE_TZ),
            )
        )
        db.session.commit()
        inquiry_id = inquiry.id
    url = f"/requests/{inquiry_id}"
    assert client.post(url + "/notes", data={"text": f"โทรหา {NAME} ที่ {PHONE}"}).status_code == 302
    assert (
        client.post(
            url + "/files",
            data={"file": (io.BytesIO(b"%PDF-1.4 " + PHONE.encode()), f"{NAME}.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    with app.app_context():
        inquiry = db.session.get(Inquiry, inquiry_id)
        transition(
            inquiry, "closed", None, day=date(2023, 1, 20), outcome="full", note=f"แจ้ง {NAME} แล้ว"
        )
        stored = Path(app.config["UPLOAD_DIR"]) / "inquiries" / inquiry.files[0].stored_name
        # The visit happened long ago too.
        db.session.get(Visit, visit_id).visited_at = now_utc() - timedelta(days=800)
        db.session.commit()
        assert NAME in _every_text_value() and PHONE in _every_text_value()
    assert stored.exists()
    # An old backup archive and a fresh one.
    backups = Path(app.instance_path) / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    old_backup, new_backup = (
        backups / "infocenter-20200101-000000.tar.gz",
        backups / "infocenter-new.tar.gz",
    )
    for path in (old_backup, new_backup):
        path.write_bytes(b"archive")
    stamp = time.time() - 800 * 86400
    os.utime(old_backup, (stamp, stamp))

    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output

    with app.app_context():
        everything = _every_text_value()
        assert NAME not in everything and PHONE not in everything
        audit = " ".join(f"{a.changes} {a.reason}" for a in db.session.scalars(select(AuditEntry)))
        assert NAME not in audit and PHONE not in audit
        inquiry = db.session.get(Inquiry, inquiry_id)
        assert inquiry.outcome == "full" and inquiry.files == [] and inquiry.personal_erased_at
        assert (
            db.session.get(Visit, visit_id).voided_at is not None
        )  # still voided, still counted out
        database = db.engine.url.database if db.engine.dialect.name == "sqlite" else None
        db.session.remove()
        db.engine.dispose()
    assert not stored.exists()
    assert not old_backup.exists() and new_backup.exists()
    if database:
        for suffix in ("", "-wal"):
            path = Path(database + suffix)
            if path.exists():
                data = path.read_bytes()
                assert NAME.encode() not in data and PHONE.encode() not in data, suffix


def test_sqlite_connections_use_secure_delete(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        assert db.session.execute(db.text("PRAGMA secure_delete")).scalar() == 1


def test_one_purge_command_runs_every_purger(runner):
    from infocenter.privacy.purge import PURGERS

    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == [
        name for name, _ in PURGERS
    ]
    assert {name for name, _ in PURGERS} == {
        "visits",
        "requests",
        "logins",
        "backups",
        "line messages",
    }
    assert "erase-personal" not in runner.invoke(args=["inquiries", "--help"]).output
