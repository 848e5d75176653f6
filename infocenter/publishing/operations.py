"""Writes that touch several tables: publishing a post (and queueing its LINE and Facebook
deliveries), publishing what is due, sending or retrying deliveries with backoff, what the LINE
webhook tells us (groups joined and left, members' messages), and the reach LINE counted."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from .. import settings
from ..extensions import db
from ..thai import N_, MessageError, now_utc
from ..urls import PublicBaseURLMissing, absolute_url, public_https
from . import facebook, images, line
from .images import preview_name
from .models import (
    FacebookDelivery,
    LineAttempt,
    LineDelivery,
    LineGroup,
    LineGroupMessage,
    LineWebhookEvent,
    Post,
    PostFeedback,
)

settings.define(
    "line_max_attempts",
    _l("จำนวนครั้งสูงสุดที่ลองส่งข้อความ LINE ก่อนหยุดส่ง"),
    int,
    6,
    _l("เมื่อส่งไม่สำเร็จ ระบบจะลองใหม่โดยเว้นระยะห่างเพิ่มขึ้นเป็นเท่าตัว (1, 2, 4, 8 ... นาที)"),
    minimum=1,
    maximum=20,
)

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


class PublishingError(MessageError):
    """A change to posts or LINE groups that cannot be made; the message says what to change."""


@dataclass(frozen=True)
class PostDraft:
    """What the post form says, read off it by the view."""

    kind: str
    title: str
    body: str
    entry_id: int | None
    clip_url: str | None
    send_line: bool
    send_facebook: bool
    when: str  # "now", "schedule", "draft", or anything else: keep the state as it is
    scheduled_at: datetime | None = None
    image: FileStorage | None = None
    remove_image: bool = False


def save_post(
    post: Post | None, draft: PostDraft, office_id: int, user_id: int
) -> tuple[Post, int]:
    """Create (for ``office_id``) or update a post: store a new image (UploadError when it is
    refused, with nothing saved), publish it now (queueing its deliveries), schedule it or keep it
    as a draft; commits, then deletes the image the post no longer uses. Returns the post and the
    number of deliveries queued."""
    upload = draft.image
    stored = None
    if upload and upload.filename:
        try:
            stored = images.store_image(upload, int(settings.get("publishing_image_max_mb")))
        finally:
            upload.close()  # a large upload is spooled to a temporary file: release it now
    was_published = post is not None and post.state == "published"
    if post is None:
        post = Post(office_id=office_id, created_by_id=user_id)
        db.session.add(post)
    old_image = post.image_name
    for name in ("kind", "title", "body", "entry_id", "clip_url", "send_line", "send_facebook"):
        setattr(post, name, getattr(draft, name))
    post.updated_by_id = user_id
    if stored is not None:
        checked, post.image_name = stored
        post.image_mime, post.image_size = checked.mime_type, len(checked.data)
    elif draft.remove_image:
        post.image_name = post.image_mime = post.image_size = None
    queued = 0
    if draft.when == "now" and not was_published:
        queued = publish(post)
    elif draft.when == "schedule":
        post.state, post.scheduled_at = "scheduled", draft.scheduled_at
    elif draft.when == "draft":
        post.state, post.scheduled_at = "draft", None
    db.session.commit()
    if old_image and old_image != post.image_name:
        images.remove_image(old_image)
    return post, queued


def record_feedback(
    post: Post, read_count: int, comment_count: int, notes: str, user_id: int
) -> PostFeedback:
    """Record (or correct) how a published post was read and answered. The caller commits."""
    record = post.feedback or PostFeedback(post=post, office_id=post.office_id)
    record.read_count = read_count
    record.comment_count = comment_count
    record.notes = notes.strip()
    record.recorded_by_id = user_id
    db.session.add(record)
    return record


def save_line_group(group: LineGroup | None, name: str, group_id: str, active: bool) -> LineGroup:
    """Add a LINE group posts go to, or change one; PublishingError when another group has this
    Group ID. The caller commits."""
    clash = db.session.scalars(
        select(LineGroup).where(
            LineGroup.group_id == group_id, LineGroup.id != (group.id if group else 0)
        )
    ).first()
    if clash:
        raise PublishingError(N_("Group ID นี้ใช้กับกลุ่ม “%(group)s” แล้ว"), group=clash.name)
    group = group or LineGroup()
    group.name, group.group_id, group.active = name, group_id, active
    db.session.add(group)
    return group


def line_enabled() -> bool:
    """LINE delivery is on only when a channel access token is configured."""
    return bool(current_app.config.get("LINE_CHANNEL_ACCESS_TOKEN"))


def facebook_enabled() -> bool:
    """Facebook Page posting is on only when a Page id and a Page access token are configured."""
    return bool(
        current_app.config.get("FACEBOOK_PAGE_ID") and current_app.config.get("FACEBOOK_PAGE_TOKEN")
    )


def active_groups() -> list[LineGroup]:
    """Groups an administrator enabled and the bot is still a member of."""
    return list(
        db.session.scalars(
            select(LineGroup)
            .where(LineGroup.active.is_(True), LineGroup.left_at.is_(None))
            .order_by(LineGroup.name)
        )
    )


class ImageNeedsHttps(Exception):
    """An image post cannot go to LINE or Facebook: they fetch images only from a public https
    address."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "ส่งข่าวที่มีภาพไม่ได้: ให้ผู้ดูแลระบบตั้ง PUBLIC_BASE_URL=https://ชื่อเว็บไซต์ของหน่วยงาน "
                "แล้วเริ่มระบบใหม่ (LINE และ Facebook ดึงภาพจากที่อยู่ https สาธารณะเท่านั้น) "
                "หรือเอาภาพออก หรือเลือกไม่ส่งเข้า LINE/Facebook"
            )
        )


