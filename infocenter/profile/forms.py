"""The administrator's form for the center's profile."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, Email, Length, Optional

from ..forms import ThaiDateField

URL_MESSAGE = _l("กรุณาใส่ลิงก์เต็ม ขึ้นต้นด้วย https:// เช่น https://maps.google.com/...")


class ProfileForm(FlaskForm):
    location = TextAreaField(
        _l("ที่ตั้งศูนย์ข้อมูลข่าวสาร"),
        validators=[Length(max=1000)],
        description=_l("เช่น ชั้น 1 ศาลากลางจังหวัด ห้อง 104 มีป้ายศูนย์ข้อมูลข่าวสารหน้าห้อง"),
    )
    map_url = URLField(
        _l("ลิงก์แผนที่"), validators=[Optional(), URL(message=URL_MESSAGE), Length(max=500)]
    )
    opening_hours = TextAreaField(
        _l("วันและเวลาให้บริการ"),
        validators=[Length(max=500)],
        description=_l("เช่น จันทร์–ศุกร์ 08.30–16.30 น. (เว้นวันหยุดราชการ)"),
    )
    officers = TextAreaField(
        _l("เจ้าหน้าที่ผู้รับผิดชอบ"),
        validators=[Length(max=5000)],
        description=_l("หนึ่งคนต่อบรรทัด: ชื่อ | ตำแหน่ง | หน้าที่ในศูนย์"),
    )
    appointment_order = StringField(
        _l("คำสั่งแต่งตั้งเจ้าหน้าที่"),
        validators=[Length(max=200)],
        description=_l("เช่น คำสั่งสำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์ ที่ 45/2563"),
    )
    appointment_date = ThaiDateField(_l("ลงวันที่"), description=_l("เช่น 1/10/2563"))
    contact_phone = StringField(_l("โทรศัพท์"), validators=[Length(max=64)])
    contact_email = EmailField(
        _l("อีเมล"), validators=[Optional(), Email(_l("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.go.th"))]
    )
    facebook_url = URLField(
        "Facebook", validators=[Optional(), URL(message=URL_MESSAGE), Length(max=500)]
    )
    line_url = URLField("LINE", validators=[Optional(), URL(message=URL_MESSAGE), Length(max=500)])
    submit = SubmitField(_l("บันทึก"))
