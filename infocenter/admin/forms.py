"""Forms of the administrator's pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ..auth.roles import ROLE_LABELS
from ..forms import choices
from ..idempotency import FormTokenField
from .models import OFFICE_KINDS


class OfficeForm(FlaskForm):
    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new
    code = StringField(
        _l("รหัสสำนักงาน"),
        validators=[
            DataRequired(_l("กรุณากรอกรหัสสำนักงาน")),
            Regexp(
                r"^[A-Za-z0-9_-]{2,16}$",
                message=_l("รหัสใช้ตัวอักษรอังกฤษหรือตัวเลข 2–16 ตัว เช่น NSW หรือ NSW-01"),
            ),
        ],
    )
    name = StringField(
        _l("ชื่อสำนักงาน"), validators=[DataRequired(_l("กรุณากรอกชื่อสำนักงาน")), Length(max=200)]
    )
    kind = SelectField(
        _l("ประเภท"), choices=choices({kind: _l(label) for kind, label in OFFICE_KINDS.items()})
    )
    parent_id = SelectField(_l("สังกัด"), coerce=int, validators=[Optional()])
    address = TextAreaField(_l("ที่อยู่"), validators=[Length(max=1000)])
    phone = StringField(_l("โทรศัพท์"), validators=[Length(max=64)])
    email = EmailField(
        _l("อีเมล"), validators=[Optional(), Email(_l("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.go.th"))]
    )
    head_name = StringField(
        _l("ชื่อหัวหน้าส่วนราชการ (ผู้ลงนามในหนังสือ)"),
        validators=[Length(max=200)],
        description=_l("เช่น นายสมชาย ใจดี ว่างไว้ได้ หนังสือจะเว้นที่ให้เขียนชื่อ"),
    )
    head_position = StringField(
        _l("ตำแหน่งผู้ลงนาม"),
        validators=[Length(max=200)],
        description=_l("เช่น พัฒนาการจังหวัดนครสวรรค์ ว่างไว้ หนังสือจะใช้ “หัวหน้าส่วนราชการ” ตามด้วยชื่อสำนักงาน"),
    )
    book_prefix = StringField(
        _l("เลขที่หนังสือของสำนักงาน (ส่วนหน้า)"),
        validators=[Length(max=32)],
        description=_l("เช่น นว ๐๐๑๘ บันทึกและหนังสือจะพิมพ์ “ที่ นว ๐๐๑๘/…” ตามด้วยเลขทะเบียนหนังสือส่ง"),
    )
    submit = SubmitField(_l("บันทึก"))


class UserForm(FlaskForm):
    form_token = FormTokenField()  # saved once: a replayed POST creates nothing new
    username = StringField(
        _l("ชื่อผู้ใช้"),
        validators=[
            DataRequired(_l("กรุณากรอกชื่อผู้ใช้")),
            Regexp(
                r"^[A-Za-z0-9_.-]{3,80}$", message=_l("ชื่อผู้ใช้ใช้ตัวอักษรอังกฤษ ตัวเลข . _ - ยาว 3–80 ตัว")
            ),
        ],
        render_kw={"autocomplete": "off"},
    )
    full_name = StringField(_l("ชื่อ–นามสกุล"), validators=[Length(max=200)])
    position = StringField(_l("ตำแหน่ง"), validators=[Length(max=200)])
    email = EmailField(
        _l("อีเมล"), validators=[Optional(), Email(_l("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.go.th"))]
    )
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
