"""A form that creates records, sent twice with the same one-time token (a double Enter, a
replayed request, the browser's "resend"), creates one record and answers the second time as it
did the first."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import import_module

import pytest
from sqlalchemy import func, select

from infocenter.counter.models import Visit
from infocenter.extensions import db
from infocenter.idempotency import FormToken
from infocenter.inquiries.models import Inquiry
from tests.factories import REGISTER_ROWS, csv_bytes, form


def token_of(page: str) -> str:
    return re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def replay(client, url: str, data: dict, **kwargs):
    """GET the form, POST it twice with the same token; both answers."""
    data = {**data, "form_token": token_of(client.get(url).get_data(as_text=True))}
    first = client.post(url, data=data, **kwargs)
    second = client.post(url, data=data, **kwargs)
    return first, second


def test_a_double_enter_at_the_counter_saves_one_visit(app, client, login_as, lists):
    login_as("clerk")
    first, second = replay(client, "/counter", form(lists, pages_copied="3"))
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert count(app, Visit) == 1
    # The second answer carries the same message: "visit no. N saved, fee ..."
    page = client.get("/counter").get_data(as_text=True)
    assert page.count("บันทึกผู้ใช้บริการรายที่") >= 1
    # A new page gives a new token: the next visitor is a new visit.
    assert (
        client.post("/counter", data={**form(lists), "form_token": token_of(page)}).status_code
        == 302
    )
    assert count(app, Visit) == 2


def test_a_form_refused_then_corrected_is_saved_with_its_token(app, client, login_as, lists):
    login_as("clerk")
    token = token_of(client.get("/counter").get_data(as_text=True))
    refused = client.post("/counter", data={**form(lists, pages_copied="สาม"), "form_token": token})
    assert refused.status_code == 200 and token in refused.get_data(as_text=True)
    assert (
        client.post(
            "/counter", data={**form(lists, pages_copied="3"), "form_token": token}
        ).status_code
        == 302
    )
    assert count(app, Visit) == 1
    with app.app_context():
        assert db.session.get(FormToken, token).location.endswith("/counter")


@pytest.mark.app_config(INQUIRY_MIN_FILL_SECONDS=0)
def test_a_public_request_sent_twice_is_one_request(app, client, make_office):
    make_office("NSW")
    page = client.get("/requests/new").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "requester_name": "นางสาวมาลี ใจงาม",
        "requester_email": "malee@example.com",
        "requester_phone": "",
        "requester_address": "",
        "subject": "ขอสำเนาสัญญาจ้างก่อสร้างถนน",
        "purpose": "",
        "consent": "y",
        "website": "",
        "started": started,
        "form_token": token_of(page),
    }
    office = re.search(r'name="office_id"[^>]*value="(\d+)"|<option selected value="(\d+)"', page)
    if office:
        data["office_id"] = office.group(1) or office.group(2)
    first = client.post("/requests/new", data=data)
    second = client.post("/requests/new", data=data)
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(app, Inquiry) == 1


def test_a_staff_request_sent_twice_is_one_request(app, client, login_as, make_office):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    first, second = replay(
        client,
        "/requests/create",
        {
            "office_id": office,
            "channel": "letter",
            "received_date": "",
            "received_time": "",
            "requester_name": "นายสมชาย ขอข้อมูล",
            "requester_email": "somchai@example.com",
            "subject": "ขอสำเนาสัญญา",
            "assigned_to_id": 0,
            "entry_ids": "",
        },
    )
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(app, Inquiry) == 1


# --- every other form that creates a record ---------------------------------------------------


class _FormDefaults(HTMLParser):
    """The values a browser would send for the form that holds a form_token, as first shown."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append((a.get("action") or "", self._form))
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._form[a["name"]] = a.get("value", "y")
            else:
                self._form[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select, self._first_option = a.get("name"), None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self._form.setdefault(self._select, value)
            if "selected" in a:
                self._form[self._select] = value
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data


def form_on(page: str) -> tuple[str, dict]:
    parser = _FormDefaults()
    parser.feed(page)
    return next((action, data) for action, data in parser.forms if "form_token" in data)


def _inquiry(app, office: int) -> int:
    from infocenter.inquiries.operations import NewInquiry, create_inquiry

    with app.app_context():
        inquiry, _ = create_inquiry(
            NewInquiry(
                office_id=office,
                channel="letter",
                requester_name="นายทดสอบ ระบบ",
                subject="ขอสำเนาสัญญา",
            )
        )
        db.session.commit()
        return inquiry.id


def _post(app, office: int) -> int:
    from infocenter.publishing.models import Post

    with app.app_context():
        post = Post(kind="news", title="ข่าวทดสอบ", body="", state="published", office_id=office)
        db.session.add(post)
        db.session.commit()
        return post.id


CREATING_FORMS = [
    # (page with the form, role, fields typed, model that gains one row)
    (
        "/admin/offices/new",
        "admin",
        {"code": "KKN", "name": "สำนักงานขอนแก่น"},
        "admin.models:Office",
    ),
    (
        "/admin/users/new",
        "admin",
        {"username": "somsri", "password": "รหัสผ่านยาวพอแล้ว1"},
        "auth.models:User",
    ),
    (
        "/staff/index/new",
        "clerk",
        {"title": "ประกาศทดสอบการบันทึกซ้ำ", "ref": "นว 0099/1"},
        "catalogue.models:IndexEntry",
    ),
    (
        "/staff/index/categories/new",
        "admin",
        {"code": "9(8).9", "name_th": "หมวดทดสอบ", "review_months": "๑๒"},
        "catalogue.models:Category",
    ),
    (
        "/counter/lists/types/new",
        "admin",
        {"name": "องค์กรพัฒนาเอกชน", "sort_order": "๖๕"},
        "counter.models:VisitorType",
    ),
    (
        "/counter/fees/new",
        "admin",
        {"name": "สำเนาขนาด A2", "baht": "๑๐.๕๐", "code": "A2"},
        "counter.models:FeeRate",
    ),
    (
        "/requests/holidays",
        "admin",
        {"day": "29/04/2569", "name": "วันหยุดชดเชย"},
        "inquiries.models:Holiday",
    ),
    ("/requests/{inquiry}", "clerk", {"text": "โทรแจ้งผู้ขอแล้ว"}, "inquiries.models:InquiryNote"),
    (
        "/staff/posts/new",
        "clerk",
        {"title": "ข่าวประชาสัมพันธ์", "body": "เนื้อหา"},
        "publishing.models:Post",
    ),
    (
        "/staff/posts/{post}/feedback",
        "clerk",
        {"read_count": "๑,๒๐๐", "notes": "ดี"},
        "publishing.models:PostFeedback",
    ),
    (
        "/staff/line/groups/new",
        "admin",
        {"name": "กลุ่มทดสอบ", "group_id": "C" + "a" * 32},
        "publishing.models:LineGroup",
    ),
    ("/reports/", "clerk", {"fiscal_year": "๒๕๖๗", "quarter": "1"}, "reports.models:Report"),
]


@pytest.mark.parametrize(
    "url, role, typed, model", CREATING_FORMS, ids=[c[0] for c in CREATING_FORMS]
)
def test_every_creating_form_saves_once_when_sent_twice(
    app, client, login_as, make_office, url, role, typed, model
):
    office = make_office("NSW")
    login_as(role, office_id=office)
    url = url.format(
        inquiry=_inquiry(app, office) if "{inquiry}" in url else "",
        post=_post(app, office) if "{post}" in url else "",
    )
    module, _, name = model.partition(":")
    table = getattr(import_module(f"infocenter.{module}"), name)
    page = client.get(url)
    assert page.status_code == 200, url
    before = count(app, table)  # after the GET: the holiday page fills in the year's holidays
    action, data = form_on(page.get_data(as_text=True))
    data.update(typed)
    first = client.post(action or url, data=data)
    assert first.status_code in (302, 303), first.get_data(as_text=True)[-3000:]
    second = client.post(action or url, data=data)
    assert (second.status_code, second.location) == (first.status_code, first.location)
    assert count(app, table) == before + 1


def test_a_register_import_sent_twice_imports_once(app, client, login_as, lists):
    import io

    login_as("clerk")
    token = token_of(client.get("/counter/import").get_data(as_text=True))
    answers = [
        client.post(
            "/counter/import",
            data={
                "file": (io.BytesIO(csv_bytes(REGISTER_ROWS)), "register.csv"),
                "form_token": token,
            },
            content_type="multipart/form-data",
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [302, 302] and answers[0].location == answers[
        1
    ].location
    assert count(app, Visit) == len(REGISTER_ROWS) - 1
