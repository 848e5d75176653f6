"""The counter form: about five inputs for the common visit, the rest optional."""

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
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import choices
from .models import CHANNELS, OUTCOMES

SATISFACTION = {"": "ไม่ได้ประเมิน", "5": "5 มากที่สุด", "4": "4 มาก", "3": "3 ปานกลาง", "2": "2 น้อย",
                "1": "1 น้อยที่สุด"}


class VisitForm(FlaskForm):
    """One visit; lists (types, purposes, paper sizes) are filled from the database by the view."""

    visitor_type_id = SelectField("ประเภทผู้ใช้บริการ", coerce=int,
                                  validators=[DataRequired("กรุณาเลือกประเภทผู้ใช้บริการ")])
    purpose_id = SelectField("วัตถุประสงค์", coerce=int, validators=[DataRequired("กรุณาเลือกวัตถุประสงค์")])
    channel = SelectField("ช่องทาง", choices=choices(CHANNELS), default="walk_in")
    entries = StringField(
        "รายการในดัชนีที่ขอดู", validators=[Length(max=1000)],
        description="พิมพ์เลขที่หนังสือหรือเลขรายการ (#123) คั่นด้วยเครื่องหมาย , หรือ ;",
        render_kw={"autocomplete": "off"},
    )
    outcome = SelectField("ผลการให้บริการ", choices=choices(OUTCOMES), default="full")
    pages_copied = IntegerField("จำนวนหน้าสำเนา", default=0, validators=[
        Optional(), NumberRange(min=0, max=100000, message="จำนวนหน้าต้องเป็นตัวเลข 0 ขึ้นไป")],
        render_kw={"inputmode": "numeric", "min": 0})
    pages_certified = IntegerField("ในจำนวนนี้รับรองสำเนา (หน้า)", default=0, validators=[
        Optional(), NumberRange(min=0, max=100000, message="จำนวนหน้าต้องเป็นตัวเลข 0 ขึ้นไป")],
        render_kw={"inputmode": "numeric", "min": 0})
    fee_rate_id = SelectField("ขนาดกระดาษ", coerce=int, validators=[Optional()])
    fee_waived = BooleanField("ยกเว้นค่าธรรมเนียม")
    waiver_reason = StringField("เหตุผลที่ยกเว้น", validators=[Length(max=500)])
    visitor_name = StringField("ชื่อผู้ใช้บริการ (ไม่บังคับ)", validators=[Length(max=200)],
                               render_kw={"autocomplete": "off"})
    visitor_contact = StringField("โทรศัพท์หรืออีเมล (ไม่บังคับ)", validators=[Length(max=200)],
                                  render_kw={"autocomplete": "off"})
    satisfaction = RadioField("ความพึงพอใจ", choices=choices(SATISFACTION), default="", validators=[Optional()])
    visited_at = StringField(
        "วันเวลาที่มาติดต่อ", validators=[Length(max=40)],
        description="เว้นว่าง = ขณะนี้; บันทึกย้อนหลังจากทะเบียนกระดาษ พิมพ์ เช่น 14:30 หรือ 29/04/2563 14:30",
        render_kw={"autocomplete": "off"},
    )
    note = TextAreaField("หมายเหตุ", validators=[Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField("บันทึก", render_kw={"accesskey": "s"})


class VoidForm(FlaskForm):
    """Voiding a visit: it stays in the register, out of the statistics, with the reason."""

    reason = StringField("เหตุผลที่ยกเลิก", validators=[
        DataRequired("กรุณาระบุเหตุผลที่ยกเลิก เช่น บันทึกซ้ำ"), Length(min=3, max=500, message="เหตุผลต้องยาว 3–500 ตัวอักษร")])
    submit = SubmitField("ยกเลิกรายการนี้")


class ImportForm(FlaskForm):
    """Upload of a past paper or spreadsheet register (CSV or XLSX)."""

    file = FileField("ไฟล์ทะเบียน (CSV หรือ XLSX)")
    submit = SubmitField("นำเข้า")


class LookupForm(FlaskForm):
    """Adding or renaming a visitor type or purpose."""

    name = StringField("ชื่อ", validators=[DataRequired("กรุณากรอกชื่อ"), Length(max=120)])
    code = StringField("รหัส (อังกฤษ)", validators=[Optional(), Length(max=32)])
    sort_order = IntegerField("ลำดับ", default=100, validators=[Optional()])
    active = BooleanField("ใช้งาน", default=True)
    submit = SubmitField("บันทึก")


class FeeRateForm(FlaskForm):
    """One line of the fee table."""

    name = StringField("รายการ", validators=[DataRequired("กรุณากรอกชื่อรายการ"), Length(max=120)])
    code = StringField("รหัส", validators=[Optional(), Length(max=32)])
    kind = SelectField("ชนิด", choices=choices({"page": "ค่าสำเนาต่อหน้า (ขนาดกระดาษ)", "certify": "ค่ารับรองต่อหน้า"}))
    baht = StringField("อัตรา (บาท)", validators=[DataRequired("กรุณากรอกอัตรา เช่น 1.50")])
    sort_order = IntegerField("ลำดับ", default=100, validators=[Optional()])
    active = BooleanField("ใช้งาน", default=True)
    submit = SubmitField("บันทึก")
