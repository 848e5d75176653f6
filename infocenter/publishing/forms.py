"""Forms of the publishing pages: posts, feedback, LINE groups."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from ..forms import choices
from .models import KIND_LABELS


class WholeNumberField(IntegerField):
    """An integer field whose "not a number" message is in Thai."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0].strip() == "":
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip().replace(",", ""))
        except ValueError:
            self.data = None
            raise ValueError("กรุณากรอกเป็นตัวเลขจำนวนเต็ม เช่น 25") from None


WHEN_LABELS = {"draft": "บันทึกเป็นร่าง", "now": "เผยแพร่ทันที", "schedule": "ตั้งเวลาเผยแพร่"}


class PostForm(FlaskForm):
    kind = SelectField("ประเภท", choices=choices(KIND_LABELS))
    title = StringField("หัวเรื่อง", validators=[DataRequired("กรุณากรอกหัวเรื่อง"),
                                               Length(max=200, message="หัวเรื่องยาวได้ไม่เกิน 200 ตัวอักษร")])
    body = TextAreaField("ข้อความ", validators=[Length(max=4000, message="ข้อความยาวได้ไม่เกิน 4,000 ตัวอักษร")],
                         render_kw={"rows": 6})
    image = FileField("ภาพประกอบ (JPEG หรือ PNG)", description="ถ้าไม่เลือกไฟล์ใหม่ จะใช้ภาพเดิม")
    remove_image = BooleanField("ลบภาพเดิม")
    entry_id = WholeNumberField("เลขที่รายการในดัชนีข้อมูลข่าวสารที่ต้องการอ้างถึง (ถ้ามี)",
                            validators=[Optional()], description="ดูเลขที่จากหน้ารายการในดัชนี",
                            render_kw={"inputmode": "numeric"})
    clip_url = StringField("ลิงก์คลิปวิดีโอ (ถ้ามี)",
                           validators=[Optional(), Length(max=500),
                                       URL(require_tld=True, message="ลิงก์ไม่ถูกต้อง กรุณาวางลิงก์เต็ม เช่น https://www.youtube.com/watch?v=...")],
                           render_kw={"inputmode": "url", "placeholder": "https://"})
    send_line = BooleanField("ส่งเข้ากลุ่ม LINE เมื่อเผยแพร่", default=True)
    when = RadioField("การเผยแพร่", choices=choices(WHEN_LABELS), default="draft")
    scheduled_date = StringField("วันที่เผยแพร่ (เมื่อตั้งเวลา)", render_kw={"placeholder": "เช่น 29/04/2563"})
    scheduled_time = StringField("เวลา", validators=[Optional(), Regexp(r"^\d{1,2}[:.]\d{2}$", message="กรุณาระบุเวลาแบบ 09:30")],
                                 render_kw={"placeholder": "09:30"})
    submit = SubmitField("บันทึก")


class FeedbackForm(FlaskForm):
    read_count = WholeNumberField("จำนวนผู้อ่าน (อ่านแล้ว)", default=0,
                              validators=[Optional(), NumberRange(min=0, max=1_000_000, message="กรุณากรอกจำนวนตั้งแต่ 0 ขึ้นไป")])
    comment_count = WholeNumberField("จำนวนความคิดเห็น", default=0,
                                 validators=[Optional(), NumberRange(min=0, max=1_000_000, message="กรุณากรอกจำนวนตั้งแต่ 0 ขึ้นไป")])
    notes = TextAreaField("ข้อวิพากษ์วิจารณ์และคำติชมที่ได้รับ", validators=[Length(max=4000)], render_kw={"rows": 4})
    submit = SubmitField("บันทึกผลการติดตาม")


class LineGroupForm(FlaskForm):
    name = StringField("ชื่อกลุ่ม", validators=[DataRequired("กรุณากรอกชื่อกลุ่ม เช่น กลุ่ม Line สพจ.นครสวรรค์"), Length(max=200)])
    group_id = StringField("Group ID ของ LINE",
                           validators=[DataRequired("กรุณากรอก Group ID"),
                                       Regexp(r"^[CRU][0-9a-f]{32}$",
                                              message="Group ID ขึ้นต้นด้วย C ตามด้วยตัวอักษร 0-9 a-f 32 ตัว ดูได้จาก webhook ของบอต")])
    active = BooleanField("ส่งข่าวเข้ากลุ่มนี้", default=True)
    submit = SubmitField("บันทึก")
