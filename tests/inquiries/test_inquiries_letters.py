"""Letters as PDF: the refusal notice states the ground and the right to appeal (§18); text extracts
as written."""

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from infocenter.extensions import db
from infocenter.inquiries.letters import LetterError, build_letter
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.thai import OFFICE_TZ
from tests.pdfread import flat, pdftotext

APPEAL = (
    "หากท่านไม่เห็นด้วยกับคำสั่งนี้ ท่านมีสิทธิอุทธรณ์ต่อคณะกรรมการวินิจฉัยการเปิดเผยข้อมูลข่าวสาร "
    "ภายในสิบห้าวันนับแต่วันที่ได้รับแจ้งคำสั่งนี้"
)
TOOL = Path("/work/shared/tools/pdf_thai_check.py")


def _closed(app, office_id, outcome, grounds=(), **kw):
    with app.app_context():
        inquiry, _ = create_inquiry(
            NewInquiry(
                office_id=office_id,
                channel="counter",
                requester_name="นางสาวพิมพ์ใจ ทองดี",
                subject="สำเนารายงานการสอบสวนข้อเท็จจริงกรณีร้องเรียนเจ้าหน้าที่",
                received_at=datetime(2025, 6, 16, 10, tzinfo=OFFICE_TZ),
            )
        )
        transition(inquiry, "acknowledged", None, day=date(2025, 6, 17))
        transition(
            inquiry,
            "closed",
            None,
            day=date(2025, 6, 30),
            outcome=outcome,
            grounds=list(grounds),
            note="เป็นข้อมูลส่วนบุคคลของผู้ถูกร้องเรียนและพยาน",
            **kw,
        )
        db.session.commit()
        return inquiry.id


def test_refusal_notice_states_ground_and_appeal(app, make_office, tmp_path):
    from infocenter.inquiries.models import Inquiry

    office = make_office("NSW")
    inquiry_id = _closed(app, office, "refused", ["15(5)", "15(2)"])
    with app.app_context():
        pdf = build_letter(db.session.get(Inquiry, inquiry_id), "refusal")
    path = tmp_path / "refusal.pdf"
    path.write_bytes(pdf)
    text = flat(pdftotext(path))
    assert flat("มาตรา ๑๕ (๕) ข้อมูลข่าวสารส่วนบุคคล") in text
    assert flat("มาตรา ๑๕ (๒) การบังคับใช้กฎหมาย") in text
    assert flat(APPEAL) in text
    assert flat("ตามมาตรา ๑๘") in text
    assert flat("แจ้งคำสั่งไม่เปิดเผยข้อมูลข่าวสาร") in text and flat("NSW-๒๕๖๘-๐๐๐๐๑") in text
    # The shared checker: fonts embedded, text layer as written, breaks between words.
    expected = tmp_path / "expected.txt"
    expected.write_text("\n".join([APPEAL, "มาตรา ๑๕ (๕) ข้อมูลข่าวสารส่วนบุคคล", "ขอแสดงความนับถือ"]))
    if TOOL.exists():
        result = subprocess.run(
            [sys.executable, str(TOOL), str(path), str(expected)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_reply_letters_for_each_outcome(app, make_office, tmp_path):
    from infocenter.inquiries.models import Inquiry

    office = make_office("NSW")
    cases = {
        "full": ((), {}, "ขอส่งข้อมูลข่าวสารที่ท่านขอมาพร้อมหนังสือนี้"),
        "partial": (["15(5)"], {}, "ลบหรือตัดทอนบางส่วน"),
        "transferred": ((), {"agency": "สำนักงานที่ดินจังหวัดนครสวรรค์"}, "ตามมาตรา ๑๒"),
        "not_held": ((), {}, "ไม่มีข้อมูลข่าวสารตามที่ท่านขอ"),
    }
    for outcome, (grounds, kw, phrase) in cases.items():
        inquiry_id = _closed(app, office, outcome, grounds, **kw)
        with app.app_context():
            inquiry = db.session.get(Inquiry, inquiry_id)
            path = tmp_path / f"{outcome}.pdf"
            path.write_bytes(build_letter(inquiry, "reply"))
            if outcome != "partial":
                with pytest.raises(LetterError):
                    build_letter(inquiry, "refusal")
        text = flat(pdftotext(path))
        assert flat(phrase) in text, outcome
        if TOOL.exists():
            check = subprocess.run(
                [sys.executable, str(TOOL), str(path)], capture_output=True, text=True
            )
            assert check.returncode == 0, outcome + ": " + check.stdout
        assert flat("จึงเรียนมาเพื่อโปรดทราบ") in text
        assert (flat(APPEAL) in text) == (outcome == "partial")


def test_letter_route(app, client, make_office, login_as):
    office = make_office("NSW")
    login_as("supervisor", office_id=office)
    inquiry_id = _closed(app, office, "refused", ["14"])
    response = client.get(f"/requests/{inquiry_id}/letter/refusal.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
    assert client.get(f"/requests/{inquiry_id}/letter/other.pdf").status_code == 404
    page = client.get(f"/requests/{inquiry_id}").get_data(as_text=True)
    assert f"/requests/{inquiry_id}/letter/refusal.pdf" in page


def test_letters_are_signed_by_the_head_of_office_the_administrator_names(
    app, client, login_as, make_office, tmp_path
):
    from infocenter.admin.models import Office
    from infocenter.inquiries.models import Inquiry

    office = make_office("NSW")
    inquiry_id = _closed(app, office, "refused", ["15(5)"])
    with app.app_context():  # not named yet: a blank line to sign, the generic position
        text = flat(
            pdftotext(
                _write(
                    tmp_path / "before.pdf",
                    build_letter(db.session.get(Inquiry, inquiry_id), "refusal"),
                )
            )
        )
    assert (
        flat("(........................................)") in text
        and flat("หัวหน้าส่วนราชการ สำนักงานทดสอบ NSW") in text
    )
    login_as("admin")
    form = {
        "code": "NSW",
        "name": "สำนักงานทดสอบ NSW",
        "kind": "province",
        "parent_id": "0",
        "address": "",
        "phone": "",
        "email": "",
        "head_name": "นางสาวพรทิพย์ ศรีสวัสดิ์",
        "head_position": "พัฒนาการจังหวัดนครสวรรค์",
    }
    response = client.post(f"/admin/offices/{office}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.get(Office, office).head_position == "พัฒนาการจังหวัดนครสวรรค์"
        text = flat(
            pdftotext(
                _write(
                    tmp_path / "after.pdf",
                    build_letter(db.session.get(Inquiry, inquiry_id), "refusal"),
                )
            )
        )
    assert flat("(นางสาวพรทิพย์ ศรีสวัสดิ์)") in text and flat("พัฒนาการจังหวัดนครสวรรค์") in text
    assert flat("หัวหน้าส่วนราชการ") not in text


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
