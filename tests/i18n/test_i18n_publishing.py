"""Publishing in English: pages, form errors, flash messages, month names; what goes out of the site
(the Atom feeds, LINE messages, the monthly summary PDF) stays Thai whatever the page's language."""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, Text, select

from infocenter.extensions import db
from tests.pdfread import flat, pdftotext

ATOM = "{http://www.w3.org/2005/Atom}"
THAI = re.compile(r"[\u0E00-\u0E7F]+(?:[ \t]+[\u0E00-\u0E7F]+)*")


def _english(client) -> None:
    client.post("/lang/en")


def _post(app, **fields) -> int:
    from infocenter.admin.operations import ensure_main_office
    from infocenter.publishing.models import Post

    with app.app_context():
        post = Post(
            office_id=ensure_main_office().id, **{"title": "ซื่อสัตย์ สุจริต", "kind": "still", **fields}
        )
        db.session.add(post)
        db.session.commit()
        return post.id


def _published(app, kind: str, local: datetime, title: str = "โพสต์") -> int:
    from infocenter.thai import OFFICE_TZ

    return _post(
        app,
        kind=kind,
        title=title,
        state="published",
        published_at=local.replace(tzinfo=OFFICE_TZ).astimezone(UTC),
    )


def _form(**overrides) -> dict:
    data = {
        "kind": "still",
        "title": "ซื่อสัตย์ สุจริต รับผิดชอบ",
        "body": "ข้อความ",
        "when": "draft",
        "send_line": "y",
    }
    data.update(overrides)
    return data


def _data_text(app) -> str:
    """Every text stored in the database: Thai inside it is the office's data, not an untranslated
    string."""
    parts: list[str] = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            if columns:
                for row in db.session.execute(select(*columns)):
                    parts.extend(" ".join(str(v).split()) for v in row if v)
    return " \n ".join(parts)


def _thai_left(page: str, data: str) -> list[str]:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = "\n".join(
        re.findall(r'\b(?:placeholder|title|aria-label|alt|value|content)="([^"]*)"', page)
    )
    text = html.unescape(
        re.sub(r"<[^>]+>", "\n", re.sub(r"(?s)<!--.*?-->", " ", page)) + "\n" + attributes
    )
    text = " ".join(text.replace("\n", "\x00").split()).replace("\x00", "\n")
    return sorted({run for run in THAI.findall(text) if run != "ไทย" and run not in data})


def test_every_publishing_page_is_english_apart_from_data(app, client, login_as):
    app.config["LINE_CHANNEL_ACCESS_TOKEN"] = (
        "token"  # the "LINE is on" banner and the group list on the form
    )
    from infocenter.publishing.models import LineAttempt, LineDelivery, LineGroup, PostFeedback

    for day, kind in ((4, "still"), (6, "still"), (8, "still"), (20, "clip"), (21, "news")):
        _published(app, kind, datetime(2020, 5, day, 10, 0), title=f"โพสต์วันที่ {day}")
    post_id = _published(app, "still", datetime(2020, 5, 11, 10, 0), title="โพสต์ที่ส่งไม่สำเร็จ")
    draft_id = _post(app, title="ร่างข่าว", clip_url="https://example.org/clip")
    with app.app_context():
        from infocenter.admin.operations import ensure_main_office

        group = LineGroup(name="กลุ่ม Line สพจ.", group_id="C" + "a" * 32, is_demo=True)
        db.session.add(group)
        db.session.flush()
        delivery = LineDelivery(
            post_id=post_id,
            group_id=group.id,
            retry_key="0" * 36,
            status="failed",
            attempts=2,
            last_status_code=400,
            last_error="The request body has 1 error(s)",
        )
        delivery.attempt_log = [
            LineAttempt(status_code=None, error="timeout"),
            LineAttempt(status_code=400, ok=False),
        ]
        db.session.add_all(
            [
                delivery,
                PostFeedback(
                    post_id=post_id,
                    office_id=ensure_main_office().id,
                    read_count=12,
                    comment_count=3,
                    notes="ชอบมาก",
                ),
            ]
        )
        db.session.commit()
        group_pk = group.id
    login_as("admin")
    _english(client)
    data = _data_text(app)
    pages = [
        "/news",
        f"/news/{post_id}",
        f"/news/{draft_id}",
        "/staff/posts",
        "/staff/posts?state=published",
        "/staff/posts/new",
        f"/staff/posts/{post_id}",
        f"/staff/posts/{draft_id}",
        f"/staff/posts/{post_id}/edit",
        f"/staff/posts/{post_id}/feedback",
        "/staff/line",
        "/staff/line/groups/new",
        f"/staff/line/groups/{group_pk}/edit",
        "/staff/publishing/plan?start=1/05/2020&end=30/06/2020",
        "/staff/publishing/summary/2020-05",
        "/staff/publishing/summary/2021-01",
    ]
    left = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert '<html lang="en">' in page
        if found := _thai_left(page, data):
            left[path] = found
    assert left == {}, f"Thai left on English pages: {left}"

    plan = client.get("/staff/publishing/plan?start=1/05/2020&end=30/06/2020").get_data(
        as_text=True
    )
    assert "Project period: 1 May 2020 to 30 June 2020" in plan
    assert '<th scope="row">May 2020</th>' in plan and "✓ on target" in plan
    summary = client.get("/staff/publishing/summary/2020-05").get_data(as_text=True)
    assert (
        "Application Line project results for May 2020" in summary
        and "Educational still image" in summary
    )
    staff = client.get(f"/staff/posts/{post_id}").get_data(as_text=True)
    assert "Failed (stopped)" in staff and "No answer" in staff
    news = client.get("/news").get_data(as_text=True)
    assert '<meta property="og:locale" content="en_US">' in news and 'title="News (Atom)"' in news


