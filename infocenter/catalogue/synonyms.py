"""Query expansion: the equivalent forms of a search term (abbreviation ↔ full form, loan-word
spellings), from an administrator-edited table seeded with common government terms.

A group is one row of ``search_synonyms``: its forms separated by ";" ("อบต.;อบต;องค์การบริหาร
ส่วนตำบล"). A query term equal to a form, or containing a form of four characters or more
("พ.ร.บ.ข้อมูลข่าวสาร"), is searched as any of the group's forms; the page and the API say which
forms were added ("รวมผลของ …").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from ..audit import Audited
from ..cache import ProcessCache
from ..dbtypes import UTCDateTime
from ..extensions import db
from ..spreadsheet import csv_bytes, header_key, read_grid
from ..thai import N_, MessageError, normalize_text, now_utc, search_key
from .lexicon import lexicon_matches

SEPARATOR = ";"
MAX_ALTERNATIVES = 8  # forms searched for one typed term
MIN_CONTAINED = 4  # a form shorter than this expands only a term equal to it

# The seed (migration 0013 and fresh test databases): terms people type at the counter and online.
SEED_SYNONYMS = (
    ("อบต.;อบต;องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนตำบล"),
    ("อปท.;อปท;องค์กรปกครองส่วนท้องถิ่น", "องค์กรปกครองส่วนท้องถิ่น"),
    ("อบจ.;อบจ;องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนจังหวัด"),
    ("พ.ร.บ.;พรบ.;พรบ;พระราชบัญญัติ", "พระราชบัญญัติ"),
    ("พ.ร.ก.;พรก.;พระราชกำหนด", "พระราชกำหนด"),
    ("พ.ร.ฎ.;พรฎ.;พระราชกฤษฎีกา", "พระราชกฤษฎีกา"),
    ("ขรก.;ขรก;ข้าราชการ", "ข้าราชการ"),
    ("สขร.1;สขร1;สรุปผลการจัดซื้อจัดจ้าง", "แบบ สขร.๑"),
    ("จปฐ.;จปฐ;ความจำเป็นพื้นฐาน", "ข้อมูลความจำเป็นพื้นฐาน"),
    ("กชช.2ค;กชช2ค;ข้อมูลพื้นฐานระดับหมู่บ้าน", "ข้อมูลพื้นฐานระดับหมู่บ้าน"),
    ("ครม.;ครม;คณะรัฐมนตรี", "คณะรัฐมนตรี"),
    ("สตง.;สตง;สำนักงานการตรวจเงินแผ่นดิน", "สำนักงานการตรวจเงินแผ่นดิน"),
    ("ป.ป.ช.;ปปช.;ปปช;คณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ", "ป.ป.ช."),
    ("สขร.;คณะกรรมการข้อมูลข่าวสารของราชการ;กขร.", "คณะกรรมการข้อมูลข่าวสารของราชการ"),
    ("ITA;การประเมินคุณธรรมและความโปร่งใส;คุณธรรมและความโปร่งใส", "ITA"),
    ("OTOP;โอทอป;หนึ่งตำบลหนึ่งผลิตภัณฑ์", "หนึ่งตำบล หนึ่งผลิตภัณฑ์"),
    ("โควิด;โควิด-19;โควิด19;covid;covid-19;covid19;โคโรนา;โคโรน่า", "โรคติดเชื้อไวรัสโคโรนา 2019"),
    ("อีเมล;อีเมล์;e-mail;email;ไปรษณีย์อิเล็กทรอนิกส์", "อีเมล"),
    ("คอร์รัปชัน;คอร์รัปชั่น;คอรัปชั่น;คอรัปชัน;ทุจริต", "การทุจริต"),
    ("อินเทอร์เน็ต;อินเตอร์เน็ต;อินเตอร์เนต;internet", "อินเทอร์เน็ต"),
    ("คอมพิวเตอร์;คอมพ์;computer", "คอมพิวเตอร์"),
    ("เว็บไซต์;เว็บไซท์;เวบไซต์;website", "เว็บไซต์"),
    ("กพ.;ก.พ.;สำนักงานคณะกรรมการข้าราชการพลเรือน", "ก.พ."),
    ("พช.;พช;การพัฒนาชุมชน;กรมการพัฒนาชุมชน", "กรมการพัฒนาชุมชน"),
)


class SearchSynonym(Audited, db.Model):
    """A group of equivalent search terms, edited by administrators under the index admin."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(Text)  # the forms, separated by ";"
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    @property
    def forms(self) -> list[str]:
        return split_forms(self.terms)


def split_forms(text: str) -> list[str]:
    """The forms of a group as typed, normalised, without blanks or repeats."""
    seen: list[str] = []
    for part in normalize_text(text or "").split(SEPARATOR):
        part = part.strip()
        if part and search_key(part) not in {search_key(s) for s in seen}:
            seen.append(part)
    return seen


def check_forms(text: str) -> list[str]:
    """The forms of a group typed by an administrator; MessageError saying what to fix."""
    forms = split_forms(text)
    if len(forms) < 2:
        raise MessageError(
            N_("กรุณาระบุอย่างน้อยสองคำที่มีความหมายเดียวกัน คั่นด้วยเครื่องหมาย ; เช่น อบต.;องค์การบริหารส่วนตำบล")
        )
    return forms


