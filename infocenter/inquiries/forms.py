"""Forms of the request pages: public intake and status, staff intake, steps, notes, files, holidays."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import ThaiDateField, choices
from .models import CHANNELS, GROUNDS, OUTCOMES

EMAIL_MSG = "รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.com"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _Requester:
    requester_name = StringField("ชื่อ–นามสกุลผู้ขอ", validators=[DataRequired("กรุณากรอกชื่อผู้ขอ"), Length(max=200)])
    requester_email = StringField("อีเมล", validators=[Optional(), Email(EMAIL_MSG), Length(max=200)],
                                  description="ถ้าระบุ ระบบจะแจ้งความคืบหน้าทางอีเมลนี้")
    requester_phone = StringField("โทรศัพท์", validators=[Optional(), Length(max=64)])
    requester_address = TextAreaField("ที่อยู่สำหรับส่งหนังสือตอบ", validators=[Optional(), Length(max=1000)])
    subject = TextAreaField("ข้อมูลข่าวสารที่ต้องการ",
                            validators=[DataRequired("กรุณาระบุข้อมูลข่าวสารที่ต้องการ"), Length(max=5000)],
                            description="ระบุให้ชัดพอที่เจ้าหน้าที่จะค้นหาได้ เช่น ชื่อโครงการ ปี หรือเลขที่หนังสือ")
    purpose = TextAreaField("วัตถุประสงค์ (ไม่บังคับ)", validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Checked here, not on a field: each contact field is optional on its own.
        if not any((f.data or "").strip() for f in (self.requester_email, self.requester_phone,
                                                      self.requester_address)):
            self.requester_address.errors = [*self.requester_address.errors,
                                             "กรุณาให้ช่องทางติดต่ออย่างน้อยหนึ่งทาง: อีเมล โทรศัพท์ หรือที่อยู่"]
            ok = False
        return ok


class PublicInquiryForm(_Requester, FlaskForm):
    office_id = SelectField("ยื่นคำขอต่อสำนักงาน", coerce=int)
    consent = BooleanField("ข้าพเจ้าได้อ่านและรับทราบประกาศการคุ้มครองข้อมูลส่วนบุคคลข้างต้นแล้ว",
                           validators=[DataRequired("กรุณาอ่านประกาศการคุ้มครองข้อมูลส่วนบุคคลแล้วทำเครื่องหมายรับทราบ")])
    # Spam guard: a field people never see (bots fill it), and the signed time the form was shown.
    website = StringField("เว็บไซต์ (เว้นว่างไว้)", validators=[Optional()])
    started = HiddenField()
    submit = SubmitField("ส่งคำขอ")


class StaffInquiryForm(_Requester, FlaskForm):
    office_id = SelectField("สำนักงาน", coerce=int)
    channel = SelectField("ช่องทาง", choices=choices(CHANNELS), default="counter")
    received_date = ThaiDateField("วันที่รับคำขอ", description="เว้นว่าง = วันนี้; พิมพ์ เช่น 29/04/2568")
    received_time = StringField("เวลาที่รับ (ชช:นน)", validators=[Optional(), Length(max=5)],
                                description="เว้นว่าง = เวลานี้ หลังเวลาปิดรับคำขอจะเริ่มนับจากวันทำการถัดไป")
    entry_ids = StringField("เลขที่รายการดัชนีที่เกี่ยวข้อง (ไม่บังคับ)", validators=[Optional(), Length(max=500)],
                            description="ตัวเลขคั่นด้วยจุลภาค เช่น 12, 15")
    assigned_to_id = SelectField("เจ้าหน้าที่ผู้รับผิดชอบ", coerce=int)
    visit_id = HiddenField()
    submit = SubmitField("บันทึกคำขอ")

    def validate_received_time(self, field) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        parts = text.replace(".", ":").split(":")
        try:
            hours, minutes = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            raise ValidationError("กรุณาพิมพ์เวลาแบบ ชช:นน เช่น 14:30") from None
        if not (0 <= hours < 24 and 0 <= minutes < 60):
            raise ValidationError("เวลาไม่ถูกต้อง กรุณาพิมพ์แบบ ชช:นน เช่น 14:30")

    def validate_entry_ids(self, field) -> None:
        for part in (field.data or "").replace(" ", "").split(","):
            if part and not part.isdigit():
                raise ValidationError("กรุณาใส่เลขที่รายการเป็นตัวเลขคั่นด้วยจุลภาค เช่น 12, 15")


class StepForm(FlaskForm):
    step = HiddenField(validators=[DataRequired()])
    day = ThaiDateField("วันที่ของขั้นตอน", description="เว้นว่าง = วันนี้")
    note = TextAreaField("บันทึก/เหตุผล", validators=[Optional(), Length(max=3000)])
    new_due = ThaiDateField("วันครบกำหนดใหม่ (เมื่อขยายระยะเวลา)")
    outcome = SelectField("ผลการพิจารณา", choices=choices([("", "— เลือก —"), *OUTCOMES.items()]),
                          validate_choice=False)  # checked with a Thai message when closing
    grounds = MultiCheckboxField("เหตุตามกฎหมาย (เลือกได้หลายข้อ)",
                                 choices=choices([(k, v) for k, v in GROUNDS.items() if k != "12"]),
                                 validate_choice=False)
    agency = StringField("หน่วยงานที่แนะนำ/ส่งต่อ (มาตรา ๑๒)", validators=[Optional(), Length(max=300)])
    fee_charged = DecimalField("ค่าธรรมเนียมที่เรียกเก็บ (บาท)", places=2,
                               validators=[Optional(), NumberRange(min=0, message="ค่าธรรมเนียมต้องไม่ติดลบ")])
    fee_waived = DecimalField("ค่าธรรมเนียมที่ยกเว้น (บาท)", places=2,
                              validators=[Optional(), NumberRange(min=0, message="ค่าธรรมเนียมต้องไม่ติดลบ")])
    submit = SubmitField("บันทึกขั้นตอน")


class NoteForm(FlaskForm):
    text = TextAreaField("บันทึกของเจ้าหน้าที่", validators=[DataRequired("กรุณาพิมพ์บันทึก"), Length(max=5000)])
    submit = SubmitField("เพิ่มบันทึก")


class FileForm(FlaskForm):
    file = FileField("ไฟล์หนังสือตอบ/เอกสารที่ให้", validators=[FileRequired("กรุณาเลือกไฟล์")])
    submit = SubmitField("แนบไฟล์")


class AssignForm(FlaskForm):
    assigned_to_id = SelectField("มอบหมายให้", coerce=int)
    submit = SubmitField("มอบหมาย")


class StatusForm(FlaskForm):
    no = StringField("เลขที่คำขอ", validators=[DataRequired("กรุณากรอกเลขที่คำขอ เช่น NSW-2568-00042"),
                                              Length(max=40)])
    key = StringField("รหัสลับที่ได้รับตอนยื่นคำขอ", validators=[Optional(), Length(max=64)])
    contact = StringField("หรือ อีเมล/โทรศัพท์ที่ให้ไว้ตอนยื่นคำขอ", validators=[Optional(), Length(max=200)])
    submit = SubmitField("ตรวจสอบสถานะ")

    def validate_contact(self, field) -> None:
        if not (self.key.data or "").strip() and not (field.data or "").strip():
            raise ValidationError("กรุณากรอกรหัสลับ หรืออีเมล/โทรศัพท์ที่ให้ไว้ตอนยื่นคำขอ")


class HolidayForm(FlaskForm):
    day = ThaiDateField("วันที่", validators=[DataRequired("กรุณาระบุวันที่ เช่น 29/04/2568")])
    name = StringField("ชื่อวันหยุด", validators=[DataRequired("กรุณาระบุชื่อวันหยุด"), Length(max=200)])
    office_id = SelectField("ใช้กับ", coerce=int)
    submit = SubmitField("เพิ่มวันหยุด")