def https_refusal() -> str | None:
    """The Thai reason no image can be sent out now (None when the site has a public https
    address)."""
    return None if public_https() else str(ImageNeedsHttps())


def image_refused(post: Post) -> str | None:
    """The Thai reason this post cannot be sent out now (None when it can, or has no image)."""
    return https_refusal() if post.image_name else None


def _public_link(endpoint: str, **values) -> str | None:
    """The public address of a page, or None when the site has no known public address (CLI, no
    PUBLIC_BASE_URL)."""
    try:
        link = absolute_url(endpoint, **values)
    except PublicBaseURLMissing:
        return None
    return link if link.startswith("http") else None


def publish(post: Post, now: datetime | None = None) -> int:
    """Make a post public now and queue it for every active LINE group; returns deliveries
    queued."""
    now = now or now_utc()
    post.state = "published"
    post.published_at = now
    post.scheduled_at = None
    return queue_deliveries(post, now)


def queue_deliveries(post: Post, now: datetime) -> int:
    """One LINE delivery per active group not yet sent this post, each with its own retry key, and
    one Facebook delivery; returns the LINE deliveries queued."""
    db.session.flush()  # the post's id and column defaults (send_line) are needed below
    if (
        post.send_facebook
        and facebook_enabled()
        and not db.session.scalar(
            select(FacebookDelivery.id).where(FacebookDelivery.post_id == post.id)
        )
    ):
        db.session.add(FacebookDelivery(post_id=post.id, status="pending", next_attempt_at=now))
    if not (post.send_line and line_enabled()):
        return 0
    done = set(
        db.session.scalars(select(LineDelivery.group_id).where(LineDelivery.post_id == post.id))
    )
    queued = 0
    for group in active_groups():
        if group.id in done:
            continue
        db.session.add(
            LineDelivery(
                post_id=post.id,
                group_id=group.id,
                retry_key=str(uuid.uuid4()),
                status="pending",
                next_attempt_at=now,
            )
        )
        queued += 1
    return queued


def publish_due(now: datetime | None = None) -> list[Post]:
    """Publish every scheduled post whose time has come; the caller commits."""
    now = now or now_utc()
    due = list(
        db.session.scalars(
            select(Post)
            .where(Post.state == "scheduled", Post.scheduled_at <= now)
            .order_by(Post.scheduled_at)
        )
    )
    for post in due:
        publish(post, now)
    return due


def post_text(post: Post, with_link: bool = True) -> str:
    """The post as one Thai text: title, body, clip and (when the site has a public address) its
    page.

    Always Thai, whatever language the staff member's page is in: it goes to Thai citizens' groups.
    """
    parts = [post.title]
    if post.body:
        parts.append(post.body)
    if post.clip_url:
        parts.append(f"ชมคลิป: {post.clip_url}")
    link = _public_link("publishing.post", post_id=post.id) if with_link else None
    if link:
        parts.append(f"อ่านต่อ: {link}")
    return "\n\n".join(parts)


