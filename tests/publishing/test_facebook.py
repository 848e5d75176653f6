"""Posting to the office's Facebook Page, against a real HTTP server on 127.0.0.1 that checks
requests as the Graph API does (form-encoded, Page access token, /{page-id}/feed or /photos)."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from infocenter.extensions import db
from infocenter.publishing import operations
from infocenter.publishing.models import FacebookDelivery, Post
from infocenter.thai import now_utc
from tests.standins import serving

PAGE_ID = "104857600000001"
PAGE_TOKEN = "EAAtestpagetoken"
VERSION = "v21.0"


class FakeGraph:
    def __init__(self) -> None:
        self.script: list[str] = []  # "200", "500", "transient", "bad-token"
        self.posts: list[dict] = []  # what went onto the Page
        self.calls: list[dict] = []
        self.lock = threading.Lock()
        self.url = ""
        self.next_id = 1

    def handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict]:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        with self.lock:
            self.calls.append({"path": handler.path, "headers": dict(handler.headers)})
            if not handler.headers.get("Content-Type", "").startswith(
                "application/x-www-form-urlencoded"
            ):
                return 400, {
                    "error": {"message": "Unsupported body", "type": "OAuthException", "code": 100}
                }
            form = {
                k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()
            }
            edge = {
                f"/{VERSION}/{PAGE_ID}/feed": "feed",
                f"/{VERSION}/{PAGE_ID}/photos": "photos",
            }.get(handler.path)
            if edge is None:
                return 404, {
                    "error": {
                        "message": "Unknown path components",
                        "type": "OAuthException",
                        "code": 2500,
                    }
                }
            if form.get("access_token") != PAGE_TOKEN:
                return 400, {
                    "error": {
                        "message": "Invalid OAuth access token - Cannot parse access token",
                        "type": "OAuthException",
                        "code": 190,
                    }
                }
            if edge == "feed" and not (form.get("message") or form.get("link")):
                return 400, {
                    "error": {"message": "(#100) Missing message or attachment", "code": 100}
                }
            if edge == "photos" and not form.get("url", "").startswith("https://"):
                return 400, {
                    "error": {"message": "(#100) url should represent a valid URL", "code": 100}
                }
            action = self.script.pop(0) if self.script else "200"
            if action == "500":
                return 500, {
                    "error": {
                        "message": "An unknown error has occurred.",
                        "code": 1,
                        "is_transient": True,
                    }
                }
            if action == "transient":
                return 400, {
                    "error": {
                        "message": "Please retry your request later.",
                        "code": 2,
                        "is_transient": True,
                    }
                }
            self.next_id += 1
            self.posts.append({"edge": edge, **form})
            if edge == "photos":
                return 200, {"id": str(9000 + self.next_id), "post_id": f"{PAGE_ID}_{self.next_id}"}
            return 200, {"id": f"{PAGE_ID}_{self.next_id}"}


@pytest.fixture
def graph():
    fake = FakeGraph()
    with serving(post=fake.handle) as url:
        fake.url = f"{url}/{VERSION}"
        yield fake


@pytest.fixture
def fb_app(app, graph):
    app.config.update(
        FACEBOOK_PAGE_ID=PAGE_ID,
        FACEBOOK_PAGE_TOKEN=PAGE_TOKEN,
        FACEBOOK_API_BASE=graph.url,
        PUBLIC_BASE_URL="https://info.example.go.th",
    )
    return app


def _publish(now=None, **fields) -> int:
    from infocenter.admin.operations import ensure_main_office

    post = Post(
        office_id=ensure_main_office().id,
        title=fields.pop("title", "ซื่อสัตย์ สุจริต รับผิดชอบ"),
        body=fields.pop("body", "ข้อความให้ความรู้ ๓ ข้อ"),
        **fields,
    )
    db.session.add(post)
    operations.publish(post, now)
    db.session.commit()
    return post.id


def test_text_post_goes_to_the_page_feed_with_its_link(fb_app, graph, runner, client, login_as):
    with fb_app.app_context():
        post_id = _publish(clip_url="https://www.youtube.com/watch?v=abc")
    result = runner.invoke(args=["publish", "due"])
    assert result.exit_code == 0, result.output
    assert "Facebook: 1 sent, 0 to retry, 0 failed" in result.output
    [posted] = graph.posts
    assert (
        posted["edge"] == "feed" and posted["link"] == f"https://info.example.go.th/news/{post_id}"
    )
    assert posted["message"].startswith("ซื่อสัตย์ สุจริต รับผิดชอบ\n\nข้อความให้ความรู้ ๓ ข้อ")
    assert "ชมคลิป: https://www.youtube.com/watch?v=abc" in posted["message"]
    with fb_app.app_context():
        delivery = db.session.scalars(select(FacebookDelivery)).one()
        assert (delivery.status, delivery.endpoint, delivery.facebook_id) == (
            "sent",
            "feed",
            f"{PAGE_ID}_2",
        )
    # Running again posts nothing twice.
    runner.invoke(args=["publish", "due"])
    assert len(graph.posts) == 1
    login_as("clerk")
    page = client.get(f"/staff/posts/{post_id}").get_data(as_text=True)
    assert "การโพสต์ลงเพจ Facebook" in page and f"{PAGE_ID}_2" in page


def test_image_post_goes_to_page_photos_with_the_image_and_never_without_it(fb_app, graph):
    name = "a" * 32 + ".jpg"
    with fb_app.app_context():
        post_id = _publish(image_name=name, image_mime="image/jpeg", image_size=10)
        assert operations.deliver_facebook_due().sent == 1
    [posted] = graph.posts
    assert (
        posted["edge"] == "photos"
        and posted["url"] == f"https://info.example.go.th/news/images/{name}"
    )
    assert f"อ่านต่อ: https://info.example.go.th/news/{post_id}" in posted["caption"]
    # Without an https address the image post is not posted at all, and says why.
    fb_app.config["PUBLIC_BASE_URL"] = "http://info.example.go.th"
    with fb_app.app_context():
        _publish(image_name="b" * 32 + ".jpg", image_mime="image/jpeg", image_size=10)
        run = operations.deliver_facebook_due()
        assert run.failed == 1
        failed = db.session.scalars(
            select(FacebookDelivery).where(FacebookDelivery.status == "failed")
        ).one()
        assert "PUBLIC_BASE_URL" in failed.last_error
    assert len(graph.posts) == 1 and len(graph.calls) == 1


def test_transient_errors_are_retried_with_backoff_and_a_bad_token_stops_at_once(
    fb_app, graph, client, login_as
):
    with fb_app.app_context():
        post_id = _publish()
        graph.script = ["500", "transient"]
        now = now_utc()
        assert operations.deliver_facebook_due(now).retrying == 1
        delivery = db.session.scalars(select(FacebookDelivery)).one()
        assert (
            delivery.next_attempt_at == now + timedelta(minutes=1)
            and "unknown error" in delivery.last_error
        )
        assert (
            operations.deliver_facebook_due(now + timedelta(seconds=30)).retrying == 0
        )  # not due yet
        assert operations.deliver_facebook_due(now + timedelta(minutes=1)).retrying == 1
        db.session.refresh(delivery)
        assert delivery.next_attempt_at == now + timedelta(minutes=3)
        assert operations.deliver_facebook_due(now + timedelta(minutes=3)).sent == 1
        db.session.refresh(delivery)
        assert delivery.status == "sent" and delivery.attempts == 3
    assert len(graph.posts) == 1
    fb_app.config["FACEBOOK_PAGE_TOKEN"] = "expired-token"
    with fb_app.app_context():
        other = _publish(title="โพสต์ที่โทเคนหมดอายุ")
        run = operations.deliver_facebook_due()
        assert run.failed == 1 and run.retrying == 0
    login_as("clerk")
    page = client.get(f"/staff/posts/{other}").get_data(as_text=True)
    assert "Invalid OAuth access token" in page and "HTTP 400" in page
    # The admin renews the token; staff ask for another try.
    fb_app.config["FACEBOOK_PAGE_TOKEN"] = PAGE_TOKEN
    assert client.post(f"/staff/posts/{other}/facebook/retry").status_code == 302
    with fb_app.app_context():
        assert operations.deliver_facebook_due().sent == 1
    assert [p["message"].split("\n")[0] for p in graph.posts] == [
        "ซื่อสัตย์ สุจริต รับผิดชอบ",
        "โพสต์ที่โทเคนหมดอายุ",
    ]
    assert (
        client.post(f"/staff/posts/{post_id}/facebook/retry").status_code == 302
    )  # already sent: nothing queued
    with fb_app.app_context():
        assert operations.deliver_facebook_due().sent == 0


def test_facebook_is_off_and_says_so_without_a_token(app, runner, client, login_as):
    app.config.update(FACEBOOK_PAGE_ID=PAGE_ID, FACEBOOK_PAGE_TOKEN="")
    with app.app_context():
        _publish()
        assert db.session.scalar(select(func.count(FacebookDelivery.id))) == 0
    assert "Facebook is off" in runner.invoke(args=["publish", "due"]).output
    login_as("clerk")
    assert "การโพสต์ลงเพจ Facebook ปิดอยู่" in client.get("/staff/line").get_data(as_text=True)
    assert "โพสต์ลงเพจ Facebook" not in client.get("/staff/posts/new").get_data(as_text=True)


def test_a_post_marked_not_for_facebook_is_not_queued(fb_app, graph, client, login_as):
    login_as("clerk")
    form = client.get("/staff/posts/new").get_data(as_text=True)
    assert "โพสต์ลงเพจ Facebook ของหน่วยงานเมื่อเผยแพร่" in form
    client.post("/staff/posts/new", data={"kind": "still", "title": "เฉพาะเว็บไซต์", "when": "now"})
    client.post(
        "/staff/posts/new",
        data={"kind": "still", "title": "ลงเพจด้วย", "when": "now", "send_facebook": "y"},
    )
    with fb_app.app_context():
        queued = db.session.scalars(select(Post.title).join(FacebookDelivery)).all()
    assert queued == ["ลงเพจด้วย"]
