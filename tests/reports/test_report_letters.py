"""Letters to requesters (issue 16): the Act named once after all the grounds, the office's book
number ("ที่ นว ๐๐๑๘/๔๕", or a line to fill in by hand) with the tracking number in the footer, and
the Garuda emblem only when the administrator has set an image."""

from __future__ import annotations

from datetime import date, datetime

from infocenter import settings
from infocenter.admin.models import Office
from infocenter.extensions import db
from infocenter.inquiries.letters import ACT, build_letter
from infocenter.inquiries.models import Inquiry
from infocenter.inquiries.operations import NewInquiry, create_inquiry, transition
from infocenter.thai import OFFICE_TZ
from tests.pdfread import flat, pdftotext


def _refused(app, office_id) -> int:
    with app.app_context():
        inquiry, _ = create_inquiry(
            NewInquiry(
                office_id=office_id,
                channel="counter",
                requester_name="นางสาวพิมพ์ใจ ทองดี",
                subject="สำเนารายงานการสอบสวน",
                received_at=datetime(2025, 6, 16, 10, tzinfo=OFFICE_TZ),
            )
        )
        transition(inquiry, "acknowledged", None, day=date(2025, 6, 17))
        transition(
            inquiry,
            "closed",
            None,
            day=date(2025, 6, 30),
            outcome="refused",
            grounds=["15(5)", "15(2)"],
            note="ข้อมูลส่วนบุคคล",
        )
        db.session.commit()
        return inquiry.id


def _letter(app, inquiry_id, tmp_path, **kw) -> str:
    with app.app_context():
        pdf = build_letter(db.session.get(Inquiry, inquiry_id), "refusal", **kw)
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return flat(pdftotext(path))


def test_the_act_is_named_once_after_all_the_grounds(app, make_office, tmp_path):
    inquiry_id = _refused(app, make_office("NSW"))
    text = _letter(app, inquiry_id, tmp_path)
    grounds = text.split(flat("เนื่องจากเป็นข้อมูลข่าวสารตาม"), 1)[1].split(flat("เหตุผลประกอบคำสั่ง"), 1)[0]
    assert grounds.count(flat(ACT)) == 1, grounds
    assert flat("มาตรา ๑๕ (๕)") in grounds and flat("มาตรา ๑๕ (๒)") in grounds


def test_book_number_from_the_office_prefix_and_the_number_issued(app, make_office, tmp_path):
    office_id = make_office("NSW")
    with app.app_context():
        db.session.get(Office, office_id).book_prefix = "นว ๐๐๑๘"
        db.session.commit()
    inquiry_id = _refused(app, office_id)
    text = _letter(app, inquiry_id, tmp_path, book_number="45")
    assert flat("ที่ นว ๐๐๑๘/๔๕") in text
    blank = _letter(app, inquiry_id, tmp_path)
    assert flat("ที่ นว ๐๐๑๘/........") in blank
    with app.app_context():
        tracking = db.session.get(Inquiry, inquiry_id).tracking_no
    assert flat(tracking) in blank  # (the reference and the footer)


def test_garuda_emblem_only_when_the_administrator_sets_an_image(app, make_office, tmp_path):
    from PIL import Image

    inquiry_id = _refused(app, make_office("NSW"))
    with app.app_context():
        plain = build_letter(db.session.get(Inquiry, inquiry_id), "refusal")
    image = tmp_path / "garuda.png"
    Image.new("RGB", (40, 50), (120, 80, 20)).save(image)
    with app.app_context():
        settings.put("letter_emblem_file", str(image))
        db.session.commit()
        with_emblem = build_letter(db.session.get(Inquiry, inquiry_id), "refusal")
        settings.put("letter_emblem_file", str(tmp_path / "missing.png"))
        db.session.commit()
        missing = build_letter(db.session.get(Inquiry, inquiry_id), "refusal")
    assert b"/Subtype /Image" not in plain and b"/Subtype /Image" in with_emblem
    assert b"/Subtype /Image" not in missing  # a file that is gone: the letter is still made
