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
        db.session.execute(
            text("INSERT INTO settings (key, value) VALUES ('public_per_page', '7')")
        )
        db.session.commit()
    with app.app_context():
        assert settings.get("public_per_page") == 20  # still cached
        _ttl_passes(monkeypatch, settings.SETTINGS_TTL + 1)
        assert settings.get("public_per_page") == 7


def test_office_renamed_heads_the_next_page(app, client):
    from infocenter.admin.operations import ensure_main_office

    assert "สำนักงานใหม่ชื่อทดสอบ" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        ensure_main_office().name = "สำนักงานใหม่ชื่อทดสอบ"
        db.session.commit()
    assert "สำนักงานใหม่ชื่อทดสอบ" in client.get("/").get_data(as_text=True)


def test_clear_all_forgets_everything(app):
    with app.app_context():
        assert settings.get("public_per_page") == 20
        db.session.execute(
            text("INSERT INTO settings (key, value) VALUES ('public_per_page', '9')")
        )
        db.session.commit()
        assert settings.get("public_per_page") == 20
        cache.clear_all()
        assert settings.get("public_per_page") == 9


def test_search_results_are_reused_but_never_show_a_withdrawn_entry(app, client, monkeypatch):
    """The public ranking is kept per process; entries are read fresh, so one withdrawn by another
    worker disappears at once and one published there appears within the TTL."""
    from infocenter.admin.operations import ensure_main_office
    from infocenter.catalogue import search as search_module
    from infocenter.catalogue.models import Category, IndexEntry, ensure_categories

    with app.app_context():
        ensure_categories()
        office = ensure_main_office().id
        cat = db.session.scalar(db.select(Category.id).where(Category.code == "9(3)"))
        db.session.add_all(
            [
                IndexEntry(
                    office_id=office, category_id=cat, title=f"แผนแม่บทฉบับที่ {i}", state="published"
                )
                for i in (1, 2)
            ]
        )
        db.session.commit()
    calls = {"n": 0}
    real = search_module._ranked  # the ranking behind a page, on both databases
    name = real.__name__

    def counted(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(search_module, name, counted)
    first = client.get("/search?q=แผนแม่บท").get_data(as_text=True)
    assert "ฉบับที่ 1" in first and "ฉบับที่ 2" in first and calls["n"] == 1
    client.get("/search?q=แผนแม่บท")
    assert calls["n"] == 1  # the ranking came from the cache
    with app.app_context():  # another worker withdraws one and publishes a third (behind this ORM)
        db.session.execute(
            text("UPDATE index_entries SET state = 'withdrawn' WHERE title LIKE '%1'")
        )
        db.session.commit()
    again = client.get("/search?q=แผนแม่บท").get_data(as_text=True)
    assert "ฉบับที่ 1" not in again and "ฉบับที่ 2" in again
    _ttl_passes(monkeypatch, app.config["SEARCH_CACHE_SECONDS"] + 1)
    client.get("/search?q=แผนแม่บท")
    assert calls["n"] == 2
    with app.app_context():  # an edit in this process drops the cached ranking at once
        entry = db.session.scalar(db.select(IndexEntry).where(IndexEntry.title.like("%2")))
        entry.title = "ประกาศอื่น"
        db.session.commit()
    page = client.get("/search?q=แผนแม่บท").get_data(as_text=True)
    assert calls["n"] == 3 and "ฉบับที่ 2" not in page


def test_the_cache_keeps_a_bounded_number_of_keys(app):
    small = cache.ProcessCache("test_bounded", (), ttl=60, max_entries=3)
    with app.app_context():
        for i in range(10):
            assert small.get(i, lambda i=i: i * 10) == i * 10
        store = app.extensions["infocenter_cache"]["test_bounded"]
        assert list(store) == [7, 8, 9]
        small.get(7, lambda: "reloaded")  # a hit moves 7 to the end
        small.get(10, lambda: 100)
        assert list(store) == [9, 7, 10]
    cache._CACHES.remove(small)
