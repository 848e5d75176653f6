"""LINE Messaging API delivery, against a real HTTP server on 127.0.0.1 that checks requests as LINE does."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from infocenter.extensions import db
from infocenter.publishing import line, operations
from infocenter.publishing.models import LineAttempt, LineDelivery, LineGroup, Post
from infocenter.thai import now_utc

TOKEN = "test-channel-token"
GROUP_A = "C" + "a" * 32
GROUP_B = "C" + "b" * 32


class FakeLine:
    """What the fake LINE server saw and will answer; answers are scripted per call."""

    def __init__(self) -> None:
        self.script: list[str] = []  # "200", "429", "500", "500-accepted" (accepted, but the answer is lost)
        self.calls: list[dict] = []
        self.delivered: list[dict] = []  # messages that reached a group: what members would see
        self.accepted: dict[str, str] = {}  # retry key -> request id
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self.url = ""

    def handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict, dict]:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        with self.lock:
            request_id = uuid.uuid4().hex
            self.calls.append({"path": handler.path, "headers": dict(handler.headers), "raw": raw})
            if handler.path != "/v2/bot/message/push":
                return 404, {}, {"message": "Not found"}
            if handler.headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401, {"X-Line-Request-Id": request_id}, {"message": "Authentication failed"}
            if not handler.headers.get("Content-Type", "").startswith("application/json"):
                return 415, {}, {"message": "Unsupported media type"}
            key = handler.headers.get("X-Line-Retry-Key", "")
            try:
                uuid.UUID(key)
            except ValueError:
                return 400, {"X-Line-Request-Id": request_id}, {"message": "The retry key must be a UUID"}
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                return 400, {}, {"message": "The request body has 1 error(s)"}
            problem = self._check_body(body)
            if problem:
                self.problems.append(problem)
                return 400, {"X-Line-Request-Id": request_id}, {"message": problem}
            if key in self.accepted:
                return 409, {"X-Line-Request-Id": request_id, "X-Line-Accepted-Request-Id": self.accepted[key]}, \
                    {"message": "The retry key is already accepted"}
            action = self.script.pop(0) if self.script else "200"
            if action in ("200", "500-accepted"):
                self.accepted[key] = request_id
                self.delivered.append(body)
            if action == "200":
                return 200, {"X-Line-Request-Id": request_id}, {"sentMessages": [{"id": "1", "quoteToken": "q"}]}
            if action == "429":
                return 429, {"X-Line-Request-Id": request_id}, {"message": "Too Many Requests"}
            return 500, {"X-Line-Request-Id": request_id}, {"message": "Internal server error"}

    @staticmethod
    def _check_body(body: dict) -> str | None:
        if not isinstance(body.get("to"), str) or not body["to"]:
            return "to is required"
        messages = body.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
            return "messages must hold 1 to 5 items"
        for m in messages:
            if m.get("type") == "text":
                if not m.get("text") or len(m["text"]) > 5000:
                    return "text must be 1 to 5000 characters"
            elif m.get("type") == "image":
                for k in ("originalContentUrl", "previewImageUrl"):
                    if not str(m.get(k, "")).startswith("https://"):
                        return f"{k} must be https"
            else:
                return f"unsupported message type {m.get('type')}"
        return None


@pytest.fixture
def line_server():
    """A LINE look-alike on a free port of 127.0.0.1, stopped after the test."""
    fake = FakeLine()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            status, headers, payload = fake.handle(self)
            data = json.dumps(payload).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def line_app(app, line_server):
    """The app with LINE on, pointed at the fake server, and two active groups."""
    app.config.update(LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE=line_server.url,
                      PUBLIC_BASE_URL="https://info.example.go.th")
    with app.app_context():
        db.session.add_all([LineGroup(name="กลุ่ม Line สพจ.", group_id=GROUP_A),
                            LineGroup(name="กลุ่มเครือข่าย", group_id=GROUP_B)])
        db.session.commit()
    return app


def _publish_post(**fields) -> Post:
    from infocenter.admin.models import default_office

    post = Post(office_id=default_office().id, title=fields.pop("title", "ซื่อสัตย์ สุจริต"),
                body=fields.pop("body", "ข้อความให้ความรู้เรื่องคุณธรรม"), **fields)
    db.session.add(post)
    operations.publish(post)
    db.session.commit()
    return post


def test_publish_pushes_to_every_group_with_auth_retry_key_and_https_image(line_app, line_server):
    with line_app.app_context():
        post_id = _publish_post(image_name="0" * 32 + ".jpg", image_mime="image/jpeg", image_size=10).id
        run = operations.deliver_due()
        assert (run.sent, run.retrying, run.failed) == (2, 0, 0)
        deliveries = db.session.scalars(select(LineDelivery).order_by(LineDelivery.id)).all()
        assert {d.status for d in deliveries} == {"sent"}
        assert all(d.attempt_log[0].request_id and d.attempt_log[0].status_code == 200 for d in deliveries)
    assert line_server.problems == []
    assert sorted(b["to"] for b in line_server.delivered) == [GROUP_A, GROUP_B]
    messages = line_server.delivered[0]["messages"]
    assert messages[0]["type"] == "text" and "ซื่อสัตย์ สุจริต" in messages[0]["text"]
    assert f"https://info.example.go.th/news/{post_id}" in messages[0]["text"]
    assert messages[1] == {"type": "image",
                           "originalContentUrl": "https://info.example.go.th/news/images/" + "0" * 32 + ".jpg",
                           "previewImageUrl": "https://info.example.go.th/news/images/" + "0" * 32 + "-preview.jpg"}
    keys = [c["headers"]["X-Line-Retry-Key"] for c in line_server.calls]
    assert len(set(keys)) == 2  # one key per delivery


def test_lost_answer_is_retried_with_the_same_key_and_not_posted_twice(line_app, line_server):
    """LINE accepted the push but the answer was a 500: the retry gets 409 and nothing is posted again."""
    with line_app.app_context():
        db.session.execute(LineGroup.__table__.update().where(LineGroup.group_id == GROUP_B).values(active=False))
        db.session.commit()
        _publish_post()
        line_server.script = ["500-accepted"]
        now = now_utc()
        run = operations.deliver_due(now)
        assert (run.sent, run.retrying) == (0, 1)
        delivery = db.session.scalars(select(LineDelivery)).one()
        assert delivery.status == "retry" and delivery.next_attempt_at == now + timedelta(minutes=1)
        # Not due yet: nothing is sent.
        assert operations.deliver_due(now + timedelta(seconds=30)).sent == 0
        run = operations.deliver_due(now + timedelta(minutes=2))
        assert run.sent == 1
        db.session.refresh(delivery)
        assert delivery.status == "sent" and delivery.attempts == 2
        codes = [a.status_code for a in delivery.attempt_log]
        assert codes == [500, 409]
        # The 409 names the request LINE accepted the first time.
        assert delivery.attempt_log[1].request_id == delivery.attempt_log[0].request_id
    keys = {c["headers"]["X-Line-Retry-Key"] for c in line_server.calls}
    assert len(line_server.calls) == 2 and len(keys) == 1
    assert len(line_server.delivered) == 1  # the group saw the post once


def test_rate_limited_then_backoff_doubles_and_gives_up_after_the_limit(line_app, line_server):
    from infocenter import settings

    with line_app.app_context():
        settings.put("line_max_attempts", 3)
        db.session.execute(LineGroup.__table__.update().where(LineGroup.group_id == GROUP_B).values(active=False))
        db.session.commit()
        _publish_post()
        line_server.script = ["429", "500", "500"]
        now = now_utc()
        operations.deliver_due(now)
        delivery = db.session.scalars(select(LineDelivery)).one()
        assert delivery.next_attempt_at == now + timedelta(minutes=1)
        operations.deliver_due(now + timedelta(minutes=1))
        db.session.refresh(delivery)
        assert delivery.status == "retry" and delivery.next_attempt_at == now + timedelta(minutes=3)
        run = operations.deliver_due(now + timedelta(minutes=3))
        assert run.failed == 1
        db.session.refresh(delivery)
        assert delivery.status == "failed" and delivery.attempts == 3 and delivery.next_attempt_at is None
        assert "Internal server error" in delivery.last_error
        assert db.session.scalar(select(func.count(LineAttempt.id))) == 3
        assert operations.deliver_due(now + timedelta(days=1)).failed == 0  # stopped: no more calls
    assert len(line_server.calls) == 3 and line_server.delivered == []


def test_refused_token_fails_at_once_and_staff_see_it_and_can_retry(line_app, line_server, client, login_as):
    line_app.config["LINE_CHANNEL_ACCESS_TOKEN"] = "wrong-token"
    with line_app.app_context():
        post = _publish_post(title="ข่าวที่ส่งไม่ได้")
        run = operations.deliver_due()
        assert run.failed == 2 and run.retrying == 0
        post_id = post.id
        delivery_id = db.session.scalars(select(LineDelivery.id).order_by(LineDelivery.id)).first()
    login_as("clerk")
    page = client.get("/staff/line").get_data(as_text=True)
    assert "ข่าวที่ส่งไม่ได้" in page and "HTTP 401" in page and "Authentication failed" in page
    listing = client.get("/staff/posts").get_data(as_text=True)
    assert "ยังไม่สำเร็จ 2 รายการ" in listing
    # The admin fixes the token; staff ask for another try, which keeps the retry key.
    line_app.config["LINE_CHANNEL_ACCESS_TOKEN"] = TOKEN
    with line_app.app_context():
        key_before = db.session.get(LineDelivery, delivery_id).retry_key
    response = client.post(f"/staff/posts/{post_id}/deliveries/{delivery_id}/retry")
    assert response.status_code == 302
    with line_app.app_context():
        assert operations.deliver_due().sent == 1
        delivery = db.session.get(LineDelivery, delivery_id)
        assert delivery.status == "sent" and delivery.retry_key == key_before
    assert len(line_server.delivered) == 1


def test_flask_publish_due_publishes_scheduled_posts_and_sends_them(line_app, line_server, runner):
    from infocenter.admin.models import default_office

    with line_app.app_context():
        due = Post(office_id=default_office().id, title="ตั้งเวลาไว้แล้วถึงเวลา", state="scheduled",
                   scheduled_at=now_utc() - timedelta(minutes=1))
        later = Post(office_id=default_office().id, title="ยังไม่ถึงเวลา", state="scheduled",
                     scheduled_at=now_utc() + timedelta(hours=2))
        db.session.add_all([due, later])
        db.session.commit()
        due_id, later_id = due.id, later.id
    result = runner.invoke(args=["publish", "due"])
    assert result.exit_code == 0, result.output
    assert "1 post(s) published; LINE: 2 sent" in result.output
    with line_app.app_context():
        assert db.session.get(Post, due_id).state == "published"
        assert db.session.get(Post, later_id).state == "scheduled"
    assert [b["messages"][0]["text"].split("\n")[0] for b in line_server.delivered] == ["ตั้งเวลาไว้แล้วถึงเวลา"] * 2
    # Running again sends nothing new.
    result = runner.invoke(args=["publish", "due"])
    assert "0 post(s) published; LINE: 0 sent" in result.output
    assert len(line_server.delivered) == 2


def test_without_a_token_line_is_off_and_nothing_is_queued(app, runner, client, login_as):
    with app.app_context():
        db.session.add(LineGroup(name="กลุ่ม", group_id=GROUP_A))
        db.session.commit()
        _publish_post()
        assert db.session.scalar(select(func.count(LineDelivery.id))) == 0
    result = runner.invoke(args=["publish", "due"])
    assert "LINE is off" in result.output
    login_as("clerk")
    assert "ปิดอยู่" in client.get("/staff/line").get_data(as_text=True)
    assert "LINE_CHANNEL_ACCESS_TOKEN" in client.get("/staff/posts/new").get_data(as_text=True)


def test_client_refuses_more_than_five_messages_and_long_text_is_cut():
    client = line.LineClient("http://127.0.0.1:9", TOKEN)
    with pytest.raises(ValueError):
        client.push(GROUP_A, [line.text_message("x")] * 6, str(uuid.uuid4()))
    assert len(line.text_message("ก" * 6000)["text"]) == 5000
    with pytest.raises(ValueError):
        line.image_message("http://example.org/a.jpg", "http://example.org/b.jpg")


def test_no_answer_is_recorded_and_retried(app):
    """A connection refused (nothing listening) is an attempt without a status code, retried later."""
    import socket

    with socket.socket() as s:  # a free port with nothing listening on it
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app.config.update(LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE=f"http://127.0.0.1:{port}")
    with app.app_context():
        db.session.add(LineGroup(name="กลุ่ม", group_id=GROUP_A))
        db.session.commit()
        _publish_post()
        run = operations.deliver_due()
        assert run.retrying == 1
        attempt = db.session.scalars(select(LineAttempt)).one()
        assert attempt.status_code is None and "Connection" in attempt.error