def ensure_synonyms() -> None:
    """Seed the table when it is empty (a database made by create_all(); migrations seed it too)."""
    if db.session.scalar(select(SearchSynonym.id).limit(1)) is None:
        for terms, note in SEED_SYNONYMS:
            db.session.add(SearchSynonym(terms=terms, note=note))
        db.session.flush()


@dataclass(frozen=True)
class _Group:
    keys: tuple[str, ...]  # search_key of each form, longest first
    forms: tuple[str, ...]  # as typed, in the row's order


_groups_cache = ProcessCache("search_synonyms", (SearchSynonym,), 60.0)


def _load_groups() -> list[_Group]:
    groups = []
    for row in db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id)):
        forms = row.forms
        keys = sorted({search_key(f) for f in forms if search_key(f)}, key=len, reverse=True)
        if len(keys) > 1:
            groups.append(_Group(tuple(keys), tuple(forms)))
    return groups


def groups() -> list[_Group]:
    return _groups_cache.get("all", _load_groups)


@dataclass(frozen=True)
class Expansion:
    """One typed term and what it is searched as."""

    term: str  # the term, search_key form
    alternatives: tuple[str, ...]  # search_key forms, the term first
    added: tuple[str, ...]  # the forms added, as people write them (for "รวมผลของ …")


def _matches(term: str, bare: str) -> Iterator[tuple[tuple[str, ...], str | None, str | None]]:
    """(forms, the form equal to the term or None, the form inside the term or None) of each
    group the term belongs to: the synonyms table's first, then the lexicon's."""
    for group in groups():
        whole = next((k for k in group.keys if k.replace(".", "") == bare), None) if bare else None
        part = (
            None
            if whole
            else next((k for k in group.keys if len(k) >= MIN_CONTAINED and k in term), None)
        )
        if whole is not None or part is not None:
            yield group.forms, whole, part
    if bare:
        for found, key, is_whole in lexicon_matches(term):
            yield found.forms, (key if is_whole else None), (None if is_whole else key)


def expand(term: str) -> Expansion:
    """The term and its equivalents (the term itself first): from the synonyms table, then from
    the lexicon of abbreviations and loan words (``catalogue.lexicon``)."""
    alts: list[str] = [term]
    added: list[str] = []
    bare = term.replace(".", "")
    for forms, whole, part in _matches(term, bare):
        for form in forms:
            key = search_key(form)
            alt = key if whole is not None else term.replace(part, key)
            if alt in alts or len(alts) >= MAX_ALTERNATIVES:
                continue
            alts.append(alt)
            if key.replace(".", "") != bare and (
                whole is None or key.replace(".", "") != whole.replace(".", "")
            ):
                added.append(form if whole is not None else alt)
    return Expansion(term, tuple(alts), tuple(added))


# --- CSV -------------------------------------------------------------------------------------

CSV_HEADER = ("terms", "note")


def export_csv() -> bytes:
    """Every group as CSV (UTF-8 with BOM, so spreadsheet programs read the Thai)."""
    groups = db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id))
    return csv_bytes([CSV_HEADER, *((row.terms, row.note) for row in groups)])


def read_file(data: bytes) -> list[tuple[str, str]]:
    """(terms, note) rows of an uploaded file, read by the one spreadsheet reader (CSV in UTF-8,
    UTF-16 or Windows-874, XLSX, XLS); the header row "terms, note" is optional. MessageError
    naming the line to fix."""
    rows = []
    for number, cells in enumerate(read_grid(data), start=1):
        if not "".join(cells).strip():
            continue
        if number == 1 and header_key(cells[0]) == "terms":
            continue
        try:
            forms = check_forms(cells[0])
        except MessageError as exc:
            raise MessageError(
                N_("บรรทัดที่ %(line)s: %(error)s"), line=number, error=str(exc)
            ) from None
        rows.append(
            (SEPARATOR.join(forms), normalize_text(cells[1] if len(cells) > 1 else "")[:200])
        )
    if not rows:
        raise MessageError(N_("ไม่มีแถวข้อมูลในไฟล์"))
    return rows


# --- writes (the admin page and the CSV import) ------------------------------------------------


def save_group(group: SearchSynonym | None, terms: str, note: str) -> SearchSynonym:
    """Create or change a group (audited like every Audited model); MessageError to show."""
    forms = check_forms(terms)
    if group is None:
        group = SearchSynonym()
        db.session.add(group)
    group.terms = SEPARATOR.join(forms)
    group.note = normalize_text(note or "")[:200]
    db.session.flush()
    return group


def delete_group(group: SearchSynonym) -> None:
    db.session.delete(group)
    db.session.flush()


def replace_all(rows: list[tuple[str, str]]) -> int:
    """Replace every group by the rows of an imported CSV (all or nothing: the caller commits)."""
    for group in db.session.scalars(select(SearchSynonym)):
        db.session.delete(group)
    db.session.flush()
    for terms, note in rows:
        db.session.add(SearchSynonym(terms=terms, note=note))
    db.session.flush()
    return len(rows)
