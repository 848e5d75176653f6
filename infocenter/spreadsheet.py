"""The one spreadsheet reader every importer uses: a file in, a table of text cells out.

Reads CSV (UTF-8 with or without BOM, UTF-16 "Unicode text", Windows-874/TIS-620; comma, tab
or semicolon separated), XLSX (streamed) and XLS (xlrd). The format and the encoding are told
from the content, not the file name. Headers are matched by name in Thai or English (each
importer gives its aliases), in any order; empty rows and columns without a header are ignored.

Every limit (rows, columns, cell length, decompressed size, time) comes from the settings and
is refused with a Thai message before it can cost a worker its memory or its time:

    table = read_table(data, "index.xlsx", {"title": ("ชื่อเรื่อง", "เรื่อง", "title")})
    for row in table.rows:
        row.number, row.cells["title"]
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from typing import IO, Any

from .thai import N_, THAI_LETTERS, THAI_MARKS, MessageError, normalize_text

# Defaults of the settings (config.py may override each; see Limits.from_config).
DEFAULT_LIMITS = {
    "IMPORT_MAX_ROWS": 50_000,  # data rows with something in them
    "IMPORT_MAX_COLUMNS": 100,
    "IMPORT_MAX_CELL_CHARS": 32_767,  # Excel's own limit for one cell
    "IMPORT_MAX_UNZIPPED_MB": 100,  # XLSX: the sum of the sizes the zip declares
    "IMPORT_MAX_ZIP_RATIO": 200,  # XLSX: declared size / compressed size of any member
    "IMPORT_MAX_SECONDS": 20,  # reading stops with a message after this long
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Files people pick by mistake: PDF, PNG, JPEG, GIF, RTF, gzip.
NOT_A_TABLE = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf", b"\x1f\x8b")

# csv's own cap (131,072 characters) raises an error nobody catches; cells are measured against
# IMPORT_MAX_CELL_CHARS instead, and the file's size is bounded by the upload limit.
csv.field_size_limit(2**31 - 1)


class SpreadsheetError(MessageError):
    """The file as a whole cannot be read; str() gives the Thai message (English on English
    pages)."""


@dataclass(frozen=True)
class Limits:
    rows: int = DEFAULT_LIMITS["IMPORT_MAX_ROWS"]
    columns: int = DEFAULT_LIMITS["IMPORT_MAX_COLUMNS"]
    cell_chars: int = DEFAULT_LIMITS["IMPORT_MAX_CELL_CHARS"]
    unzipped_bytes: int = DEFAULT_LIMITS["IMPORT_MAX_UNZIPPED_MB"] * 1024 * 1024
    zip_ratio: int = DEFAULT_LIMITS["IMPORT_MAX_ZIP_RATIO"]
    seconds: float = DEFAULT_LIMITS["IMPORT_MAX_SECONDS"]

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> Limits:
        """The limits from the app's settings (the current app's when none are given)."""
        if config is None:
            from flask import current_app, has_app_context

            config = current_app.config if has_app_context() else {}
        get = lambda key: config.get(key, DEFAULT_LIMITS[key])  # noqa: E731
        return cls(
            rows=int(get("IMPORT_MAX_ROWS")),
            columns=int(get("IMPORT_MAX_COLUMNS")),
            cell_chars=int(get("IMPORT_MAX_CELL_CHARS")),
            unzipped_bytes=int(float(get("IMPORT_MAX_UNZIPPED_MB")) * 1024 * 1024),
            zip_ratio=int(get("IMPORT_MAX_ZIP_RATIO")),
            seconds=float(get("IMPORT_MAX_SECONDS")),
        )


@dataclass(frozen=True)
class Row:
    """One data row: its number as the spreadsheet shows it (header = row 1) and its cells as
    text, keyed by column name (the importer's key, or the header as written when none match)."""

    number: int
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass
class Table:
    """A read file: the headers as written, the key each column was matched to, the rows."""

    headers: list[str]
    columns: dict[str, int]  # key → 0-based column index
    rows: list[Row] = field(default_factory=list)
    format: str = ""  # "csv", "xlsx" or "xls"
    encoding: str = ""  # CSV only: the encoding it was read in


def header_key(text: str) -> str:
    """A header in the form headers are compared in: normalised, case folded, without spaces
    and the punctuation people add ("ชื่อเรื่อง :", "Title*", "เลขที่ หนังสือ")."""
    return re.sub(r"[\s:*._\-/()]+", "", normalize_text(text).casefold())


def read_table(
    data: bytes | IO[bytes],
    filename: str = "",
    columns: Mapping[str, tuple[str, ...]] | None = None,
    *,
    required: tuple[str, ...] = (),
    limits: Limits | None = None,
) -> Table:
    """Read a spreadsheet file into a Table, or raise SpreadsheetError with a Thai message.

    ``columns`` maps each key to the header spellings accepted for it (Thai and English);
    ``required`` keys missing from the header row are refused, naming the first spelling.
    The header row is the first row with something in it.
    """
    if not isinstance(data, bytes):
        data = data.read()
    limits = limits or Limits.from_config()
    deadline = time.monotonic() + limits.seconds
    fmt, encoding, raw_rows = _open(data, limits)
    return _build(raw_rows, fmt, encoding, columns or {}, required, limits, deadline)


def read_grid(data: bytes, *, limits: Limits | None = None) -> list[list[str]]:
    """Every row of a file as text cells, without a header row (for files laid out as a document,
    such as an office's action plan): the same formats, encodings and limits as ``read_table``."""
    limits = limits or Limits.from_config()
    _fmt, _encoding, raw_rows = _open(data, limits)
    grid: list[list[str]] = []
    for number, values in raw_rows:
        if number > 2 * limits.rows + 10_000:
            raise SpreadsheetError(
                N_("ไฟล์มีมากกว่า %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์"), max=f"{limits.rows:,}"
            )
        grid.append([cell_text(v)[: limits.cell_chars] for v in values[: limits.columns + 1]])
    return grid


def _open(data: bytes, limits: Limits) -> tuple[str, str, Iterator[tuple[int, list[Any]]]]:
    """The format, the text encoding (CSV) and the numbered raw rows of a file, told by content."""
    if not data.strip():
        raise SpreadsheetError(N_("ไฟล์ว่างเปล่า แถวแรกต้องเป็นหัวคอลัมน์"))
    if data.startswith(ZIP_MAGIC):
        return "xlsx", "", _xlsx_rows(data, limits)
    if data.startswith(OLE2_MAGIC):
        return "xls", "", _xls_rows(data, limits)
    if data.startswith(NOT_A_TABLE) or b"\x00" in data[:4096] and not _looks_utf16(data):
        raise SpreadsheetError(N_("ไฟล์นี้ไม่ใช่ตาราง รับเฉพาะไฟล์ .csv, .xlsx หรือ .xls"))
    text, encoding = decode_text(data)
    return "csv", encoding, _csv_rows(text)


# --- writing ---------------------------------------------------------------------------------


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """Rows as a CSV file in UTF-8 with a BOM, so spreadsheet programs show the Thai (every CSV
    the application gives out)."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def csv_download(rows: Iterable[Sequence[object]], filename: str):
    """A Flask response downloading ``csv_bytes(rows)`` as ``filename``."""
    from flask import Response

    return Response(
        csv_bytes(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


# --- building the table ----------------------------------------------------------------------


def _build(
    raw_rows: Iterator[tuple[int, list[Any]]],
    fmt: str,
    encoding: str,
    columns: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    limits: Limits,
    deadline: float,
) -> Table:
    aliases = {header_key(name): key for key, names in columns.items() for name in (key, *names)}
    table: Table | None = None
    width = 0
    scanned = 0
    for number, values in raw_rows:
        scanned += 1
        if scanned % 256 == 0 and time.monotonic() > deadline:
            raise SpreadsheetError(
                N_("อ่านไฟล์ไม่เสร็จภายใน %(seconds)s วินาที กรุณาแบ่งเป็นไฟล์ที่เล็กลง"),
                seconds=f"{limits.seconds:g}",
            )
        texts = [cell_text(v) for v in values[: width if table is not None else limits.columns + 1]]
        if table is None:
            if not any(texts):
                if scanned > 1000:  # a sheet that starts with endless empty rows
                    break
                continue
            while texts and not texts[-1]:
                texts.pop()
            if len(texts) > limits.columns:
                raise SpreadsheetError(
                    N_("ไฟล์มีมากกว่า %(max)s คอลัมน์ กรุณาลบคอลัมน์ที่ไม่ใช้"), max=f"{limits.columns:,}"
                )
            table = Table(headers=texts, columns={}, format=fmt, encoding=encoding)
            for index, header in enumerate(texts):
                key = (
                    aliases.get(header_key(header)) if columns else (normalize_text(header) or None)
                )
                if key and key not in table.columns:
                    table.columns[key] = index
            width = len(texts)
            missing = [k for k in required if k not in table.columns]
            if missing:
                names = [columns[k][0] if columns.get(k) else k for k in missing]
                raise SpreadsheetError(
                    N_("แถวที่ %(row)s: ไม่พบคอลัมน์ %(missing)s กรุณาใส่หัวคอลัมน์ เช่น %(columns)s"),
                    row=number,
                    missing=", ".join(names),
                    columns=", ".join(names[0] for names in columns.values() if names),
                )
            continue
        if not any(texts[:width]):
            if scanned > 2 * limits.rows + 10_000:  # e.g. formatting that runs to the sheet's end
                raise SpreadsheetError(
                    N_("ไฟล์มีมากกว่า %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์"), max=f"{limits.rows:,}"
                )
            continue
        for index, text in enumerate(texts[:width]):
            if len(text) > limits.cell_chars:
                raise SpreadsheetError(
                    N_(
                        "แถวที่ %(row)s คอลัมน์ “%(column)s”: ข้อความยาว %(length)s ตัวอักษร เกิน %(max)s "
                        "กรุณาตัดให้สั้นลง"
                    ),
                    row=number,
                    column=table.headers[index] if index < len(table.headers) else index + 1,
                    length=f"{len(text):,}",
                    max=f"{limits.cell_chars:,}",
                )
        if len(table.rows) >= limits.rows:
            raise SpreadsheetError(
                N_("ไฟล์มีมากกว่า %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์"), max=f"{limits.rows:,}"
            )
        cells = {key: texts[i] if i < len(texts) else "" for key, i in table.columns.items()}
        table.rows.append(Row(number, cells))
    if table is None:
        raise SpreadsheetError(N_("ไฟล์ว่างเปล่า แถวแรกต้องเป็นหัวคอลัมน์"))
    return table


def cell_text(value: Any) -> str:
    """A cell as text: dates ISO (with the time when there is one), whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dtime):
        return f"{value:%H:%M}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


