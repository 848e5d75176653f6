"""`flask demo seed` makes visits and online events over twelve months; `flask demo clear` removes
them."""

from __future__ import annotations

from datetime import timedelta

from infocenter.counter.models import Visit, VisitEntry
from infocenter.extensions import db
from infocenter.stats import Scope
from infocenter.stats import online as on
from infocenter.stats import visits as vs
from infocenter.thai import local_today
from infocenter.usage.models import UsageEvent


def test_demo_seed_makes_visits_and_online_events(app, runner):
    result = runner.invoke(
        args=[
            "demo",
            "seed",
            "--documents",
            "40",
            "--visits",
            "400",
            "--online-events",
            "3000",
            "--requests",
            "0",
            "--password",
            "demo-password-1",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        assert count(Visit) == 400 and count(UsageEvent) == 3000
        assert count(VisitEntry) > 0  # visits consulted the demo index entries
        year = Scope(local_today() - timedelta(days=364), local_today())
        months = [m.count for m in vs.visits_by_month(year)]
        assert sum(months) == vs.visit_count(year) and sum(1 for n in months if n) >= 11
        types = {c.key: c.count for c in vs.visits_by_visitor_type(year)}
        assert max(types, key=types.get) == "public"
        totals = {c.kind: c for c in on.online_totals(year)}
        assert totals["view"].total > totals["download"].total > 0
        assert (
            totals["search"].unique
            <= totals["search"].total
            < db.session.scalar(db.select(db.func.count()).where(UsageEvent.kind == "search"))
        )  # robots and double clicks removed
        assert on.searches_without_results(year) > 0
    result = runner.invoke(args=["demo", "clear"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(Visit) == 0 and count(UsageEvent) == 0
