"""The administrator's form for the center's profile."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, URLField
from wtforms.validators import URL, Length, Optional

from ..forms import ThaiDateField, optional_email, optional_text

URL_MESSAGE = _l("กรุณาใส่ลิงก์เต็ม ขึ้นต้นด้วย https:// เช่น https://maps.google.com/...")


def _link(label) -> URLField:
    """A full link (map, Facebook, LINE) that may be left empty."""
    return URLField(label, validators=[Optional(), URL(message=URL_MESSAGE), Length(max=500)])


class ProfileForm(FlaskForm):
    location = optional_text(
        _l("ที่ตั้งศูนย์ข้อมูลข่าวสาร"),
        1000,
        textarea=True,
        description=_l("เช่น ชั้น 1 ศาลากลางจังหวัด ห้อง 104 มีป้ายศูนย์ข้อมูลข่าวสารหน้าห้อง"),
    )
    map_url = _link(_l("ลิงก์แผนที่"))
    opening_hours = optional_text(
        _l("วันและเวลาให้บริการ"),
        500,
        textarea=True,
        description=_l("เช่น จันทร์–ศุกร์ 08.30–16.30 น. (เว้นวันหยุดราชการ)"),
    )
    officers = optional_text(
        _l("เจ้าหน้าที่ผู้รับผิดชอบ"),
        5000,
        textarea=True,
        description=_l("หนึ่งคนต่อบรรทัด: ชื่อ | ตำแหน่ง | หน้าที่ในศูนย์"),
    )
    appointment_order = optional_text(
        _l("คำสั่งแต่งตั้งเจ้าหน้าที่"),
        200,
        description=_l("เช่น คำสั่งสำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์ ที่ 45/2563"),
    )
    appointment_date = ThaiDateField(_l("ลงวันที่"), description=_l("เช่น 1/10/2563"))
    contact_phone = optional_text(_l("โทรศัพท์"), 64)
    contact_email = optional_email(_l("อีเมล"))
    facebook_url = _link("Facebook")
    line_url = _link("LINE")
    submit = SubmitField(_l("บันทึก"))
