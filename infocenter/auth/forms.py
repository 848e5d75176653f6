"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(
        _l("ชื่อผู้ใช้"),
        validators=[DataRequired(_l("กรุณากรอกชื่อผู้ใช้"))],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("รหัสผ่าน"),
        validators=[DataRequired(_l("กรุณากรอกรหัสผ่าน"))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("จดจำการเข้าสู่ระบบบนเครื่องนี้"))
    next = HiddenField()
    submit = SubmitField(_l("เข้าสู่ระบบ"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("รหัสผ่านปัจจุบัน"),
        validators=[DataRequired(_l("กรุณากรอกรหัสผ่านปัจจุบัน"))],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("รหัสผ่านใหม่"),
        validators=[
            DataRequired(_l("กรุณากรอกรหัสผ่านใหม่")),
            Length(min=10, message=_l("รหัสผ่านใหม่ต้องยาวอย่างน้อย 10 ตัวอักษร")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("ยืนยันรหัสผ่านใหม่"),
        validators=[EqualTo("new", message=_l("รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน กรุณาพิมพ์อีกครั้ง"))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("เปลี่ยนรหัสผ่าน"))
