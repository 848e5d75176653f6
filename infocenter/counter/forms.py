"""The counter form: about five inputs for the common visit, the rest optional."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..forms import CreatingForm, NumberField, choices, optional_text, required_text
from .models import CHANNELS, OUTCOMES

SATISFACTION = {
    "": _l("ไม่ได้ประเมิน"),
    "5": _l("5 มากที่สุด"),
    "4": _l("4 มาก"),
    "3": _l("3 ปานกลาง"),
    "2": _l("2 น้อย"),
    "1": _l("1 น้อยที่สุด"),
}


def _translated(labels: dict[str, str]) -> dict:
    """Thai labels defined in the models (marked with N_), translated when the form is shown."""
    return {key: _l(label) for key, label in labels.items()}


class VisitForm(CreatingForm):
    """One visit; lists (types, purposes, paper sizes) are filled from the database by the view."""

    visitor_type_id = SelectField(
        _l("ประเภทผู้ใช้บริการ"), coerce=int, validators=[DataRequired(_l("กรุณาเลือกประเภทผู้ใช้บริการ"))]
    )
    purpose_id = SelectField(
        _l("วัตถุประสงค์"), coerce=int, validators=[DataRequired(_l("กรุณาเลือกวัตถุประสงค์"))]
    )
    channel = SelectField(_l("ช่องทาง"), choices=choices(_translated(CHANNELS)), default="walk_in")
    entries = optional_text(
        _l("รายการในดัชนีที่ขอดู"),
        1000,
        description=_l("พิมพ์เลขที่หนังสือหรือเลขรายการ (#123) คั่นด้วยเครื่องหมาย , หรือ ;"),
        render_kw={"autocomplete": "off"},
    )
    outcome = SelectField(
        _l("ผลการให้บริการ"), choices=choices(_translated(OUTCOMES)), default="full"
    )
    pages_copied = NumberField(_l("จำนวนหน้าสำเนา"), default=0, minimum=0, maximum=100000)
    pages_certified = NumberField(
        _l("ในจำนวนนี้รับรองสำเนา (หน้า)"), default=0, minimum=0, maximum=100000
    )
    fee_rate_id = SelectField(_l("ขนาดกระดาษ"), coerce=int, validators=[Optional()])
    fee_waived = BooleanField(_l("ยกเว้นค่าธรรมเนียม"))
    waiver_reason = optional_text(_l("เหตุผลที่ยกเว้น"), 500)
    visitor_name = optional_text(_l("ชื่อผู้ใช้บริการ (ไม่บังคับ)"), 200, render_kw={"autocomplete": "off"})
    visitor_contact = optional_text(
        _l("โทรศัพท์หรืออีเมล (ไม่บังคับ)"), 200, render_kw={"autocomplete": "off"}
    )
    satisfaction = RadioField(
        _l("ความพึงพอใจ"), choices=choices(SATISFACTION), default="", validators=[Optional()]
    )
    visited_at = optional_text(
        _l("วันเวลาที่มาติดต่อ"),
        40,
        description=_l(
            "เว้นว่าง = ขณะนี้; บันทึกย้อนหลังจากทะเบียนกระดาษ พิมพ์ เช่น 14:30 หรือ 29/04/2563 14:30"
        ),
        render_kw={"autocomplete": "off"},
    )
    note = optional_text(_l("หมายเหตุ"), 2000, textarea=True, render_kw={"rows": 2})
    submit = SubmitField(_l("บันทึก"), render_kw={"accesskey": "s"})


class VoidForm(FlaskForm):
    """Voiding a visit: it stays in the register, out of the statistics, with the reason."""

    reason = required_text(
        _l("เหตุผลที่ยกเลิก"),
        _l("กรุณาระบุเหตุผลที่ยกเลิก เช่น บันทึกซ้ำ"),
        500,
        min_length=3,
        message=_l("เหตุผลต้องยาว 3–500 ตัวอักษร"),
    )
    submit = SubmitField(_l("ยกเลิกรายการนี้"))


class ImportForm(CreatingForm):
    """Upload of a past paper or spreadsheet register (CSV or XLSX)."""

    file = FileField(_l("ไฟล์ทะเบียน (CSV หรือ XLSX)"))
    submit = SubmitField(_l("นำเข้า"))


class LookupForm(CreatingForm):
    """Adding or renaming a visitor type or purpose."""

    name = required_text(_l("ชื่อ"), _l("กรุณากรอกชื่อ"), 120)
    code = optional_text(_l("รหัส (อังกฤษ)"), 32, validators=[Optional()])
    sort_order = NumberField(_l("ลำดับ"), default=100, minimum=0, maximum=10000)
    active = BooleanField(_l("ใช้งาน"), default=True)
    submit = SubmitField(_l("บันทึก"))


class FeeRateForm(CreatingForm):
    """One line of the fee table."""

    name = required_text(_l("รายการ"), _l("กรุณากรอกชื่อรายการ"), 120)
    code = optional_text(_l("รหัส"), 32, validators=[Optional()])
    kind = SelectField(
        _l("ชนิด"),
        choices=choices({"page": _l("ค่าสำเนาต่อหน้า (ขนาดกระดาษ)"), "certify": _l("ค่ารับรองต่อหน้า")}),
    )
    baht = NumberField(
        _l("อัตรา (บาท)"),
        places=2,
        minimum=0,
        maximum=100000,
        example="1.50",
        validators=[InputRequired(_l("กรุณากรอกอัตรา เช่น 1.50"))],
    )
    sort_order = NumberField(_l("ลำดับ"), default=100, minimum=0, maximum=10000)
    active = BooleanField(_l("ใช้งาน"), default=True)
    submit = SubmitField(_l("บันทึก"))
