"""The information center's public profile, edited by the administrator."""

from datetime import date

from infocenter.extensions import db
from infocenter.profile.models import CenterProfile, format_officers, parse_officers


def test_profile_page_shows_defaults_before_anything_is_entered(client):
    page = client.get("/about").get_data(as_text=True)
    assert "ศูนย์ข้อมูลข่าวสาร สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์" in page
    assert "ยังไม่ได้ระบุเจ้าหน้าที่" in page


def test_admin_edits_the_profile_and_the_public_sees_it(app, client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/profile",
        data={
            "location": "ชั้น 3 ศาลากลางจังหวัด ห้อง 301",
            "map_url": "https://www.openstreetmap.org/#map=17/15.70/100.13",
            "opening_hours": "จันทร์–ศุกร์ 08.30–16.30 น.",
            "officers": "นางมาลี รักษ์ชุมชน | เจ้าพนักงานธุรการ | เจ้าหน้าที่ประจำศูนย์\nนายวิชัย มั่นคง | นักวิชาการ",
            "appointment_order": "คำสั่งสำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์ ที่ 45/2563",
            "appointment_date": "1/10/2562",
            "contact_phone": "0 5680 3050",
            "contact_email": "",
            "facebook_url": "",
            "line_url": "",
        },
    )
    assert response.status_code == 302
    client.post("/logout")
    page = client.get("/about").get_data(as_text=True)
    assert "ชั้น 3 ศาลากลางจังหวัด ห้อง 301" in page
    assert "นางมาลี รักษ์ชุมชน" in page and "นักวิชาการ" in page
    assert "ที่ 45/2563" in page and "๑ ตุลาคม ๒๕๖๒" in page
    with app.app_context():
        profile = db.session.scalars(db.select(CenterProfile)).one()
        assert profile.appointment_date == date(2019, 10, 1)
        assert profile.officers[1] == {"name": "นายวิชัย มั่นคง", "position": "นักวิชาการ", "duty": ""}


def test_bad_input_is_explained_and_kept(client, login_as):
    login_as("admin")
    page = client.post(
        "/admin/profile",
        data={
            "location": "ห้อง 104",
            "map_url": "not a url",
            "officers": "a | b | c | d",
            "appointment_date": "31/02/2563",
        },
    ).get_data(as_text=True)
    assert "กรุณาใส่ลิงก์เต็ม" in page
    assert "ห้อง 104" in page and "not a url" in page


def test_officer_lines():
    officers, errors = parse_officers("ก | ข | ค\n\n | ตำแหน่ง\nง")
    assert officers == [
        {"name": "ก", "position": "ข", "duty": "ค"},
        {"name": "ง", "position": "", "duty": ""},
    ]
    assert errors == ["บรรทัดที่ 3: กรุณาพิมพ์ในรูปแบบ ชื่อ | ตำแหน่ง | หน้าที่ (คั่นด้วยเครื่องหมาย |)"]
    assert format_officers(officers) == "ก | ข | ค\nง"


def test_unknown_office_is_404(client):
    assert client.get("/about?office=NOPE").status_code == 404
