"""LINE Messaging API delivery, against a real HTTP server on 127.0.0.1 that checks requests as LINE
does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from infocenter.extensions import db
from infocenter.publishing import line, operations
from infocenter.publishing.models import LineAttempt, LineDelivery, LineGroup, Post
from infocenter.thai import now_utc
from tests.standins import serving

TOKEN = "test-channel-token"
GROUP_A = "C" + "a" * 32
GROUP_B = "C" + "b" * 32


class FakeLine:
    """What the fake LINE server saw and will answer; answers are scripted per call."""

    def __init__(self) -> None:
        self.script: list[
            str
        ] = []  # "200", "429", "500", "500-accepted" (accepted, but the answer is lost)
        self.calls: list[dict] = []
        self.delivered: list[dict] = []  # messages that reached a group: what members would see
        self.accepted: dict[str, str] = {}  # retry key -> request id
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self.url = ""
        self.group_names: dict[str, str] = {}  # group id -> name the summary API answers
        self.unit_stats: dict[str, dict] = {}  # unit name -> "overview" of the statistics API
        self.gets: list[dict] = []

    def handle_get(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict, dict]:
        """The group summary and unit statistics endpoints, checked as LINE checks them."""
        url = urlsplit(handler.path)
        query = parse_qs(url.query)
        with self.lock:
            self.gets.append({"path": url.path, "query": query, "headers": dict(handler.headers)})
        if handler.headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, {}, {"message": "Authentication failed"}
        summary = re.fullmatch(r"/v2/bot/group/(C[0-9a-f]{32})/summary", url.path)
        if summary:
            name = self.group_names.get(summary.group(1))
            if name is None:
                return 404, {}, {"message": "Not found"}
            return (
                200,
                {},
                {"groupId": summary.group(1), "groupName": name, "pictureUrl": "https://x/p.jpg"},
            )
        if url.path == "/v2/bot/insight/message/event/aggregation":
            unit = query.get("customAggregationUnit", [""])[0]
            start, end = query.get("from", [""])[0], query.get("to", [""])[0]
            if not (
                re.fullmatch(r"[A-Za-z0-9_]{1,30}", unit)
                and re.fullmatch(r"\d{8}", start)
                and re.fullmatch(r"\d{8}", end)
                and start <= end
            ):
                return 400, {}, {"message": "The request parameters are invalid"}
            overview = self.unit_stats.get(
                unit,
                {
                    "uniqueImpression": None,
                    "uniqueClick": None,
                    "uniqueMediaPlayed": None,
                    "uniqueMediaPlayed100Percent": None,
                },
            )
            return 200, {}, {"overview": overview, "messages": [], "clicks": []}
        return 404, {}, {"message": "Not found"}

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
                return (
                    400,
                    {"X-Line-Request-Id": request_id},
                    {"message": "The retry key must be a UUID"},
                )
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                return 400, {}, {"message": "The request body has 1 error(s)"}
            problem = self._check_body(body)
            if problem:
                self.problems.append(problem)
                return 400, {"X-Line-Request-Id": request_id}, {"message": problem}
            if key in self.accepted:
                return (
                    409,
                    {
                        "X-Line-Request-Id": request_id,
                        "X-Line-Accepted-Request-Id": self.accepted[key],
                    },
                    {"message": "The retry key is already accepted"},
                )
            action = self.script.pop(0) if self.script else "200"
            if action in ("200", "500-accepted"):
                self.accepted[key] = request_id
                self.delivered.append(body)
            if action == "200":
                sent = [
                    {"id": str(uuid.uuid4().int)[:18], "quoteToken": "q"} for _ in body["messages"]
                ]
                return 200, {"X-Line-Request-Id": request_id}, {"sentMessages": sent}
            if action == "429":
                return 429, {"X-Line-Request-Id": request_id}, {"message": "Too Many Requests"}
            return 500, {"X-Line-Request-Id": request_id}, {"message": "Internal server error"}

    @staticmethod
    def _check_body(body: dict) -> str | None:
        if not isinstance(body.get("to"), str) or not body["to"]:
            return "to is required"
        units = body.get("customAggregationUnits")
        if units is not None and not (
            isinstance(units, list)
            and len(units) == 1
            and re.fullmatch(r"[A-Za-z0-9_]{1,30}", str(units[0]))
        ):
            return "customAggregationUnits must hold one name of 1 to 30 letters, digits or _"
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
    with serving(post=fake.handle, get=fake.handle_get) as url:
        fake.url = url
        yield fake


@pytest.fixture
def line_app(app, line_server):
    """The app with LINE on, pointed at the fake server, and two active groups."""
    app.config.update(
        LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
        LINE_API_BASE=line_server.url,
        PUBLIC_BASE_URL="https://info.example.go.th",
    )
    with app.app_context():
        db.session.add_all(
            [
                LineGroup(name="กลุ่ม Line สพจ.", group_id=GROUP_A),
                LineGroup(name="กลุ่มเครือข่าย", group_id=GROUP_B),
            ]
        )
        db.session.commit()
    return app


def _publish_post(now=None, **fields) -> Post:
    from infocenter.admin.operations import ensure_main_office

    post = Post(
        office_id=ensure_main_office().id,
        title=fields.pop("title", "ซื่อสัตย์ สุจริต"),
        body=fields.pop("body", "ข้อความให้ความรู้เรื่องคุณธรรม"),
        **fields,
    )
    db.session.add(post)
    operations.publish(post, now)
    db.session.commit()
    return post


def test_publish_pushes_to_every_group_with_auth_retry_key_and_https_image(line_app, line_server):
    with line_app.app_context():
        post_id = _publish_post(
            image_name="0" * 32 + ".jpg", image_mime="image/jpeg", image_size=10
        ).id
        run = operations.deliver_due()
        assert (run.sent, run.retrying, run.failed) == (2, 0, 0)
        deliveries = db.session.scalars(select(LineDelivery).order_by(LineDelivery.id)).all()
        assert {d.status for d in deliveries} == {"sent"}
        assert all(
            d.attempt_log[0].request_id and d.attempt_log[0].status_code == 200 for d in deliveries
        )
    assert line_server.problems == []
    assert sorted(b["to"] for b in line_server.delivered) == [GROUP_A, GROUP_B]
    messages = line_server.delivered[0]["messages"]
    assert messages[0]["type"] == "text" and "ซื่อสัตย์ สุจริต" in messages[0]["text"]
    assert f"https://info.example.go.th/news/{post_id}" in messages[0]["text"]
    assert messages[1] == {
        "type": "image",
        "originalContentUrl": "https://info.example.go.th/news/images/" + "0" * 32 + ".jpg",
        "previewImageUrl": "https://info.example.go.th/news/images/" + "0" * 32 + "-preview.jpg",
    }
    keys = [c["headers"]["X-Line-Retry-Key"] for c in line_server.calls]
    assert len(set(keys)) == 2  # one key per delivery


def test_lost_answer_is_retried_with_the_same_key_and_not_posted_twice(line_app, line_server):
    """LINE accepted the push but the answer was a 500: the retry gets 409 and nothing is posted
    again."""
    with line_app.app_context():
        db.session.execute(
            LineGroup.__table__.update().where(LineGroup.group_id == GROUP_B).values(active=False)
        )
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
        db.session.execute(
            LineGroup.__table__.update().where(LineGroup.group_id == GROUP_B).values(active=False)
        )
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
        assert (
            delivery.status == "failed"
            and delivery.attempts == 3
            and delivery.next_attempt_at is None
        )
        assert "Internal server error" in delivery.last_error
        assert db.session.scalar(select(func.count(LineAttempt.id))) == 3
        assert operations.deliver_due(now + timedelta(days=1)).failed == 0  # stopped: no more calls
    assert len(line_server.calls) == 3 and line_server.delivered == []


def test_refused_token_fails_at_once_and_staff_see_it_and_can_retry(
    line_app, line_server, client, login_as
):
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
    from infocenter.admin.operations import ensure_main_office

    with line_app.app_context():
        due = Post(
            office_id=ensure_main_office().id,
            title="ตั้งเวลาไว้แล้วถึงเวลา",
            state="scheduled",
            scheduled_at=now_utc() - timedelta(minutes=1),
        )
        later = Post(
            office_id=ensure_main_office().id,
            title="ยังไม่ถึงเวลา",
            state="scheduled",
            scheduled_at=now_utc() + timedelta(hours=2),
        )
        db.session.add_all([due, later])
        db.session.commit()
        due_id, later_id = due.id, later.id
    result = runner.invoke(args=["publish", "due"])
    assert result.exit_code == 0, result.output
    assert "1 post(s) published; LINE: 2 sent" in result.output
    with line_app.app_context():
        assert db.session.get(Post, due_id).state == "published"
        assert db.session.get(Post, later_id).state == "scheduled"
    assert [b["messages"][0]["text"].split("\n")[0] for b in line_server.delivered] == [
        "ตั้งเวลาไว้แล้วถึงเวลา"
    ] * 2
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
    """A connection refused (nothing listening) is an attempt without a status code, retried
    later."""
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


# --- the webhook, reach and honest delivery ----------------------------------------------------

SECRET = "test-channel-secret"


def _sign(body: bytes, secret: str = SECRET) -> str:
    """What LINE puts in X-Line-Signature: base64(HMAC-SHA256(channel secret, raw body))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _event(kind: str, group: str, at: datetime, event_id: str | None = None, **extra) -> dict:
    event = {
        "type": kind,
        "mode": "active",
        "timestamp": int(at.timestamp() * 1000),
        "source": {
            "type": "group",
            "groupId": group,
            **({"userId": "U" + "1" * 32} if kind == "message" else {}),
        },
        "webhookEventId": event_id or uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
    }
    if kind in ("join", "message"):
        event["replyToken"] = uuid.uuid4().hex
    event.update(extra)
    return event


