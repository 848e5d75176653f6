"""Forms of the reports page: which quarterly report to make, and a supervisor's acknowledgement."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from ..forms import choices

QUARTERS = {"1": "ไตรมาส ๑ (ต.ค.–ธ.ค.)", "2": "ไตรมาส ๒ (ม.ค.–มี.ค.)", "3": "ไตรมาส ๓ (เม.ย.–มิ.ย.)",
            "4": "ไตรมาส ๔ (ก.ค.–ก.ย.)"}
ALL_OFFICES = "all"


class QuarterlyForm(FlaskForm):
    """The quarter and the office (or every office) of a quarterly report."""

    fiscal_year = IntegerField("ปีงบประมาณ (พ.ศ.)", validators=[
        DataRequired("กรุณาระบุปีงบประมาณ เช่น 2563"),
        NumberRange(min=2500, max=2700, message="กรุณาระบุปีงบประมาณเป็นปี พ.ศ. เช่น 2563")],
        render_kw={"inputmode": "numeric"})
    quarter = SelectField("ไตรมาส", choices=choices(QUARTERS))
    office = SelectField("หน่วยงาน", validators=[DataRequired("กรุณาเลือกหน่วยงาน")])
    thai_digits = BooleanField("ใช้เลขไทย", default=True)
    submit = SubmitField("จัดทำรายงาน")


class AcknowledgeForm(FlaskForm):
    """A supervisor's acknowledgement of one report."""

    note = TextAreaField("บันทึกของผู้บังคับบัญชา (ถ้ามี)", validators=[Length(max=2000)])
    submit = SubmitField("รับทราบรายงาน")


class IndexPrintForm(FlaskForm):
    """Which office's printed index to make."""

    office = SelectField("หน่วยงาน", validators=[DataRequired("กรุณาเลือกหน่วยงาน")])
    submit = SubmitField("พิมพ์ดัชนีข้อมูลข่าวสาร (PDF)")
