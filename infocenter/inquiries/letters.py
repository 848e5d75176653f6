"""Letters to the requester as PDF, in the Thai government external-letter style (หนังสือภายนอก):
the reply letter, and the notice of an order not to disclose, which states the legal ground and the
right to appeal to the Information Disclosure Tribunal within 15 days (Section 18).

Built on the shared Thai typography (``infocenter.pdf``) (Sarabun, shaping, breaks between words,
BE dates), so the text copied out of the PDF reads as written. Official letters are in Thai whatever
the language of the page they are asked from (built under force_locale("th")); only the message
saying a letter does not apply follows the page.
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Spacer, Table, TableStyle

from .. import settings
from ..pdf import (
    FONT_BOLD,
    FRAME_WIDTH,
    Numerals,
    SignatureBlock,
    ThaiDocument,
    book_reference,
    emblem,
    para,
    styles,
)
from ..thai import N_, MessageError, local_today, now_utc
from .models import Inquiry
from .operations import REFUSAL_APPEAL

KINDS = {"reply": "หนังสือตอบคำขอข้อมูลข่าวสาร", "refusal": "หนังสือแจ้งคำสั่งไม่เปิดเผยข้อมูลข่าวสาร"}
ACT = "พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐"


class LetterError(MessageError):
    """A letter that does not fit the request; the message says why."""


def _reference(inquiry: Inquiry, n: Numerals) -> str:
    return n.text(inquiry.tracking_no)


def _request_sentence(inquiry: Inquiry, n: Numerals) -> str:
    return (
        f"ตามที่ท่านยื่นคำขอข้อมูลข่าวสารตามมาตรา ๑๑ แห่ง{ACT} เลขที่คำขอ {_reference(inquiry, n)} "
        f"ลงวันที่ {n.date(inquiry.received_at)} ขอข้อมูลข่าวสารเรื่อง {inquiry.subject.strip()} นั้น"
    )


def _grounds_text(inquiry: Inquiry) -> str:
    """ "มาตรา ๑๕ (๕) … และมาตรา ๑๕ (๒) … แห่งพระราชบัญญัติ…": the Act named once, after the grounds."""
    grounds = [g for g in inquiry.grounds if g.ground != "12"]
    return " และ".join(g.label for g in grounds) + f" แห่ง{ACT}"


def _reply_body(inquiry: Inquiry, n: Numerals) -> list[str]:
    outcome = inquiry.outcome
    office = inquiry.office.name
    if outcome == "full":
        body = [f"{office} ได้พิจารณาแล้ว ขอส่งข้อมูลข่าวสารที่ท่านขอมาพร้อมหนังสือนี้"]
    elif outcome == "partial":
        body = [
            f"{office} ได้พิจารณาแล้ว ขอส่งข้อมูลข่าวสารที่ท่านขอมาพร้อมหนังสือนี้ โดยได้ลบหรือตัดทอนบางส่วน"
            f"ที่ไม่อาจเปิดเผยได้ตาม{_grounds_text(inquiry)} ตามมาตรา ๙ วรรคสอง",
            str(REFUSAL_APPEAL),
        ]
    elif outcome == "refused":
        body = [
            f"{office} ได้พิจารณาแล้ว มีคำสั่งไม่เปิดเผยข้อมูลข่าวสารดังกล่าว ตาม{_grounds_text(inquiry)} "
            "รายละเอียดตามหนังสือแจ้งคำสั่งไม่เปิดเผยข้อมูลข่าวสารที่แนบมาพร้อมนี้",
            str(REFUSAL_APPEAL),
        ]
    elif outcome == "transferred":
        body = [
            f"ข้อมูลข่าวสารที่ท่านขออยู่ในความควบคุมดูแลของ{inquiry.transfer_agency} จึงขอแนะนำให้ท่าน"
            f"ยื่นคำขอต่อหน่วยงานดังกล่าว หรือสำนักงานได้ส่งคำขอของท่านไปยังหน่วยงานดังกล่าวแล้ว "
            f"ตามมาตรา ๑๒ แห่ง{ACT}"
        ]
    elif outcome == "not_held":
        body = [f"{office} ได้ตรวจสอบแล้ว ไม่มีข้อมูลข่าวสารตามที่ท่านขออยู่ในความครอบครองหรือควบคุมดูแล"]
    elif outcome == "withdrawn":
        body = [f"{office} ได้รับแจ้งการถอนคำขอของท่านแล้ว จึงยุติการดำเนินการตามคำขอนี้"]
    else:
        raise LetterError(N_("คำขอนี้ยังไม่ได้ปิดพร้อมผลการพิจารณา จึงยังออกหนังสือตอบไม่ได้"))
    if inquiry.fee_charged_satang:
        body.append(
            f"ทั้งนี้ มีค่าธรรมเนียมสำเนาเอกสาร จำนวน {n.num(inquiry.fee_charged_satang / 100, 2)} บาท"
        )
    body.append("จึงเรียนมาเพื่อโปรดทราบ")
    return body


def _refusal_body(inquiry: Inquiry, n: Numerals) -> list[str]:
    if inquiry.outcome not in ("refused", "partial"):
        raise LetterError(N_("หนังสือแจ้งคำสั่งไม่เปิดเผยออกได้เฉพาะคำขอที่ปฏิเสธหรือให้ข้อมูลบางส่วน"))
    which = "ข้อมูลข่าวสารดังกล่าว" if inquiry.outcome == "refused" else "ข้อมูลข่าวสารบางส่วนที่ท่านขอ"
    body = [
        f"{inquiry.office.name} ได้พิจารณาแล้ว มีคำสั่งไม่เปิดเผย{which} "
        f"เนื่องจากเป็นข้อมูลข่าวสารตาม{_grounds_text(inquiry)}"
    ]
    if inquiry.outcome_note.strip():
        body.append(f"เหตุผลประกอบคำสั่ง: {inquiry.outcome_note.strip()}")
    body += [
        str(REFUSAL_APPEAL),
        "ท่านสามารถยื่นอุทธรณ์ต่อสำนักงานคณะกรรมการข้อมูลข่าวสารของราชการ หรือยื่นผ่านหน่วยงานนี้",
        "จึงเรียนมาเพื่อโปรดทราบ",
    ]
    return body


def build_letter(
    inquiry: Inquiry, kind: str, *, thai_digits: bool = True, book_number: str = ""
) -> bytes:
    """The PDF of a letter to the requester, in Thai; raises LetterError when it does not apply.
    ``book_number``: the number issued for it after the office's book prefix ("ที่ นว ๐๐๑๘/๑๒๓");
    blank, a dotted line to write it in by hand. The request's tracking number is in the footer."""
    if kind not in KINDS:
        raise LetterError(N_("ไม่รู้จักชนิดหนังสือ"))
    with force_locale("th"):
        return _build_letter(inquiry, kind, thai_digits, " ".join((book_number or "").split())[:32])


