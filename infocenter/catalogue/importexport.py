"""Import and export of the index: CSV, XLSX or XLS files as offices keep them.

Files are read by the one spreadsheet reader (infocenter/spreadsheet.py). Every row is read
first: a guessed reading (a category written "มาตรา 9 (3) แผนงาน", a two-digit year, a misspelt
month, the agency's own item number) is a *warning* and never blocks; a value nothing sensible
can be read from is an *error* naming the row, the column and what to write. The preview groups
both by kind, with counts and row numbers; unknown values can be mapped once per office
(infocenter/importmap.py). The CLI (`flask index import`) and the staff page share this code.
"""

from __future__ import annotations

import functools
import io
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from ..admin.models import Office
from ..extensions import db
from ..importmap import mapping_key, stored_mappings
from ..spreadsheet import Limits, Row, SpreadsheetError, csv_bytes, read_table
from ..thai import N_, DateParseError, arabic_digits, normalize_text, read_thai_date, search_key
from .models import (
    DISCLOSURE_LABELS,
    STATE_LABELS,
    WITHHOLDING_GROUNDS,
    Category,
    IndexEntry,
    default_review_by,
)

REQUIRED_COLUMNS = ("ref", "title", "category", "date", "summary", "keywords", "location")
OPTIONAL_COLUMNS = ("disclosure", "withheld_ground", "state", "office", "agency_code")
EXPORT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
FORMATS = ("csv", "xlsx")

# Header spellings accepted for each column (any order; case, spaces and ":" ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("เลขที่หนังสือ", "เลขที่", "เลขหนังสือ", "ที่", "ref", "reference", "no"),
    "title": ("ชื่อเรื่อง", "เรื่อง", "รายการ", "title", "subject"),
    "category": ("หมวด", "มาตรา", "ประเภท", "หมวดหมู่", "หมวดข้อมูล", "category", "section"),
    "date": ("วันที่", "ลงวันที่", "วันที่หนังสือ", "วันที่เอกสาร", "date"),
    "summary": ("สาระสำคัญ", "สรุป", "รายละเอียด", "summary", "description"),
    "keywords": ("คำสำคัญ", "keywords", "tags"),
    "location": ("ที่เก็บ", "สถานที่เก็บ", "ที่เก็บเอกสาร", "location"),
    "disclosure": ("การเปิดเผย", "disclosure"),
    "withheld_ground": ("เหตุที่ปกปิด", "withheld_ground"),
    "state": ("สถานะ", "state"),
    "office": ("สำนักงาน", "รหัสสำนักงาน", "office"),
    "agency_code": ("เลขรายการของหน่วยงาน", "agency_code"),
}
COLUMN_LABELS = {key: names[0] for key, names in COLUMNS.items()}

# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowError:
    """A finding on one row: ``message`` is a Thai msgid (marked with N_) filled with ``params``;
    ``column`` is the header as written in the file."""

    row: int
    message: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    column: str = ""

    @property
    def text(self) -> str:
        """The reason, in the language of the current request (Thai outside one)."""
        return gettext(self.message, **self.params)

    def __str__(self) -> str:
        if self.column:
            return gettext(
                "แถวที่ %(row)s: %(message)s (คอลัมน์ %(column)s)",
                row=self.row,
                message=self.text,
                column=self.column,
            )
        return gettext("แถวที่ %(row)s: %(message)s", row=self.row, message=self.text)


@dataclass
class Group:
    """Findings of one kind (same message, same values), with the rows they were found on."""

    message: str
    params: dict[str, Any]
    column: str
    rows: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return gettext(self.message, **self.params)

    def rows_text(self, limit: int = 30) -> str:
        shown = ", ".join(str(r) for r in self.rows[:limit])
        return shown + (" …" if len(self.rows) > limit else "")


def grouped(findings: Iterable[RowError]) -> list[Group]:
    """Findings grouped by kind, largest group first ("12 แถว: หมวด ‘มาตรา 9 (3) แผนงาน’ อ่านเป็น
    9(3)")."""
    groups: dict[tuple, Group] = {}
    for f in findings:
        key = (f.message, tuple(sorted((k, str(v)) for k, v in f.params.items())), f.column)
        groups.setdefault(key, Group(f.message, f.params, f.column)).rows.append(f.row)
    return sorted(groups.values(), key=lambda g: (-len(g.rows), g.rows[0]))