def _text(group: str, at: datetime, text: str, event_id: str | None = None) -> dict:
    return _event(
        "message",
        group,
        at,
        event_id,
        message={"type": "text", "id": str(uuid.uuid4().int)[:18], "quoteToken": "q", "text": text},
    )


def _webhook(client, *events, secret: str = SECRET, signature: str | None = None):
    body = json.dumps(
        {"destination": "U" + "0" * 32, "events": list(events)}, ensure_ascii=False
    ).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not False:
        headers["X-Line-Signature"] = signature or _sign(body, secret)
    return client.post("/line/webhook", data=body, headers=headers)


@pytest.fixture
def webhook_app(app, line_server):
    """LINE on with a channel secret, pointed at the fake server, no groups yet."""
    app.config.update(
        LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
        LINE_API_BASE=line_server.url,
        LINE_CHANNEL_SECRET=SECRET,
        PUBLIC_BASE_URL="https://info.example.go.th",
    )
    return app


def _groups(app) -> list[tuple]:
    with app.app_context():
        return [
            (g.group_id, g.name, g.active, g.left_at is not None)
            for g in db.session.scalars(select(LineGroup).order_by(LineGroup.id))
        ]


def test_signed_join_registers_the_group_with_its_name_for_an_admin_to_enable(
    webhook_app, line_server, client, login_as, runner
):
    line_server.group_names[GROUP_A] = "กลุ่ม Line สพจ.นครสวรรค์"
    response = _webhook(client, _event("join", GROUP_A, datetime.now(UTC)))
    assert response.status_code == 200
    assert _groups(webhook_app) == [(GROUP_A, "กลุ่ม Line สพจ.นครสวรรค์", False, False)]
    [summary] = line_server.gets
    assert summary["path"] == f"/v2/bot/group/{GROUP_A}/summary"
    assert summary["headers"]["Authorization"] == f"Bearer {TOKEN}"
    # Registered, not yet enabled: a post goes to no group until the administrator says so.
    with webhook_app.app_context():
        _publish_post()
        assert db.session.scalar(select(func.count(LineDelivery.id))) == 0
    login_as("admin")
    page = client.get("/staff/line").get_data(as_text=True)
    assert "กลุ่ม Line สพจ.นครสวรรค์" in page and GROUP_A in page and "ไม่ส่ง" in page
    assert "https://info.example.go.th/line/webhook" in page
    # A group whose summary LINE does not give still registers, under a name the admin can change.
    _webhook(client, _event("join", GROUP_B, datetime.now(UTC)))
    assert _groups(webhook_app)[1][:3] == (GROUP_B, "กลุ่ม LINE Cbbbbbbbb…", False)
    # ... and the next 'flask publish due' asks LINE again.
    line_server.group_names[GROUP_B] = "เครือข่ายพัฒนาชุมชน"
    assert runner.invoke(args=["publish", "due"]).exit_code == 0
    assert _groups(webhook_app)[1][:3] == (GROUP_B, "เครือข่ายพัฒนาชุมชน", False)
    # The bot is removed: the group is marked left and gets nothing more.
    with webhook_app.app_context():
        db.session.execute(LineGroup.__table__.update().values(active=True))
        db.session.commit()
    _webhook(client, _event("leave", GROUP_A, datetime.now(UTC)))
    assert _groups(webhook_app)[0] == (GROUP_A, "กลุ่ม Line สพจ.นครสวรรค์", False, True)
    with webhook_app.app_context():
        assert [g.group_id for g in operations.active_groups()] == [GROUP_B]
    assert "บอตออกจากกลุ่มแล้ว" in client.get("/staff/line").get_data(as_text=True)


