"""Forms of the request pages: public intake and status, staff intake, steps, notes, files,
holidays."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import CreatingForm, NumberField, ThaiDateField, choices, optional_text, required_text
from ..i18n import lazy_label
from .models import CHANNELS, GROUNDS, OUTCOMES

EMAIL_MSG = _l("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.com")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _Requester:
    requester_name = required_text(_l("ชื่อ–นามสกุลผู้ขอ"), _l("กรุณากรอกชื่อผู้ขอ"), 200)
    requester_email = optional_text(
        _l("อีเมล"),
        200,
        validators=[Optional(), Email(EMAIL_MSG)],
        description=_l("ถ้าระบุ ระบบจะแจ้งความคืบหน้าทางอีเมลนี้"),
    )
    requester_phone = optional_text(_l("โทรศัพท์"), 64, validators=[Optional()])
    requester_address = optional_text(
        _l("ที่อยู่สำหรับส่งหนังสือตอบ"), 1000, textarea=True, validators=[Optional()]
    )
    subject = required_text(
        _l("ข้อมูลข่าวสารที่ต้องการ"),
        _l("กรุณาระบุข้อมูลข่าวสารที่ต้องการ"),
        5000,
        textarea=True,
        description=_l("ระบุให้ชัดพอที่เจ้าหน้าที่จะค้นหาได้ เช่น ชื่อโครงการ ปี หรือเลขที่หนังสือ"),
    )
    purpose = optional_text(_l("วัตถุประสงค์ (ไม่บังคับ)"), 2000, textarea=True, validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Checked here, not on a field: each contact field is optional on its own.
        if not any(
            (f.data or "").strip()
            for f in (self.requester_email, self.requester_phone, self.requester_address)
        ):
            self.requester_address.errors = [
                *self.requester_address.errors,
                _("กรุณาให้ช่องทางติดต่ออย่างน้อยหนึ่งทาง: อีเมล โทรศัพท์ หรือที่อยู่"),
            ]
            ok = False
        return ok


class PublicInquiryForm(_Requester, CreatingForm):
    office_id = SelectField(_l("ยื่นคำขอต่อสำนักงาน"), coerce=int)
    consent = BooleanField(
        _l("ข้าพเจ้าได้อ่านและรับทราบประกาศการคุ้มครองข้อมูลส่วนบุคคลข้างต้นแล้ว"),
        validators=[DataRequired(_l("กรุณาอ่านประกาศการคุ้มครองข้อมูลส่วนบุคคลแล้วทำเครื่องหมายรับทราบ"))],
    )
    # Spam guard: a field people never see (bots fill it), and the signed time the form was shown.
    website = StringField(_l("เว็บไซต์ (เว้นว่างไว้)"), validators=[Optional()])
    started = HiddenField()
    submit = SubmitField(_l("ส่งคำขอ"))


class StaffInquiryForm(_Requester, CreatingForm):
    office_id = SelectField(_l("สำนักงาน"), coerce=int)
    channel = SelectField(_l("ช่องทาง"), choices=choices(CHANNELS), default="counter")
    received_date = ThaiDateField(
        _l("วันที่รับคำขอ"), description=_l("เว้นว่าง = วันนี้; พิมพ์ เช่น 29/04/2568")
    )
    received_time = optional_text(
        _l("เวลาที่รับ (ชช:นน)"),
        5,
        validators=[Optional()],
        description=_l("เว้นว่าง = เวลานี้ หลังเวลาปิดรับคำขอจะเริ่มนับจากวันทำการถัดไป"),
    )
    entry_ids = optional_text(
        _l("เลขที่รายการดัชนีที่เกี่ยวข้อง (ไม่บังคับ)"),
        500,
        validators=[Optional()],
        description=_l("ตัวเลขคั่นด้วยจุลภาค เช่น 12, 15"),
    )
    assigned_to_id = SelectField(_l("เจ้าหน้าที่ผู้รับผิดชอบ"), coerce=int)
    visit_id = HiddenField()
    submit = SubmitField(_l("บันทึกคำขอ"))

    def validate_received_time(self, field) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        parts = text.replace(".", ":").split(":")
        try:
            hours, minutes = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            raise ValidationError(_("กรุณาพิมพ์เวลาแบบ ชช:นน เช่น 14:30")) from None
        if not (0 <= hours < 24 and 0 <= minutes < 60):
            raise ValidationError(_("เวลาไม่ถูกต้อง กรุณาพิมพ์แบบ ชช:นน เช่น 14:30"))

    def validate_entry_ids(self, field) -> None:
        for part in (field.data or "").replace(" ", "").split(","):
            if part and not part.isdigit():
                raise ValidationError(_("กรุณาใส่เลขที่รายการเป็นตัวเลขคั่นด้วยจุลภาค เช่น 12, 15"))


class StepForm(CreatingForm):
    step = HiddenField(validators=[DataRequired()])
    day = ThaiDateField(_l("วันที่ของขั้นตอน"), description=_l("เว้นว่าง = วันนี้"))
    note = optional_text(_l("บันทึก/เหตุผล"), 3000, textarea=True, validators=[Optional()])
    new_due = ThaiDateField(_l("วันครบกำหนดใหม่ (เมื่อขยายระยะเวลา)"))
    outcome = SelectField(
        _l("ผลการพิจารณา"),
        choices=choices([("", _l("— เลือก —")), *OUTCOMES.items()]),
        validate_choice=False,
    )  # checked with a Thai message when closing
    grounds = MultiCheckboxField(
        _l("เหตุตามกฎหมาย (เลือกได้หลายข้อ)"),
        choices=choices([(k, lazy_label(v)) for k, v in GROUNDS.items() if k != "12"]),
        validate_choice=False,
    )
    agency = optional_text(_l("หน่วยงานที่แนะนำ/ส่งต่อ (มาตรา ๑๒)"), 300, validators=[Optional()])
    fee_charged = NumberField(
        _l("ค่าธรรมเนียมที่เรียกเก็บ (บาท)"), places=2, minimum=0, maximum=1_000_000, example="25.50"
    )
    fee_waived = NumberField(
        _l("ค่าธรรมเนียมที่ยกเว้น (บาท)"), places=2, minimum=0, maximum=1_000_000, example="25.50"
    )
    submit = SubmitField(_l("บันทึกขั้นตอน"))


class NoteForm(CreatingForm):
    text = required_text(_l("บันทึกของเจ้าหน้าที่"), _l("กรุณาพิมพ์บันทึก"), 5000, textarea=True)
    submit = SubmitField(_l("เพิ่มบันทึก"))


class FileForm(CreatingForm):
    file = FileField(_l("ไฟล์หนังสือตอบ/เอกสารที่ให้"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))])
    submit = SubmitField(_l("แนบไฟล์"))


class AssignForm(FlaskForm):
    assigned_to_id = SelectField(_l("มอบหมายให้"), coerce=int)
    submit = SubmitField(_l("มอบหมาย"))


class StatusForm(FlaskForm):
    no = required_text(_l("เลขที่คำขอ"), _l("กรุณากรอกเลขที่คำขอ เช่น NSW-2568-00042"), 40)
    key = optional_text(_l("รหัสลับที่ได้รับตอนยื่นคำขอ"), 64, validators=[Optional()])
    contact = optional_text(_l("หรือ อีเมล/โทรศัพท์ที่ให้ไว้ตอนยื่นคำขอ"), 200, validators=[Optional()])
    submit = SubmitField(_l("ตรวจสอบสถานะ"))

    def validate_contact(self, field) -> None:
        if not (self.key.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_("กรุณากรอกรหัสลับ หรืออีเมล/โทรศัพท์ที่ให้ไว้ตอนยื่นคำขอ"))


class HolidayForm(CreatingForm):
    day = ThaiDateField(_l("วันที่"), validators=[DataRequired(_l("กรุณาระบุวันที่ เช่น 29/04/2568"))])
    name = required_text(_l("ชื่อวันหยุด"), _l("กรุณาระบุชื่อวันหยุด"), 200)
    office_id = SelectField(_l("ใช้กับ"), coerce=int)
    submit = SubmitField(_l("เพิ่มวันหยุด"))