def messages_for(post: Post) -> list[dict[str, Any]]:
    """The LINE messages a post becomes: its text (with links), then its image when it has one.

    An image post is never sent without its image: without a public https address this raises
    ImageNeedsHttps (LINE fetches images itself, over https only).
    """
    messages = [line.text_message(post_text(post))]
    if post.image_name:
        if not public_https():
            raise ImageNeedsHttps()
        original = absolute_url("publishing.image", name=post.image_name)
        preview = absolute_url("publishing.image", name=preview_name(post.image_name))
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


def _line_client() -> line.LineClient:
    """The LINE Messaging API client from the settings."""
    cfg = current_app.config
    return line.LineClient(cfg["LINE_API_BASE"], cfg["LINE_CHANNEL_ACCESS_TOKEN"])


def deliver_due(now: datetime | None = None, client: line.LineClient | None = None) -> DeliveryRun:
    """Send every delivery that is due; record each attempt and commit after each one."""
    run = DeliveryRun()
    if not line_enabled():
        return run
    now = now or now_utc()
    client = client or _line_client()
    return _deliver_due(LineDelivery, lambda d, most: attempt(d, client, most, now), now, run)


def _deliver_due(
    model: type[LineDelivery] | type[FacebookDelivery],
    attempt_one: Callable[[Any, int], str],
    now: datetime,
    run: DeliveryRun,
) -> DeliveryRun:
    """Try each delivery of ``model`` that is due, oldest first, committing after each one (LINE
    and Facebook alike); ``attempt_one(delivery, max_attempts)`` says "sent", "retrying" or
    "failed"."""
    max_attempts = int(settings.get("line_max_attempts"))
    due_ids = list(
        db.session.scalars(
            select(model.id)
            .where(model.status.in_(("pending", "retry")), model.next_attempt_at <= now)
            .order_by(model.next_attempt_at, model.id)
        )
    )
    for delivery_id in due_ids:
        delivery = db.session.get(model, delivery_id)
        if delivery is None or delivery.status not in ("pending", "retry"):
            continue
        outcome = attempt_one(delivery, max_attempts)
        setattr(run, outcome, getattr(run, outcome) + 1)
        db.session.commit()
    return run


def _stopped(delivery: LineDelivery | FacebookDelivery, reason: str) -> str:
    """Not sent at all, for a reason staff must fix (shown to them): no retry."""
    delivery.status, delivery.last_error, delivery.last_status_code = "failed", reason, None
    delivery.next_attempt_at = None
    return "failed"


def _sent(delivery: LineDelivery | FacebookDelivery, now: datetime) -> str:
    delivery.status, delivery.sent_at = "sent", now
    delivery.last_error = None
    delivery.next_attempt_at = None
    return "sent"


def _not_sent(
    delivery: LineDelivery | FacebookDelivery,
    error: str | None,
    status_code: int | None,
    retryable: bool,
    max_attempts: int,
    now: datetime,
) -> str:
    """Record a failed attempt: tried again later with back-off while the error is temporary and
    attempts remain; otherwise stopped (a refused request or too many tries: staff must look)."""
    delivery.last_error = error or f"HTTP {status_code}"
    if retryable and delivery.attempts < max_attempts:
        delivery.status = "retry"
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        return "retrying"
    delivery.status = "failed"
    delivery.next_attempt_at = None
    return "failed"


