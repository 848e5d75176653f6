"""Forms of the index pages: entries, files, withdrawal, import, categories."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..forms import NumberField, ThaiDateField, choices
from ..idempotency import FormTokenField
from .models import DISCLOSURE_LABELS, STATE_LABELS, WITHHOLDING_GROUNDS


def _translated(labels: dict[str, str]) -> list[tuple[str, object]]:
    """(code, label) pairs whose labels follow the language of the page."""
    return [(code, _l(label)) for code, label in labels.items()]


class EntryForm(FlaskForm):
    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new
    office_id = SelectField(_l("สำนักงาน"), coerce=int)
    category_id = SelectField(_l("หมวดตามมาตรา ๙"), coerce=int)
    ref = StringField(_l("เลขที่หนังสือ"), validators=[Length(max=120, message=_l("ไม่เกิน 120 ตัวอักษร"))])
    title = StringField(
        _l("ชื่อเรื่อง"), validators=[DataRequired(_l("กรุณากรอกชื่อเรื่อง")), Length(max=1000)]
    )
    summary = TextAreaField(_l("สาระสำคัญโดยย่อ"), validators=[Length(max=5000)])
    keywords = StringField(_l("คำสำคัญ (คั่นด้วย ;)"), validators=[Length(max=1000)])
    doc_date = ThaiDateField(_l("วันที่ของเอกสาร"), description=_l("เช่น 29/04/2563 หรือ 29 เม.ย. 2563"))
    location = StringField(
        _l("ที่เก็บเอกสาร (แฟ้ม ชั้น)"), validators=[Length(max=200, message=_l("ไม่เกิน 200 ตัวอักษร"))]
    )
    disclosure = SelectField(_l("การเปิดเผย"), choices=choices(_translated(DISCLOSURE_LABELS)))
    withheld_ground = SelectField(
        _l("เหตุที่ปกปิด (กรณีปกปิดบางส่วนหรือไม่เปิดเผย)"),
        choices=choices([("", _l("— ไม่มี —"))] + _translated(WITHHOLDING_GROUNDS)),
    )
    review_by = ThaiDateField(
        _l("ทบทวนภายในวันที่"), description=_l("เว้นว่างได้: ระบบตั้งเป็นหนึ่งปีหลังแก้ไขล่าสุด (ตามหมวด)")
    )
    state = SelectField(
        _l("สถานะ"),
        choices=choices(_translated({k: STATE_LABELS[k] for k in ("draft", "published")})),
    )
    submit = SubmitField(_l("บันทึก"))

    def validate_withheld_ground(self, field) -> None:
        if self.disclosure.data in ("partial", "closed") and not field.data:
            raise ValidationError(_l("กรุณาเลือกเหตุที่ปกปิดตามมาตรา ๑๔ หรือ ๑๕"))


class FileForm(FlaskForm):
    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new
    file = FileField(_l("ไฟล์เอกสาร"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))])
    submit = SubmitField(_l("อัปโหลด"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("เหตุผลที่ถอนออก"),
        validators=[DataRequired(_l("กรุณาระบุเหตุผลที่ถอนรายการออก")), Length(max=1000)],
    )
    submit = SubmitField(_l("ถอนรายการออก"))


class ImportForm(FlaskForm):
    file = FileField(_l("ไฟล์ .csv, .xlsx หรือ .xls"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))])
    office_id = SelectField(_l("สำนักงาน (เมื่อไฟล์ไม่มีคอลัมน์ office)"), coerce=int)
    submit = SubmitField(_l("ตรวจสอบและแสดงตัวอย่าง"))


class ConfirmForm(FlaskForm):
    """A button-only form (restore an entry, delete a file or a group): CSRF and nothing else."""

    submit = SubmitField(_l("ยืนยัน"))


class ImportConfirmForm(ConfirmForm):
    """The import's confirm button: it creates entries, so it is sent once like every creating form
    (restoring and deleting are the same however often they are sent, and keep ConfirmForm)."""

    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new


class CategoryForm(FlaskForm):
    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new
    code = StringField(
        _l("รหัส"), validators=[DataRequired(_l("กรุณากรอกรหัส เช่น 9(8).4")), Length(max=16)]
    )
    name_th = TextAreaField(
        _l("ชื่อภาษาไทย"), validators=[DataRequired(_l("กรุณากรอกชื่อภาษาไทย")), Length(max=1000)]
    )
    name_en = TextAreaField(_l("ชื่อภาษาอังกฤษ"), validators=[Length(max=1000)])
    review_months = NumberField(
        _l("ทบทวนทุก (เดือน)"),
        minimum=1,
        maximum=120,
        message=_l("ระบุ 1 ถึง 120 เดือน"),
        validators=[InputRequired(_l("กรุณากรอกจำนวนเดือน"))],
    )
    sort_order = NumberField(_l("ลำดับ"), minimum=0, maximum=10000, message=_l("ระบุ 0 ถึง 10000"))
    active = BooleanField(_l("ใช้งาน"), default=True)
    submit = SubmitField(_l("บันทึก"))


class SynonymForm(FlaskForm):
    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new
    terms = StringField(
        _l("คำที่มีความหมายเดียวกัน (คั่นด้วย ;)"),
        description=_l("เช่น อบต.;องค์การบริหารส่วนตำบล ค้นคำใดก็พบรายการที่ใช้คำอื่นในกลุ่มด้วย"),
        validators=[
            DataRequired(_l("กรุณาระบุคำ")),
            Length(max=1000, message=_l("ไม่เกิน 1000 ตัวอักษร")),
        ],
    )
    note = StringField(_l("หมายเหตุ"), validators=[Length(max=200, message=_l("ไม่เกิน 200 ตัวอักษร"))])
    submit = SubmitField(_l("บันทึก"))


class SynonymImportForm(FlaskForm):
    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new
    file = FileField(
        _l("ไฟล์ .csv หรือ .xlsx (คอลัมน์ terms, note)"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))]
    )
    submit = SubmitField(_l("นำเข้าแทนรายการเดิมทั้งหมด"))
