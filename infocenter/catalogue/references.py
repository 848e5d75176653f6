"""Index entries typed by reference at a staff form ("#12", "นว 0017/1", "นว๐๐๑๗/๑"), resolved
exactly, and only among the entries the user may see: their offices' entries and the public ones
(the same rule as the staff index and the public search)."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import or_, select, true

from ..extensions import db
from ..thai import THAI_CHARACTERS, arabic_digits, normalize_text, search_key
from .models import IndexEntry
from .search import public_filter

_ID_RE = re.compile(r"^#\s*(\d+)(?:\s.*)?$")
_BARE_RE = re.compile(r"^(\d+)$")
_SPLIT_RE = re.compile(r"[,;\n]+")
_PIECE_RE = re.compile(f"[0-9a-z]+|[{THAI_CHARACTERS}]+")
MAX_ID = 2**31 - 1  # the id column's range: a longer number is no entry (and no 500 on PostgreSQL)


def reference_key(text: str) -> str:
    """A reference as the search compares it, without any space: "นว 0015/1", "นว0015/1" and
    "นว ๐๐๑๕/๑" are the same reference."""
    return search_key(text or "").replace(" ", "")


def visible_entries(office_ids: list[int] | None):
    """SQL condition: the entries a user who sees ``office_ids`` (None = every office) may read."""
    if office_ids is None:
        return true()
    return or_(IndexEntry.office_id.in_(office_ids), public_filter())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_reference(text: str, office_ids: list[int] | None) -> list[tuple[int, int]]:
    """(id, office_id) of the visible entries whose reference is exactly ``text`` (spaces, Thai
    digits and case aside)."""
    key = reference_key(text)
    if not key:
        return []
    # Narrow with the longest piece of the key (the trigram index on PostgreSQL answers it), then
    # compare whole references: "นว 0015/1" must not pick "นว 0015/14".
    piece = max(_PIECE_RE.findall(key) or [key], key=len)
    rows = db.session.execute(
        select(IndexEntry.id, IndexEntry.office_id, IndexEntry.ref)
        .where(
            visible_entries(office_ids),
            IndexEntry.search_body.like(f"%{_escape_like(piece)}%", escape="\\"),
        )
        .order_by(IndexEntry.id)
    ).all()
    return [(r.id, r.office_id) for r in rows if reference_key(r.ref) == key]


def resolve_references(
    text: str | None, office_ids: list[int] | None, *, bare_numbers_are_ids: bool = False
) -> tuple[list[int], list[str]]:
    """Entry ids from what was typed, comma- or semicolon-separated: "#12" (an entry id; with
    ``bare_numbers_are_ids`` also "12") or a reference number. Returns (ids, Thai messages naming
    each token that matches no entry the user may see); an entry of another office that is not
    public is answered exactly like one that does not exist."""
    ids: list[int] = []
    errors: list[str] = []
    for raw in _SPLIT_RE.split(text or ""):
        token = normalize_text(raw)
        if not token:
            continue
        digits = arabic_digits(token)
        m = _ID_RE.match(digits) or (_BARE_RE.match(digits) if bare_numbers_are_ids else None)
        if m:
            number = int(m.group(1))
            found = (
                number <= MAX_ID
                and db.session.scalar(
                    select(IndexEntry.id).where(
                        IndexEntry.id == number, visible_entries(office_ids)
                    )
                )
                is not None
            )
            if not found:
                errors.append(
                    _("ไม่พบรายการเลขที่ #%(id)s ในดัชนี กรุณาตรวจสอบเลขรายการ", id=m.group(1)[:20])
                )
                continue
            entry_id = number
        else:
            found = find_reference(token, office_ids)
            if (
                office_ids is not None and len(found) > 1
            ):  # a reference used by several offices: the user's own
                found = [f for f in found if f[1] in office_ids] or found
            if not found:
                errors.append(
                    _(
                        "ไม่พบเลขที่หนังสือ “%(ref)s” ในดัชนี กรุณาเลือกจากรายการที่ค้นพบ "
                        "หรือพิมพ์เลขรายการ เช่น #12",
                        ref=token[:120],
                    )
                )
                continue
            if len(found) > 1:
                errors.append(
                    _(
                        "เลขที่หนังสือ “%(ref)s” ตรงกับหลายรายการ กรุณาพิมพ์เลขรายการแทน เช่น #%(id)s",
                        ref=token[:120],
                        id=found[0][0],
                    )
                )
                continue
            entry_id = found[0][0]
        if entry_id not in ids:
            ids.append(entry_id)
    return ids, errors