@dataclass
class ImportPlan:
    """What an import would create, the rows it cannot read, and the readings it guessed."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    # Values no rule could read, to be mapped in the preview: {kind: {value as written: [rows]}}.
    unknown: dict[str, dict[str, list[int]]] = field(default_factory=lambda: defaultdict(dict))

    @property
    def ok(self) -> bool:
        """Every row can be imported."""
        return not self.errors and bool(self.entries)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


class ImportFileError(SpreadsheetError):
    """The file as a whole cannot be read; str() gives the message in the page's language."""


# --- reading ---------------------------------------------------------------------------------


def read_rows(data: bytes, filename: str, *, limits: Limits | None = None) -> list[Row]:
    """The data rows of an index file (CSV, XLSX or XLS), numbered as the spreadsheet numbers
    them."""
    try:
        table = read_table(data, filename, COLUMNS, required=("title", "category"), limits=limits)
    except ImportFileError:
        raise
    except SpreadsheetError as exc:
        raise ImportFileError(exc.message, **exc.params) from None
    headers = {key: table.headers[i] for key, i in table.columns.items()}
    return [_Row(row.number, row.cells, headers) for row in table.rows]


@dataclass(frozen=True)
class _Row(Row):
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, key: str) -> str:
        """The column's header as written in the file (the Thai name when the file has none)."""
        return self.headers.get(key) or COLUMN_LABELS[key]


def unformula(text: str) -> str:
    """A cell's text with the export's formula guard ("'=...") taken off again."""
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text


# --- categories ------------------------------------------------------------------------------

_CODE_RE = re.compile(
    r"^(?:มาตรา|ม\.|section|sec\.?|s\.)?\s*([79])?\s*\(\s*(\d{1,2})\s*\)\s*(.*)$", re.IGNORECASE
)
_AGENCY_SUB_RE = re.compile(r"^[-–—]\s*\d+(?:\s*[/.]\s*\d+)*$")


@dataclass
class CategoryReading:
    category: Category | None = None
    agency_code: str = ""
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    error: tuple[str, dict[str, Any]] | None = None


class CategoryReader:
    """Reads a category as offices write it: "9(3)", "มาตรา 9 (5)", "มาตรา๙(๗)", "ม.9(7)", "(3)",
    "มาตรา 9 (3) แผนงาน", "มาตรา 7 (1)", the category's Thai or English name, and an agency's own
    sub-number ("9(8)-2", "9(4) – 3", "9(8)- 3/1": kept as written, filed under its item)."""

    def __init__(self, mappings: Mapping[str, str] | None = None):
        self.by_code = {c.code: c for c in db.session.scalars(select(Category))}
        self.by_name: dict[str, Category] = {}
        for c in self.by_code.values():
            for name in (c.name_th, c.name_en):
                if name:
                    self.by_name.setdefault(search_key(name), c)
        self.mappings = dict(mappings or {})

    def read(self, text: str) -> CategoryReading:
        raw = normalize_text(text)
        value = arabic_digits(raw)
        if not value:
            return CategoryReading(error=(N_("ไม่มีหมวด กรุณาใส่รหัสหมวด เช่น 9(3) หรือ มาตรา 7 (1)"), {}))
        compact = value.replace(" ", "")
        if compact in self.by_code:
            return CategoryReading(self.by_code[compact])
        mapped = self.mappings.get(mapping_key(raw))
        if mapped in self.by_code:
            return CategoryReading(
                self.by_code[mapped],
                notes=[
                    (N_("หมวด “%(value)s” → %(code)s (ตามที่จับคู่ไว้)"), {"value": raw, "code": mapped})
                ],
            )
        if m := _CODE_RE.match(value):
            section, item, rest = m.group(1), m.group(2), m.group(3).strip()
            code = f"{section or '9'}({int(item)})"
            category = self.by_code.get(code)
            if category is None:
                return CategoryReading(
                    error=(
                        N_("ไม่รู้จักหมวด “%(value)s” ใช้ 9(1) ถึง 9(8) หรือ 7(1) ถึง 7(5)"),
                        {"value": raw},
                    )
                )
            if rest.startswith(".") and code + rest.replace(" ", "") in self.by_code:
                return CategoryReading(self.by_code[code + rest.replace(" ", "")])
            if rest and _AGENCY_SUB_RE.match(rest):
                return CategoryReading(
                    category,
                    agency_code=raw[:40],
                    notes=[
                        (
                            N_(
                                "หมวด “%(value)s” เป็นเลขรายการของหน่วยงาน: จัดเข้า %(code)s และเก็บ "
                                "“%(value)s” ไว้ตามที่เขียน"
                            ),
                            {"value": raw, "code": code},
                        )
                    ],
                )
            if rest or not section:
                return CategoryReading(
                    category,
                    notes=[(N_("หมวด “%(value)s” อ่านเป็น %(code)s"), {"value": raw, "code": code})],
                )
            return CategoryReading(category)
        key = search_key(raw)
        if key in self.by_name:
            return CategoryReading(self.by_name[key])
        if len(key) >= 4:
            found = {c.code: c for name, c in self.by_name.items() if name.startswith(key)}
            if len(found) == 1:
                category = next(iter(found.values()))
                return CategoryReading(
                    category,
                    notes=[
                        (
                            N_("หมวด “%(value)s” อ่านเป็น %(code)s"),
                            {"value": raw, "code": category.code},
                        )
                    ],
                )
        return CategoryReading(
            error=(
                N_(
                    "ไม่รู้จักหมวด “%(value)s” ใช้รหัส เช่น 9(3), ๙(๓) หรือ มาตรา 7 (1) "
                    "หรือจับคู่หมวดในหน้าตรวจสอบ"
                ),
                {"value": raw},
            )
        )


