"""Publishing: writing, scheduling and publishing posts; images; the news pages with OpenGraph tags;
feedback; the plan counted per ISO week and month; the monthly summary; demo data."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from infocenter.extensions import db
from tests.pdfread import embedded_fonts, flat, pdftotext, used_fonts


def _png(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def _form(**overrides) -> dict:
    data = {
        "kind": "still",
        "title": "ซื่อสัตย์ สุจริต รับผิดชอบ",
        "body": "ข้อความให้ความรู้\nบรรทัดที่สอง",
        "when": "draft",
        "send_line": "y",
    }
    data.update(overrides)
    return data


def _posts(app):
    from infocenter.publishing.models import Post

    with app.app_context():
        return [
            (p.id, p.title, p.state, p.image_name)
            for p in db.session.scalars(select(Post).order_by(Post.id))
        ]


def test_draft_then_publish_shows_on_news_with_opengraph_and_is_audited(app, client, login_as):
    from infocenter.audit import history

    login_as("clerk")
    response = client.post("/staff/posts/new", data=_form())
    assert response.status_code == 302
    [(post_id, _, state, _)] = _posts(app)
    assert state == "draft"
    client.post("/logout")
    assert "ซื่อสัตย์ สุจริต" not in client.get("/news").get_data(as_text=True)
    assert client.get(f"/news/{post_id}").status_code == 404

    login_as("clerk", username="clerk-b")
    client.post(f"/staff/posts/{post_id}/edit", data=_form(when="now", title="ซื่อสัตย์ & สุจริต"))
    client.post("/logout")
    page = client.get("/news").get_data(as_text=True)
    assert "ซื่อสัตย์ &amp; สุจริต" in page
    post_page = client.get(f"/news/{post_id}").get_data(as_text=True)
    assert '<meta property="og:title" content="ซื่อสัตย์ &amp; สุจริต">' in post_page
    assert f'<meta property="og:url" content="http://localhost/news/{post_id}">' in post_page
    assert '<meta property="og:description" content="ข้อความให้ความรู้ บรรทัดที่สอง">' in post_page
    assert "ข้อความให้ความรู้<br>บรรทัดที่สอง" in post_page
    with app.app_context():
        actions = [(h.action, h.actor) for h in history("Post", post_id)]
    assert actions[0] == ("create", "clerk1") and ("update", "clerk-b") in actions


def test_image_is_checked_by_content_stored_with_a_generated_name_and_shown_in_og_image(
    app, client, login_as
):
    login_as("clerk")
    fake = client.post(
        "/staff/posts/new",
        data=_form(image=(io.BytesIO(b"not an image at all"), "photo.png")),
        content_type="multipart/form-data",
    )
    text = fake.get_data(as_text=True)
    assert fake.status_code == 200 and "รับเฉพาะไฟล์ภาพ JPEG หรือ PNG" in text
    assert 'value="ซื่อสัตย์ สุจริต รับผิดชอบ"' in text  # what was typed is kept
    assert _posts(app) == []

    client.post(
        "/staff/posts/new",
        data=_form(when="now", image=(io.BytesIO(_png()), "ภาพ.png")),
        content_type="multipart/form-data",
    )
    [(post_id, _, _, name)] = _posts(app)
    assert name.endswith(".png") and "ภาพ" not in name
    folder = Path(app.config["UPLOAD_DIR"]) / "posts"
    assert (folder / name).read_bytes() == _png()
    assert (folder / name.replace(".png", "-preview.jpg")).exists()
    client.post("/logout")
    with client.get(f"/news/images/{name}") as image:
        assert image.data == _png()
    page = client.get(f"/news/{post_id}").get_data(as_text=True)
    assert f'<meta property="og:image" content="http://localhost/news/images/{name}">' in page
    assert client.get("/news/images/..%2Fsecret_key").status_code == 404


@pytest.mark.parametrize("name", ["photo.png", "photo.jpg"])
def test_an_html_page_named_as_an_image_is_refused_and_nothing_is_stored(
    app, client, login_as, name
):
    login_as("clerk")
    page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    response = client.post(
        "/staff/posts/new",
        data=_form(image=(io.BytesIO(page), name)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "รับเฉพาะไฟล์ภาพ JPEG หรือ PNG" in response.get_data(as_text=True)
    assert _posts(app) == []
    folder = Path(app.config["UPLOAD_DIR"]) / "posts"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_image_size_limit_and_draft_images_are_not_public(app, client, login_as):
    from infocenter import settings

    with app.app_context():
        settings.put("publishing_image_max_mb", 1)
        db.session.commit()
    login_as("clerk")
    big = _png() + b"\0" * (1024 * 1024)
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    # Encoded in memory: the test client would spool a body this large to a temporary file it never
    # closes.
    boundary, body = encode_multipart(_form(image=FileStorage(io.BytesIO(big), filename="big.png")))
    response = client.post(
        "/staff/posts/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert "ไฟล์ภาพใหญ่เกิน 1 MB" in response.get_data(as_text=True)
    client.post(
        "/staff/posts/new",
        data=_form(image=(io.BytesIO(_png()), "a.png")),
        content_type="multipart/form-data",
    )
    [(_, _, state, name)] = _posts(app)
    assert state == "draft"
    with client.get(f"/news/images/{name}") as image:
        assert image.status_code == 200  # staff may look at their draft
    client.post("/logout")
    with client.get(f"/news/images/{name}") as image:
        assert image.status_code == 404


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "clip"}, "โพสต์ประเภทคลิปต้องมีลิงก์คลิปวิดีโอ"),
        ({"clip_url": "youtube"}, "ลิงก์ไม่ถูกต้อง"),
        ({"entry_id": "999"}, "ไม่พบรายการเลขที่ 999 ในดัชนี"),
        ({"entry_id": "สิบ"}, "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
        ({"title": ""}, "กรุณากรอกหัวเรื่อง"),
        ({"when": "schedule", "scheduled_date": "31/02/2563"}, "ไม่มีวันที่"),
        (
            {"when": "schedule", "scheduled_date": "1/05/2563", "scheduled_time": "09:00"},
            "เวลาที่ตั้งผ่านไปแล้ว",
        ),
    ],
)
def test_bad_input_gets_a_thai_message_and_nothing_is_saved(app, client, login_as, fields, message):
    login_as("clerk")
    response = client.post("/staff/posts/new", data=_form(**fields))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _posts(app) == []


def test_entry_link_must_be_public_and_shows_on_the_post(app, client, login_as):
    from infocenter.admin.operations import ensure_main_office
    from infocenter.catalogue.models import Category, IndexEntry

    with app.app_context():
        cat = db.session.scalars(select(Category).where(Category.code == "9(3)")).one()
        closed = IndexEntry(
            office_id=ensure_main_office().id,
            category_id=cat.id,
            title="ลับ",
            state="published",
            disclosure="closed",
        )
        open_ = IndexEntry(
            office_id=ensure_main_office().id,
            category_id=cat.id,
            title="แผนงานประจำปี",
            state="published",
            disclosure="open",
        )
        db.session.add_all([closed, open_])
        db.session.commit()
        closed_id, open_id = closed.id, open_.id
    login_as("clerk")
    response = client.post("/staff/posts/new", data=_form(entry_id=str(closed_id)))
    assert "ยังไม่เผยแพร่หรือไม่เปิดเผย" in response.get_data(as_text=True)
    client.post("/staff/posts/new", data=_form(entry_id=str(open_id), when="now"))
    [(post_id, *_)] = _posts(app)
    assert "แผนงานประจำปี" in client.get(f"/news/{post_id}").get_data(as_text=True)


def test_scheduled_post_waits_until_flask_publish_due(app, client, login_as, runner):
    from infocenter.publishing.models import Post

    login_as("clerk")
    tomorrow = date.today() + timedelta(days=2)
    client.post(
        "/staff/posts/new",
        data=_form(when="schedule", scheduled_date=tomorrow.isoformat(), scheduled_time="09:30"),
    )
    [(post_id, _, state, _)] = _posts(app)
    assert state == "scheduled"
    assert runner.invoke(args=["publish", "due"]).output.startswith("0 post(s) published")
    with app.app_context():
        db.session.get(Post, post_id).scheduled_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    result = runner.invoke(args=["publish", "due"])
    assert f"published #{post_id}" in result.output
    assert _posts(app)[0][2] == "published"
    assert client.get(f"/news/{post_id}").status_code == 200


def test_published_post_cannot_go_back_to_draft(app, client, login_as):
    login_as("clerk")
    client.post("/staff/posts/new", data=_form(when="now"))
    [(post_id, *_)] = _posts(app)
    response = client.post(f"/staff/posts/{post_id}/edit", data=_form(when="draft"))
    assert "ถอนกลับเป็นร่าง" in response.get_data(as_text=True)
    assert _posts(app)[0][2] == "published"


def test_feedback_is_recorded_checked_and_audited(app, client, login_as):
    from infocenter.audit import history
    from infocenter.publishing.models import PostFeedback

    login_as("clerk")
    client.post("/staff/posts/new", data=_form(when="now"))
    [(post_id, *_)] = _posts(app)
    bad = client.post(
        f"/staff/posts/{post_id}/feedback",
        data={"read_count": "หลายคน", "comment_count": "-3", "notes": "ชอบมาก"},
    )
    text = bad.get_data(as_text=True)
    assert "กรุณากรอกเป็นตัวเลขจำนวนเต็ม" in text and "ตั้งแต่ 0 ขึ้นไป" in text and "ชอบมาก" in text
    ok = client.post(
        f"/staff/posts/{post_id}/feedback",
        data={"read_count": "87", "comment_count": "5", "notes": "ขอให้ทำต่อเนื่อง"},
    )
    assert ok.status_code == 302
    assert "อ่าน 87 · ความเห็น 5" in client.get("/staff/posts").get_data(as_text=True)
    client.post(
        f"/staff/posts/{post_id}/feedback",
        data={"read_count": "90", "comment_count": "6", "notes": ""},
    )
    with app.app_context():
        record = db.session.scalars(select(PostFeedback)).one()
        assert (record.read_count, record.comment_count) == (90, 6)
        changes = [h.changes for h in history("PostFeedback", record.id)]
    assert changes[-1]["read_count"] == [87, 90]


def test_supervisor_reads_the_plan_but_cannot_write(app, client, login_as):
    login_as("supervisor")
    assert client.get("/staff/publishing/plan").status_code == 200
    assert client.post("/staff/posts/new", data=_form()).status_code == 403
    assert client.post("/staff/posts/1/feedback", data={"read_count": "1"}).status_code == 403


def test_district_clerk_sees_only_their_office_posts(app, client, login_as, make_office):
    from infocenter.admin.operations import ensure_main_office
    from infocenter.publishing.models import Post

    with app.app_context():
        province = ensure_main_office().id
        db.session.add(Post(office_id=province, title="ข่าวของจังหวัด", state="draft"))
        db.session.commit()
        other_id = db.session.scalar(select(Post.id))
    district = make_office("NSW01", kind="district", parent_id=province)
    login_as("clerk", office_id=district)
    assert "ข่าวของจังหวัด" not in client.get("/staff/posts").get_data(as_text=True)
    assert client.get(f"/staff/posts/{other_id}").status_code == 404
    assert client.get(f"/staff/posts/{other_id}/edit").status_code == 404


def _published(app, kind: str, local: datetime, title: str = "โพสต์") -> None:
    from infocenter.admin.operations import ensure_main_office
    from infocenter.publishing.models import Post
    from infocenter.thai import OFFICE_TZ

    with app.app_context():
        at = local.replace(tzinfo=OFFICE_TZ).astimezone(UTC)
        db.session.add(
            Post(
                office_id=ensure_main_office().id,
                kind=kind,
                title=title,
                state="published",
                published_at=at,
            )
        )
        db.session.commit()


def test_plan_counts_still_posts_per_iso_week_and_clips_per_month_in_office_time(
    app, client, login_as
):
    from infocenter.publishing.plan import PlanPeriod, build_plan

    # Week of Mon 4 May 2563 (2020-W19): three posts, the last on Sunday 23:30 Bangkok (16:30 UTC).
    for day, hour in ((4, 9), (6, 14), (10, 23)):
        _published(app, "still", datetime(2020, 5, day, hour, 30))
    # Monday 11 May 00:30 Bangkok is still Sunday in UTC: it counts in W20.
    _published(app, "still", datetime(2020, 5, 11, 0, 30))
    # A clip on 31 May 23:00 Bangkok (16:00 UTC) counts in May; none in June.
    _published(app, "clip", datetime(2020, 5, 31, 23, 0))
    _published(app, "news", datetime(2020, 6, 2, 10, 0))
    with app.app_context():
        plan = build_plan(PlanPeriod(date(2020, 5, 4), date(2020, 6, 28)))
    weeks = {w.iso_week: w.still for w in plan.weeks}
    assert weeks[19] == 3 and weeks[20] == 1 and weeks[21] == 0
    assert [w.met for w in plan.weeks][:2] == [True, False]
    months = {m.month: m for m in plan.months}
    assert months[date(2020, 5, 1)].clips == 1 and months[date(2020, 5, 1)].met
    assert months[date(2020, 6, 1)].clips == 0 and not months[date(2020, 6, 1)].met
    assert months[date(2020, 6, 1)].news == 1
    assert plan.weeks_met == 1 and plan.weeks_full == 8

    login_as("clerk")
    page = client.get("/staff/publishing/plan?start=4/05/2563&end=28/06/2563").get_data(
        as_text=True
    )
    assert "2020-W19" in page and "✓ ตามเป้า" in page and "✗ ขาด 2" in page
    assert "สัปดาห์ที่ได้ตามเป้า 1 จาก 8 สัปดาห์เต็ม" in page
    bad = client.get("/staff/publishing/plan?start=สามสิบ&end=28/06/2563").get_data(as_text=True)
    assert "วันเริ่ม: อ่านวันที่" in bad


def test_plan_period_comes_from_the_settings(app, client, login_as):
    from infocenter import settings

    with app.app_context():
        settings.put("publishing_plan_start", "1/05/2563")
        settings.put("publishing_plan_end", "30/09/2563")
        settings.put("publishing_target_still_per_week", 4)
        db.session.commit()
    login_as("supervisor")
    page = client.get("/staff/publishing/plan").get_data(as_text=True)
    assert "๑ พฤษภาคม ๒๕๖๓ ถึง ๓๐ กันยายน ๒๕๖๓" in page
    assert "ภาพนิ่งอย่างน้อย ๔ เรื่องต่อสัปดาห์" in page
    assert '<th scope="row">ก.ย. 2563</th>' in page and '<th scope="row">ต.ค. 2563</th>' not in page


def test_monthly_summary_page_and_pdf_for_the_supervisor(app, client, login_as, tmp_path):
    for day in (4, 6, 8):
        _published(app, "still", datetime(2020, 5, day, 10, 0), title=f"ภาพนิ่งวันที่ {day}")
    _published(app, "clip", datetime(2020, 5, 20, 10, 0), title="คลิปต้านทุจริต")
    login_as("supervisor", full_name="นางสาวพรทิพย์ ศรีสวัสดิ์", position="พัฒนาการจังหวัดนครสวรรค์")
    page = client.get("/staff/publishing/summary/2020-05").get_data(as_text=True)
    assert "ประจำเดือนพฤษภาคม ๒๕๖๓" in page and "คลิปต้านทุจริต" in page
    response = client.get("/staff/publishing/summary/2020-05.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    pdf_path = tmp_path / "summary.pdf"
    pdf_path.write_bytes(response.data)
    # The text a reader copies (poppler), marks and all, equals the source after NFKC.
    text = flat(pdftotext(pdf_path))
    for expected in (
        "บันทึกข้อความ",
        "เรียน พัฒนาการจังหวัดนครสวรรค์",
        "คลิปต้านทุจริต",
        "คลิป ๑ เรื่อง",
        "นางสาวพรทิพย์ ศรีสวัสดิ์",
    ):
        assert flat(expected) in text, expected
    assert used_fonts(pdf_path) and all(f.startswith("Sarabun") for f in used_fonts(pdf_path))
    assert all(embedded_fonts(pdf_path).values())
    assert client.get("/staff/publishing/summary/2020-13").status_code == 404


def test_demo_seed_makes_posts_with_feedback_and_clear_removes_them(app, runner):
    from infocenter.publishing.models import LineGroup, Post, PostFeedback

    result = runner.invoke(
        args=[
            "demo",
            "seed",
            "--documents",
            "5",
            "--visits",
            "5",
            "--online-events",
            "5",
            "--requests",
            "1",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        posts = db.session.scalar(select(func.count(Post.id)).where(Post.is_demo.is_(True)))
        kinds = set(db.session.scalars(select(Post.kind).distinct()))
        feedback = db.session.scalar(select(func.count(PostFeedback.id)))
        assert posts > 40 and {"still", "clip"} <= kinds and feedback > posts / 2
        assert db.session.scalar(select(func.count(LineGroup.id))) == 2
    assert runner.invoke(args=["demo", "clear"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 0
        assert db.session.scalar(select(func.count(LineGroup.id))) == 0


def test_plan_judges_only_weeks_and_months_that_have_started(app, client, login_as, monkeypatch):
    """The project runs May–September 2563; on Wednesday 10 June 2563 the later weeks are not
    misses."""
    from infocenter import settings
    from infocenter.publishing.plan import PlanPeriod, build_plan

    for day in (4, 5, 6, 11, 12, 13, 18):  # W19 and W20 on target, W21 one post, W22 and W23 none
        _published(app, "still", datetime(2020, 5, day, 10, 0))
    _published(app, "clip", datetime(2020, 5, 20, 10, 0))
    _published(app, "still", datetime(2020, 6, 8, 10, 0))  # this week (W24), in progress
    with app.app_context():
        settings.put("publishing_plan_start", "1/05/2563")
        settings.put("publishing_plan_end", "30/09/2563")
        db.session.commit()
        plan = build_plan(PlanPeriod(date(2020, 5, 1), date(2020, 9, 30)), today=date(2020, 6, 10))
    assert (plan.weeks_met, plan.weeks_full) == (2, 5)
    assert plan.current_week.iso_week == 24 and plan.current_week.still == 1
    assert [m.ended for m in plan.months] == [True, False, False, False, False]
    assert (plan.months_met, plan.months_ended) == (1, 1)

    monkeypatch.setattr("infocenter.publishing.plan.local_today", lambda: date(2020, 6, 10))
    login_as("supervisor")
    page = client.get("/staff/publishing/plan").get_data(as_text=True)
    assert "สัปดาห์ที่ได้ตามเป้า 2 จาก 5 สัปดาห์เต็ม" in page
    assert "เดือนที่ได้ตามเป้าคลิป 1 จาก 1 เดือน" in page
    assert "สัปดาห์นี้กำลังดำเนินการ: ภาพนิ่ง 1 จาก 3 เรื่อง" in page
    weeks = page.split('id="weeks"')[1]
    assert (
        weeks.count("✗ ขาด") == 3
        and weeks.count("ยังไม่ถึง") == 16
        and weeks.count("กำลังดำเนินการ") == 1
    )
    months = page.split('id="months"')[1].split("</table>")[0]
    assert months.count("ยังไม่ถึง") == 3 and "✗ ต่ำกว่าเป้า" not in months


def test_summary_shows_line_reach_and_group_feedback_before_typed_figures(
    app, client, login_as, tmp_path
):
    from infocenter.publishing.models import (
        LineDelivery,
        LineGroup,
        LineGroupMessage,
        Post,
        PostFeedback,
    )

    _published(app, "still", datetime(2020, 5, 4, 10, 0), title="เรื่องที่ LINE นับได้")
    _published(app, "still", datetime(2020, 5, 5, 10, 0), title="เรื่องที่คนเห็นน้อย")
    _published(app, "still", datetime(2020, 5, 6, 10, 0), title="เรื่องที่พิมพ์ผลเอง")
    with app.app_context():
        counted, few, typed = db.session.scalars(select(Post).order_by(Post.id)).all()
        sent_at = datetime(2020, 5, 4, 4, 0, tzinfo=UTC)
        counted.reach_impressions, counted.reach_fetched_at = 87, sent_at
        few.reach_fetched_at = sent_at  # LINE answered null: fewer than 20 people
        db.session.add(
            PostFeedback(post=counted, office_id=counted.office_id, read_count=5, comment_count=1)
        )
        db.session.add(
            PostFeedback(post=typed, office_id=typed.office_id, read_count=31, comment_count=4)
        )
        group = LineGroup(name="กลุ่มเครือข่าย พช.", group_id="C" + "d" * 32)
        db.session.add(group)
        db.session.flush()
        db.session.add(
            LineDelivery(
                post_id=counted.id,
                group_id=group.id,
                retry_key="k1",
                status="sent",
                sent_at=sent_at,
            )
        )
        for text in ("ดีมาก", "ขอบคุณครับ"):
            db.session.add(
                LineGroupMessage(
                    group_id=group.id,
                    post_id=counted.id,
                    text=text,
                    sent_at=sent_at + timedelta(hours=1),
                )
            )
        db.session.commit()
    login_as("supervisor", full_name="นางสาวพรทิพย์ ศรีสวัสดิ์", position="พัฒนาการจังหวัดนครสวรรค์")
    page = client.get("/staff/publishing/summary/2020-05").get_data(as_text=True)
    rows = {r.split("</td><td>")[2].split("<")[0]: r for r in page.split("<tr><td>")[1:]}
    assert "87" in rows["เรื่องที่ LINE นับได้"] and ">5<" not in rows["เรื่องที่ LINE นับได้"]
    assert "กลุ่มเครือข่าย พช.: 2" in rows["เรื่องที่ LINE นับได้"]
    assert "&lt; 20" in rows["เรื่องที่คนเห็นน้อย"]
    assert "31" in rows["เรื่องที่พิมพ์ผลเอง"]
    plan_page = client.get("/staff/publishing/plan?start=1/05/2563&end=31/05/2563").get_data(
        as_text=True
    )
    groups = plan_page.split('id="groups"')[1].split("</table>")[0]
    assert (
        "กลุ่มเครือข่าย พช." in groups
        and '<td class="text-end">1</td><td class="text-end">2</td>' in groups
    )
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(client.get("/staff/publishing/summary/2020-05.pdf").data)
    text = flat(pdftotext(pdf))
    for expected in (
        "ผู้เห็นข้อความรวม ๘๗ คน",
        "< ๒๐",
        "ผลรายกลุ่ม LINE",
        "กลุ่มเครือข่าย พช.",
        "ความเห็นในกลุ่ม LINE ๒ ข้อความ",
    ):
        assert flat(expected) in text, expected
