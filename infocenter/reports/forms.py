"""Forms of the reports page: which quarterly report to make, and a supervisor's acknowledgement."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired

from ..forms import CreatingForm, NumberField, choices, optional_text

QUARTERS = {
    "1": _l("ไตรมาส ๑ (ต.ค.–ธ.ค.)"),
    "2": _l("ไตรมาส ๒ (ม.ค.–มี.ค.)"),
    "3": _l("ไตรมาส ๓ (เม.ย.–มิ.ย.)"),
    "4": _l("ไตรมาส ๔ (ก.ค.–ก.ย.)"),
}
ALL_OFFICES = "all"


class QuarterlyForm(CreatingForm):
    """The quarter and the office (or every office) of a quarterly report."""

    fiscal_year = NumberField(
        _l("ปีงบประมาณ (พ.ศ.)"),
        minimum=2500,
        maximum=2700,
        example="2563",
        message=_l("กรุณาระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2563"),
        invalid_message=_l("กรุณาระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2563"),
        validators=[InputRequired(_l("กรุณาระบุปีงบประมาณ เช่น 2563"))],
    )
    quarter = SelectField(_l("ไตรมาส"), choices=choices(QUARTERS))
    office = SelectField(_l("หน่วยงาน"), validators=[DataRequired(_l("กรุณาเลือกหน่วยงาน"))])
    book_number = optional_text(
        _l("เลขที่หนังสือ (ต่อจากส่วนหน้าของสำนักงาน)"),
        32,
        message=_l("เลขที่หนังสือยาวเกินไป กรุณากรอกไม่เกิน 32 ตัวอักษร เช่น ๑๒๓"),
        description=_l("เช่น ๑๒๓ ตามทะเบียนหนังสือส่ง ว่างไว้ได้ บันทึกจะเว้นที่ให้เขียนด้วยมือ"),
    )
    annexes = BooleanField(_l("แนบรายละเอียดของทุกหน่วยงาน (เฉพาะรายงานทุกหน่วยงาน)"), default=False)
    thai_digits = BooleanField(_l("ใช้เลขไทย"), default=True)
    submit = SubmitField(_l("จัดทำรายงาน"))


class AcknowledgeForm(FlaskForm):
    """A supervisor's acknowledgement of one report."""

    note = optional_text(_l("บันทึกของผู้บังคับบัญชา (ถ้ามี)"), 2000, textarea=True)
    submit = SubmitField(_l("รับทราบรายงาน"))


class IndexPrintForm(FlaskForm):
    """Which office's printed index to make."""

    office = SelectField(_l("หน่วยงาน"), validators=[DataRequired(_l("กรุณาเลือกหน่วยงาน"))])
    submit = SubmitField(_l("พิมพ์ดัชนีข้อมูลข่าวสาร (PDF)"))
