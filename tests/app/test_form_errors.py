"""Errors a person can act on: a summary at the top linking each error to its field, fields that
name their hint and error (aria-describedby), WTForms' own messages in the page's language, and
settings checked by type."""

from __future__ import annotations

import re

import pytest

from infocenter import settings
from tests.factories import form


def english(client):
    client.post("/lang/en")


def test_a_refused_visit_lists_each_error_linked_to_its_field(client, login_as, lists):
    login_as("clerk")
    page = client.post(
        "/counter", data=form(lists, pages_copied="สาม", visitor_name="ก" * 201)
    ).get_data(as_text=True)
    summary = re.search(
        r'<div class="alert alert-danger error-summary"[^>]*data-error-summary.*?</div>', page, re.S
    ).group(0)
    assert 'href="#pages_copied"' in summary and "“สาม” ไม่ใช่ตัวเลข" in summary
    assert 'href="#visitor_name"' in summary
    # Each field names its error (and its hint) for screen readers.
    field = re.search(r'<input[^>]*id="pages_copied"[^>]*>', page).group(0)
    assert 'aria-describedby="pages_copied-error"' in field and 'aria-invalid="true"' in field
    assert 'id="pages_copied-error"' in page
    entries = re.search(r'<input[^>]*id="entries"[^>]*>', page).group(0)
    assert "entries-hint" in entries and 'id="entries-hint"' in page
    # The length message of WTForms, in Thai, not "Field cannot be longer than 200 characters."
    assert "ยาวได้ไม่เกิน 200 ตัวอักษร" in page and "Field cannot be longer" not in page


def test_wtforms_messages_are_in_english_on_english_pages(client, login_as, lists):
    login_as("clerk")
    english(client)
    page = client.post("/counter", data=form(lists, visitor_name="ก" * 201)).get_data(as_text=True)
    assert "The text is too long: at most 200 characters" in page


@pytest.mark.parametrize(
    "key, typed, message",
    [
        ("inquiry_office_closes", "25:00", "ตั้งแต่ 00:00 ถึง 23:59"),
        ("inquiry_office_closes", "16.3", "ชช:นน"),
        ("inquiry_office_closes", "ห้าโมง", "ชช:นน"),
        ("privacy_retention_days", "abc", "กรุณากรอกเป็นตัวเลข"),
        ("privacy_retention_days", "๕", "ต้องอยู่ระหว่าง 30 ถึง 3650"),
        ("privacy_retention_days", "1.5", "จำนวนเต็ม"),
        ("publishing_plan_start", "31/02/2563", "ไม่มีวันที่"),
    ],
)
def test_settings_are_checked_by_type(app, client, login_as, key, typed, message):
    login_as("admin")
    response = client.post("/admin/settings", data={key: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert f'value="{typed}"' in page and f'href="#{key}"' in page
    with app.app_context():
        assert settings.get(key) == settings.REGISTRY[key].default


def test_settings_typed_the_thai_way_are_saved(app, client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/settings",
        data={"inquiry_office_closes": "๑๖.๔๕ น.", "privacy_retention_days": "๑,๐๙๕"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert settings.get("inquiry_office_closes") == "16:45"
        assert settings.get("privacy_retention_days") == 1095