# --- CSV -------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in, told from the content."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif _utf16_high_bytes(data[1:400:2]) and not _utf16_high_bytes(data[0:400:2]):
        encoding = (
            "utf-16-le"  # UTF-16 without a BOM: every other byte is 0x00 (ASCII) or 0x0E (Thai)
        )
    elif _utf16_high_bytes(data[0:400:2]) and not _utf16_high_bytes(data[1:400:2]):
        encoding = "utf-16-be"
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            encoding = "cp874"  # what Thai Excel saves; TIS-620 is a subset of it
    try:
        text = data.decode(encoding)
        if encoding == "cp874" and _STRAY_MARK_RE.search(text):
            raise UnicodeDecodeError(
                encoding, data, 0, 1, "not Thai"
            )  # Latin-1 or another code page
        return text, encoding
    except UnicodeDecodeError:
        raise SpreadsheetError(
            N_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8 (ใน Excel เลือก CSV UTF-8)")
        ) from None


# A Thai vowel or tone mark with no Thai letter before it: bytes of another code page read as
# Windows-874.
_STRAY_MARK_RE = re.compile(f"(?<![{THAI_LETTERS}])[{THAI_MARKS}]")


def _looks_utf16(data: bytes) -> bool:
    return (
        data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        or _utf16_high_bytes(data[1:400:2])
        or _utf16_high_bytes(data[0:400:2])
    )


