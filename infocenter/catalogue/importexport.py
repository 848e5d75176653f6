"""Import and export of the index as CSV (UTF-8, with or without BOM) or XLSX.

Import is all or nothing: every row is checked first, every bad row is reported with its row
number (the header is row 1, as in a spreadsheet) and the reason (in the language of the page,
Thai in the CLI), and only a file
without errors is written. The CLI (`flask index import`) and the staff page share this code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from ..admin.models import Office
from ..extensions import db
from ..thai import N_, DateParseError, MessageError, arabic_digits, normalize_text, parse_thai_date
from .models import (
    DISCLOSURE_LABELS,
    STATE_LABELS,
    WITHHOLDING_GROUNDS,
    Category,
    IndexEntry,
    default_review_by,
)

REQUIRED_COLUMNS = ("ref", "title", "category", "date", "summary", "keywords", "location")
OPTIONAL_COLUMNS = ("disclosure", "withheld_ground", "state", "office")
EXPORT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class RowError:
    """A bad row: ``message`` is a Thai msgid (marked with N_) filled with ``params``."""

    row: int
    message: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """The reason, in the language of the current request (Thai outside one)."""
        return gettext(self.message, **self.params)

    def __str__(self) -> str:
        return gettext("แถวที่ %(row)s: %(message)s", row=self.row, message=self.text)


@dataclass
class ImportPlan:
    """What an import would create, or why it cannot."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.entries)


class ImportFileError(MessageError):
    """The file as a whole cannot be read; str() gives the message in the page's language."""


