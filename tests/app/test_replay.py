"""A form that creates records, sent twice with the same one-time token (a double Enter, a
replayed request, the browser's "resend"), creates one record and answers the second time as it
did the first."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path

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


def test_a_form_sent_after_the_session_ended_is_saved_after_logging_in(
    app, client, login_as, auth, lists
):
    """The clerk's session ends while the counter form is open: the POST answers "log in first"
    (never a 500: the login message is a lazy string) and keeps nothing of the token, so the same
    form, sent again after logging in, is saved once."""
    login_as("clerk")
    token = token_of(client.get("/counter").get_data(as_text=True))
    auth.logout()
    data = {**form(lists, pages_copied="3"), "form_token": token}
    sent = client.post("/counter", data=data)
    assert sent.status_code == 302 and "/login" in sent.location
    assert count(app, Visit) == 0
    with app.app_context():
        assert db.session.get(FormToken, token) is None
    login_as("clerk")
    again = client.post("/counter", data=data)
    assert again.status_code == 302 and again.location.endswith("/counter")
    assert client.post("/counter", data=data).location == again.location  # and only once
    assert count(app, Visit) == 1


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


def form_on(page: str, action_ends: str = "") -> tuple[str, dict]:
    """The first form on the page that carries a one-time token (its own or a prefixed one),
    whose action ends with ``action_ends``."""
    parser = _FormDefaults()
    parser.feed(page)
    return next(
        (action, data)
        for action, data in parser.forms
        if any(k == "form_token" or k.endswith("-form_token") for k in data)
        and action.endswith(action_ends)
    )


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
    (
        "/staff/index/synonyms/new",
        "admin",
        {"terms": "ศพข.;ศูนย์พัฒนาข้อมูล", "note": "ทดสอบ"},
        "catalogue.synonyms:SearchSynonym",
    ),
    (
        "/admin/indicators",
        "admin",
        {
            "item-fiscal_year": "๒๕๖๗",
            "item-code": "o5",
            "item-title": "ข้อมูลผู้บริหาร",
            "item-submit": "บันทึก",
        },
        "integrity.models:IndicatorItem",
    ),
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
    before = count(app, table)
    action, data = form_on(page.get_data(as_text=True))
    data.update(typed)
    first = client.post(action or url, data=data)
    assert first.status_code in (302, 303), first.get_data(as_text=True)[-3000:]
    after_first = count(app, table)
    # (A holiday added to a year not yet copied into the table copies that year's public
    # holidays first, so only "one or more" can be said of the first answer.)
    assert after_first == before + 1 or (name == "Holiday" and after_first > before)
    second = client.post(action or url, data=data)
    assert (second.status_code, second.location) == (first.status_code, first.location)
    assert count(app, table) == after_first


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


# --- files, steps and the index import --------------------------------------------------------


def _send_twice(client, url: str, data: dict, file: tuple[bytes, str] | None = None):
    """POST the same form (the same token) twice, a fresh copy of the file each time."""
    answers = []
    for _ in range(2):
        body = dict(data)
        if file is not None:
            body["file"] = (io.BytesIO(file[0]), file[1])
        answers.append(client.post(url, data=body, content_type="multipart/form-data"))
    return answers


def _stored(app, folder: str = "") -> list:
    root = Path(app.config["UPLOAD_DIR"]) / folder
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_entry_file_sent_twice_is_attached_once(app, client, login_as, make_office):
    from infocenter.catalogue.models import Category, EntryFile, IndexEntry
    from infocenter.demo.catalogue import _pdf

    office = make_office("NSW")
    login_as("clerk", office_id=office)
    with app.app_context():
        entry = IndexEntry(
            office_id=office,
            category_id=db.session.scalar(select(Category.id).where(Category.code == "9(3)")),
            title="คู่มือการให้บริการ",
            state="published",
        )
        db.session.add(entry)
        db.session.commit()
        url = f"/staff/index/{entry.id}"
    action, data = form_on(client.get(url).get_data(as_text=True), "/files")
    first, second = _send_twice(client, action, data, (_pdf("manual"), "คู่มือ.pdf"))
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(app, EntryFile) == 1
    assert len(_stored(app)) == 1  # the second copy was not written to the store either
    # The second answer says what the first said: "file uploaded".
    assert client.get(url).get_data(as_text=True).count("อัปโหลดไฟล์แล้ว") == 2


def test_a_request_file_sent_twice_is_attached_once(app, client, login_as, make_office):
    from infocenter.inquiries.models import InquiryFile

    office = make_office("NSW")
    login_as("clerk", office_id=office)
    url = f"/requests/{_inquiry(app, office)}"
    action, data = form_on(client.get(url).get_data(as_text=True), "/files")
    first, second = _send_twice(client, action, data, (b"%PDF-1.4 reply", "หนังสือตอบ.pdf"))
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(app, InquiryFile) == 1
    assert len(_stored(app)) == 1


def test_a_request_step_sent_twice_is_taken_once(app, client, login_as, make_office):
    from infocenter.inquiries.models import InquiryEvent

    office = make_office("NSW")
    login_as("clerk", office_id=office)
    inquiry_id = _inquiry(app, office)
    url = f"/requests/{inquiry_id}"
    page = client.get(url).get_data(as_text=True)
    action, data = form_on(page, "/step")  # the first step offered: acknowledge the request
    assert data["step"] == "acknowledged"
    # Each step's form has a token of its own.
    assert len(set(re.findall(r'name="form_token" value="([^"]+)"', page))) >= 2
    events = count(app, InquiryEvent)
    first, second = _send_twice(client, action, data)
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(app, InquiryEvent) == events + 1
    with app.app_context():
        assert db.session.get(Inquiry, inquiry_id).status == "acknowledged"


def test_a_refused_step_keeps_its_token_and_the_corrected_one_is_saved(
    app, client, login_as, make_office
):
    office = make_office("NSW")
    login_as("clerk", office_id=office)
    url = f"/requests/{_inquiry(app, office)}"
    action, data = form_on(client.get(url).get_data(as_text=True), "/step")
    refused = client.post(action, data={**data, "day": "32/13/2568"})
    assert refused.status_code == 400 and data["form_token"] in refused.get_data(as_text=True)
    assert client.post(action, data=data).status_code == 302


def test_an_index_import_confirmed_twice_imports_once(app, client, login_as, make_office):
    """A double click on "confirm import": both requests leave with the same session cookie (the
    checked file is still named in it), the second must import nothing and answer as the first."""
    from infocenter.catalogue.models import IndexEntry
    from tests.catalogue.test_import_export import HEADER

    office = make_office("NSW")
    login_as("clerk", office_id=office)
    csv = (HEADER + "1,แผนปฏิบัติการ,9(3),2020-10-05,,,\n2,คู่มือ,9(4),,,,\n").encode("utf-8-sig")
    preview = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(csv), "index.csv"), "office_id": office},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    action, data = form_on(preview.get_data(as_text=True), "/import/confirm")
    cookie = client.get_cookie("session").value
    first = client.post(action, data=data)
    client.set_cookie("session", cookie)  # sent by the second click, before the first answered
    second = client.post(action, data=data)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location and first.location.endswith("/staff/index")
    assert count(app, IndexEntry) == 2
    page = client.get("/staff/index").get_data(as_text=True)
    # The browser keeps the second answer, which says what the first said: "2 entries imported",
    # not "the checked file was not found".
    assert "นำเข้าแล้ว 2 รายการ" in page and "ไม่พบไฟล์ที่ตรวจสอบไว้" not in page
    # The next file checked gets a new token: a second import is not mistaken for a replay.
    again = client.post(
        "/staff/index/import",
        data={"file": (io.BytesIO(csv.replace(b"1,", b"3,", 1)), "index.csv"), "office_id": office},
        content_type="multipart/form-data",
    )
    assert (
        form_on(again.get_data(as_text=True), "/import/confirm")[1]["form_token"]
        != data["form_token"]
    )


def test_an_evidence_photo_sent_twice_is_linked_once(app, client, login_as, make_office):
    from infocenter.integrity.models import EvidenceLink
    from tests.integrity.test_integrity import PNG, _activity_id, _import_seed

    province = make_office("NSW", kind="province")
    _import_seed(app)
    login_as("clerk", office_id=province)
    url = f"/staff/plan/activities/{_activity_id(app, 2, '1.1.3')}"
    action, data = form_on(client.get(url).get_data(as_text=True))
    data.update(kind="file", office_id=province, note="ป้ายศูนย์")
    first, second = _send_twice(client, action or url, data, (PNG, "ป้าย.png"))
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(app, EvidenceLink) == 1
