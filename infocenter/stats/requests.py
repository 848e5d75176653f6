"""Statistics of Section 11 requests: the flow (pending → received → closed → pending), channels,
outcomes and legal grounds, durations with waiting days excluded, timeliness, extensions, overdue
requests, the oldest pending ones, and fees.

Dates: a request counts as received on its receipt instant (office-local day), as closed on the
day its closing step counts on (``closed_on``). Durations are the raw values stored on each
request when it was acknowledged or closed, so figures can be recomputed later. Every figure is
counted by the database; medians too (window functions, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..i18n import code_label
from ..inquiries.models import (
    CHANNELS,
    GROUNDS,
    OPEN_STATUSES,
    OUTCOMES,
    TIMELINESS,
    Inquiry,
    InquiryEvent,
    InquiryGround,
)
from ..thai import local_today, to_local
from . import Count, Scope

BANDS = (
    ("0-5", "0–5 วัน", 0, 5),
    ("6-10", "6–10 วัน", 6, 10),
    ("11-15", "11–15 วัน", 11, 15),
    ("16-30", "16–30 วัน", 16, 30),
    ("31+", "มากกว่า 30 วัน", 31, None),
)


@dataclass(frozen=True)
class Flow:
    """Requests pending at the start, received, closed, pending at the end (start + received −
    closed = end)."""

    pending_start: int
    received: int
    closed: int
    pending_end: int


@dataclass(frozen=True)
class Durations:
    """Durations in days: how many, median, mean, shortest, longest (None when n = 0), and bands."""

    n: int
    median: float | None
    mean: float | None
    shortest: int | None
    longest: int | None
    bands: tuple[Count, ...]


@dataclass(frozen=True)
class Extensions:
    """Extensions granted in the period (steps) and the requests they concern."""

    steps: int
    requests: int


@dataclass(frozen=True)
class PendingRequest:
    """One request still pending at the end of the period, with its age in days then."""

    id: int
    tracking_no: str
    received_on: date
    status: str
    due_date: date
    age_days: int
    subject: str


@dataclass(frozen=True)
class Fees:
    """Fees of the requests closed in the period, in baht; and how many had a fee waived."""

    charged: float
    waived: float
    waived_requests: int


@dataclass(frozen=True)
class RequestStats:
    """Everything the dashboard and the quarterly report show about Section 11 requests."""

    flow: Flow
    by_channel: tuple[Count, ...]
    by_outcome: tuple[Count, ...]
    by_ground: tuple[Count, ...]
    to_acknowledge: Durations
    to_complete: Durations
    timeliness: tuple[Count, ...]
    extensions: Extensions
    overdue_now: int
    oldest_pending: tuple[PendingRequest, ...]
    fees: Fees


def _offices(scope: Scope):
    return scope.office_filter(Inquiry.office_id)


def flow(scope: Scope) -> Flow:
    """Pending at the start, received, closed and pending at the end of the scope, in one query."""
    lo, hi = scope.bounds_utc
    open_at_start = or_(Inquiry.closed_on.is_(None), Inquiry.closed_on >= scope.start)
    open_at_end = or_(Inquiry.closed_on.is_(None), Inquiry.closed_on > scope.end)

    def total(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            total(and_(Inquiry.received_at < lo, open_at_start)),
            total(and_(Inquiry.received_at >= lo, Inquiry.received_at < hi)),
            total(Inquiry.closed_on.between(scope.start, scope.end)),
            total(and_(Inquiry.received_at < hi, open_at_end)),
        ).where(_offices(scope))
    ).one()
    return Flow(*(int(v) for v in row))


def _counts(stmt, labels: dict[str, str], *, all_keys: bool = True) -> tuple[Count, ...]:
    found = {key: int(n) for key, n in db.session.execute(stmt)}
    keys = list(labels) if all_keys else [k for k in labels if k in found]
    keys += [k for k in found if k not in labels]
    # Labels in the current language, as text (a PDF is built under force_locale("th")).
    return tuple(Count(k, code_label(labels, k), found.get(k, 0)) for k in keys)


def _requests_by(column, labels: dict[str, str], *where) -> tuple[Count, ...]:
    """The requests ``where`` holds, counted by a coded column (every code listed, zeros
    included)."""
    return _counts(select(column, func.count(Inquiry.id)).where(*where).group_by(column), labels)


def by_channel(scope: Scope) -> tuple[Count, ...]:
    """Requests received in the scope, by channel (every channel listed, zeros included)."""
    return _requests_by(
        Inquiry.channel, CHANNELS, _offices(scope), scope.time_filter(Inquiry.received_at)
    )


def _closed_in(scope: Scope):
    return and_(_offices(scope), Inquiry.closed_on.between(scope.start, scope.end))


def by_outcome(scope: Scope) -> tuple[Count, ...]:
    """Requests closed in the scope, by outcome."""
    return _requests_by(Inquiry.outcome, OUTCOMES, _closed_in(scope))


def by_ground(scope: Scope) -> tuple[Count, ...]:
    """Requests closed in the scope, by legal ground; a request counts once per ground it cites."""
    stmt = (
        select(InquiryGround.ground, func.count(func.distinct(InquiryGround.inquiry_id)))
        .join(Inquiry, Inquiry.id == InquiryGround.inquiry_id)
        .where(_closed_in(scope))
        .group_by(InquiryGround.ground)
    )
    return _counts(stmt, GROUNDS, all_keys=False)


def durations(column, *conditions) -> Durations:
    """Median, mean, extremes and bands of an integer day column over the rows matching
    ``conditions``."""
    base = select(column.label("d")).where(column.is_not(None), *conditions).subquery()
    d = base.c.d
    band_sums = [
        func.coalesce(func.sum(case((d >= lo if hi is None else d.between(lo, hi), 1), else_=0)), 0)
        for _, _, lo, hi in BANDS
    ]
    row = db.session.execute(
        select(func.count(), func.avg(d), func.min(d), func.max(d), *band_sums)
    ).one()
    n = int(row[0])
    ranked = select(
        d.label("d"), func.row_number().over(order_by=d).label("rn"), func.count().over().label("n")
    ).subquery()
    # The middle row, or the mean of the two middle rows when n is even.
    median = db.session.scalar(
        select(func.avg(ranked.c.d)).where(
            ranked.c.rn.between((ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2)
        )
    )
    bands = tuple(
        Count(key, label, int(v)) for (key, label, _, _), v in zip(BANDS, row[4:], strict=True)
    )
    return Durations(
        n=n,
        median=float(median) if n and median is not None else None,
        mean=float(row[1]) if n else None,
        shortest=int(row[2]) if n else None,
        longest=int(row[3]) if n else None,
        bands=bands,
    )


def time_to_acknowledge(scope: Scope) -> Durations:
    """Days from the start of the clock to acknowledgement, for requests acknowledged in the
    scope."""
    return durations(
        Inquiry.days_to_ack,
        _offices(scope),
        Inquiry.acknowledged_on.between(scope.start, scope.end),
    )


def time_to_complete(scope: Scope) -> Durations:
    """Days from the start of the clock to closing, waiting days excluded, for requests closed in
    the scope."""
    return durations(Inquiry.days_to_close, _closed_in(scope))


def timeliness(scope: Scope) -> tuple[Count, ...]:
    """Requests closed in the scope: within the due date, within an extension, late."""
    return _requests_by(Inquiry.timeliness, TIMELINESS, _closed_in(scope))


def extensions(scope: Scope) -> Extensions:
    """Extension steps taken in the scope, and how many requests they concern."""
    row = db.session.execute(
        select(func.count(InquiryEvent.id), func.count(func.distinct(InquiryEvent.inquiry_id)))
        .join(Inquiry, Inquiry.id == InquiryEvent.inquiry_id)
        .where(
            _offices(scope),
            InquiryEvent.to_status == "extended",
            InquiryEvent.from_status != "waiting",
            InquiryEvent.day.between(scope.start, scope.end),
        )
    ).one()
    return Extensions(int(row[0]), int(row[1]))


def overdue_now(scope: Scope, today: date | None = None) -> int:
    """Open requests past their due date today (waiting ones excluded: their clock is stopped)."""
    today = today or local_today()
    return int(
        db.session.scalar(
            select(func.count(Inquiry.id)).where(
                _offices(scope),
                Inquiry.status.in_(OPEN_STATUSES),
                Inquiry.status != "waiting",
                Inquiry.due_date < today,
            )
        )
    )


def oldest_pending(
    scope: Scope, limit: int = 10, today: date | None = None
) -> tuple[PendingRequest, ...]:
    """The oldest requests still pending at the end of the scope (or today, if the scope runs
    on)."""
    _, hi = scope.bounds_utc
    as_of = min(scope.end, today or local_today())
    rows = db.session.execute(
        select(
            Inquiry.id,
            Inquiry.tracking_no,
            Inquiry.received_at,
            Inquiry.status,
            Inquiry.due_date,
            Inquiry.subject,
        )
        .where(
            _offices(scope),
            Inquiry.received_at < hi,
            or_(Inquiry.closed_on.is_(None), Inquiry.closed_on > scope.end),
        )
        .order_by(Inquiry.received_at, Inquiry.id)
        .limit(limit)
    ).all()
    out = []
    for r in rows:
        received_on = to_local(r.received_at).date()
        out.append(
            PendingRequest(
                r.id,
                r.tracking_no,
                received_on,
                r.status,
                r.due_date,
                max(0, (as_of - received_on).days),
                r.subject,
            )
        )
    return tuple(out)


def fees(scope: Scope) -> Fees:
    """Fees charged and waived on the requests closed in the scope."""
    row = db.session.execute(
        select(
            func.coalesce(func.sum(Inquiry.fee_charged_satang), 0),
            func.coalesce(func.sum(Inquiry.fee_waived_satang), 0),
            func.coalesce(func.sum(case((Inquiry.fee_waived_satang > 0, 1), else_=0)), 0),
        ).where(_closed_in(scope))
    ).one()
    return Fees(int(row[0]) / 100, int(row[1]) / 100, int(row[2]))


def summary(scope: Scope, today: date | None = None) -> RequestStats:
    """Every request figure for a scope."""
    return RequestStats(
        flow=flow(scope),
        by_channel=by_channel(scope),
        by_outcome=by_outcome(scope),
        by_ground=by_ground(scope),
        to_acknowledge=time_to_acknowledge(scope),
        to_complete=time_to_complete(scope),
        timeliness=timeliness(scope),
        extensions=extensions(scope),
        overdue_now=overdue_now(scope, today),
        oldest_pending=oldest_pending(scope, today=today),
        fees=fees(scope),
    )


def _open_at(scope: Scope, as_of: date):
    """Requests of the scope's offices received by the end of ``as_of`` and not closed by then."""
    _, hi = Scope(as_of, as_of, scope.office_ids).bounds_utc
    return and_(
        _offices(scope),
        Inquiry.received_at < hi,
        or_(Inquiry.closed_on.is_(None), Inquiry.closed_on > as_of),
    )