@pytest.mark.parametrize("how", ["wrong secret", "missing", "garbage", "body changed"])
def test_a_bad_signature_answers_400_and_stores_nothing(webhook_app, line_server, client, how):
    from infocenter.publishing.models import LineWebhookEvent

    event = _event("join", GROUP_A, datetime.now(UTC))
    if how == "wrong secret":
        response = _webhook(client, event, secret="another-secret")
    elif how == "missing":
        response = _webhook(client, event, signature=False)
    elif how == "garbage":
        response = _webhook(client, event, signature="not base64 at all!")
    else:  # signed for one body, another sent
        other = json.dumps({"destination": "U", "events": []}).encode()
        response = _webhook(client, event, signature=_sign(other))
    assert response.status_code == 400
    assert _groups(webhook_app) == [] and line_server.gets == []
    with webhook_app.app_context():
        assert db.session.scalar(select(func.count(LineWebhookEvent.id))) == 0


def test_webhook_is_off_without_a_channel_secret_and_needs_no_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    off = _webhook(client, _event("join", GROUP_A, datetime.now(UTC)))
    assert off.status_code == 404 and "LINE_CHANNEL_SECRET" in off.get_json()["message"]
    app.config["LINE_CHANNEL_SECRET"] = SECRET
    assert _webhook(client, _event("join", GROUP_A, datetime.now(UTC))).status_code == 200


