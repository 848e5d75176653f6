"""Forms of the index pages: entries, files, withdrawal, import, categories."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from ..forms import CreatingForm, NumberField, ThaiDateField, choices, optional_text, required_text
from .models import DISCLOSURE_LABELS, STATE_LABELS, WITHHOLDING_GROUNDS


def _translated(labels: dict[str, str]) -> list[tuple[str, object]]:
    """(code, label) pairs whose labels follow the language of the page."""
    return [(code, _l(label)) for code, label in labels.items()]


class EntryForm(CreatingForm):
    office_id = SelectField(_l("สำนักงาน"), coerce=int)
    category_id = SelectField(_l("หมวดตามมาตรา ๙"), coerce=int)
    ref = optional_text(_l("เลขที่หนังสือ"), 120, message=_l("ไม่เกิน 120 ตัวอักษร"))
    title = required_text(_l("ชื่อเรื่อง"), _l("กรุณากรอกชื่อเรื่อง"), 1000)
    summary = optional_text(_l("สาระสำคัญโดยย่อ"), 5000, textarea=True)
    keywords = optional_text(_l("คำสำคัญ (คั่นด้วย ;)"), 1000)
    doc_date = ThaiDateField(_l("วันที่ของเอกสาร"), description=_l("เช่น 29/04/2563 หรือ 29 เม.ย. 2563"))
    location = optional_text(_l("ที่เก็บเอกสาร (แฟ้ม ชั้น)"), 200, message=_l("ไม่เกิน 200 ตัวอักษร"))
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


class FileForm(CreatingForm):
    file = FileField(_l("ไฟล์เอกสาร"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))])
    submit = SubmitField(_l("อัปโหลด"))


class WithdrawForm(FlaskForm):
    reason = required_text(_l("เหตุผลที่ถอนออก"), _l("กรุณาระบุเหตุผลที่ถอนรายการออก"), 1000, textarea=True)
    submit = SubmitField(_l("ถอนรายการออก"))


class ImportForm(FlaskForm):
    file = FileField(_l("ไฟล์ .csv, .xlsx หรือ .xls"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))])
    office_id = SelectField(_l("สำนักงาน (เมื่อไฟล์ไม่มีคอลัมน์ office)"), coerce=int)
    submit = SubmitField(_l("ตรวจสอบและแสดงตัวอย่าง"))


class ConfirmForm(FlaskForm):
    """A button-only form (restore an entry, delete a file or a group): CSRF and nothing else."""

    submit = SubmitField(_l("ยืนยัน"))


class ImportConfirmForm(ConfirmForm, CreatingForm):
    """The import's confirm button: it creates entries, so it is sent once like every creating form
    (restoring and deleting are the same however often they are sent, and keep ConfirmForm)."""


class CategoryForm(CreatingForm):
    code = required_text(_l("รหัส"), _l("กรุณากรอกรหัส เช่น 9(8).4"), 16)
    name_th = required_text(_l("ชื่อภาษาไทย"), _l("กรุณากรอกชื่อภาษาไทย"), 1000, textarea=True)
    name_en = optional_text(_l("ชื่อภาษาอังกฤษ"), 1000, textarea=True)
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


class SynonymForm(CreatingForm):
    terms = required_text(
        _l("คำที่มีความหมายเดียวกัน (คั่นด้วย ;)"),
        _l("กรุณาระบุคำ"),
        1000,
        message=_l("ไม่เกิน 1000 ตัวอักษร"),
        description=_l("เช่น อบต.;องค์การบริหารส่วนตำบล ค้นคำใดก็พบรายการที่ใช้คำอื่นในกลุ่มด้วย"),
    )
    note = optional_text(_l("หมายเหตุ"), 200, message=_l("ไม่เกิน 200 ตัวอักษร"))
    submit = SubmitField(_l("บันทึก"))


class SynonymImportForm(CreatingForm):
    file = FileField(
        _l("ไฟล์ .csv หรือ .xlsx (คอลัมน์ terms, note)"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))]
    )
    submit = SubmitField(_l("นำเข้าแทนรายการเดิมทั้งหมด"))