def test_thai_stays_the_default(app, client, login_as):
    _published(app, "still", datetime(2020, 5, 4, 10, 0))
    login_as("supervisor")
    plan = client.get("/staff/publishing/plan?start=1/05/2563&end=30/06/2563").get_data(
        as_text=True
    )
    assert '<html lang="th">' in plan and "ช่วงโครงการ ๑ พฤษภาคม ๒๕๖๓ ถึง ๓๐ มิถุนายน ๒๕๖๓" in plan
    assert '<th scope="row">พ.ค. 2563</th>' in plan
    summary = client.get("/staff/publishing/summary/2020-05").get_data(as_text=True)
    assert "สรุปผลโครงการ Application Line ประจำเดือนพฤษภาคม ๒๕๖๓" in summary
    assert '<meta property="og:locale" content="th_TH">' in client.get("/news").get_data(
        as_text=True
    )


def test_post_form_errors_in_english(app, client, login_as):
    login_as("clerk")
    _english(client)
    page = client.post("/staff/posts/new", data=_form(title="", entry_id="ten")).get_data(
        as_text=True
    )
    assert "Please enter a title" in page and "Please enter a whole number, e.g. 25" in page
    assert 'for="title">Title<' in page and "Video clip link (if any)" in page
    page = client.post("/staff/posts/new", data=_form(kind="clip", entry_id="999")).get_data(
        as_text=True
    )
    assert "A clip post needs a link to the video clip" in page
    assert "There is no entry number 999 in the index" in page
    page = client.post(
        "/staff/posts/new",
        data=_form(when="schedule", scheduled_date="1/05/2020", scheduled_time="09:00"),
    ).get_data(as_text=True)
    assert "The time set has already passed" in page
    fake = client.post(
        "/staff/posts/new",
        data=_form(image=(io.BytesIO(b"not an image"), "photo.png")),
        content_type="multipart/form-data",
    )
    assert "Only JPEG or PNG images are accepted" in fake.get_data(as_text=True)
    with app.app_context():
        from infocenter.publishing.models import Post

        assert db.session.scalar(select(Post.id)) is None


