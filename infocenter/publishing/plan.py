"""The LINE project's plan: still-image posts per ISO week against 3, clips per month against 1,
and the feedback staff recorded; counted by the database (GROUP BY)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import settings
from ..dbtypes import local_month, local_week
from ..extensions import db
from ..i18n import display_date
from ..thai import (
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    DateParseError,
    be_year,
    local_day_bounds_utc,
    local_today,
    parse_thai_date,
    thai_digits,
)
from .models import Post, PostFeedback

settings.define("publishing_plan_start", _l("โครงการ LINE: วันเริ่มโครงการ (เช่น 1/05/2563; ว่าง = ๕ เดือนล่าสุด)"),
                str, "", _l("ช่วงเวลาของโครงการที่ใช้ในหน้าแผนและรายงานประจำเดือน"), kind="date")
settings.define("publishing_plan_end", _l("โครงการ LINE: วันสิ้นสุดโครงการ (เช่น 30/09/2563; ว่าง = สิ้นเดือนนี้)"),
                str, "", kind="date")
settings.define("publishing_target_still_per_week", _l("โครงการ LINE: เป้าหมายภาพนิ่งต่อสัปดาห์ (เรื่อง)"), int, 3,
                minimum=0, maximum=50)
settings.define("publishing_target_clips_per_month", _l("โครงการ LINE: เป้าหมายคลิปต่อเดือน (เรื่อง)"), int, 1,
                minimum=0, maximum=50)


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


def plan_period(start_text: str | None = None, end_text: str | None = None) -> tuple[PlanPeriod, list[str]]:
    """The period asked for (or the settings, or the last five months); messages for bad dates (for a page)."""
    errors: list[str] = []
    today = local_today()
    start, end = _month_start(today, back=4), _month_end(today)
    for which, given, key in (("start", start_text, "publishing_plan_start"), ("end", end_text, "publishing_plan_end")):
        text = (given if given is not None else settings.get(key) or "").strip()
        if not text:
            continue
        try:
            value = parse_thai_date(text)
        except DateParseError as exc:
            errors.append(_("วันเริ่ม: %(error)s", error=exc) if which == "start"
                          else _("วันสิ้นสุด: %(error)s", error=exc))
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

    @property
    def met(self) -> bool:
        return self.still >= self.target

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
    weeks_full: int = 0

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

    @property
    def weeks_met(self) -> int:
        return sum(1 for w in self.weeks if w.met and not w.partial)

    @property
    def weeks_full(self) -> int:
        return sum(1 for w in self.weeks if not w.partial)

    @property
    def months_met(self) -> int:
        return sum(1 for m in self.months if m.met)


def _published_in(period: PlanPeriod, office_ids: list[int] | None):
    lo, hi = local_day_bounds_utc(period.start, period.end)
    conditions = [Post.state == "published", Post.published_at >= lo, Post.published_at < hi]
    if office_ids is not None:
        conditions.append(Post.office_id.in_(office_ids))
    return conditions


def build_plan(period: PlanPeriod, office_ids: list[int] | None = None) -> Plan:
    """Posts per ISO week and per month in the period, against the targets in the settings."""
    plan = Plan(period, int(settings.get("publishing_target_still_per_week")),
                int(settings.get("publishing_target_clips_per_month")))
    conditions = _published_in(period, office_ids)

    week = local_week(Post.published_at)
    per_week = {
        _as_date(monday): n
        for monday, n in db.session.execute(
            select(week, func.count(Post.id)).where(*conditions, Post.kind == "still").group_by(week)
        )
    }
    monday = period.start - timedelta(days=period.start.weekday())
    while monday <= period.end:
        iso = monday.isocalendar()
        plan.weeks.append(WeekRow(monday, iso.year, iso.week, per_week.get(monday, 0), plan.still_target,
                                  partial=monday < period.start or monday + timedelta(days=6) > period.end))
        monday += timedelta(days=7)

    month = local_month(Post.published_at)
    rows = db.session.execute(
        select(month, Post.kind, func.count(Post.id), func.coalesce(func.sum(PostFeedback.read_count), 0),
               func.coalesce(func.sum(PostFeedback.comment_count), 0), func.count(PostFeedback.id))
        .outerjoin(PostFeedback, PostFeedback.post_id == Post.id)
        .where(*conditions).group_by(month, Post.kind)
    )
    months: dict[str, MonthRow] = {}
    first = _month_start(period.start)
    while first <= period.end:
        months[f"{first:%Y-%m}"] = MonthRow(first, clip_target=plan.clip_target)
        first = _month_start(first, back=-1)
    for key, kind, n, reads, comments, with_feedback in rows:
        row = months.get(key)
        if row is None:
            continue
        setattr(row, {"still": "still", "clip": "clips", "news": "news"}[kind], n)
        row.reads += int(reads)
        row.comments += int(comments)
        row.with_feedback += with_feedback
    for w in plan.weeks:
        if w.partial:
            continue
        # A full week counts in the month its Thursday falls in (the ISO rule).
        row = months.get(f"{w.monday + timedelta(days=3):%Y-%m}")
        if row is not None:
            row.weeks_full += 1
            row.weeks_met += 1 if w.met else 0
    plan.months = list(months.values())
    return plan


def _as_date(value: date | str | datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # some drivers hand back text for computed dates
        return date.fromisoformat(value[:10])
    return value


def month_posts(month: date, office_ids: list[int] | None = None) -> list[Post]:
    """The posts published in a month, oldest first, with their feedback."""
    period = PlanPeriod(_month_start(month), _month_end(month))
    return list(db.session.scalars(
        select(Post).where(*_published_in(period, office_ids)).order_by(Post.published_at, Post.id)
    ))


def month_period(month: date) -> PlanPeriod:
    return PlanPeriod(_month_start(month), _month_end(month))


def month_label(d: date, short: bool = False) -> str:
    """"พฤษภาคม ๒๕๖๓", or "พ.ค. 2563" when short."""
    if short:
        return f"{THAI_MONTHS_SHORT[d.month - 1]} {be_year(d)}"
    return thai_digits(f"{THAI_MONTHS[d.month - 1]} {be_year(d)}")
