"""One number input for the whole product: Thai and Arabic digits, thousands separators, a Thai
message next to the field for anything else, and what was typed kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infocenter.counter.models import Visit
from infocenter.extensions import db
from infocenter.forms import parse_number
from tests.factories import form


@pytest.mark.parametrize(
    "typed, value",
    [
        ("12", 12),
        ("๑๒", 12),
        (" ๑๒ ", 12),
        ("1,500", 1500),
        ("๑,๕๐๐", 1500),
        ("1 500", 1500),
        ("๐", 0),
        ("2,563", 2563),
        ("๒๕๖๗", 2567),
        ("1.50", Decimal("1.50")),
        ("๑.๕", Decimal("1.5")),
        ("", None),
        ("   ", None),
    ],
)
def test_numbers_typed_the_thai_way_are_read(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize(
    "typed", ["สาม", "12a", "1,50", "1..2", "--1", "1e400", "inf", "NaN", "๑๒ หน้า", "9" * 40]
)
def test_anything_else_is_not_a_number(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_thai_digit_pages_are_saved_with_their_fee(app, client, login_as, lists):
    login_as("clerk")
    response = client.post("/counter", data=form(lists, pages_copied="๑๒", pages_certified="๒"))
    assert response.status_code == 302
    with app.app_context():
        visit = db.session.scalars(db.select(Visit)).one()
        assert (visit.pages_copied, visit.pages_certified) == (12, 2)
        assert visit.fee_satang > 0


@pytest.mark.parametrize(
    "typed, message",
    [
        ("สาม", "“สาม” ไม่ใช่ตัวเลข"),
        ("-3", "กรุณากรอกตัวเลขตั้งแต่ 0 ถึง 100,000"),
        ("1.5", "จำนวนเต็ม"),
        ("9" * 40, "ไม่ใช่ตัวเลข"),
        ("๑๐๐,๐๐๑", "ตั้งแต่ 0 ถึง 100,000"),
    ],
)
def test_a_bad_number_is_refused_next_to_its_field_and_kept(
    app,
    client,
    login_as,
    lists,
    typed,
    message,
):
    login_as("clerk")
    page = client.post("/counter", data=form(lists, pages_copied=typed)).get_data(as_text=True)
    assert message in page
    assert f'value="{typed}"' in page
    assert 'inputmode="numeric"' in page and 'type="number"' not in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Visit.id))) == 0


def test_number_fields_of_every_form_are_text_with_the_numeric_keypad(app, client, login_as):
    login_as("admin")
    for url in (
        "/counter",
        "/counter/fees/new",
        "/counter/lists/types/new",
        "/reports/",
        "/staff/index/completeness",
        "/staff/index/categories/new",
    ):
        page = client.get(url).get_data(as_text=True)
        assert 'type="number"' not in page, url
        assert 'inputmode="numeric"' in page or 'inputmode="decimal"' in page, url


def test_a_fiscal_year_typed_in_thai_digits_is_read(client, login_as):
    login_as("clerk")
    page = client.get("/staff/index/completeness?year=๒๕๖๗&quarter=๒").get_data(as_text=True)
    assert 'value="2567"' in page and "ไตรมาสที่เลือกไม่ถูกต้อง" not in page
