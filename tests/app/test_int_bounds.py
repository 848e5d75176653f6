"""Numbers out of range in URLs, queries and forms answer 400/404 or a Thai message, never 500.

The crawl feeds every GET route of the url_map (public and staff) out-of-range values in its URL
parts and in every query parameter the application reads.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from infocenter import PROJECT_ROOT
from infocenter.extensions import db
from infocenter.security import bounded_int

pytestmark = pytest.mark.postgres

HUGE = [str(2**31), "9" * 40, "-1", "-" + "9" * 25, "inf", "1e400", "nan", "๙" * 30, "1.5"]


def _query_names_in_code() -> list[str]:
    """Every query parameter name the views read (request.args.get / args.get / args[...])."""

    names = set()
    for path in (PROJECT_ROOT / "infocenter").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"args\.get(?:list)?\(\s*[\"'](\w+)[\"']", text))
        names.update(re.findall(r"args\[[\"'](\w+)[\"']\]", text))
    return sorted(names)


QUERY_NAMES = _query_names_in_code()


def test_the_crawl_knows_the_query_parameters():
    assert {"page", "office", "year", "q"} <= set(QUERY_NAMES)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("12", 12),
        (" ๑๒ ", 12),
        ("-3", -3),
        ("+4", 4),
        (str(2**31 - 1), 2**31 - 1),
        (str(2**31), None),
        ("9" * 40, None),
        ("inf", None),
        ("1e400", None),
        ("nan", None),
        ("1.5", None),
        ("", None),
        (None, None),
        ("+-5", None),
        (float("inf"), None),
        (2.0, 2),
        (True, None),
        ("๙" * 30, None),
    ],
)
def test_bounded_int(value, expected):
    assert bounded_int(value) == expected


def test_bounded_int_range():
    assert (
        bounded_int("0", 1) is None
        and bounded_int("5", 1, 4) is None
        and bounded_int("4", 1, 4) == 4
    )


def _urls(app, value: str):
    """Each GET route with its URL parts replaced by ``value`` (or a plausible string)."""
    for rule in app.url_map.iter_rules():
        if (
            "GET" not in rule.methods
            or rule.endpoint == "static"
            or rule.endpoint.startswith("bootstrap")
        ):
            continue
        parts = {}
        for arg, converter in rule._converters.items():
            parts[arg] = value if isinstance(converter, IntegerConverter) else "9999-12"
        try:
            path = rule.build(parts, append_unknown=False)[1]
        except Exception:  # noqa: BLE001  (an int part that refuses a non-number: build it by hand)
            path = re.sub(r"<[^>]+>", value, rule.rule)
        yield rule.endpoint, path


def _crawl(app, client, values):
    failures = []
    for value in values:
        query = "&".join(f"{name}={value}" for name in QUERY_NAMES)
        for _endpoint, path in _urls(app, value):
            for url in (path, f"{path}?{query}"):
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append((response.status_code, url[:120]))
    return failures


def test_every_public_route_survives_out_of_range_numbers(app, client):
    assert _crawl(app, client, HUGE) == []


@pytest.mark.parametrize("role", ["admin", "clerk"])
def test_every_staff_route_survives_out_of_range_numbers(app, client, login_as, role):
    login_as(role)
    assert _crawl(app, client, HUGE) == []


def test_the_reported_cases(app, client, login_as):
    assert client.get("/search?office=2147483648").status_code == 200
    assert client.get("/search?office=" + "9" * 40).status_code == 200
    assert client.get("/search?page=" + "9" * 40).status_code == 404  # no such page
    assert client.get("/api/v1/entries?page=" + "9" * 40).status_code == 404
    login_as("admin")
    assert client.get("/requests/holidays?year=-1").status_code == 200
    assert client.get("/staff/publishing/summary/9999-12").status_code == 404
    assert client.get("/staff/publishing/summary/9999-12.pdf").status_code == 404


def test_counter_entry_number_too_large_is_a_thai_message(app, client, login_as):
    login_as("clerk")
    page = client.get("/counter").get_data(as_text=True)
    fields = dict(
        re.findall(
            r'<select[^>]*name="(\w+)"[^>]*>\s*(?:<option[^>]*value="")?[^<]*'
            r'(?:</option>)?\s*<option[^>]*value="(\d+)"',
            page,
        )
    )
    data = {
        "visitor_type_id": fields.get("visitor_type_id", "1"),
        "purpose_id": fields.get("purpose_id", "1"),
        "channel": "walk_in",
        "outcome": "full",
        "entries": "#9999999999999999999",
        "pages_copied": "0",
        "pages_certified": "0",
    }
    response = client.post("/counter", data=data)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "ไม่พบรายการเลขที่ #9999999999999999999" in text
    assert 'value="#9999999999999999999"' in text  # what was typed is kept


@pytest.mark.parametrize("baht", ["inf", "1e400", "nan", "-1", "9" * 40])
def test_fee_rate_out_of_range_is_a_thai_message(app, client, login_as, baht):
    login_as("admin")
    response = client.post("/counter/fees/new", data={"name": "A4", "baht": baht, "kind": "page"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    # NumberField's message next to the field: not a number, or out of 0–100,000 baht.
    assert "ไม่ใช่ตัวเลข" in text or "กรุณากรอกตัวเลขตั้งแต่ 0 ถึง 100,000" in text
    with app.app_context():
        from infocenter.counter.models import FeeRate

        assert db.session.scalar(select(func.count(FeeRate.id)).where(FeeRate.name == "A4")) == 0


@pytest.mark.parametrize("value", ["inf", "1e400", "nan", "9" * 40])
def test_register_import_with_absurd_numbers_is_refused_with_a_message(
    app, client, login_as, value
):
    from infocenter.counter.importer import _int

    with app.test_request_context():
        errors: list[str] = []
        assert _int(value, "จำนวนหน้า", errors) == 0
        assert errors and "ต้องเป็นตัวเลข 0 ขึ้นไป" in errors[0]


@pytest.mark.parametrize("field", ["sort_order"])
def test_list_item_sort_order_out_of_range(app, client, login_as, field):
    login_as("admin")
    response = client.post(
        "/counter/lists/purpose/new", data={"name": "ทดสอบ", field: "9" * 40, "active": "y"}
    )
    assert response.status_code in (200, 404)
    with app.app_context():
        db.session.rollback()


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "nan", "9" * 40])
def test_request_fee_out_of_range_is_a_thai_message(app, value):
    from werkzeug.datastructures import MultiDict

    from infocenter.inquiries.forms import StepForm

    with app.test_request_context(method="POST"):
        form = StepForm(
            formdata=MultiDict({"step": "closed", "fee_charged": value, "fee_waived": "1"})
        )
        form.validate()  # no exception on NaN
        assert any("ไม่ใช่ตัวเลข" in e or "1,000,000" in e for e in form.fee_charged.errors)
        assert not form.fee_waived.errors
