"""Writes that touch several tables: publishing a post (and queueing its LINE deliveries),
publishing what is due, and sending or retrying LINE deliveries with backoff."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import settings
from ..extensions import db
from ..thai import now_utc
from . import line
from .images import preview_name
from .models import LineAttempt, LineDelivery, LineGroup, Post
from .urls import absolute_url

settings.define("line_max_attempts", _l("จำนวนครั้งสูงสุดที่ลองส่งข้อความ LINE ก่อนหยุดส่ง"), int, 6,
                _l("เมื่อส่งไม่สำเร็จ ระบบจะลองใหม่โดยเว้นระยะห่างเพิ่มขึ้นเป็นเท่าตัว (1, 2, 4, 8 ... นาที)"),
                minimum=1, maximum=20)

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


def line_enabled() -> bool:
    """LINE delivery is on only when a channel access token is configured."""
    return bool(current_app.config.get("LINE_CHANNEL_ACCESS_TOKEN"))


def active_groups() -> list[LineGroup]:
    return list(db.session.scalars(select(LineGroup).where(LineGroup.active.is_(True)).order_by(LineGroup.name)))


def publish(post: Post, now: datetime | None = None) -> int:
    """Make a post public now and queue it for every active LINE group; returns deliveries queued."""
    now = now or now_utc()
    post.state = "published"
    post.published_at = now
    post.scheduled_at = None
    return queue_deliveries(post, now)


def queue_deliveries(post: Post, now: datetime) -> int:
    """One delivery per active group not yet sent this post, each with its own retry key."""
    db.session.flush()  # the post's id and column defaults (send_line) are needed below
    if not (post.send_line and line_enabled()):
        return 0
    done = set(db.session.scalars(select(LineDelivery.group_id).where(LineDelivery.post_id == post.id)))
    queued = 0
    for group in active_groups():
        if group.id in done:
            continue
        db.session.add(LineDelivery(post_id=post.id, group_id=group.id, retry_key=str(uuid.uuid4()),
                                    status="pending", next_attempt_at=now))
        queued += 1
    return queued


def publish_due(now: datetime | None = None) -> list[Post]:
    """Publish every scheduled post whose time has come; the caller commits."""
    now = now or now_utc()
    due = list(db.session.scalars(
        select(Post).where(Post.state == "scheduled", Post.scheduled_at <= now).order_by(Post.scheduled_at)
    ))
    for post in due:
        publish(post, now)
    return due


def messages_for(post: Post) -> list[dict[str, Any]]:
    """The LINE messages a post becomes: its text (with links), then its image when it has one.

    Always Thai, whatever language the staff member's page is in: the messages go to Thai citizens' groups.
    """
    parts = [post.title]
    if post.body:
        parts.append(post.body)
    if post.clip_url:
        parts.append(f"ชมคลิป: {post.clip_url}")
    link = absolute_url("publishing.post", post_id=post.id)
    if link.startswith("http"):
        parts.append(f"อ่านต่อ: {link}")
    messages = [line.text_message("\n\n".join(parts))]
    if post.image_name:
        original = absolute_url("publishing.image", name=post.image_name)
        preview = absolute_url("publishing.image", name=preview_name(post.image_name))
        # LINE fetches images itself and only over HTTPS; without a public HTTPS address the text goes alone.
        if original.startswith("https://"):
            messages.append(line.image_message(original, preview))
    return messages[: line.MAX_MESSAGES]


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 1, 2, 4, 8 ... minutes, at most six hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


@dataclass
class DeliveryRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(now: datetime | None = None, client: line.LineClient | None = None) -> DeliveryRun:
    """Send every delivery that is due; record each attempt and commit after each one."""
    run = DeliveryRun()
    if not line_enabled():
        return run
    now = now or now_utc()
    client = client or line.LineClient(current_app.config["LINE_API_BASE"],
                                       current_app.config["LINE_CHANNEL_ACCESS_TOKEN"])
    max_attempts = int(settings.get("line_max_attempts"))
    due_ids = list(db.session.scalars(
        select(LineDelivery.id).where(LineDelivery.status.in_(("pending", "retry")),
                                      LineDelivery.next_attempt_at <= now)
        .order_by(LineDelivery.next_attempt_at, LineDelivery.id)
    ))
    for delivery_id in due_ids:
        delivery = db.session.get(LineDelivery, delivery_id)
        if delivery is None or delivery.status not in ("pending", "retry"):
            continue
        outcome = attempt(delivery, client, max_attempts, now)
        setattr(run, outcome, getattr(run, outcome) + 1)
        db.session.commit()
    return run


def attempt(delivery: LineDelivery, client: line.LineClient, max_attempts: int, now: datetime) -> str:
    """Push one delivery once (same retry key every time) and record the result."""
    result = client.push(delivery.group.group_id, messages_for(delivery.post), delivery.retry_key)
    delivery.attempts += 1
    delivery.last_status_code = result.status_code
    delivery.attempt_log.append(LineAttempt(at=now, status_code=result.status_code, request_id=result.request_id,
                                            error=result.error, ok=result.delivered))
    if result.delivered:
        delivery.status = "sent"
        delivery.sent_at = now
        delivery.last_error = None
        delivery.next_attempt_at = None
        return "sent"
    delivery.last_error = result.error or f"HTTP {result.status_code}"
    if result.retryable and delivery.attempts < max_attempts:
        delivery.status = "retry"
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        return "retrying"
    # A refused request (bad token, bad group id, bad message) or too many tries: staff must look.
    delivery.status = "failed"
    delivery.next_attempt_at = None
    return "failed"


def retry_now(delivery: LineDelivery, now: datetime | None = None) -> None:
    """Staff asked to try a stopped delivery again: keep its retry key, so it is never sent twice."""
    delivery.status = "retry"
    delivery.attempts = 0
    delivery.next_attempt_at = now or now_utc()
