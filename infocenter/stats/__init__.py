"""Read-only statistics: one home for every figure the dashboard, the PDF report and the CLI show.

Every function takes a ``Scope`` (an inclusive range of office-local dates and the offices, None
meaning all) and returns plain dataclasses. The database does the counting (GROUP BY); nothing
here loops over rows in Python. No Flask imports: call inside an app context.

Modules: ``visits`` (the counter), ``online`` (usage events), ``requests`` (Section 11),
``index`` (the Section 9 index's growth and completeness).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..thai import FiscalQuarter, local_day_bounds_utc


@dataclass(frozen=True)
class Scope:
    """What a statistic covers: local dates start..end inclusive, and offices (None = all)."""

    start: date
    end: date
    office_ids: tuple[int, ...] | None = None

    @classmethod
    def quarter(
        cls, fq: FiscalQuarter, office_ids: list[int] | tuple[int, ...] | None = None
    ) -> Scope:
        return cls(fq.start, fq.end, tuple(office_ids) if office_ids is not None else None)

    @property
    def bounds_utc(self) -> tuple[datetime, datetime]:
        """[start, end) as UTC instants, for filtering timestamp columns with an index."""
        return local_day_bounds_utc(self.start, self.end)

    def office_filter(self, column):
        """A WHERE clause limiting ``column`` (an office_id column) to the scope's offices."""
        from sqlalchemy import true

        if self.office_ids is None:
            return true()
        return column.in_(self.office_ids)

    def time_filter(self, column):
        """A WHERE clause limiting a UTC timestamp column to the scope's dates."""
        lo, hi = self.bounds_utc
        return (column >= lo) & (column < hi)

    def date_filter(self, column):
        """A WHERE clause limiting a DATE column to the scope's dates."""
        return (column >= self.start) & (column <= self.end)


@dataclass(frozen=True)
class Count:
    """A labelled count (one row of a GROUP BY)."""

    key: str
    label: str
    count: int


def pct(part: int, whole: int, min_n: int = 5) -> float | None:
    """A percentage, or None when the group is too small (under ``min_n``) to give one."""
    if whole < min_n or whole == 0:
        return None
    return 100.0 * part / whole
