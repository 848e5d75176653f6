from datetime import UTC, date, datetime

from infocenter.stats import Scope, pct
from infocenter.thai import FiscalQuarter


def test_scope_of_quarter_and_utc_bounds():
    scope = Scope.quarter(FiscalQuarter(2563, 3), [1, 2])
    assert (scope.start, scope.end, scope.office_ids) == (
        date(2020, 4, 1),
        date(2020, 6, 30),
        (1, 2),
    )
    lo, hi = scope.bounds_utc
    # Bangkok is UTC+7: local midnight of 1 April is 17:00 UTC on 31 March.
    assert lo == datetime(2020, 3, 31, 17, tzinfo=UTC)
    assert hi == datetime(2020, 6, 30, 17, tzinfo=UTC)


def test_pct_hides_small_groups():
    assert pct(2, 4) is None
    assert pct(1, 5) == 20.0
    assert pct(0, 0, min_n=0) is None
