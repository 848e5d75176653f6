"""The LINE project's plan: still-image posts per ISO week against 3, clips per month against 1,
reach and feedback; counted by the database (GROUP BY).

Only weeks and months that have started are judged: the current one is "in progress", later ones
"not yet", and the headline counts only the weeks (and months) that have ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from .. import settings
from ..dbtypes import local_month, local_week
from ..extensions import db
from ..i18n import display_date
from ..thai import (
    DateParseError,
    local_day_bounds_utc,
    local_today,
    parse_thai_date,
)
from .models import LineDelivery, LineGroup, LineGroupMessage, Post, PostFeedback

settings.define(
    "publishing_plan_start",
    _l("โครงการ LINE: วันเริ่มโครงการ (เช่น 1/05/2563; ว่าง = ๕ เดือนล่าสุด)"),
    str,
    "",
    _l("ช่วงเวลาของโครงการที่ใช้ในหน้าแผนและรายงานประจำเดือน"),
    kind="date",
)
settings.define(
    "publishing_plan_end",
    _l("โครงการ LINE: วันสิ้นสุดโครงการ (เช่น 30/09/2563; ว่าง = สิ้นเดือนนี้)"),
    str,
    "",
    kind="date",
)
settings.define(
    "publishing_target_still_per_week",
    _l("โครงการ LINE: เป้าหมายภาพนิ่งต่อสัปดาห์ (เรื่อง)"),
    int,
    3,
    minimum=0,
    maximum=50,
)
settings.define(
    "publishing_target_clips_per_month",
    _l("โครงการ LINE: เป้าหมายคลิปต่อเดือน (เรื่อง)"),
    int,
    1,
    minimum=0,
    maximum=50,
)


@dataclass(frozen=True)
class PlanPeriod:
    start: date
    end: date

    @property
    def label(self) -> str:
        """For pages, in the page's language."""
        return _("%(start)s ถึง %(end)s", start=display_date(self.start), end=display_date(self.end))


def _month_start(d: date, back: int = 0) -> date:
    index = d.year * 12 + d.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _month_end(d: date) -> date:
    return _month_start(d, back=-1) - timedelta(days=1)


