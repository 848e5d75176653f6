"""Schemathesis (a third-party API fuzzer) against docs/openapi.yaml and the running app (WSGI),
with a bounded number of examples per operation: no 5xx, every answer as documented."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from infocenter import PROJECT_ROOT

schemathesis = pytest.importorskip("schemathesis")

pytestmark = pytest.mark.postgres

SPEC = PROJECT_ROOT / "docs" / "openapi.yaml"
EXAMPLES = 40  # per operation; about 20 s in all on SQLite


def _fuzz(operation, seen: dict[str, set[int]]) -> None:
    """Bounded generated cases against one operation, each checked by Schemathesis's default
    checks."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        response = case.call_and_validate()
        seen.setdefault(operation.label, set()).add(response.status_code)

    check()


def test_the_api_holds_to_its_openapi_description(app, make_office):
    make_office("NSW")
    schema = schemathesis.openapi.from_path(SPEC)
    schema.app = app
    schema.base_url = "/api/v1"
    seen: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        _fuzz(result.ok(), seen)
    assert set(seen) == {"GET /documents", "GET /documents/{id}", "GET /categories"}
    assert all(code < 500 for codes in seen.values() for code in codes), seen
