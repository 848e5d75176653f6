"""The figures of the quarterly report, read for one scope (one office, or every office).

Every figure comes from the statistics functions the dashboard uses (``infocenter.stats``);
nothing is counted here. ``collect`` gathers them; ``quarterly`` and ``requests_section`` lay
them out (and import this module, never each other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..stats import Count, Scope
from ..stats import index as index_stats
from ..stats import online as online_stats
from ..stats import requests as request_stats
from ..stats import visits as visit_stats
from ..thai import FiscalQuarter, local_today

ONLINE_KINDS = ("search", "view", "download", "request")


@dataclass(frozen=True)
class Headline:
    """The few totals compared across quarters."""

    fq: FiscalQuarter
    visits: int
    online: dict[str, int]  # kind → counted events
    requests: request_stats.Flow
    scope: Scope | None = None  # the days counted (part of the quarter when it is in progress)

    @property
    def requests_received(self) -> int:
        return self.requests.received

    @property
    def requests_closed(self) -> int:
        return self.requests.closed

    @property
    def online_use(self) -> int:
        """Searches, views, downloads and online requests (API calls left out, as in the chart)."""
        return sum(self.online.get(k, 0) for k in ONLINE_KINDS)

    @property
    def no_service(self) -> bool:
        r = self.requests
        return not (self.visits or self.online_use or r.received or r.closed or r.pending_end)


@dataclass
class Section:
    """Everything printed for one scope: one office, or the province total."""

    title: str
    scope: Scope
    now: Headline
    previous: Headline
    year_before: Headline
    monthly: list[Any]
    visitor_types: list[Count]
    purposes: list[Count]
    channels: list[Count]
    outcomes: list[Count]
    categories: list[Count]
    top_entries: list[Any]
    fees: Any
    satisfaction: Any
    online: list[Any]
    searches_without_results: int
    zero_result_queries: list[Any]
    index: Any
    requests: request_stats.RequestStats
    requests_previous: request_stats.RequestStats
    requests_year_before: request_stats.RequestStats
    as_of: date  # the quarter's last day, or the day the figures run to when it is in progress
    overdue: int  # requests past their due date on ``as_of``
    due_soon: int  # requests falling due within DUE_SOON_DAYS of ``as_of``
    line_plan: Any  # publishing.plan.Plan over the days counted

    @property
    def partial(self) -> bool:
        """The quarter is in progress: the figures run to ``as_of``, not to the quarter's end."""
        return self.as_of < self.now.fq.end


DUE_SOON_DAYS = 5


def periods(
    fq: FiscalQuarter, office_ids: tuple[int, ...] | None, today: date | None = None
) -> tuple[Scope, Scope, Scope]:
    """The days a quarter's figures cover, and the two periods it is compared with.

    A finished quarter: the whole quarter, the whole previous one and the whole same quarter a
    year before. A quarter in progress: its days up to ``today`` and the same number of days from
    the start of each of the other two ("ถึงวันที่ …", compared like with like).
    """
    end = min(fq.end, today or local_today())
    previous, year_before = fq.previous(), fq.year_before()
    if end >= fq.end:
        return (
            Scope.quarter(fq, office_ids),
            Scope.quarter(previous, office_ids),
            Scope.quarter(year_before, office_ids),
        )
    days = timedelta(days=(end - fq.start).days)

    def same_days(q: FiscalQuarter) -> Scope:
        return Scope(q.start, min(q.end, q.start + days), office_ids)

    return Scope(fq.start, end, office_ids), same_days(previous), same_days(year_before)


def headline(
    fq: FiscalQuarter,
    office_ids: tuple[int, ...] | None,
    requests: request_stats.RequestStats,
    scope: Scope | None = None,
) -> Headline:
    """The totals of one quarter (or of ``scope``, part of it), from the statistics functions."""
    scope = scope or Scope.quarter(fq, office_ids)
    online = {c.kind: c.total for c in online_stats.online_totals(scope)}
    return Headline(fq, visit_stats.visit_count(scope), online, requests.flow, scope)


def line_plan(scope: Scope):
    """The LINE project's posting plan against its targets over the scope's days."""
    from ..publishing.plan import PlanPeriod, build_plan

    return build_plan(
        PlanPeriod(scope.start, scope.end), list(scope.office_ids) if scope.office_ids else None
    )


def collect(
    fq: FiscalQuarter, office_ids: tuple[int, ...] | None, title: str, today: date | None = None
) -> Section:
    """Read every figure of one scope for the quarter. Every "as of" figure is as of the quarter's
    last day (or ``today``, default the office's today, while the quarter is in progress), so a
    report made again later prints the same numbers."""
    scope, previous_scope, year_before_scope = periods(fq, office_ids, today)
    as_of = scope.end
    online = online_stats.online_totals(scope)
    previous, year_before = fq.previous(), fq.year_before()
    requests = request_stats.summary(scope, today=as_of)
    requests_previous = request_stats.summary(previous_scope, today=previous_scope.end)
    requests_year_before = request_stats.summary(year_before_scope, today=year_before_scope.end)
    return Section(
        title=title,
        scope=scope,
        now=Headline(
            fq,
            visit_stats.visit_count(scope),
            {c.kind: c.total for c in online},
            requests.flow,
            scope,
        ),
        previous=headline(previous, office_ids, requests_previous, previous_scope),
        year_before=headline(year_before, office_ids, requests_year_before, year_before_scope),
        monthly=online_stats.walkin_vs_online_by_month(scope),
        visitor_types=visit_stats.visits_by_visitor_type(scope),
        purposes=visit_stats.visits_by_purpose(scope),
        channels=visit_stats.visits_by_channel(scope),
        outcomes=visit_stats.visits_by_outcome(scope),
        categories=visit_stats.entries_by_category(scope),
        top_entries=visit_stats.top_entries(scope, 10),
        fees=visit_stats.copies_and_fees(scope),
        satisfaction=visit_stats.satisfaction(scope),
        online=online,
        searches_without_results=online_stats.searches_without_results(scope),
        zero_result_queries=online_stats.top_queries(scope, 10, zero_results_only=True),
        index=index_stats.completeness(scope, as_of),
        requests=requests,
        requests_previous=requests_previous,
        requests_year_before=requests_year_before,
        as_of=as_of,
        overdue=request_stats.overdue_at(scope, as_of),
        due_soon=request_stats.due_soon_at(scope, as_of, DUE_SOON_DAYS),
        line_plan=line_plan(scope),
    )
