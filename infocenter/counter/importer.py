"""Importing a past paper or spreadsheet register (CSV, XLSX or XLS): all rows or none.

Offices start from paper; the register typed into a spreadsheet is imported once, every row
checked first, and errors reported with their row numbers (as the spreadsheet numbers them).
"""

from __future__ import annotations

from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import current_language
from ..importmap import mapping_key, stored_mappings
from ..security import bounded_int
from ..spreadsheet import SpreadsheetError, read_table
from ..thai import N_, arabic_digits, normalize_text
from .models import (
    CHANNELS,
    OUTCOMES,
    FeeRate,
    Visit,
    VisitorType,
    VisitPurpose,
    ensure_counter_defaults,
)
from .operations import (
    VisitData,
    VisitInputError,
    apply,
    check_copies,
    parse_visit_time,
    resolve_entries,
)

# Column headers accepted (Thai first, English aliases), mapped to VisitData fields.
COLUMNS = {
    "date": ("วันที่", "date"),
    "time": ("เวลา", "time"),
    "visitor_type": ("ประเภทผู้ใช้บริการ", "visitor_type"),
    "purpose": ("วัตถุประสงค์", "purpose"),
    "channel": ("ช่องทาง", "channel"),
    "outcome": ("ผลการให้บริการ", "outcome"),
    "entries": ("รายการที่ขอดู", "entries"),
    "pages_copied": ("จำนวนหน้าสำเนา", "pages_copied"),
    "pages_certified": ("จำนวนหน้ารับรอง", "pages_certified"),
    "paper": ("ขนาดกระดาษ", "paper"),
    "fee_waived": ("ยกเว้นค่าธรรมเนียม", "fee_waived"),
    "waiver_reason": ("เหตุผลที่ยกเว้น", "waiver_reason"),
    "name": ("ชื่อ", "name"),
    "contact": ("ติดต่อ", "contact"),
    "satisfaction": ("ความพึงพอใจ", "satisfaction"),
    "note": ("หมายเหตุ", "note"),
}
REQUIRED = ("date", "visitor_type", "purpose")
YES = {"ใช่", "y", "yes", "1", "true", "x", "✓", "ยกเว้น"}
NO = {"", "ไม่", "ไม่ใช่", "n", "no", "0", "false", "-"}


