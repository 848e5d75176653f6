"""Per-process caches of settings and the layout heading: a change made here shows at once, a
change made by another process (another worker, the CLI) within the TTL, and a restore at once."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from infocenter import cache, settings
from infocenter.extensions import db

pytestmark = pytest.mark.postgres


def _ttl_passes(monkeypatch, seconds: float) -> None:
    now = cache.time.monotonic() + seconds
    monkeypatch.setattr(cache.time, "monotonic", lambda: now)


def test_a_setting_changed_in_this_process_shows_at_once(app):
    with app.app_context():
        assert settings.get("public_per_page") == 20
        settings.put("public_per_page", 35)
        assert settings.get("public_per_page") == 35  # before the commit, in the same session
        db.session.commit()
        assert settings.get("public_per_page") == 35
    with app.app_context():  # a later request
        assert settings.get("public_per_page") == 35


def test_another_process_change_shows_within_the_ttl(app, client, monkeypatch):
    with app.app_context():
        assert settings.get("public_per_page") == 20
        # What another worker's commit looks like from here: rows changed behind this process's ORM.
        db.session.execute(text("INSERT INTO settings (key, value) VALUES ('public_per_page', '7')"))
        db.session.commit()
    with app.app_context():
        assert settings.get("public_per_page") == 20  # still cached
        _ttl_passes(monkeypatch, settings.SETTINGS_TTL + 1)
        assert settings.get("public_per_page") == 7


def test_office_renamed_heads_the_next_page(app, client):
    from infocenter.admin.models import default_office

    assert "สำนักงานใหม่ชื่อทดสอบ" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        default_office().name = "สำนักงานใหม่ชื่อทดสอบ"
        db.session.commit()
    assert "สำนักงานใหม่ชื่อทดสอบ" in client.get("/").get_data(as_text=True)


def test_clear_all_forgets_everything(app):
    with app.app_context():
        assert settings.get("public_per_page") == 20
        db.session.execute(text("INSERT INTO settings (key, value) VALUES ('public_per_page', '9')"))
        db.session.commit()
        assert settings.get("public_per_page") == 20
        cache.clear_all()
        assert settings.get("public_per_page") == 9
