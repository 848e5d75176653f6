"""Atom feeds: news posts and new/updated public index entries; escaping, RFC 3339 dates, stable
ids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from infocenter.extensions import db
from tests.factories import make_entry

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _post(app, **fields) -> int:
    from infocenter.admin.operations import ensure_main_office
    from infocenter.publishing.models import Post

    with app.app_context():
        post = Post(office_id=ensure_main_office().id, **fields)
        db.session.add(post)
        db.session.commit()
        return post.id


def _feed(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.data)  # fails on any escaping mistake


def test_news_feed_lists_published_posts_with_escaped_text_and_rfc3339_dates(app, client):
    published = datetime(2020, 5, 4, 2, 30, tzinfo=UTC)
    _post(
        app,
        title="ประกาศ <รับสมัคร> & “ข่าว”",
        body="ข้อความ <b>ไม่ใช่ HTML</b> & อื่น ๆ",
        state="published",
        published_at=published,
    )
    _post(app, title="ร่างที่ยังไม่เผยแพร่", state="draft")
    _post(
        app, title="ตั้งเวลาไว้", state="scheduled", scheduled_at=datetime.now(UTC) + timedelta(days=1)
    )
    feed = _feed(client, "/feeds/news.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["ประกาศ <รับสมัคร> & “ข่าว”"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}summary") == "ข้อความ <b>ไม่ใช่ HTML</b> & อื่น ๆ"
    assert entry.findtext(f"{ATOM}published") == "2020-05-04T02:30:00Z"
    assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    assert entry.findtext(f"{ATOM}id").startswith("tag:localhost,")
    assert re.search(r"/news/\d+$", entry.find(f"{ATOM}link[@rel='alternate']").get("href"))
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/feeds/news.atom")


def test_feed_ids_stay_the_same_when_a_post_is_edited(app, client):
    from infocenter.publishing.models import Post

    post_id = _post(app, title="ก่อนแก้", state="published", published_at=datetime.now(UTC))
    first = _feed(client, "/feeds/news.atom").find(f"{ATOM}entry")
    with app.app_context():
        db.session.get(Post, post_id).title = "หลังแก้"
        db.session.commit()
    second = _feed(client, "/feeds/news.atom").find(f"{ATOM}entry")
    assert second.findtext(f"{ATOM}title") == "หลังแก้"
    assert second.findtext(f"{ATOM}id") == first.findtext(f"{ATOM}id")
    assert re.match(
        r"^tag:localhost,\d{4}-\d{2}-\d{2}:infocenter/news/\d+$", first.findtext(f"{ATOM}id")
    )


def test_public_base_url_sets_links_and_tag_authority(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://info.example.go.th"
    _post(app, title="ข่าว", state="published", published_at=datetime.now(UTC))
    entry = _feed(client, "/feeds/news.atom").find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id").startswith("tag:info.example.go.th,")
    assert entry.find(f"{ATOM}link").get("href").startswith("https://info.example.go.th/news/")


def test_index_feed_shows_only_public_entries_newest_update_first(app, client):
    make_entry(
        app,
        title="แผนปฏิบัติราชการ ๒๕๖๓",
        state="published",
        disclosure="open",
        summary="สรุป <ย่อ> & ครบ",
    )
    make_entry(app, title="สัญญาเปิดเผยบางส่วน", state="published", disclosure="partial")
    make_entry(app, title="เอกสารลับ", state="published", disclosure="closed")
    make_entry(app, title="ร่างเอกสาร", state="draft", disclosure="open")
    make_entry(app, title="ถอนแล้ว", state="withdrawn", disclosure="open")
    feed = _feed(client, "/feeds/index.atom")
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert sorted(titles) == ["สัญญาเปิดเผยบางส่วน", "แผนปฏิบัติราชการ ๒๕๖๓"]
    plan = [
        e for e in feed.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title").startswith("แผน")
    ][0]
    assert plan.findtext(f"{ATOM}summary") == "สรุป <ย่อ> & ครบ"
    assert "infocenter/index-entry/" in plan.findtext(f"{ATOM}id")
    assert plan.find(f"{ATOM}category").get("term").startswith("9(3)")
    # The entry links to its public page, which opens.
    link = plan.find(f"{ATOM}link").get("href")
    assert "/documents/" in link
    assert client.get(link.split("localhost", 1)[-1]).status_code == 200


def test_empty_feeds_are_valid(client):
    for path in ("/feeds/news.atom", "/feeds/index.atom"):
        feed = _feed(client, path)
        assert feed.findall(f"{ATOM}entry") == []
        assert feed.findtext(f"{ATOM}id").startswith("tag:")
