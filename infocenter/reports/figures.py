"""The figures of the quarterly report, read for one scope (one office, or every office).

Every figure comes from the statistics functions the dashboard uses (``infocenter.stats``);
nothing is counted here. ``collect`` gathers them; ``quarterly`` and ``requests_section`` lay
them out (and import this module, never each other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..stats import Count, Scope
from ..stats import index as index_stats
from ..stats import online as online_stats
from ..stats import requests as request_stats
from ..stats import visits as visit_stats
from ..thai import FiscalQuarter

ONLINE_KINDS = ("search", "view", "download", "request")


@dataclass(frozen=True)
class Headline:
    """The few totals compared across quarters."""

    fq: FiscalQuarter
    visits: int
    online: dict[str, int]  # kind → counted events
    requests: request_stats.Flow

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


def headline(fq: FiscalQuarter, office_ids: tuple[int, ...] | None,
             requests: request_stats.RequestStats) -> Headline:
    """The totals of one quarter, from the statistics functions."""
    scope = Scope.quarter(fq, office_ids)
    online = {c.kind: c.total for c in online_stats.online_totals(scope)}
    return Headline(fq, visit_stats.visit_count(scope), online, requests.flow)


def collect(fq: FiscalQuarter, office_ids: tuple[int, ...] | None, title: str,
            today: date | None = None) -> Section:
    """Read every figure of one scope for the quarter (``today``: the day "overdue now" is counted on)."""
    scope = Scope.quarter(fq, office_ids)
    online = online_stats.online_totals(scope)
    previous, year_before = fq.previous(), fq.year_before()
    requests = request_stats.summary(scope, today=today)
    requests_previous = request_stats.summary(Scope.quarter(previous, office_ids), today=today)
    requests_year_before = request_stats.summary(Scope.quarter(year_before, office_ids), today=today)
    return Section(
        title=title, scope=scope,
        now=Headline(fq, visit_stats.visit_count(scope), {c.kind: c.total for c in online}, requests.flow),
        previous=headline(previous, office_ids, requests_previous),
        year_before=headline(year_before, office_ids, requests_year_before),
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
        index=index_stats.completeness(scope),
        requests=requests,
        requests_previous=requests_previous,
        requests_year_before=requests_year_before,
    )