def _utf16_high_bytes(sample: bytes) -> bool:
    return len(sample) >= 2 and sum(b in (0x00, 0x0E) for b in sample) >= 0.9 * len(sample)


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = max(",\t;", key=first.count) if first else ","
    if "\x00" in text:
        raise SpreadsheetError(
            N_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8 (ใน Excel เลือก CSV UTF-8)")
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise SpreadsheetError(
            N_('อ่านไฟล์ CSV ไม่ได้ที่แถวที่ %(row)s กรุณาตรวจเครื่องหมายคำพูด (") ในแถวนั้น'),
            row=reader.line_num,
        ) from None


# --- XLSX ------------------------------------------------------------------------------------


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb from the sizes the zip declares, before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                raise SpreadsheetError(
                    N_("ยังไม่รับไฟล์ .ods กรุณาบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วลองใหม่")
                )
    except zipfile.BadZipFile:
        raise SpreadsheetError(N_("อ่านไฟล์ Excel ไม่ได้ กรุณาบันทึกเป็น .xlsx แล้วลองใหม่")) from None
    total = sum(m.file_size for m in members)
    worst = max(
        (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 1_000_000),
        default=0,
    )
    if total > limits.unzipped_bytes or worst > limits.zip_ratio or len(members) > 10_000:
        raise SpreadsheetError(
            N_("ไฟล์ Excel นี้เมื่อขยายแล้วใหญ่เกิน %(max)s MB กรุณาแบ่งเป็นไฟล์ที่เล็กลง หรือบันทึกเป็น CSV"),
            max=f"{limits.unzipped_bytes // (1024 * 1024):,}",
        )
    if (
        "xl/worksheets/sheet1.xml" in names
        and _count_rows(data, "xl/worksheets/sheet1.xml") > 2 * limits.rows + 10_000
    ):
        # An honest 1,048,576-row sheet: told in a second from the raw XML, before parsing it.
        raise SpreadsheetError(
            N_("ไฟล์มีมากกว่า %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์"), max=f"{limits.rows:,}"
        )


def _count_rows(data: bytes, member: str) -> int:
    """Rows with cells in a sheet's XML (each ends with </row>), counted while decompressing."""
    count, tail = 0, b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            count += block.count(b"</row>")
            tail = block[-5:] if not block.endswith(b"</row>") else b""
    return count


def _xlsx_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    _check_zip(data, limits)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise SpreadsheetError(N_("อ่านไฟล์ Excel ไม่ได้ กรุณาบันทึกเป็น .xlsx แล้วลองใหม่")) from None
    try:
        sheet = book.worksheets[0]
        # The <dimension> a file declares may claim 16,384 columns × 1,048,576 rows: forget it,
        # so rows are not padded to it, and read no cell beyond the column limit.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=limits.columns + 1, values_only=True)
        yield from enumerate(rows, start=1)  # missing rows come as empty ones, so numbers hold
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(N_("อ่านไฟล์ Excel ไม่ได้ กรุณาบันทึกเป็น .xlsx แล้วลองใหม่")) from None
    finally:
        book.close()


# --- XLS (Excel 97–2003) ---------------------------------------------------------------------


def _xls_rows(data: bytes, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception:  # xlrd raises many kinds for a damaged file or a .doc renamed .xls
        raise SpreadsheetError(N_("อ่านไฟล์ Excel (.xls) ไม่ได้ กรุณาบันทึกเป็น .xlsx แล้วลองใหม่")) from None
    try:
        sheet = book.sheet_by_index(0)
        if sheet.nrows > 2 * limits.rows + 10_000:
            raise SpreadsheetError(
                N_("ไฟล์มีมากกว่า %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์"), max=f"{limits.rows:,}"
            )
        width = min(sheet.ncols, limits.columns + 1)
        for r in range(sheet.nrows):
            values: list[Any] = []
            for c in range(min(width, sheet.row_len(r))):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                    except Exception:
                        value = cell.value
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                else:
                    value = cell.value
                values.append(value)
            yield r + 1, values
    finally:
        book.release_resources()
