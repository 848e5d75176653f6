"""Forms of the administrator's pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SubmitField
from wtforms.validators import Length, Optional

from ..auth.roles import ROLE_LABELS
from ..forms import (
    CreatingForm,
    choices,
    optional_email,
    optional_text,
    required_code,
    required_text,
)
from .models import OFFICE_KINDS


class OfficeForm(CreatingForm):
    code = required_code(
        _l("รหัสสำนักงาน"),
        _l("กรุณากรอกรหัสสำนักงาน"),
        r"^[A-Za-z0-9_-]{2,16}$",
        _l("รหัสใช้ตัวอักษรอังกฤษหรือตัวเลข 2–16 ตัว เช่น NSW หรือ NSW-01"),
    )
    name = required_text(_l("ชื่อสำนักงาน"), _l("กรุณากรอกชื่อสำนักงาน"), 200)
    kind = SelectField(
        _l("ประเภท"), choices=choices({kind: _l(label) for kind, label in OFFICE_KINDS.items()})
    )
    parent_id = SelectField(_l("สังกัด"), coerce=int, validators=[Optional()])
    address = optional_text(_l("ที่อยู่"), 1000, textarea=True)
    phone = optional_text(_l("โทรศัพท์"), 64)
    email = optional_email(_l("อีเมล"))
    head_name = optional_text(
        _l("ชื่อหัวหน้าส่วนราชการ (ผู้ลงนามในหนังสือ)"),
        200,
        description=_l("เช่น นายสมชาย ใจดี ว่างไว้ได้ หนังสือจะเว้นที่ให้เขียนชื่อ"),
    )
    head_position = optional_text(
        _l("ตำแหน่งผู้ลงนาม"),
        200,
        description=_l("เช่น พัฒนาการจังหวัดนครสวรรค์ ว่างไว้ หนังสือจะใช้ “หัวหน้าส่วนราชการ” ตามด้วยชื่อสำนักงาน"),
    )
    book_prefix = optional_text(
        _l("เลขที่หนังสือของสำนักงาน (ส่วนหน้า)"),
        32,
        description=_l("เช่น นว ๐๐๑๘ บันทึกและหนังสือจะพิมพ์ “ที่ นว ๐๐๑๘/…” ตามด้วยเลขทะเบียนหนังสือส่ง"),
    )
    submit = SubmitField(_l("บันทึก"))


class UserForm(CreatingForm):
    username = required_code(
        _l("ชื่อผู้ใช้"),
        _l("กรุณากรอกชื่อผู้ใช้"),
        r"^[A-Za-z0-9_.-]{3,80}$",
        _l("ชื่อผู้ใช้ใช้ตัวอักษรอังกฤษ ตัวเลข . _ - ยาว 3–80 ตัว"),
        render_kw={"autocomplete": "off"},
    )
    full_name = optional_text(_l("ชื่อ–นามสกุล"), 200)
    position = optional_text(_l("ตำแหน่ง"), 200)
    email = optional_email(_l("อีเมล"))
    role = SelectField(_l("บทบาท"), choices=choices(ROLE_LABELS))
    office_id = SelectField(_l("สำนักงาน"), coerce=int)
    password = PasswordField(
        _l("รหัสผ่าน"),
        validators=[Optional(), Length(min=10, message=_l("รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"))],
        render_kw={"autocomplete": "new-password"},
        description=_l("เว้นว่างไว้หากไม่ต้องการเปลี่ยน (ผู้ใช้ใหม่ต้องกำหนด)"),
    )
    active = BooleanField(_l("ใช้งานได้"), default=True)
    submit = SubmitField(_l("บันทึก"))