def test_a_redelivered_event_is_stored_once(webhook_app, line_server, client):
    from infocenter.publishing.models import LineGroupMessage

    _webhook(client, _event("join", GROUP_A, datetime.now(UTC)))
    message = _text(GROUP_A, datetime.now(UTC), "ขอบคุณครับ", event_id="01FZ74A0TDDPYRVKNK77XKC3ZR")
    assert _webhook(client, message).status_code == 200
    again = dict(message, deliveryContext={"isRedelivery": True})
    assert _webhook(client, again).status_code == 200
    # Redelivered together with a new one in the same call: only the new one is added.
    assert _webhook(client, again, _text(GROUP_A, datetime.now(UTC), "เห็นด้วยค่ะ")).status_code == 200
    with webhook_app.app_context():
        assert sorted(db.session.scalars(select(LineGroupMessage.text))) == ["ขอบคุณครับ", "เห็นด้วยค่ะ"]


def test_a_group_message_becomes_feedback_on_the_latest_post_delivered_there_before_it(
    webhook_app, line_server, client, login_as
):
    from infocenter.publishing.models import LineGroupMessage

    _webhook(
        client,
        _event("join", GROUP_A, datetime.now(UTC)),
        _event("join", GROUP_B, datetime.now(UTC)),
    )
    with webhook_app.app_context():
        db.session.execute(LineGroup.__table__.update().values(active=True))
        db.session.commit()
        t0 = now_utc() - timedelta(hours=5)
        first = _publish_post(t0, title="โพสต์แรก").id
        operations.deliver_due(t0)
        second = _publish_post(t0 + timedelta(hours=1), title="โพสต์ที่สอง").id
        # The second post reached group A at t0+2h, group B only at t0+4h (a retry).
        a_delivery = db.session.scalars(
            select(LineDelivery)
            .join(LineGroup)
            .where(LineDelivery.post_id == second, LineGroup.group_id == GROUP_A)
        ).one()
        operations.attempt(
            a_delivery, line.LineClient(line_server.url, TOKEN), 6, t0 + timedelta(hours=2)
        )
        db.session.commit()
        operations.deliver_due(t0 + timedelta(hours=4))
    typed = "  ดีมากครับ 👍 ขอบคุณ  ๑๒๓\nบรรทัดสอง "
    _webhook(
        client,
        _text(GROUP_A, t0 + timedelta(hours=1), typed),  # after the first post
        _text(GROUP_A, t0 + timedelta(hours=3), "เห็นด้วย"),  # after the second
        _text(GROUP_B, t0 + timedelta(hours=3), "ยังไม่เห็นโพสต์ที่สอง"),  # B has only the first yet
        _text("C" + "c" * 32, t0 + timedelta(hours=3), "กลุ่มที่ไม่ได้ลงทะเบียน"),
        _text(GROUP_A, t0 - timedelta(hours=1), "ก่อนมีโพสต์"),
        _event(
            "message",
            GROUP_A,
            t0 + timedelta(hours=3),
            message={
                "type": "sticker",
                "id": "9",
                "quoteToken": "q",
                "packageId": "1",
                "stickerId": "1",
                "stickerResourceType": "STATIC",
            },
        ),
    )
    with webhook_app.app_context():
        rows = {
            (m.group.group_id, m.text): m.post_id
            for m in db.session.scalars(select(LineGroupMessage))
        }
    assert rows == {
        (GROUP_A, typed): first,
        (GROUP_A, "เห็นด้วย"): second,
        (GROUP_B, "ยังไม่เห็นโพสต์ที่สอง"): first,
        (GROUP_A, "ก่อนมีโพสต์"): None,
        (GROUP_A, None): second,
    }
    login_as("clerk")
    page = client.get(f"/staff/posts/{second}").get_data(as_text=True)
    assert "เห็นด้วย" in page and "ยังไม่เห็นโพสต์ที่สอง" not in page
    assert "ดีมากครับ 👍 ขอบคุณ  ๑๒๓" in client.get(f"/staff/posts/{first}").get_data(as_text=True)