def attempt(
    delivery: LineDelivery, client: line.LineClient, max_attempts: int, now: datetime
) -> str:
    """Push one delivery once (same retry key every time) and record the result, with exactly which
    messages LINE accepted."""
    try:
        messages = messages_for(delivery.post)
    except ImageNeedsHttps as exc:
        # Not sent at all rather than sent without its image; staff see why and what to set.
        delivery.attempts += 1
        delivery.attempt_log.append(LineAttempt(at=now, status_code=None, error=str(exc), ok=False))
        return _stopped(delivery, str(exc))
    types = ",".join(m["type"] for m in messages)
    result = client.push(
        delivery.group.group_id, messages, delivery.retry_key, delivery.post.line_unit
    )
    delivery.attempts += 1
    delivery.last_status_code = result.status_code
    delivery.attempt_log.append(
        LineAttempt(
            at=now,
            status_code=result.status_code,
            request_id=result.request_id,
            error=result.error,
            ok=result.delivered,
            sent_types=types,
            sent_message_ids=",".join(result.sent_message_ids) or None,
        )
    )
    if result.delivered:
        if result.status_code == 200:
            # One id per message LINE accepted, in the order sent.
            delivery.accepted_types = (
                ",".join(types.split(",")[: len(result.sent_message_ids)]) or None
            )
        else:  # 409: accepted earlier under the same retry key, with the same messages
            earlier = next((a for a in delivery.attempt_log if a.sent_message_ids), None)
            delivery.accepted_types = earlier.sent_types if earlier else types
        return _sent(delivery, now)
    # A refused request (bad token, bad group id, bad message) or too many tries: staff must look.
    return _not_sent(
        delivery, result.error, result.status_code, result.retryable, max_attempts, now
    )


def retry_now(delivery: LineDelivery | FacebookDelivery, now: datetime | None = None) -> None:
    """Staff asked to try a stopped delivery (LINE or Facebook) again, in the next run; a LINE
    delivery keeps its retry key, so it is never sent twice."""
    delivery.status = "retry"
    delivery.attempts = 0
    delivery.next_attempt_at = now or now_utc()


# --- Facebook Page -------------------------------------------------------------------------------


def deliver_facebook_due(
    now: datetime | None = None, client: facebook.FacebookClient | None = None
) -> DeliveryRun:
    """Post every Facebook delivery that is due to the Page; commit after each one."""
    run = DeliveryRun()
    if not facebook_enabled():
        return run
    now = now or now_utc()
    cfg = current_app.config
    client = client or facebook.FacebookClient(
        cfg["FACEBOOK_API_BASE"], cfg["FACEBOOK_PAGE_ID"], cfg["FACEBOOK_PAGE_TOKEN"]
    )
    return _deliver_due(
        FacebookDelivery, lambda d, most: facebook_attempt(d, client, most, now), now, run
    )


def facebook_attempt(
    delivery: FacebookDelivery, client: facebook.FacebookClient, max_attempts: int, now: datetime
) -> str:
    post = delivery.post
    delivery.attempts += 1
    reason = image_refused(post)
    if reason:
        return _stopped(delivery, reason)
    image = absolute_url("publishing.image", name=post.image_name) if post.image_name else None
    link = _public_link("publishing.post", post_id=post.id)
    result = client.publish(post_text(post, with_link=bool(image)), link=link, image_url=image)
    delivery.last_status_code = result.status_code
    delivery.endpoint = "photos" if image else "feed"
    if result.delivered:
        delivery.facebook_id = result.object_id
        return _sent(delivery, now)
    return _not_sent(
        delivery, result.error, result.status_code, result.retryable, max_attempts, now
    )


# --- the LINE webhook -------------------------------------------------------------------------


@dataclass
class WebhookRun:
    handled: int = 0
    repeated: int = 0  # redeliveries of events already handled
    ignored: int = 0


def handle_webhook_events(events: list, client: line.LineClient | None = None) -> WebhookRun:
    """Record what LINE told us, each event once (by webhookEventId), each in its own
    transaction."""
    run = WebhookRun()
    for event in events:
        event_id = getattr(event, "webhook_event_id", None)
        kind = getattr(event, "type", None) or type(event).__name__
        if not event_id:
            run.ignored += 1
            continue
        if db.session.scalar(
            select(LineWebhookEvent.id).where(LineWebhookEvent.event_id == event_id)
        ):
            run.repeated += 1
            continue
        try:
            db.session.add(LineWebhookEvent(event_id=event_id, type=str(kind)[:32]))
            db.session.flush()  # a redelivery racing this one stops here
        except IntegrityError:
            db.session.rollback()
            run.repeated += 1
            continue
        _handle_event(event, str(kind), client)
        db.session.commit()
        run.handled += 1
    return run


def _event_time(event) -> datetime:
    stamp = getattr(event, "timestamp", None)
    return datetime.fromtimestamp(stamp / 1000, UTC) if stamp else now_utc()