def _build_letter(inquiry: Inquiry, kind: str, thai_digits: bool, book_number: str = "") -> bytes:
    n = Numerals(thai_digits)
    body = _reply_body(inquiry, n) if kind == "reply" else _refusal_body(inquiry, n)
    subject = "ตอบคำขอข้อมูลข่าวสาร" if kind == "reply" else "แจ้งคำสั่งไม่เปิดเผยข้อมูลข่าวสาร"
    st = styles()
    office = inquiry.office
    label = ParagraphStyle("letter_label", parent=st["body"], fontName=FONT_BOLD)
    indent = ParagraphStyle(
        "letter_body", parent=st["body"], firstLineIndent=2.5 * cm, spaceAfter=6
    )

    def flowables():
        half = FRAME_WIDTH / 2
        head = Table(
            [
                [
                    para(f"ที่ {book_reference(office.book_prefix, book_number, n)}", st["body"]),
                    para(
                        f"{office.name}\n{office.address or ''}".strip().replace("\n", " "),
                        st["body"],
                    ),
                ]
            ],
            colWidths=[half, half],
        )
        head.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        date_row = Table(
            [["", para(n.date(inquiry.closed_on or local_today()), st["body"])]],
            colWidths=[half * 0.9, FRAME_WIDTH - half * 0.9],
        )
        date_row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))

        def labelled(lbl: str, value: str) -> Table:
            t = Table(
                [[para(lbl, label), para(value, st["body"])]],
                colWidths=[2.2 * cm, FRAME_WIDTH - 2.2 * cm],
            )
            t.setStyle(
                TableStyle(
                    [
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ]
                )
            )
            return t

        garuda = emblem(settings.get("letter_emblem_file"))
        items = [
            garuda if garuda is not None else Spacer(1, 1.2 * cm),
            head,
            Spacer(1, 6),
            date_row,
            Spacer(1, 8),
            labelled("เรื่อง", subject),
            labelled("เรียน", inquiry.requester_name),
            labelled(
                "อ้างถึง",
                f"คำขอข้อมูลข่าวสาร เลขที่ {_reference(inquiry, n)} ลงวันที่ {n.date(inquiry.received_at)}",
            ),
            Spacer(1, 10),
            para(_request_sentence(inquiry, n), indent),
        ]
        items += [para(text, indent) for text in body]
        items += [
            Spacer(1, 12),
            para("ขอแสดงความนับถือ", st["center"]),
            Spacer(1, 18),
            SignatureBlock(
                name=office.head_name,
                position=office.head_position or f"หัวหน้าส่วนราชการ {office.name}",
            ),
            Spacer(1, 20),
            para(f"ศูนย์ข้อมูลข่าวสาร {office.name}", st["small"]),
        ]
        if office.phone:
            items.append(para(f"โทร. {n.text(office.phone)}", st["small"]))
        return items

    buffer = io.BytesIO()
    doc = ThaiDocument(
        buffer,
        title=f"{KINDS[kind]} {inquiry.tracking_no}",
        doc_id=inquiry.tracking_no,
        generated_at=now_utc(),
        numerals=n,
    )
    doc.build_counted(flowables)
    return buffer.getvalue()