# --- reading ---------------------------------------------------------------------------------


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-blank data row of a .csv or .xlsx file."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".xlsx":
        table = _xlsx_table(data)
    elif suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(N_("อ่านไฟล์ CSV ไม่ได้ ไฟล์ต้องบันทึกเป็น UTF-8 (ใน Excel เลือก CSV UTF-8)")) from None
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise ImportFileError(N_("รับเฉพาะไฟล์ .csv หรือ .xlsx"))
    if not table:
        raise ImportFileError(N_("ไฟล์ว่างเปล่า แถวแรกต้องเป็นหัวคอลัมน์ %(columns)s"), columns=",".join(REQUIRED_COLUMNS))
    header = [normalize_text(str(h or "")).lower() for h in table[0]]
    missing = [c for c in ("title", "category") if c not in header]
    if missing:
        raise ImportFileError(N_("ไม่พบคอลัมน์ %(missing)s แถวแรกต้องเป็นหัวคอลัมน์ %(columns)s"),
                              missing=", ".join(missing), columns=",".join(REQUIRED_COLUMNS))
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = {name: _cell(values[i]) if i < len(values) else "" for i, name in enumerate(header) if name}
        if any(cells.values()):
            rows.append((number, cells))
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_table(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ImportFileError(N_("อ่านไฟล์ Excel ไม่ได้ กรุณาบันทึกเป็น .xlsx แล้วลองใหม่")) from None
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


# --- checking --------------------------------------------------------------------------------


def _lookup(labels: dict[str, str]) -> dict[str, str]:
    table = {k.lower(): k for k in labels}
    table.update({normalize_text(v): k for k, v in labels.items()})
    return table


_DISCLOSURE = _lookup(DISCLOSURE_LABELS) | {"เปิดเผยบางส่วน": "partial"}
_STATES = _lookup({k: v for k, v in STATE_LABELS.items()})
_GROUNDS = {arabic_digits(k): k for k in WITHHOLDING_GROUNDS}


def plan_import(rows: Iterable[tuple[int, dict[str, str]]], office: Office) -> ImportPlan:
    """Check every row; the plan holds the entries to create, or every error found."""
    categories = {c.code: c for c in db.session.scalars(select(Category))}
    offices = {o.code.upper(): o for o in db.session.scalars(select(Office))}
    plan = ImportPlan()
    for number, cells in rows:
        errors: list[tuple[str, dict[str, Any]]] = []
        title = normalize_text(cells.get("title", ""))
        if not title:
            errors.append((N_("ไม่มีชื่อเรื่อง (คอลัมน์ title)"), {}))
        code = arabic_digits(normalize_text(cells.get("category", ""))).replace(" ", "")
        category = categories.get(code)
        if category is None:
            errors.append((N_("ไม่รู้จักหมวด “%(value)s” ใช้รหัส เช่น 9(3) หรือ ๙(๓)"), {"value": cells.get("category", "")}))
        doc_date = None
        if cells.get("date"):
            try:
                doc_date = parse_thai_date(cells["date"])
            except DateParseError as exc:
                errors.append((exc.message, exc.params))
        ref = normalize_text(cells.get("ref", ""))
        location = normalize_text(cells.get("location", ""))
        if len(ref) > 120:
            errors.append((N_("เลขที่หนังสือยาวเกิน 120 ตัวอักษร"), {}))
        if len(location) > 200:
            errors.append((N_("ที่เก็บเอกสารยาวเกิน 200 ตัวอักษร"), {}))
        disclosure = _DISCLOSURE.get(normalize_text(cells.get("disclosure", "")).lower() or "open")
        if disclosure is None:
            errors.append((N_("ไม่รู้จักการเปิดเผย “%(value)s” ใช้ open, partial หรือ closed"),
                           {"value": cells["disclosure"]}))
        ground = None
        if cells.get("withheld_ground"):
            ground = _GROUNDS.get(arabic_digits(cells["withheld_ground"]).replace(" ", "").replace("มาตรา", ""))
            if ground is None:
                errors.append((N_("ไม่รู้จักเหตุที่ปกปิด “%(value)s” ใช้ 14 หรือ 15(1) ถึง 15(7)"),
                               {"value": cells["withheld_ground"]}))
        elif disclosure in ("partial", "closed"):
            errors.append((N_("ปกปิดบางส่วนหรือไม่เปิดเผย ต้องระบุเหตุ (คอลัมน์ withheld_ground เช่น 15(5))"), {}))
        state = _STATES.get(normalize_text(cells.get("state", "")).lower() or "published")
        if state is None:
            errors.append((N_("ไม่รู้จักสถานะ “%(value)s” ใช้ draft, published หรือ withdrawn"), {"value": cells["state"]}))
        row_office = office
        if cells.get("office"):
            row_office = offices.get(cells["office"].strip().upper())
            if row_office is None:
                errors.append((N_("ไม่พบสำนักงานรหัส “%(value)s”"), {"value": cells["office"]}))
        if errors:
            plan.errors.extend(RowError(number, message, params) for message, params in errors)
            continue
        keywords = ";".join(k for k in (normalize_text(k) for k in cells.get("keywords", "").split(";")) if k)
        plan.entries.append({
            "row": number, "office": row_office, "category": category, "ref": ref, "title": title,
            "summary": normalize_text(cells.get("summary", "")), "keywords": keywords, "doc_date": doc_date,
            "location": location, "disclosure": disclosure, "withheld_ground": ground, "state": state,
        })
    return plan


def apply_import(plan: ImportPlan, user_id: int | None = None,
                 progress: Callable[[int], None] | None = None) -> int:
    """Create the plan's entries through the ORM (so each is audited); the caller commits."""
    if plan.errors:
        raise ValueError("an import with errors cannot be applied")
    created = 0
    for item in plan.entries:
        entry = IndexEntry(
            office_id=item["office"].id, category_id=item["category"].id, ref=item["ref"], title=item["title"],
            summary=item["summary"], keywords=item["keywords"], doc_date=item["doc_date"],
            location=item["location"], disclosure=item["disclosure"], withheld_ground=item["withheld_ground"],
            state=item["state"], review_by=default_review_by(item["category"]),
            created_by_id=user_id, updated_by_id=user_id,
        )
        db.session.add(entry)
        created += 1
        if created % 500 == 0:
            db.session.flush()
        if progress:
            progress(1)
    db.session.flush()
    return created


# --- export ----------------------------------------------------------------------------------


def export_rows(office_ids: list[int] | None = None) -> Iterable[list[str]]:
    """The header and one row per entry (all states), in the import's column format."""
    yield list(EXPORT_COLUMNS)
    stmt = select(IndexEntry).order_by(IndexEntry.id)
    if office_ids is not None:
        stmt = stmt.where(IndexEntry.office_id.in_(office_ids))
    for e in db.session.scalars(stmt.execution_options(yield_per=1000)):
        yield [e.ref, e.title, e.category.code, e.doc_date.isoformat() if e.doc_date else "", e.summary,
               e.keywords, e.location, e.disclosure, e.withheld_ground or "", e.state, e.office.code]


def export_bytes(fmt: str, office_ids: list[int] | None = None) -> bytes:
    """The index as a CSV (UTF-8 with BOM, so Excel shows Thai) or XLSX file."""
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        for row in export_rows(office_ids):
            writer.writerow(row)
        return out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("index")
        for row in export_rows(office_ids):
            sheet.append(row)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