def _handle_event(event, kind: str, client: line.LineClient | None) -> None:
    source = getattr(event, "source", None)
    group_key = getattr(source, "group_id", None)
    if not group_key:
        return  # a one-to-one chat or a multi-person chat: not a group the office posts to
    group = db.session.scalars(select(LineGroup).where(LineGroup.group_id == group_key)).first()
    at = _event_time(event)
    if kind == "join":
        if group is None:
            group = LineGroup(group_id=group_key, name=_group_name(group_key, client), active=False)
            db.session.add(group)
        group.joined_at, group.left_at = at, None
    elif kind == "leave":
        if group is not None:
            group.left_at = at
            group.active = False
    elif kind == "message" and group is not None and group.left_at is None:
        message = getattr(event, "message", None)
        post_id = db.session.scalar(
            select(LineDelivery.post_id)
            .where(
                LineDelivery.group_id == group.id,
                LineDelivery.status == "sent",
                LineDelivery.sent_at <= at,
            )
            .order_by(LineDelivery.sent_at.desc(), LineDelivery.id.desc())
            .limit(1)
        )
        db.session.add(
            LineGroupMessage(
                group_id=group.id,
                post_id=post_id,
                message_type=str(getattr(message, "type", "") or "message")[:20],
                text=getattr(message, "text", None),
                line_user_id=getattr(source, "user_id", None),
                sent_at=at,
            )
        )


def placeholder_name(group_key: str) -> str:
    """The name a group gets while LINE has not told its name (the admin may change it)."""
    return f"กลุ่ม LINE {group_key[:9]}…"


def _group_name(group_key: str, client: line.LineClient | None) -> str:
    """The group's name from LINE (a short wait: LINE wants the webhook answered quickly), or a
    placeholder that ``fill_group_names`` replaces later."""
    try:
        client = client or _line_client()
        name = client.group_name(group_key)
    except (ValueError, line.LineError) as exc:
        current_app.logger.warning("LINE group summary for %s failed: %s", group_key, exc)
        name = ""
    return (name or placeholder_name(group_key))[:200]


def fill_group_names(client: line.LineClient | None = None) -> int:
    """Ask LINE again for the names of groups still under their placeholder; returns how many were
    named."""
    named = 0
    for group in db.session.scalars(select(LineGroup).where(LineGroup.left_at.is_(None))):
        if group.name != placeholder_name(group.group_id):
            continue
        name = _group_name(group.group_id, client)
        if name != group.name:
            group.name = name
            named += 1
    return named


# --- reach: LINE's statistics per post ------------------------------------------------------------

LINE_TZ = ZoneInfo("Asia/Tokyo")  # LINE's statistics days are in UTC+9
STATS_DAYS = 14  # a post's reach is counted over the two weeks after it went out


@dataclass
class StatsRun:
    updated: list[Post] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _count(value) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def fetch_reach(
    now: datetime | None = None, client: line.LineClient | None = None, days: int = STATS_DAYS
) -> StatsRun:
    """Fetch LINE's statistics for every post sent to a group in the last ``days`` days (and not
    fetched since yesterday); store unique impressions, clicks and media played on the post."""
    run = StatsRun()
    if not line_enabled():
        return run
    now = now or now_utc()
    client = client or _line_client()
    since = now - timedelta(days=days + 1)
    posts = db.session.scalars(
        select(Post)
        .where(
            Post.id.in_(
                select(LineDelivery.post_id).where(
                    LineDelivery.status == "sent", LineDelivery.sent_at >= since
                )
            )
        )
        .order_by(Post.id)
    )
    today = now.astimezone(LINE_TZ).date()
    for post in posts:
        first = db.session.scalar(
            select(LineDelivery.sent_at)
            .where(LineDelivery.post_id == post.id, LineDelivery.status == "sent")
            .order_by(LineDelivery.sent_at)
            .limit(1)
        )
        start: date = first.astimezone(LINE_TZ).date()
        end = min(today, start + timedelta(days=days))
        try:
            data = client.unit_statistics(post.line_unit, start, end)
        except line.LineError as exc:
            run.errors.append(f"#{post.id}: {exc}")
            continue
        overview = data.get("overview") or {}
        post.reach_impressions = _count(overview.get("uniqueImpression"))
        post.reach_clicks = _count(overview.get("uniqueClick"))
        post.reach_media_played = _count(overview.get("uniqueMediaPlayed"))
        post.reach_fetched_at = now
        run.updated.append(post)
    return run
