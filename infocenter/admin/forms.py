"""Forms of the administrator's pages."""

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
from .models import OFFICE_KINDS


class OfficeForm(FlaskForm):
    code = StringField(
        "รหัสสำนักงาน",
        validators=[DataRequired("กรุณากรอกรหัสสำนักงาน"),
                    Regexp(r"^[A-Za-z0-9_-]{2,16}$",
                           message="รหัสใช้ตัวอักษรอังกฤษหรือตัวเลข 2–16 ตัว เช่น NSW หรือ NSW-01")],
    )
    name = StringField("ชื่อสำนักงาน", validators=[DataRequired("กรุณากรอกชื่อสำนักงาน"), Length(max=200)])
    kind = SelectField("ประเภท", choices=choices(OFFICE_KINDS))
    parent_id = SelectField("สังกัด", coerce=int, validators=[Optional()])
    address = TextAreaField("ที่อยู่", validators=[Length(max=1000)])
    phone = StringField("โทรศัพท์", validators=[Length(max=64)])
    email = EmailField("อีเมล", validators=[Optional(), Email("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.go.th")])
    submit = SubmitField("บันทึก")


class UserForm(FlaskForm):
    username = StringField(
        "ชื่อผู้ใช้",
        validators=[DataRequired("กรุณากรอกชื่อผู้ใช้"),
                    Regexp(r"^[A-Za-z0-9_.-]{3,80}$",
                           message="ชื่อผู้ใช้ใช้ตัวอักษรอังกฤษ ตัวเลข . _ - ยาว 3–80 ตัว")],
        render_kw={"autocomplete": "off"},
    )
    full_name = StringField("ชื่อ–นามสกุล", validators=[Length(max=200)])
    position = StringField("ตำแหน่ง", validators=[Length(max=200)])
    email = EmailField("อีเมล", validators=[Optional(), Email("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.go.th")])
    role = SelectField("บทบาท", choices=choices(ROLE_LABELS))
    office_id = SelectField("สำนักงาน", coerce=int)
    password = PasswordField(
        "รหัสผ่าน",
        validators=[Optional(), Length(min=10, message="รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร")],
        render_kw={"autocomplete": "new-password"},
        description="เว้นว่างไว้หากไม่ต้องการเปลี่ยน (ผู้ใช้ใหม่ต้องกำหนด)",
    )
    active = BooleanField("ใช้งานได้", default=True)
    submit = SubmitField("บันทึก")
