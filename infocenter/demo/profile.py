"""A demo profile for the demo provincial office's information center."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete

from ..extensions import db
from ..profile.models import CenterProfile
from . import SeedContext


def seed(ctx: SeedContext) -> None:
    province = ctx.offices[0]
    db.session.add(
        CenterProfile(
            office_id=province.id,
            location="ชั้น 3 ศาลากลางจังหวัดนครสวรรค์ ห้องศูนย์ข้อมูลข่าวสาร (มีป้ายหน้าห้อง)",
            map_url="https://www.openstreetmap.org/?mlat=15.7047&mlon=100.1372#map=17/15.7047/100.1372",
            opening_hours="วันจันทร์–วันศุกร์ 08.30–16.30 น. (เว้นวันหยุดราชการ)",
            officers=[
                {
                    "name": "นางมาลี รักษ์ชุมชน",
                    "position": "เจ้าพนักงานธุรการชำนาญงาน",
                    "duty": "เจ้าหน้าที่ประจำศูนย์",
                },
                {
                    "name": "นายวิชัย มั่นคง",
                    "position": "นักวิชาการพัฒนาชุมชนปฏิบัติการ",
                    "duty": "ผู้ช่วยเจ้าหน้าที่ประจำศูนย์",
                },
                {
                    "name": "นางสาวพรทิพย์ ศรีสวัสดิ์",
                    "position": "พัฒนาการจังหวัดนครสวรรค์",
                    "duty": "ผู้กำกับดูแลศูนย์",
                },
            ],
            appointment_order="คำสั่งสำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์ ที่ 45/2563 เรื่อง "
            "แต่งตั้งเจ้าหน้าที่ประจำศูนย์ข้อมูลข่าวสาร",
            appointment_date=date(2019, 10, 1),
            contact_phone=province.phone,
            contact_email="nakhonsawan@example.go.th",
        )
    )


def clear(ctx: SeedContext) -> None:
    if ctx.office_ids:
        db.session.execute(delete(CenterProfile).where(CenterProfile.office_id.in_(ctx.office_ids)))