class ImportFailed(Exception):
    """The file was not imported; ``errors`` are messages with row numbers (Thai outside a
    request)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


def _lookup(model) -> dict[str, int]:
    table: dict[str, int] = {}
    for row in db.session.scalars(select(model)):
        table[normalize_text(row.name).casefold()] = row.id
        table[row.code.casefold()] = row.id
    return table


def _choice(value: str, labels: dict[str, str], default: str) -> str | None:
    value = normalize_text(value)
    if not value:
        return default
    for key, label in labels.items():
        if value.casefold() in (key, label.casefold()) or label.startswith(value):
            return key
    return None


def _unknown(value: str, labels: dict[str, str]) -> dict[str, str]:
    """The parameters of an "unknown value" message: what was typed, and the values the column
    accepts as the message lists them (the Thai labels, or the codes, also accepted, on English
    pages)."""
    allowed = ", ".join(labels.values() if current_language() == "th" else labels)
    return {"value": value, "allowed": allowed}


def _int(value: str, what: str, errors: list[str]) -> int:
    value = arabic_digits(value).replace(",", "").strip()
    if not value:
        return 0
    try:
        number = bounded_int(float(value), 0)  # no inf, 1e400 or fractions
        if number is None:
            raise ValueError
        return number
    except (ValueError, OverflowError):  # "inf", "1e400"
        errors.append(_("%(column)s “%(value)s” ต้องเป็นตัวเลข 0 ขึ้นไป", column=what, value=value))
        return 0


def _row(number: int, message: str) -> str:
    """An error of one row, numbered as the spreadsheet numbers it."""
    return _("แถวที่ %(row)s: %(error)s", row=number, error=message)


def import_register(
    stream: IO[bytes], filename: str, *, office_id: int, served_by_id: int | None
) -> int:
    """Check every row, then add them all (the caller commits) or raise ImportFailed listing
    errors."""
    ensure_counter_defaults()
    try:  # the one spreadsheet reader: CSV in any Thai encoding, XLSX, XLS; limits from settings
        table = read_table(stream, filename, COLUMNS, required=REQUIRED)
    except SpreadsheetError as exc:
        raise ImportFailed([str(exc)]) from None

    types, purposes = _lookup(VisitorType), _lookup(VisitPurpose)
    papers = {
        r.code.casefold(): r.id
        for r in db.session.scalars(select(FeeRate).where(FeeRate.kind == "page"))
    }
    default_paper = next(iter(papers.values()), None)
    errors: list[str] = []
    valid: list[VisitData] = []
    # Visitor types and purposes the office mapped once to its lists (import_mappings).
    for kind, table_ in (("visitor_type", types), ("purpose", purposes)):
        for source, target in stored_mappings(office_id, kind).items():
            if target.casefold() in table_:
                table_[source] = table_[target.casefold()]
    for row in table.rows:
        number = row.number

        def get(key: str, row=row) -> str:
            return normalize_text(row.get(key))

        row_errors: list[str] = []
        try:
            when = (get("date") + " " + get("time")).strip()
            if not get("date"):
                raise VisitInputError(N_("กรุณากรอกวันที่ เช่น 29/04/2563"))
            at, _backdated = parse_visit_time(when)
        except VisitInputError as exc:
            row_errors.append(str(exc))
            at = None
        vtype = types.get(get("visitor_type").casefold()) or types.get(
            mapping_key(get("visitor_type"))
        )
        if vtype is None:
            row_errors.append(
                _(
                    "ไม่รู้จักประเภทผู้ใช้บริการ “%(value)s” กรุณาใช้ชื่อตามรายการของเคาน์เตอร์",
                    value=get("visitor_type"),
                )
            )
        purpose = purposes.get(get("purpose").casefold()) or purposes.get(
            mapping_key(get("purpose"))
        )
        if purpose is None:
            row_errors.append(
                _("ไม่รู้จักวัตถุประสงค์ “%(value)s” กรุณาใช้ชื่อตามรายการของเคาน์เตอร์", value=get("purpose"))
            )
        channel = _choice(get("channel"), CHANNELS, "walk_in")
        if channel is None:
            row_errors.append(
                _("ไม่รู้จักช่องทาง “%(value)s” ใช้ได้: %(allowed)s", **_unknown(get("channel"), CHANNELS))
            )
        outcome = _choice(get("outcome"), OUTCOMES, "full")
        if outcome is None:
            row_errors.append(
                _(
                    "ไม่รู้จักผลการให้บริการ “%(value)s” ใช้ได้: %(allowed)s",
                    **_unknown(get("outcome"), OUTCOMES),
                )
            )
        entry_ids, entry_errors = resolve_entries(get("entries"), [office_id])
        row_errors += entry_errors
        copied = _int(get("pages_copied"), COLUMNS["pages_copied"][0], row_errors)
        certified = _int(get("pages_certified"), COLUMNS["pages_certified"][0], row_errors)
        paper = get("paper").casefold()
        paper_id = papers.get(paper) if paper else default_paper
        if paper and paper_id is None:
            row_errors.append(
                _(
                    "ไม่รู้จักขนาดกระดาษ “%(value)s” ใช้ได้: %(allowed)s",
                    value=get("paper"),
                    allowed=", ".join(p.upper() for p in papers),
                )
            )
        waived_text = get("fee_waived").casefold()
        if waived_text not in YES | NO:
            row_errors.append(
                _("ช่องยกเว้นค่าธรรมเนียม “%(value)s” ให้กรอก ใช่ หรือเว้นว่าง", value=get("fee_waived"))
            )
        sat_text = arabic_digits(get("satisfaction"))
        satisfaction = None
        if sat_text:
            if sat_text in {"1", "2", "3", "4", "5"}:
                satisfaction = int(sat_text)
            else:
                row_errors.append(
                    _("ความพึงพอใจ “%(value)s” ต้องเป็นเลข 1 ถึง 5 หรือเว้นว่าง", value=sat_text)
                )
        if row_errors:
            errors += [_row(number, e) for e in row_errors]
            continue
        data = VisitData(
            visitor_type_id=vtype,
            purpose_id=purpose,
            channel=channel,
            outcome=outcome,
            entry_ids=tuple(entry_ids),
            pages_copied=copied,
            pages_certified=certified,
            fee_rate_id=paper_id,
            fee_waived=waived_text in YES,
            waiver_reason=get("waiver_reason") or None,
            visitor_name=get("name") or None,
            visitor_contact=get("contact") or None,
            satisfaction=satisfaction,
            note=get("note"),
            visited_at=at,
            backdated=True,
        )
        errors += [_row(number, e) for e in check_copies(data)]
        valid.append(data)
    if errors:
        raise ImportFailed(errors)
    if not valid:
        raise ImportFailed([_("ไม่มีข้อมูลให้นำเข้า กรุณาใส่ข้อมูลตั้งแต่แถวที่ 2")])
    for data in valid:
        visit = Visit(office_id=office_id, served_by_id=served_by_id, source="import")
        db.session.add(apply(visit, data))
    db.session.flush()
    return len(valid)
