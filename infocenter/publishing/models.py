"""Posts, their LINE deliveries and attempts, LINE groups, and the feedback staff record."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..admin.models import Office
from ..audit import Audited
from ..auth.models import User
from ..catalogue.models import IndexEntry
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import now_utc

# Kinds of post: the LINE project counts still-image posts per week and clips per month.
# Labels are UI strings, shown in the page's language (str() them for anything not a page).
KIND_LABELS = {
    "still": _l("ภาพนิ่งให้ความรู้"),
    "clip": _l("คลิปวิดีโอ"),
    "news": _l("ข่าวประชาสัมพันธ์"),
}
STATE_LABELS = {"draft": _l("ร่าง"), "scheduled": _l("ตั้งเวลาเผยแพร่"), "published": _l("เผยแพร่แล้ว")}
MESSAGE_TYPE_LABELS = {"text": _l("ข้อความ"), "image": _l("ภาพ")}
DELIVERY_LABELS = {
    "pending": _l("รอส่ง"),
    "retry": _l("ส่งไม่สำเร็จ รอส่งซ้ำ"),
    "sent": _l("ส่งแล้ว"),
    "failed": _l("ส่งไม่สำเร็จ (หยุดส่ง)"),
}


class Post(Audited, db.Model):
    """An announcement: Thai text, an optional image, an optional link to an index entry or a
    clip."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="still")
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    image_name: Mapped[str | None] = mapped_column(String(80))  # generated name under UPLOAD_DIR
    image_mime: Mapped[str | None] = mapped_column(String(40))
    image_size: Mapped[int | None] = mapped_column()
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("index_entries.id", ondelete="SET NULL"), index=True
    )
    clip_url: Mapped[str | None] = mapped_column(String(500))
    send_line: Mapped[bool] = mapped_column(default=True)
    send_facebook: Mapped[bool] = mapped_column(default=True, server_default=true())
    state: Mapped[str] = mapped_column(String(16), default="draft")
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Reach from LINE's statistics for the post's aggregation unit (flask publish stats); None with
    # reach_fetched_at set means LINE gave null: fewer than 20 people, shown as "< 20".
    reach_impressions: Mapped[int | None] = mapped_column()
    reach_clicks: Mapped[int | None] = mapped_column()
    reach_media_played: Mapped[int | None] = mapped_column()
    reach_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office] = relationship(lazy="joined")
    entry: Mapped[IndexEntry | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    feedback: Mapped[PostFeedback | None] = relationship(
        back_populates="post", cascade="all, delete-orphan", uselist=False
    )
    deliveries: Mapped[list[LineDelivery]] = relationship(
        back_populates="post", order_by="LineDelivery.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("kind IN ('still', 'clip', 'news')", name="kind"),
        CheckConstraint("state IN ('draft', 'scheduled', 'published')", name="state"),
        Index("ix_posts_state_published_at", "state", "published_at"),
        Index("ix_posts_state_scheduled_at", "state", "scheduled_at"),
    )

    kind_label = CodeLabel(KIND_LABELS, "kind")
    state_label = CodeLabel(STATE_LABELS, "state")

    @property
    def is_public(self) -> bool:
        return self.state == "published"

    @property
    def line_unit(self) -> str:
        """The post's LINE aggregation unit name (1-30 characters of [A-Za-z0-9_]), the same on
        every push."""
        return f"infocenter_post_{self.id}"

    @property
    def summary(self) -> str:
        """The first 200 characters of the body, on one line (for og:description and feeds)."""
        text = " ".join((self.body or "").split())
        return text if len(text) <= 200 else text[:197] + "…"


class PostFeedback(Audited, db.Model):
    """What staff saw after a post went out: how many read it, comments, and notes on the
    feedback."""

    __tablename__ = "post_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    office_id: Mapped[int] = mapped_column(
        ForeignKey("offices.id"), index=True
    )  # the post's, for the audit log
    read_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    post: Mapped[Post] = relationship(back_populates="feedback")
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint("read_count >= 0 AND comment_count >= 0", name="counts"),)


