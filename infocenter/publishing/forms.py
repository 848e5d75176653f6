"""Forms of the publishing pages: posts, feedback, LINE groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, Length, Optional, Regexp

from ..forms import (
    CreatingForm,
    NumberField,
    ThaiDateField,
    choices,
    optional_text,
    required_code,
    required_text,
)
from .models import KIND_LABELS

WHEN_LABELS = {"draft": _l("บันทึกเป็นร่าง"), "now": _l("เผยแพร่ทันที"), "schedule": _l("ตั้งเวลาเผยแพร่")}


def _long_text(label, rows: int) -> TextAreaField:
    """A post's text or the feedback on it: up to 4,000 characters, ``rows`` lines high."""
    return optional_text(
        label,
        4000,
        message=_l("ข้อความยาวได้ไม่เกิน 4,000 ตัวอักษร"),
        textarea=True,
        render_kw={"rows": rows},
    )


class PostForm(CreatingForm):
    kind = SelectField(_l("ประเภท"), choices=choices(KIND_LABELS))
    title = required_text(
        _l("หัวเรื่อง"), _l("กรุณากรอกหัวเรื่อง"), 200, message=_l("หัวเรื่องยาวได้ไม่เกิน 200 ตัวอักษร")
    )
    body = _long_text(_l("ข้อความ"), rows=6)
    image = FileField(_l("ภาพประกอบ (JPEG หรือ PNG)"), description=_l("ถ้าไม่เลือกไฟล์ใหม่ จะใช้ภาพเดิม"))
    remove_image = BooleanField(_l("ลบภาพเดิม"))
    entry_id = NumberField(
        _l("เลขที่รายการในดัชนีข้อมูลข่าวสารที่ต้องการอ้างถึง (ถ้ามี)"),
        minimum=1,
        invalid_message=_l("กรุณากรอกเป็นตัวเลขจำนวนเต็ม เช่น 25"),
        description=_l("ดูเลขที่จากหน้ารายการในดัชนี"),
    )
    clip_url = StringField(
        _l("ลิงก์คลิปวิดีโอ (ถ้ามี)"),
        validators=[
            Optional(),
            Length(max=500),
            URL(
                require_tld=True,
                message=_l("ลิงก์ไม่ถูกต้อง กรุณาวางลิงก์เต็ม เช่น https://www.youtube.com/watch?v=..."),
            ),
        ],
        render_kw={"inputmode": "url", "placeholder": "https://"},
    )
    send_line = BooleanField(_l("ส่งเข้ากลุ่ม LINE เมื่อเผยแพร่"), default=True)
    send_facebook = BooleanField(_l("โพสต์ลงเพจ Facebook ของหน่วยงานเมื่อเผยแพร่"), default=True)
    when = RadioField(_l("การเผยแพร่"), choices=choices(WHEN_LABELS), default="draft")
    scheduled_date = ThaiDateField(
        _l("วันที่เผยแพร่ (เมื่อตั้งเวลา)"), render_kw={"placeholder": _l("เช่น 29/04/2563")}
    )
    scheduled_time = StringField(
        _l("เวลา"),
        validators=[Optional(), Regexp(r"^\d{1,2}[:.]\d{2}$", message=_l("กรุณาระบุเวลาแบบ 09:30"))],
        render_kw={"placeholder": "09:30"},
    )
    submit = SubmitField(_l("บันทึก"))


def _count_field(label) -> NumberField:
    """A count staff copy from LINE (readers, comments): a whole number from 0."""
    return NumberField(
        label,
        default=0,
        minimum=0,
        maximum=1_000_000,
        invalid_message=_l("กรุณากรอกเป็นตัวเลขจำนวนเต็ม เช่น 25"),
        message=_l("กรุณากรอกจำนวนตั้งแต่ 0 ขึ้นไป"),
    )


class FeedbackForm(CreatingForm):
    read_count = _count_field(_l("จำนวนผู้อ่าน (อ่านแล้ว)"))
    comment_count = _count_field(_l("จำนวนความคิดเห็น"))
    notes = _long_text(_l("ข้อวิพากษ์วิจารณ์และคำติชมที่ได้รับ"), rows=4)
    submit = SubmitField(_l("บันทึกผลการติดตาม"))


class LineGroupForm(CreatingForm):
    name = required_text(
        _l("ชื่อกลุ่ม"),
        _l("กรุณากรอกชื่อกลุ่ม เช่น กลุ่ม Line สพจ.นครสวรรค์"),
        200,
        message=_l("ชื่อกลุ่มยาวได้ไม่เกิน 200 ตัวอักษร"),
    )
    group_id = required_code(
        _l("Group ID ของ LINE"),
        _l("กรุณากรอก Group ID"),
        r"^[CRU][0-9a-f]{32}$",
        _l("Group ID ขึ้นต้นด้วย C ตามด้วยตัวอักษร 0-9 a-f 32 ตัว ดูได้จาก webhook ของบอต"),
    )
    active = BooleanField(_l("ส่งข่าวเข้ากลุ่มนี้"), default=True)
    submit = SubmitField(_l("บันทึก"))