# --- checking --------------------------------------------------------------------------------


def _lookup(labels: dict[str, str]) -> dict[str, str]:
    table = {k.lower(): k for k in labels}
    table.update({normalize_text(v): k for k, v in labels.items()})
    return table


_DISCLOSURE = _lookup(DISCLOSURE_LABELS) | {"เปิดเผยบางส่วน": "partial"}
_STATES = _lookup({k: v for k, v in STATE_LABELS.items()})


def _code(cells: dict, error, key: str, codes: dict[str, str], default: str, unknown: str):
    """The code a cell names (``default`` when it is empty), or None after ``error`` says the
    ``unknown`` message with what was typed."""
    found = codes.get(normalize_text(cells.get(key, "")).lower() or default)
    if found is None:
        error(key, unknown, value=cells[key])
    return found


_GROUNDS = {arabic_digits(k): k for k in WITHHOLDING_GROUNDS}


def plan_import(
    rows: Iterable[Row],
    office: Office,
    *,
    mappings: Mapping[str, str] | None = None,
    seconds: float | None = None,
) -> ImportPlan:
    """Read every row: the plan holds the entries to create, every error and every warning.

    Category values are also read through the office's stored mappings and ``mappings``
    ({value: category code}, e.g. from `--map FILE`), which take precedence. With ``seconds``
    (web requests), checking stops with ImportFileError after that long.
    """
    deadline = time.monotonic() + seconds if seconds is not None else None
    read_category = functools.lru_cache(maxsize=4096)(
        lambda text: CategoryReader.read(reader, text)
    )
    read_date = functools.lru_cache(maxsize=4096)(read_thai_date)
    stored = stored_mappings(office.id, "category") if office.id else {}
    reader = CategoryReader(stored | {mapping_key(k): v for k, v in (mappings or {}).items()})
    offices = {o.code.upper(): o for o in db.session.scalars(select(Office))}
    plan = ImportPlan()
    for count, row in enumerate(rows, start=1):
        if deadline is not None and count % 500 == 0 and time.monotonic() > deadline:
            raise ImportFileError(
                N_("อ่านไฟล์ไม่เสร็จภายใน %(seconds)s วินาที กรุณาแบ่งเป็นไฟล์ที่เล็กลง"), seconds=f"{seconds:g}"
            )
        number = row.number
        cells = {k: unformula(v) for k, v in row.cells.items()}
        header = row.header if isinstance(row, _Row) else COLUMN_LABELS.get
        errors: list[RowError] = []

        def error(key: str, message: str, **params: Any) -> None:
            errors.append(RowError(number, message, params, header(key)))  # noqa: B023

        def warn(key: str, message: str, **params: Any) -> None:
            plan.warnings.append(RowError(number, message, params, header(key)))  # noqa: B023

        title = normalize_text(cells.get("title", ""))
        if not title:
            error("title", N_("ไม่มีชื่อเรื่อง กรุณากรอกชื่อเรื่องของเอกสาร"))
        reading = read_category(cells.get("category", ""))
        if reading.error:
            error("category", reading.error[0], **reading.error[1])
            if cells.get("category", "").strip():
                plan.unknown["category"].setdefault(normalize_text(cells["category"]), []).append(
                    number
                )
        for message, params in reading.notes:
            warn("category", message, **params)
        doc_date = None
        if cells.get("date"):
            try:
                date_reading = read_date(cells["date"])
            except DateParseError as exc:
                error("date", exc.message, **exc.params)
            else:
                doc_date = date_reading.date
                for note in date_reading.notes:
                    warn("date", note.message, **dict(note.params))
        ref = normalize_text(cells.get("ref", ""))
        location = normalize_text(cells.get("location", ""))
        agency_code = normalize_text(cells.get("agency_code", "")) or reading.agency_code
        if len(ref) > 120:
            error("ref", N_("เลขที่หนังสือยาวเกิน 120 ตัวอักษร"))
        if len(location) > 200:
            error("location", N_("ที่เก็บเอกสารยาวเกิน 200 ตัวอักษร"))
        if len(agency_code) > 40:
            error("agency_code", N_("เลขรายการของหน่วยงานยาวเกิน 40 ตัวอักษร"))

        disclosure = _code(
            cells,
            error,
            "disclosure",
            _DISCLOSURE,
            "open",
            N_("ไม่รู้จักการเปิดเผย “%(value)s” ใช้ open, partial หรือ closed"),
        )
        ground = None
        if cells.get("withheld_ground"):
            ground = _GROUNDS.get(
                arabic_digits(cells["withheld_ground"]).replace(" ", "").replace("มาตรา", "")
            )
            if ground is None:
                error(
                    "withheld_ground",
                    N_("ไม่รู้จักเหตุที่ปกปิด “%(value)s” ใช้ 14 หรือ 15(1) ถึง 15(7)"),
                    value=cells["withheld_ground"],
                )
        elif disclosure in ("partial", "closed"):
            error(
                "withheld_ground",
                N_("ปกปิดบางส่วนหรือไม่เปิดเผย ต้องระบุเหตุ (คอลัมน์ withheld_ground เช่น 15(5))"),
            )
        state = _code(
            cells,
            error,
            "state",
            _STATES,
            "published",
            N_("ไม่รู้จักสถานะ “%(value)s” ใช้ draft, published หรือ withdrawn"),
        )
        row_office = office
        if cells.get("office"):
            row_office = offices.get(cells["office"].strip().upper())
            if row_office is None:
                error("office", N_("ไม่พบสำนักงานรหัส “%(value)s”"), value=cells["office"])
        if errors:
            plan.errors.extend(errors)
            continue
        keywords = ";".join(
            k for k in (normalize_text(k) for k in cells.get("keywords", "").split(";")) if k
        )
        plan.entries.append(
            {
                "row": number,
                "office": row_office,
                "category": reading.category,
                "ref": ref,
                "title": title,
                "summary": normalize_text(cells.get("summary", "")),
                "keywords": keywords,
                "doc_date": doc_date,
                "location": location,
                "disclosure": disclosure,
                "withheld_ground": ground,
                "state": state,
                "agency_code": agency_code,
            }
        )
    return plan


