"""Forms: import a plan, link evidence, keep the indicator map."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import URL, Length, Optional

from ..forms import CreatingForm, choices, optional_text
from ..thai import year_from_input


class FiscalYearField(StringField):
    """A BE fiscal year, four digits Thai or Arabic ("๒๕๖๓", "2563"); ``.year`` holds the
    value."""

    year = None

    def pre_validate(self, form) -> None:
        self.year = None
        if not (self.data or "").strip():
            return
        self.year = year_from_input(self.data, short=False, common_era=False)
        if self.year is None:
            raise ValidationError(_l("ใส่ปีงบประมาณเป็นปี พ.ศ. สี่หลัก เช่น 2563 หรือ ๒๕๖๓"))


class PlanImportForm(FlaskForm):
    file = FileField(
        _l("ไฟล์แผนปฏิบัติการ (.txt แบบคั่นด้วยแท็บ, .csv หรือ .xlsx)"),
        validators=[FileRequired(_l("กรุณาเลือกไฟล์"))],
    )
    year = FiscalYearField(
        _l("ปีงบประมาณ (พ.ศ.)"), description=_l('เว้นว่างได้ถ้าในไฟล์มีบรรทัด "ประจำปีงบประมาณ พ.ศ. ..."')
    )
    submit = SubmitField(_l("นำเข้า"))


class LinkForm(CreatingForm):
    kind = SelectField(
        _l("ชนิดหลักฐาน"),
        choices=choices(
            [("entry", _l("รายการในดัชนีข้อมูลข่าวสาร")), ("url", _l("ลิงก์")), ("file", _l("ไฟล์ที่อัปโหลด"))]
        ),
    )
    office_id = SelectField(_l("สำนักงาน"), coerce=int)
    entry = optional_text(
        _l("เลขรายการหรือเลขที่หนังสือในดัชนี"), 120, description=_l("เช่น 125 หรือ นว 0018/123")
    )
    url = optional_text(
        _l("ลิงก์"), 500, validators=[Optional(), URL(message=_l("กรุณาใส่ลิงก์เต็ม ขึ้นต้นด้วย https://"))]
    )
    file = FileField(_l("ไฟล์หลักฐาน (ภาพถ่ายกิจกรรม ประกาศที่ลงนามแล้ว ฯลฯ)"))
    note = optional_text(_l("คำอธิบาย"), 500)
    public = BooleanField(_l("แสดงลิงก์หรือไฟล์นี้ในหน้าความโปร่งใสสำหรับประชาชน"))
    submit = SubmitField(_l("เชื่อมหลักฐาน"))


class IndicatorForm(CreatingForm):
    fiscal_year = FiscalYearField(_l("ปีงบประมาณ (พ.ศ.)"))
    code = StringField(
        _l("รหัสข้อ"), validators=[Length(min=1, max=16)], description=_l("เช่น o5 หรือ O12")
    )
    title = StringField(_l("ชื่อข้อ"), validators=[Length(min=1, max=1000)])
    activities = optional_text(
        _l("กิจกรรมในแผนที่เป็นหลักฐาน"),
        2000,
        description=_l("มิติ:เลขกิจกรรม คั่นด้วย ; เช่น 2:4.1.1; 2:5.1.3"),
    )
    links = optional_text(_l("ลิงก์เพิ่มเติม"), 5000, textarea=True, description=_l("หนึ่งลิงก์ต่อบรรทัด"))
    submit = SubmitField(_l("บันทึก"))


class IndicatorImportForm(CreatingForm):
    file = FileField(_l("ไฟล์ .csv"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))])
    submit = SubmitField(_l("นำเข้า"))
