"""Deterministic, realistic Thai demo data: `flask demo seed`, `flask demo clear`.

Each feature contributes a seeder module with ``seed(ctx)`` and ``clear(ctx)``; they run in
the order of SEEDERS (and are cleared in reverse). Seeders write in bulk (Core inserts in
chunks), so 100k documents and 1M events take minutes, not hours.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from ..extensions import db
from ..thai import OFFICE_TZ, local_today

SEEDERS = (
    "infocenter.demo.core",
    "infocenter.demo.catalogue",
    "infocenter.demo.counter",
    "infocenter.demo.profile",
    "infocenter.demo.publishing",
    "infocenter.demo.inquiries",
    "infocenter.demo.integrity",
)

CHUNK = 5000


@dataclass
class SeedContext:
    """What every seeder needs: the random source, the sizes asked for, the demo offices and
    users."""

    rng: random.Random
    documents: int = 0
    visits: int = 0
    online_events: int = 0
    requests: int = 0
    today: date = field(default_factory=local_today)
    offices: list[Any] = field(default_factory=list)  # demo Office rows, provincial first
    users: dict[str, list[Any]] = field(default_factory=dict)  # role -> demo User rows
    office_ids: list[int] = field(default_factory=list)
    echo: Any = print
    extra: dict[str, Any] = field(
        default_factory=dict
    )  # seeders share ids here (e.g. document ids)

    @property
    def start(self) -> date:
        """The first day of the twelve months up to today."""
        return self.today - timedelta(days=364)

    def random_day(self, weekdays_only: bool = False) -> date:
        """A day in the twelve months up to today (office days if asked)."""
        while True:
            d = self.start + timedelta(days=self.rng.randrange(365))
            if not weekdays_only or d.weekday() < 5:
                return d

    def random_instant(self, day: date | None = None, office_hours: bool = True) -> datetime:
        """An aware UTC instant on ``day`` (random if None), during office hours by default."""
        day = day or self.random_day(weekdays_only=office_hours)
        if office_hours:
            seconds = self.rng.randrange(8 * 3600 + 30 * 60, 16 * 3600 + 30 * 60)
        else:
            seconds = self.rng.randrange(24 * 3600)
        local = datetime.combine(day, time(0), tzinfo=OFFICE_TZ) + timedelta(seconds=seconds)
        now = datetime.now(UTC)
        return min(local.astimezone(UTC), now)

    def bulk_insert(self, model: Any, rows: list[dict] | Any, label: str = "") -> int:
        """Insert rows (a list or an iterator of dicts) in chunks; returns how many."""
        total = 0
        chunk: list[dict] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                db.session.execute(insert(model), chunk)
                total += len(chunk)
                chunk = []
                if label and total % (CHUNK * 20) == 0:
                    self.echo(f"  {label}: {total:,}")
        if chunk:
            db.session.execute(insert(model), chunk)
            total += len(chunk)
        return total