def test_group_messages_are_erased_after_the_retention_period(
    webhook_app, line_server, client, runner
):
    from infocenter import settings
    from infocenter.publishing.models import LineGroupMessage

    _webhook(client, _event("join", GROUP_A, datetime.now(UTC)))
    _webhook(
        client,
        _text(GROUP_A, datetime.now(UTC) - timedelta(days=400), "ข้อความเก่า"),
        _text(GROUP_A, datetime.now(UTC) - timedelta(days=3), "ข้อความใหม่"),
    )
    with webhook_app.app_context():
        settings.put("privacy_retention_days", 365)
        db.session.commit()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 LINE group messages" in result.output
    with webhook_app.app_context():
        rows = {
            (m.text, m.line_user_id, m.personal_erased_at is not None)
            for m in db.session.scalars(select(LineGroupMessage))
        }
    assert rows == {(None, None, True), ("ข้อความใหม่", "U" + "1" * 32, False)}


def test_each_push_carries_the_post_unit_and_records_which_messages_line_accepted(
    line_app, line_server, client, login_as
):
    with line_app.app_context():
        post_id = _publish_post(
            image_name="0" * 32 + ".jpg", image_mime="image/jpeg", image_size=10
        ).id
        operations.deliver_due()
        deliveries = db.session.scalars(select(LineDelivery)).all()
        assert [d.accepted_types for d in deliveries] == ["text,image", "text,image"]
        ids = deliveries[0].attempt_log[0].sent_message_ids.split(",")
        assert len(ids) == 2 and all(i.isdigit() for i in ids)
    assert line_server.problems == []
    assert [b["customAggregationUnits"] for b in line_server.delivered] == [
        [f"infocenter_post_{post_id}"]
    ] * 2
    login_as("clerk")
    assert "LINE รับแล้ว: ข้อความ + ภาพ" in client.get(f"/staff/posts/{post_id}").get_data(
        as_text=True
    )


