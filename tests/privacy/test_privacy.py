"""PDPA: the privacy notice, and the purge that erases only names and contacts past the
retention."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from infocenter import settings
from infocenter.audit import AuditEntry
from infocenter.counter.models import Visit
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import visits as vs
from infocenter.thai import local_today, now_utc
from tests.factories import make_register


def all_statistics(scope: Scope) -> dict:
    return {
        "count": vs.visit_count(scope),
        "day": vs.visits_by_day(scope),
        "month": vs.visits_by_month(scope),
        "type": vs.visits_by_visitor_type(scope),
        "purpose": vs.visits_by_purpose(scope),
        "channel": vs.visits_by_channel(scope),
        "outcome": vs.visits_by_outcome(scope),
        "category": vs.entries_by_category(scope),
        "top": vs.top_entries(scope),
        "fees": asdict(vs.copies_and_fees(scope)),
        "satisfaction": asdict(vs.satisfaction(scope)),
    }


def test_notice_is_public_and_states_the_retention(app, client):
    with app.app_context():
        settings.put("privacy_retention_days", 180)
        db.session.commit()
    page = client.get("/privacy").get_data(as_text=True)
    assert "ประกาศความเป็นส่วนตัว" in page and "๑๘๐ วัน" in page
    assert "ไม่เก็บหมายเลข IP" in page and "มาตรา ๒๔ (๔)" in page


def test_purge_erases_only_personal_fields_and_leaves_every_statistic(app, runner, make_office):
    make_register(app, make_office)
    with app.app_context():
        old = now_utc() - timedelta(days=400)
        recent = now_utc() - timedelta(days=10)
        visits = db.session.scalars(db.select(Visit).order_by(Visit.id)).all()
        for v in visits:  # every visit of the register (2019–2020) carries a name and a contact
            v.visitor_name, v.visitor_contact, v.note = (
                f"ผู้มาติดต่อ {v.id}",
                "0812345678",
                "โทรกลับคุณสมศรี",
            )
        fresh = Visit(
            office_id=visits[0].office_id,
            visited_at=recent,
            visitor_type_id=visits[0].visitor_type_id,
            purpose_id=visits[0].purpose_id,
            visitor_name="ยังอยู่ในระยะเก็บ",
            visitor_contact="a@b.th",
        )
        db.session.add(fresh)
        db.session.commit()
        assert visits[0].visited_at < old
        scope = Scope(local_today().replace(year=2019), local_today())
        before = all_statistics(scope)
        fresh_id = fresh.id

    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert "visits: 9 would be erased" in dry.output
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "erased names, contacts and notes of 9 visits older than 365 days" in result.output

    with app.app_context():
        assert all_statistics(scope) == before
        rows = db.session.scalars(db.select(Visit).order_by(Visit.id)).all()
        erased = [v for v in rows if v.id != fresh_id]
        assert all(
            v.visitor_name is None and v.visitor_contact is None and v.personal_erased_at
            for v in erased
        )
        assert all(v.note == "" for v in erased)  # free text can name people: it goes too
        kept = db.session.get(Visit, fresh_id)
        assert (kept.visitor_name, kept.visitor_contact, kept.personal_erased_at) == (
            "ยังอยู่ในระยะเก็บ",
            "a@b.th",
            None,
        )
        audit = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.actor == "privacy purge")
        ).all()
        assert len(audit) == 9
        assert all(
            "PDPA" in a.reason and a.changes["visitor_name"] == ["***", "***"] for a in audit
        )
        assert not any(
            "ผู้มาติดต่อ" in str(a.changes) for a in db.session.scalars(db.select(AuditEntry))
        )

    again = runner.invoke(args=["privacy", "purge"])
    assert "of 0 visits" in again.output
