"""Demo posts for the LINE project: still-image posts most weeks, a clip most months, some news,
with the read counts and feedback staff would have recorded; two demo LINE groups."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, insert, select

from ..extensions import db
from ..publishing.models import LineAttempt, LineDelivery, LineGroup, Post, PostFeedback
from ..thai import now_utc
from . import SeedContext

STILL_TOPICS = (
    "ซื่อสัตย์ สุจริต รับผิดชอบ",
    "ไม่รับของขวัญจากผู้มาติดต่อ",
    "แยกเรื่องส่วนตัวออกจากหน้าที่",
    "ประมวลจริยธรรมข้าราชการกรมการพัฒนาชุมชน",
    "ใช้ทรัพย์สินของราชการอย่างประหยัด",
    "บริการด้วยใจ โปร่งใส ตรวจสอบได้",
    "ผลประโยชน์ทับซ้อนคืออะไร",
    "แจ้งเบาะแสการทุจริตได้ที่ไหน",
    "วินัยข้าราชการที่ควรรู้",
    "พอเพียง ไม่โกง",
    "ตรงต่อเวลา เคารพประชาชน",
    "เปิดเผยข้อมูลข่าวสารตามมาตรา ๙",
    "No Gift Policy ของหน่วยงาน",
)
CLIP_TOPICS = (
    "คลิป: ต้านทุจริตเริ่มที่ตัวเรา",
    "คลิป: ความโปร่งใสในงานพัฒนาชุมชน",
    "คลิป: เรื่องเล็ก ๆ ที่ไม่ควรมองข้าม",
    "คลิป: ข้าราชการยุคใหม่ใสสะอาด",
)
NEWS_TOPICS = (
    "ประชาสัมพันธ์ช่องทางร้องเรียนการทุจริต",
    "เชิญชวนตอบแบบวัดการรับรู้ ITA",
    "ประกาศผลการจัดซื้อจัดจ้างประจำเดือน",
)
NOTES = (
    "",
    "",
    "มีผู้แสดงความเห็นเห็นด้วยและขอให้ทำต่อเนื่อง",
    "มีคำถามเรื่องการรับของขวัญช่วงปีใหม่",
    "ขอให้เพิ่มภาพประกอบที่อ่านง่ายขึ้น",
    "เครือข่ายแชร์ต่อในกลุ่มอำเภอ",
    "มีผู้ชมคลิปแล้วเสนอหัวข้อใหม่",
)
MONTHS = 5


def seed(ctx: SeedContext) -> None:
    rng = ctx.rng
    province = ctx.offices[0]
    author = (ctx.users.get("clerk") or [None])[0]
    groups = [
        {
            "name": "กลุ่ม Line สพจ.นครสวรรค์ (ตัวอย่าง)",
            "group_id": "C" + secrets.token_hex(16),
            "active": True,
            "is_demo": True,
            "created_at": now_utc(),
        },
        {
            "name": "กลุ่ม Line เครือข่ายพัฒนาชุมชน (ตัวอย่าง)",
            "group_id": "C" + secrets.token_hex(16),
            "active": True,
            "is_demo": True,
            "created_at": now_utc(),
        },
    ]
    ctx.bulk_insert(LineGroup, groups)

    rows = []
    first = ctx.today - timedelta(days=MONTHS * 30)
    monday = first - timedelta(days=first.weekday())
    week = 0
    while monday <= ctx.today:
        # Most weeks meet the target of three; a few fall short, as real weeks do.
        for _ in range(rng.choice((2, 3, 3, 3, 4))):
            day = monday + timedelta(days=rng.randrange(5))
            if day <= ctx.today:
                rows.append(_post(ctx, "still", rng.choice(STILL_TOPICS), day, province.id, author))
        if week % 4 == 1 and rng.random() < 0.85:
            rows.append(
                _post(
                    ctx,
                    "clip",
                    rng.choice(CLIP_TOPICS),
                    monday + timedelta(days=rng.randrange(5)),
                    province.id,
                    author,
                )
            )
        if rng.random() < 0.3:
            rows.append(
                _post(
                    ctx,
                    "news",
                    rng.choice(NEWS_TOPICS),
                    monday + timedelta(days=rng.randrange(5)),
                    province.id,
                    author,
                )
            )
        monday += timedelta(days=7)
        week += 1
    rows = [r for r in rows if r["published_at"] <= now_utc()]
    ids = db.session.scalars(
        insert(Post).returning(Post.id, sort_by_parameter_order=True), rows
    ).all()
    feedback = []
    for post_id, row in zip(ids, rows, strict=True):
        if rng.random() < 0.85:
            feedback.append(
                {
                    "post_id": post_id,
                    "office_id": province.id,
                    "read_count": rng.randrange(35, 105),
                    "comment_count": rng.randrange(0, 12),
                    "notes": rng.choice(NOTES),
                    "recorded_at": row["published_at"] + timedelta(days=2),
                    "recorded_by_id": author.id if author else None,
                }
            )
    ctx.bulk_insert(PostFeedback, feedback)
    ctx.echo(f"  posts: {len(rows)}, feedback: {len(feedback)}")


def _post(ctx: SeedContext, kind: str, title: str, day, office_id: int, author) -> dict:
    at = ctx.random_instant(day)
    body = {
        "still": f"{title}\nร่วมกันสร้างสำนักงานพัฒนาชุมชนใสสะอาด ยึดมั่นคุณธรรม จริยธรรม และวินัยข้าราชการ",
        "clip": "ชวนชมคลิปสั้นเกี่ยวกับการป้องกันการทุจริตและประพฤติมิชอบ แล้วร่วมแสดงความคิดเห็นในกลุ่ม",
        "news": "ประชาสัมพันธ์จากศูนย์ข้อมูลข่าวสาร สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์",
    }[kind]
    return {
        "office_id": office_id,
        "kind": kind,
        "title": title,
        "body": body,
        "clip_url": "https://www.youtube.com/watch?v=demo" + str(ctx.rng.randrange(1000, 9999))
        if kind == "clip"
        else None,
        "send_line": True,
        "state": "published",
        "published_at": at,
        "created_at": at,
        "updated_at": at,
        "created_by_id": author.id if author else None,
        "is_demo": True,
    }


def clear(ctx: SeedContext) -> None:
    demo_posts = select(Post.id).where(Post.is_demo.is_(True))
    demo_groups = select(LineGroup.id).where(LineGroup.is_demo.is_(True))
    deliveries = select(LineDelivery.id).where(
        LineDelivery.post_id.in_(demo_posts) | LineDelivery.group_id.in_(demo_groups)
    )
    db.session.execute(delete(LineAttempt).where(LineAttempt.delivery_id.in_(deliveries)))
    db.session.execute(delete(LineDelivery).where(LineDelivery.id.in_(deliveries)))
    db.session.execute(delete(PostFeedback).where(PostFeedback.post_id.in_(demo_posts)))
    db.session.execute(delete(Post).where(Post.is_demo.is_(True)))
    db.session.execute(delete(LineGroup).where(LineGroup.is_demo.is_(True)))
