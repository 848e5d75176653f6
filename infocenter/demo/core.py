"""Demo offices (Nakhon Sawan province and its fifteen districts) and demo staff."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select

from ..admin.models import Office
from ..auth.models import User
from ..extensions import db
from . import SeedContext

PROVINCE = (
    "NSW",
    "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์",
    "ศาลากลางจังหวัดนครสวรรค์ ชั้น 3 ถนนสวรรค์วิถี ตำบลปากน้ำโพ อำเภอเมืองนครสวรรค์ จังหวัดนครสวรรค์ 60000",
    "0 5680 3050",
)
DISTRICTS = (
    "เมืองนครสวรรค์",
    "โกรกพระ",
    "ชุมแสง",
    "หนองบัว",
    "บรรพตพิสัย",
    "เก้าเลี้ยว",
    "ตาคลี",
    "ท่าตะโก",
    "ไพศาลี",
    "พยุหะคีรี",
    "ลาดยาว",
    "ตากฟ้า",
    "แม่วงก์",
    "แม่เปิน",
    "ชุมตาบง",
)
DEMO_CODE_PREFIX = "DEMO-"


def seed(ctx: SeedContext) -> None:
    code, name, address, phone = PROVINCE
    province = Office(
        code=DEMO_CODE_PREFIX + code,
        name=name + " (ตัวอย่าง)",
        kind="province",
        address=address,
        phone=phone,
        is_demo=True,
        head_name="นางสาวพรทิพย์ ศรีสวัสดิ์",
        head_position="พัฒนาการจังหวัดนครสวรรค์",
    )
    db.session.add(province)
    db.session.flush()
    offices = [province]
    for i, district in enumerate(DISTRICTS, start=1):
        offices.append(
            Office(
                code=f"{DEMO_CODE_PREFIX}{code}{i:02d}",
                name=f"สำนักงานพัฒนาชุมชนอำเภอ{district} (ตัวอย่าง)",
                kind="district",
                parent_id=province.id,
                is_demo=True,
                head_position=f"พัฒนาการอำเภอ{district}",
                address=f"ที่ว่าการอำเภอ{district} จังหวัดนครสวรรค์",
                phone=f"0 56{ctx.rng.randrange(10, 99)} {ctx.rng.randrange(1000, 9999)}",
            )
        )
    db.session.add_all(offices[1:])
    db.session.flush()
    ctx.offices = offices
    ctx.office_ids = [o.id for o in offices]

    password = ctx.extra.get("password") or secrets.token_urlsafe(9)
    people = [
        ("demo-admin", "admin", province, "นายสมชาย ใจดี", "นักวิชาการคอมพิวเตอร์ชำนาญการ"),
        ("demo-supervisor", "supervisor", province, "นางสาวพรทิพย์ ศรีสวัสดิ์", "พัฒนาการจังหวัดนครสวรรค์"),
        ("demo-clerk", "clerk", province, "นางมาลี รักษ์ชุมชน", "เจ้าพนักงานธุรการชำนาญงาน"),
        ("demo-clerk2", "clerk", province, "นายวิชัย มั่นคง", "นักวิชาการพัฒนาชุมชนปฏิบัติการ"),
    ]
    for i, office in enumerate(offices[1:4], start=1):
        people.append(
            (f"demo-clerk-d{i}", "clerk", office, f"เจ้าหน้าที่อำเภอ {i}", "นักวิชาการพัฒนาชุมชน")
        )
    users: dict[str, list[User]] = {}
    for username, role, office, full_name, position in people:
        user = User(
            username=username,
            role=role,
            office_id=office.id,
            full_name=full_name,
            position=position,
            is_demo=True,
        )
        user.set_password(password)
        db.session.add(user)
        users.setdefault(role, []).append(user)
    db.session.flush()
    ctx.users = users
    ctx.extra["password"] = password


def clear(ctx: SeedContext) -> None:
    db.session.execute(delete(User).where(User.is_demo.is_(True)))
    # Districts first: they point at the provincial office.
    db.session.execute(
        delete(Office).where(Office.is_demo.is_(True), Office.parent_id.is_not(None))
    )
    db.session.execute(delete(Office).where(Office.is_demo.is_(True)))


def demo_office_ids() -> list[int]:
    return list(db.session.scalars(select(Office.id).where(Office.is_demo.is_(True))))