def plan_period(
    start_text: str | None = None, end_text: str | None = None
) -> tuple[PlanPeriod, list[str]]:
    """The period asked for (or the settings, or the last five months); messages for bad dates (for
    a page)."""
    errors: list[str] = []
    today = local_today()
    start, end = _month_start(today, back=4), _month_end(today)
    for which, given, key in (
        ("start", start_text, "publishing_plan_start"),
        ("end", end_text, "publishing_plan_end"),
    ):
        text = (given if given is not None else settings.get(key) or "").strip()
        if not text:
            continue
        try:
            value = parse_thai_date(text)
        except DateParseError as exc:
            errors.append(
                _("วันเริ่ม: %(error)s", error=exc)
                if which == "start"
                else _("วันสิ้นสุด: %(error)s", error=exc)
            )
            continue
        if which == "start":
            start = value
        else:
            end = value
    if end < start:
        errors.append(_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม จึงแสดงช่วงเริ่มต้นแทน"))
        start, end = _month_start(today, back=4), _month_end(today)
    if (end - start).days > 3 * 366:
        errors.append(_("ช่วงเวลายาวเกิน ๓ ปี กรุณาเลือกช่วงที่สั้นลง จึงแสดง ๓ ปีแรก"))
        end = start + timedelta(days=3 * 366)
    return PlanPeriod(start, end), errors


@dataclass
class WeekRow:
    monday: date
    iso_year: int
    iso_week: int
    still: int
    target: int
    partial: bool  # the week runs past either end of the period
    today: date | None = None  # the day the plan was counted on (None: every week has ended)

    @property
    def met(self) -> bool:
        return self.still >= self.target

    @property
    def started(self) -> bool:
        return self.today is None or self.monday <= self.today

    @property
    def ended(self) -> bool:
        return self.today is None or self.sunday < self.today

    @property
    def in_progress(self) -> bool:
        return self.started and not self.ended

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


@dataclass
class MonthRow:
    month: date  # first day
    still: int = 0
    clips: int = 0
    news: int = 0
    reads: int = 0
    comments: int = 0
    with_feedback: int = 0
    clip_target: int = 1
    weeks_met: int = 0
    weeks_full: int = 0  # full weeks of the period counted in this month that have ended
    today: date | None = None
    reach: int = 0  # unique impressions LINE counted, summed over the month's posts
    reach_small: int = 0  # posts whose reach LINE gave as null (fewer than 20 people)
    group_messages: int = 0  # members' messages in the groups after the month's posts

    @property
    def started(self) -> bool:
        return self.today is None or self.month <= self.today

    @property
    def ended(self) -> bool:
        return self.today is None or _month_end(self.month) < self.today

    @property
    def in_progress(self) -> bool:
        return self.started and not self.ended

    @property
    def total(self) -> int:
        return self.still + self.clips + self.news

    @property
    def met(self) -> bool:
        return self.clips >= self.clip_target


@dataclass
class Plan:
    period: PlanPeriod
    still_target: int
    clip_target: int
    weeks: list[WeekRow] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)

    @property
    def weeks_met(self) -> int:
        """Full weeks that have ended and met the target."""
        return sum(1 for w in self.weeks if w.met and not w.partial and w.ended)

    @property
    def weeks_full(self) -> int:
        """Full weeks of the period that have ended (the current and later weeks are not judged
        yet)."""
        return sum(1 for w in self.weeks if not w.partial and w.ended)

    @property
    def current_week(self) -> WeekRow | None:
        return next((w for w in self.weeks if w.in_progress), None)

    @property
    def months_met(self) -> int:
        return sum(1 for m in self.months if m.met and m.ended)

    @property
    def months_ended(self) -> int:
        return sum(1 for m in self.months if m.ended)


@dataclass
class GroupRow:
    """One LINE group over the period: posts that reached it and what its members wrote after
    them."""

    name: str
    posts: int = 0
    messages: int = 0
    has_left: bool = False


def _published_in(period: PlanPeriod, office_ids: list[int] | None):
    lo, hi = local_day_bounds_utc(period.start, period.end)
    conditions = [Post.state == "published", Post.published_at >= lo, Post.published_at < hi]
    if office_ids is not None:
        conditions.append(Post.office_id.in_(office_ids))
    return conditions