def apply_import(
    plan: ImportPlan, user_id: int | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Create the plan's good entries through the ORM (so each is audited); the caller commits.
    Rows with errors are skipped: the caller has shown them and chosen to import the rest."""
    created = 0
    for item in plan.entries:
        entry = IndexEntry(
            office_id=item["office"].id,
            category_id=item["category"].id,
            ref=item["ref"],
            title=item["title"],
            summary=item["summary"],
            keywords=item["keywords"],
            doc_date=item["doc_date"],
            location=item["location"],
            disclosure=item["disclosure"],
            withheld_ground=item["withheld_ground"],
            state=item["state"],
            review_by=default_review_by(item["category"]),
            agency_code=item["agency_code"],
            created_by_id=user_id,
            updated_by_id=user_id,
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
        yield [
            neutralise(v)
            for v in (
                e.ref,
                e.title,
                e.category.code,
                e.doc_date.isoformat() if e.doc_date else "",
                e.summary,
                e.keywords,
                e.location,
                e.disclosure,
                e.withheld_ground or "",
                e.state,
                e.office.code,
                e.agency_code,
            )
        ]


def neutralise(text: str) -> str:
    """A cell no spreadsheet runs as a formula (OWASP CSV injection): text starting with
    = + - @ tab or CR gets a leading apostrophe, which the import takes off again."""
    return "'" + text if text and text.startswith(FORMULA_START) else text


def export_bytes(fmt: str, office_ids: list[int] | None = None) -> bytes:
    """The index as a CSV (UTF-8 with BOM, so Excel shows Thai) or XLSX file."""
    if fmt == "csv":
        return csv_bytes(export_rows(office_ids))
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        book = Workbook(write_only=True)
        sheet = book.create_sheet("index")
        for row in export_rows(office_ids):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula, whatever it starts with
                cells.append(cell)
            sheet.append(cells)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
