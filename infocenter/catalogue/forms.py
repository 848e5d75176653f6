"""Forms of the index pages: entries, files, withdrawal, import, categories."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..forms import ThaiDateField, choices
from .models import DISCLOSURE_LABELS, WITHHOLDING_GROUNDS


class EntryForm(FlaskForm):
    office_id = SelectField("สำนักงาน", coerce=int)
    category_id = SelectField("หมวดตามมาตรา ๙", coerce=int)
    ref = StringField("เลขที่หนังสือ", validators=[Length(max=120, message="ไม่เกิน 120 ตัวอักษร")])
    title = StringField("ชื่อเรื่อง", validators=[DataRequired("กรุณากรอกชื่อเรื่อง"), Length(max=1000)])
    summary = TextAreaField("สาระสำคัญโดยย่อ", validators=[Length(max=5000)])
    keywords = StringField("คำสำคัญ (คั่นด้วย ;)", validators=[Length(max=1000)])
    doc_date = ThaiDateField("วันที่ของเอกสาร", description="เช่น 29/04/2563 หรือ 29 เม.ย. 2563")
    location = StringField("ที่เก็บเอกสาร (แฟ้ม ชั้น)", validators=[Length(max=200, message="ไม่เกิน 200 ตัวอักษร")])
    disclosure = SelectField("การเปิดเผย", choices=choices(DISCLOSURE_LABELS))
    withheld_ground = SelectField("เหตุที่ปกปิด (กรณีปกปิดบางส่วนหรือไม่เปิดเผย)",
                                  choices=choices([("", "— ไม่มี —")] + list(WITHHOLDING_GROUNDS.items())))
    review_by = ThaiDateField("ทบทวนภายในวันที่", description="เว้นว่างได้: ระบบตั้งเป็นหนึ่งปีหลังแก้ไขล่าสุด (ตามหมวด)")
    state = SelectField("สถานะ", choices=choices({"draft": "ร่าง", "published": "เผยแพร่"}))
    submit = SubmitField("บันทึก")

    def validate_withheld_ground(self, field) -> None:
        if self.disclosure.data in ("partial", "closed") and not field.data:
            raise ValidationError("กรุณาเลือกเหตุที่ปกปิดตามมาตรา ๑๔ หรือ ๑๕")


class FileForm(FlaskForm):
    file = FileField("ไฟล์เอกสาร", validators=[FileRequired("กรุณาเลือกไฟล์")])
    submit = SubmitField("อัปโหลด")


class WithdrawForm(FlaskForm):
    reason = TextAreaField("เหตุผลที่ถอนออก", validators=[DataRequired("กรุณาระบุเหตุผลที่ถอนรายการออก"),
                                                          Length(max=1000)])
    submit = SubmitField("ถอนรายการออก")


class ImportForm(FlaskForm):
    file = FileField("ไฟล์ .csv หรือ .xlsx", validators=[FileRequired("กรุณาเลือกไฟล์")])
    office_id = SelectField("สำนักงาน (เมื่อไฟล์ไม่มีคอลัมน์ office)", coerce=int)
    submit = SubmitField("ตรวจสอบและแสดงตัวอย่าง")


class ConfirmForm(FlaskForm):
    """A button-only form (confirm an import, restore an entry, delete a file): CSRF and nothing else."""

    submit = SubmitField("ยืนยัน")


class CategoryForm(FlaskForm):
    code = StringField("รหัส", validators=[DataRequired("กรุณากรอกรหัส เช่น 9(8).4"), Length(max=16)])
    name_th = TextAreaField("ชื่อภาษาไทย", validators=[DataRequired("กรุณากรอกชื่อภาษาไทย"), Length(max=1000)])
    name_en = TextAreaField("ชื่อภาษาอังกฤษ", validators=[Length(max=1000)])
    review_months = IntegerField("ทบทวนทุก (เดือน)", validators=[
        DataRequired("กรุณากรอกจำนวนเดือน"), NumberRange(1, 120, "ระบุ 1 ถึง 120 เดือน")])
    sort_order = IntegerField("ลำดับ", validators=[Optional(), NumberRange(0, 10000, "ระบุ 0 ถึง 10000")])
    active = BooleanField("ใช้งาน", default=True)
    submit = SubmitField("บันทึก")
