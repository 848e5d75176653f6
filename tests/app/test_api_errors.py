"""The API's error answers are JSON and are all documented in docs/openapi.yaml (400, 404, 405 with
Allow, 429 with Retry-After)."""

from __future__ import annotations

import re

import pytest

from infocenter import PROJECT_ROOT

pytestmark = pytest.mark.postgres

SPEC = (PROJECT_ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8")


def _operations() -> dict[str, str]:
    """Each path's block of the spec."""
    paths = SPEC.split("\npaths:\n", 1)[1].split("\ncomponents:\n", 1)[0]
    blocks = re.split(r"\n  (?=/)", "\n" + paths)
    return {b.split(":", 1)[0].strip(): b for b in blocks if b.strip()}


def test_every_operation_documents_its_error_answers():
    operations = _operations()
    assert set(operations) == {"/documents", "/documents/{id}", "/categories"}
    for path, block in operations.items():
        for code in ("400", "404", "405", "429"):
            if code == "404" and path == "/categories":
                continue
            assert f'"{code}":' in block, (path, code)
    assert "Allow:" in SPEC and "Retry-After:" in SPEC


def test_405_names_the_allowed_methods(client):
    response = client.post("/api/v1/documents")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.json["error"]["code"] == 405
    page = client.post("/search")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_404_and_400_are_json(client):
    assert client.get("/api/v1/documents/99999999999999999999").json["error"]["code"] == 404
    assert client.get("/api/v1/documents?page=99999999999999999999").json["error"]["code"] == 404
    bad = client.get("/api/v1/documents?q=%00")
    assert bad.status_code == 400 and bad.json["error"]["code"] == 400


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_API="1 per minute")
def test_429_is_json_with_retry_after(client):
    client.get("/api/v1/categories")
    response = client.get("/api/v1/categories")
    assert response.status_code == 429 and response.json["error"]["code"] == 429
    assert int(response.headers["Retry-After"]) > 0