def test_flask_publish_stats_stores_reach_and_shows_nulls_as_under_20(
    line_app, line_server, runner, client, login_as
):
    with line_app.app_context():
        busy = _publish_post(title="โพสต์ที่คนดูมาก").id
        quiet = _publish_post(title="โพสต์ที่คนดูน้อย").id
        operations.deliver_due()
        old = _publish_post(now_utc() - timedelta(days=40), title="โพสต์เก่า").id
        operations.deliver_due(now_utc() - timedelta(days=40))
    line_server.unit_stats[f"infocenter_post_{busy}"] = {
        "uniqueImpression": 87,
        "uniqueClick": 23,
        "uniqueMediaPlayed": None,
        "uniqueMediaPlayed100Percent": None,
    }
    result = runner.invoke(args=["publish", "stats"])
    assert result.exit_code == 0, result.output
    assert "seen by 87, clicked by 23, media played by < 20" in result.output
    assert "seen by < 20, clicked by < 20" in result.output and "2 post(s) updated" in result.output
    stats_calls = [
        g for g in line_server.gets if g["path"] == "/v2/bot/insight/message/event/aggregation"
    ]
    assert sorted(c["query"]["customAggregationUnit"][0] for c in stats_calls) == sorted(
        [f"infocenter_post_{busy}", f"infocenter_post_{quiet}"]
    )  # the 40-day-old post is not asked
    today = datetime.now(UTC).astimezone(operations.LINE_TZ).strftime("%Y%m%d")
    assert all(c["query"]["from"] == [today] and c["query"]["to"] == [today] for c in stats_calls)
    assert all(c["headers"]["Authorization"] == f"Bearer {TOKEN}" for c in stats_calls)
    with line_app.app_context():
        posts = {p.id: p for p in db.session.scalars(select(Post))}
        assert (
            posts[busy].reach_impressions,
            posts[busy].reach_clicks,
            posts[busy].reach_media_played,
        ) == (87, 23, None)
        assert posts[quiet].reach_fetched_at is not None and posts[quiet].reach_impressions is None
        assert posts[old].reach_fetched_at is None
    login_as("clerk")
    page = client.get(f"/staff/posts/{quiet}").get_data(as_text=True)
    assert "&lt; 20" in page and ">0<" not in page


def test_an_image_post_without_https_is_refused_and_says_what_to_set(
    line_app, line_server, client, login_as
):
    import io

    from PIL import Image

    line_app.config["PUBLIC_BASE_URL"] = "http://info.example.go.th"
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    login_as("clerk")
    response = client.post(
        "/staff/posts/new",
        data={
            "kind": "still",
            "title": "ภาพนิ่งต้องมีภาพ",
            "body": "",
            "when": "now",
            "send_line": "y",
            "image": (io.BytesIO(buf.getvalue()), "ภาพ.png"),
        },
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and "PUBLIC_BASE_URL=https://" in text
        and "ภาพนิ่งต้องมีภาพ" in text
    )
    with line_app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 0
    # Without LINE for this post it may be published.
    response = client.post(
        "/staff/posts/new",
        data={
            "kind": "still",
            "title": "ไม่ส่ง LINE",
            "body": "",
            "when": "now",
            "image": (io.BytesIO(buf.getvalue()), "ภาพ.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    # A post queued while the address was https, sent after it changed: not sent at all, and staff
    # see why.
    line_app.config["PUBLIC_BASE_URL"] = "https://info.example.go.th"
    with line_app.app_context():
        post_id = _publish_post(
            image_name="1" * 32 + ".jpg", image_mime="image/jpeg", image_size=10
        ).id
    line_app.config["PUBLIC_BASE_URL"] = ""
    with line_app.app_context():
        run = operations.deliver_due()
        assert (run.sent, run.failed) == (0, 2)
    assert line_server.calls == []
    page = client.get(f"/staff/posts/{post_id}").get_data(as_text=True)
    assert (
        "PUBLIC_BASE_URL" in page
        and "ส่งแล้ว" not in page.split("การส่งเข้ากลุ่ม LINE")[1].split("</table>")[0]
    )