def build_plan(
    period: PlanPeriod, office_ids: list[int] | None = None, today: date | None = None
) -> Plan:
    """Posts per ISO week and per month in the period, against the targets in the settings; weeks
    and months after ``today`` (the office's today by default) are not judged yet."""
    today = today or local_today()
    plan = Plan(
        period,
        int(settings.get("publishing_target_still_per_week")),
        int(settings.get("publishing_target_clips_per_month")),
    )
    conditions = _published_in(period, office_ids)

    week = local_week(Post.published_at)
    per_week = {
        _as_date(monday): n
        for monday, n in db.session.execute(
            select(week, func.count(Post.id))
            .where(*conditions, Post.kind == "still")
            .group_by(week)
        )
    }
    monday = period.start - timedelta(days=period.start.weekday())
    while monday <= period.end:
        iso = monday.isocalendar()
        plan.weeks.append(
            WeekRow(
                monday,
                iso.year,
                iso.week,
                per_week.get(monday, 0),
                plan.still_target,
                partial=monday < period.start or monday + timedelta(days=6) > period.end,
                today=today,
            )
        )
        monday += timedelta(days=7)

    month = local_month(Post.published_at)
    rows = db.session.execute(
        select(
            month,
            Post.kind,
            func.count(Post.id),
            func.coalesce(func.sum(PostFeedback.read_count), 0),
            func.coalesce(func.sum(PostFeedback.comment_count), 0),
            func.count(PostFeedback.id),
            func.coalesce(func.sum(Post.reach_impressions), 0),
            func.coalesce(
                func.sum(
                    case(
                        (
                            and_(
                                Post.reach_fetched_at.is_not(None), Post.reach_impressions.is_(None)
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
                0,
            ),
        )
        .outerjoin(PostFeedback, PostFeedback.post_id == Post.id)
        .where(*conditions)
        .group_by(month, Post.kind)
    )
    months: dict[str, MonthRow] = {}
    first = _month_start(period.start)
    while first <= period.end:
        months[f"{first:%Y-%m}"] = MonthRow(first, clip_target=plan.clip_target, today=today)
        first = _month_start(first, back=-1)
    for key, kind, n, reads, comments, with_feedback, reach, reach_small in rows:
        row = months.get(key)
        if row is None:
            continue
        setattr(row, {"still": "still", "clip": "clips", "news": "news"}[kind], n)
        row.reads += int(reads)
        row.comments += int(comments)
        row.with_feedback += with_feedback
        row.reach += int(reach)
        row.reach_small += int(reach_small)
    for key, n in db.session.execute(
        select(month, func.count(LineGroupMessage.id))
        .join(Post, Post.id == LineGroupMessage.post_id)
        .where(*conditions)
        .group_by(month)
    ):
        if key in months:
            months[key].group_messages = n
    for w in plan.weeks:
        if w.partial or not w.ended:
            continue
        # A full week counts in the month its Thursday falls in (the ISO rule).
        row = months.get(f"{w.monday + timedelta(days=3):%Y-%m}")
        if row is not None:
            row.weeks_full += 1
            row.weeks_met += 1 if w.met else 0
    plan.months = list(months.values())
    plan.groups = group_rows(period, office_ids)
    return plan


def group_rows(period: PlanPeriod, office_ids: list[int] | None = None) -> list[GroupRow]:
    """Per LINE group: the period's posts delivered to it and its members' messages after them."""
    conditions = _published_in(period, office_ids)
    groups = {
        g.id: GroupRow(g.name, has_left=g.left_at is not None)
        for g in db.session.scalars(select(LineGroup).order_by(LineGroup.name))
    }
    for group_id, n in db.session.execute(
        select(LineDelivery.group_id, func.count(LineDelivery.id))
        .join(Post, Post.id == LineDelivery.post_id)
        .where(*conditions, LineDelivery.status == "sent")
        .group_by(LineDelivery.group_id)
    ):
        groups[group_id].posts = n
    for group_id, n in db.session.execute(
        select(LineGroupMessage.group_id, func.count(LineGroupMessage.id))
        .join(Post, Post.id == LineGroupMessage.post_id)
        .where(*conditions)
        .group_by(LineGroupMessage.group_id)
    ):
        groups[group_id].messages = n
    return [g for g in groups.values() if g.posts or g.messages]


def post_group_messages(post_ids: list[int]) -> dict[int, dict[str, int]]:
    """Members' messages per post and group name: {post id: {group name: count}}."""
    out: dict[int, dict[str, int]] = {}
    if not post_ids:
        return out
    for post_id, name, n in db.session.execute(
        select(LineGroupMessage.post_id, LineGroup.name, func.count(LineGroupMessage.id))
        .join(LineGroup, LineGroup.id == LineGroupMessage.group_id)
        .where(LineGroupMessage.post_id.in_(post_ids))
        .group_by(LineGroupMessage.post_id, LineGroup.name)
    ):
        out.setdefault(post_id, {})[name] = n
    return out


def _as_date(value: date | str | datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # some drivers hand back text for computed dates
        return date.fromisoformat(value[:10])
    return value


def month_posts(month: date, office_ids: list[int] | None = None) -> list[Post]:
    """The posts published in a month, oldest first, with their feedback."""
    period = PlanPeriod(_month_start(month), _month_end(month))
    return list(
        db.session.scalars(
            select(Post)
            .where(*_published_in(period, office_ids))
            .order_by(Post.published_at, Post.id)
        )
    )


def month_period(month: date) -> PlanPeriod:
    return PlanPeriod(_month_start(month), _month_end(month))
