"""Login and password forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField("ชื่อผู้ใช้", validators=[DataRequired("กรุณากรอกชื่อผู้ใช้")],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("รหัสผ่าน", validators=[DataRequired("กรุณากรอกรหัสผ่าน")],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("จดจำการเข้าสู่ระบบบนเครื่องนี้")
    next = HiddenField()
    submit = SubmitField("เข้าสู่ระบบ")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("รหัสผ่านปัจจุบัน", validators=[DataRequired("กรุณากรอกรหัสผ่านปัจจุบัน")],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(
        "รหัสผ่านใหม่",
        validators=[DataRequired("กรุณากรอกรหัสผ่านใหม่"),
                    Length(min=10, message="รหัสผ่านใหม่ต้องยาวอย่างน้อย 10 ตัวอักษร")],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "ยืนยันรหัสผ่านใหม่",
        validators=[EqualTo("new", message="รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน กรุณาพิมพ์อีกครั้ง")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("เปลี่ยนรหัสผ่าน")