def test_flash_messages_and_feedback_errors_in_english(app, client, login_as):
    from infocenter.publishing.models import LineDelivery, LineGroup

    app.config["LINE_CHANNEL_ACCESS_TOKEN"] = "token"
    with app.app_context():
        db.session.add_all(
            [
                LineGroup(name="กลุ่มหนึ่ง", group_id="C" + "a" * 32),
                LineGroup(name="กลุ่มสอง", group_id="C" + "b" * 32),
            ]
        )
        db.session.commit()
    login_as("clerk")
    _english(client)
    page = client.post("/staff/posts/new", data=_form(), follow_redirects=True).get_data(
        as_text=True
    )
    assert "Draft saved" in page and "Educational still image" in page and "Draft" in page
    page = client.post("/staff/posts/new", data=_form(when="now"), follow_redirects=True).get_data(
        as_text=True
    )
    assert "Post published; it will be sent to 2 LINE groups in the next sending run" in page
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date()
    page = client.post(
        "/staff/posts/new",
        data=_form(when="schedule", scheduled_date=tomorrow.isoformat(), scheduled_time="09:30"),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"Publication scheduled: the post will be published on {tomorrow.day} " in page
    assert f"{tomorrow.year} 09:30" in page

    with app.app_context():
        delivery = db.session.scalars(select(LineDelivery).order_by(LineDelivery.id)).first()
        delivery.status = "failed"
        db.session.commit()
        post_id, delivery_id, group = delivery.post_id, delivery.id, delivery.group.name
    page = client.post(
        f"/staff/posts/{post_id}/deliveries/{delivery_id}/retry", follow_redirects=True
    ).get_data(as_text=True)
    assert f"Sending to {group} will be tried again in the next sending run" in page

    bad = client.post(
        f"/staff/posts/{post_id}/feedback", data={"read_count": "many", "comment_count": "-3"}
    )
    text = bad.get_data(as_text=True)
    assert "Please enter a whole number" in text and "Please enter a number of 0 or more" in text
    ok = client.post(
        f"/staff/posts/{post_id}/feedback",
        data={"read_count": "87", "comment_count": "5"},
        follow_redirects=True,
    )
    assert "Follow-up saved" in ok.get_data(as_text=True)
    assert "Read 87 · comments 5" in client.get("/staff/posts").get_data(as_text=True)


def test_line_group_form_and_plan_dates_in_english(app, client, login_as):
    login_as("admin")
    _english(client)
    page = client.post("/staff/line/groups/new", data={"name": "", "group_id": "G123"}).get_data(
        as_text=True
    )
    assert "Please enter the group's name" in page and "A group ID starts with C" in page
    page = client.post(
        "/staff/line/groups/new",
        data={"name": "กลุ่มเครือข่าย", "group_id": "C" + "c" * 32, "active": "y"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "LINE group “กลุ่มเครือข่าย” saved" in page and "<td>Send</td>" in page
    page = client.get("/staff/publishing/plan?start=thirty&end=1/01/2020").get_data(as_text=True)
    assert "Start date: " in page
    page = client.get("/staff/publishing/plan?start=1/05/2020&end=1/01/2020").get_data(as_text=True)
    assert "The end date cannot be before the start date" in page


def test_feeds_line_messages_and_the_summary_pdf_stay_thai_on_english_pages(
    app, client, login_as, tmp_path
):
    from infocenter.publishing import operations
    from infocenter.publishing.models import Post

    post_id = _published(app, "clip", datetime(2020, 5, 20, 10, 0), title="คลิปต้านทุจริต")
    with app.app_context():
        db.session.get(Post, post_id).clip_url = "https://example.org/clip"
        db.session.commit()
    login_as("supervisor", full_name="นางสาวพรทิพย์ ศรีสวัสดิ์", position="พัฒนาการจังหวัดนครสวรรค์")
    _english(client)
    assert "Application Line project results" in client.get(
        "/staff/publishing/summary/2020-05"
    ).get_data(as_text=True)

    feed = ET.fromstring(client.get("/feeds/news.atom").data)
    assert feed.findtext(f"{ATOM}title").startswith("ข่าวประชาสัมพันธ์")
    assert feed.find(f"{ATOM}entry/{ATOM}category").get("term") == "คลิปวิดีโอ"

    with app.test_request_context("/"):
        from flask import session

        session["lang"] = "en"
        [text] = operations.messages_for(db.session.get(Post, post_id))
    assert "ชมคลิป: https://example.org/clip" in text["text"] and "อ่านต่อ: " in text["text"]

    response = client.get("/staff/publishing/summary/2020-05.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(response.data)
    content = flat(pdftotext(pdf))
    assert flat("บันทึกข้อความ") in content and flat("พฤษภาคม") in content
    assert "May" not in content and "Clip" not in content