class LineGroup(Audited, db.Model):
    """A LINE group the office's bot is a member of; posts are pushed to every active group.

    The webhook registers a group when the bot joins it (inactive until an administrator enables it)
    and marks it left when the bot is removed.
    """

    __tablename__ = "line_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[str] = mapped_column(String(64), unique=True)  # "C" + 32 hex digits
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the bot's last join event
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set when the bot was removed

    @property
    def has_left(self) -> bool:
        return self.left_at is not None


class LineDelivery(db.Model):
    """One post to one LINE group: its retry key (kept across retries), state and next attempt."""

    __tablename__ = "line_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("line_groups.id", ondelete="CASCADE"), index=True
    )
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)  # UUID sent as X-Line-Retry-Key
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # What LINE accepted: "text,image" — the types of the messages pushed, in order, when LINE
    # answered with one sent message id for each (None until sent).
    accepted_types: Mapped[str | None] = mapped_column(String(60))

    post: Mapped[Post] = relationship(back_populates="deliveries")
    group: Mapped[LineGroup] = relationship(lazy="joined")
    attempt_log: Mapped[list[LineAttempt]] = relationship(
        back_populates="delivery", order_by="LineAttempt.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("post_id", "group_id", name="uq_line_deliveries_post_group"),
        CheckConstraint("status IN ('pending', 'retry', 'sent', 'failed')", name="status"),
        Index("ix_line_deliveries_due", "status", "next_attempt_at"),
    )

    status_label = CodeLabel(DELIVERY_LABELS, "status")

    @property
    def accepted_label(self) -> str:
        """What LINE accepted, e.g. "ข้อความ + ภาพ" ("" until sent)."""
        return " + ".join(
            str(MESSAGE_TYPE_LABELS.get(t, t)) for t in (self.accepted_types or "").split(",") if t
        )


class LineAttempt(db.Model):
    """One call to the LINE push API and what it answered."""

    __tablename__ = "line_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("line_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    status_code: Mapped[int | None] = mapped_column()  # None: no answer (connection error, timeout)
    request_id: Mapped[str | None] = mapped_column(String(64))  # X-Line-Request-Id
    error: Mapped[str | None] = mapped_column(Text)
    ok: Mapped[bool] = mapped_column(default=False)
    sent_types: Mapped[str | None] = mapped_column(
        String(60)
    )  # "text,image": the messages in this call
    sent_message_ids: Mapped[str | None] = mapped_column(
        Text
    )  # LINE's ids of the messages it accepted

    delivery: Mapped[LineDelivery] = relationship(back_populates="attempt_log")


class LineWebhookEvent(db.Model):
    """A webhook event already handled, by LINE's ``webhookEventId`` (LINE redelivers; each counts
    once)."""

    __tablename__ = "line_webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class LineGroupMessage(db.Model):
    """What a member wrote in a registered group: feedback on the latest post delivered there before
    it.

    The text and the LINE user id are personal data: erased after the retention period
    (``flask privacy purge``), the row stays so the counts per post and per group do not change.
    """

    __tablename__ = "line_group_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("line_groups.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    message_type: Mapped[str] = mapped_column(
        String(20), default="text"
    )  # text, sticker, image ...
    text: Mapped[str | None] = mapped_column(Text)  # as sent
    line_user_id: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the event's timestamp
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    personal_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[LineGroup] = relationship(lazy="joined")
    post: Mapped[Post | None] = relationship()

    __table_args__ = (Index("ix_line_group_messages_sent_at", "sent_at"),)


class FacebookDelivery(db.Model):
    """One post to the office's Facebook Page, retried with backoff like a LINE delivery."""

    __tablename__ = "facebook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    endpoint: Mapped[str | None] = mapped_column(String(16))  # "feed" or "photos": what was posted
    facebook_id: Mapped[str | None] = mapped_column(
        String(100)
    )  # the Page post's id Facebook answered
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    post: Mapped[Post] = relationship(backref="facebook_delivery")

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'retry', 'sent', 'failed')", name="status"),
        Index("ix_facebook_deliveries_due", "status", "next_attempt_at"),
    )

    status_label = CodeLabel(DELIVERY_LABELS, "status")