def _running_at(scope: Scope, as_of: date):
    """(count query, due date) of the requests open on ``as_of`` whose clock ran that day, read
    from their steps: each step records the status and the due date it left, so the last step on
    or before ``as_of`` says how the request stood then. A request waiting for its requester that
    day (the clock stands still) is left out, as on the request pages; an extension or a resume
    made later does not change the due date it had then. A request without steps (none is made
    so) falls back to its present due date."""
    last_step = (
        select(InquiryEvent.id)
        .where(InquiryEvent.inquiry_id == Inquiry.id, InquiryEvent.day <= as_of)
        .order_by(InquiryEvent.day.desc(), InquiryEvent.id.desc())
        .limit(1)
        .correlate(Inquiry)
        .scalar_subquery()
    )
    due = func.coalesce(InquiryEvent.due_date, Inquiry.due_date)
    query = (
        select(func.count(Inquiry.id))
        .select_from(Inquiry)
        .outerjoin(InquiryEvent, InquiryEvent.id == last_step)
        .where(
            _open_at(scope, as_of),
            or_(InquiryEvent.id.is_(None), InquiryEvent.to_status.not_in(("waiting", "closed"))),
        )
    )
    return query, due


def overdue_at(scope: Scope, as_of: date) -> int:
    """Requests open on ``as_of`` and past the due date they had then, their clock running: a past
    day's figure stays the same when the report is made again later (requests received, extended,
    resumed or closed after it do not change it)."""
    query, due = _running_at(scope, as_of)
    return int(db.session.scalar(query.where(due < as_of)))


def due_soon_at(scope: Scope, as_of: date, days: int = 5) -> int:
    """Requests open on ``as_of``, their clock running, due within the next ``days`` days then."""
    from datetime import timedelta

    query, due = _running_at(scope, as_of)
    return int(db.session.scalar(query.where(due >= as_of, due <= as_of + timedelta(days=days))))
