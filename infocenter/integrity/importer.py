"""Read an integrity plan as offices keep it: the table of each dimension under a heading
"มิติที่ N ...", columns ระดับ · นโยบาย/มาตรการ/แนวทาง · กิจกรรม/โครงการ · ระยะเวลาดำเนินการ ·
ผู้รับผิดชอบ · หน่วยงานปฏิบัติ สพจ./สพอ. · หลักฐานอ้างอิง.

``parse_rows(rows)`` works on a list of rows (lists of cell strings) from any reader; ``read_rows``
is the one small reader of TSV/CSV/XLSX files (to be swapped for the shared spreadsheet reader).
Nothing here writes: ``operations.save_plan`` stores a ``ParsedPlan``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from ..spreadsheet import OLE2_MAGIC, ZIP_MAGIC, decode_text, read_grid
from ..thai import N_, arabic_digits, normalize_text
from .periods import Period, parse_periods

COLUMNS = (
    "ระดับ",
    "นโยบาย/มาตรการ/แนวทาง",
    "กิจกรรม/โครงการ",
    "ระยะเวลาดำเนินการ",
    "ผู้รับผิดชอบ",
    "หน่วยงานปฏิบัติ สพจ./สพอ.",
    "หลักฐานอ้างอิง",
)

_DIMENSION_RE = re.compile(r"^มิติที่\s*(\d+)\s*(.*)$")
_YEAR_RE = re.compile(r"ปีงบประมาณ\s*(?:พ\.ศ\.)?\s*(\d{4})")
_LI_RE = re.compile(r"<li[^>]*>(.*?)</li>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")
# An activity's number: "๒.๑.๑", "๒.๒.๓.", "3.๒.๑", "๑." — at the start of the cell or after a
# space.
_CODE_RE = re.compile(r"(?:(?<=\s)|^)(\d+(?:\.\d+)+\.?|\d+\.)(?=\s*[^\s\d.])")
_MEASURE_NO_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?\s*")
_OFFICE_SPLIT_RE = re.compile(r"\s+(?=สพจ)")


@dataclass
class ParsedActivity:
    code: str
    title: str
    period_text: str = ""
    start: date | None = None
    end: date | None = None
    responsible: str = ""
    offices_text: str = ""
    provincial: bool = True
    districts: bool = False
    evidence: str = ""
    line: int = 0


@dataclass
class ParsedMeasure:
    level: str
    number: str
    title: str
    line: int
    activities: list[ParsedActivity] = field(default_factory=list)


@dataclass
class ParsedDimension:
    number: int
    title: str
    line: int
    measures: list[ParsedMeasure] = field(default_factory=list)


@dataclass
class Problem:
    """Something on one line the clerk should check or fix (``message`` is a msgid with params)."""

    line: int
    message: str
    params: dict
    text: str = ""

    def __str__(self) -> str:
        from flask_babel import gettext

        return gettext(self.message, **self.params)


@dataclass
class ParsedPlan:
    fiscal_year: int | None = None
    title: str = ""
    dimensions: list[ParsedDimension] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def activities(self) -> list[ParsedActivity]:
        return [a for d in self.dimensions for m in d.measures for a in m.activities]

    @property
    def measures(self) -> list[ParsedMeasure]:
        return [m for d in self.dimensions for m in d.measures]


def _clean(cell: str | None) -> str:
    text = html.unescape(_TAG_RE.sub(" ", cell or ""))
    return " ".join(normalize_text(text).split()) if text.strip() else ""


def _split_activities(cell: str) -> list[tuple[str | None, str]]:
    """The activities written in one cell: HTML list items, or numbered items
    ("๒.๑.๑ ... ๒.๑.๒ ...")."""
    items = _LI_RE.findall(cell or "")
    if items:
        return [(None, re.sub(r"^[-•]\s*", "", _clean(i))) for i in items if _clean(i)]
    text = _clean(cell)  # titles keep the digits as written; numbers are read from a folded copy
    if not text:
        return []
    matches = list(_CODE_RE.finditer(arabic_digits(text)))
    if not matches:
        return [(None, text)]
    out: list[tuple[str | None, str]] = []
    head = text[: matches[0].start()].strip()
    if head:
        out.append((None, head))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out.append((arabic_digits(m.group(1)).rstrip("."), text[m.end() : end].strip()))
    return out


def _parts(cell: str, n: int, words_split: bool = False) -> list[str]:
    """A cell written once per activity ("ผู้อำนวยการ ผู้อำนวยการ") split into n parts; else n
    copies."""
    text = _clean(cell)
    if n <= 1 or not text:
        return [text] * max(n, 1)
    wide = [
        p.strip()
        for p in re.split(r"\s{2,}", " ".join((cell or "").replace("\t", " ").split(" ")))
        if p.strip()
    ]
    if len(wide) == n:
        return [_clean(p).lstrip("-• ").strip() for p in wide]
    bullets = [p.strip() for p in re.split(r"(?:^|\s)-\s+", text) if p.strip()]
    if len(bullets) == n:
        return bullets
    words = text.split()
    # "ผู้อำนวยการ ผู้อำนวยการ" is one per activity; "กลุ่มงาน สารสนเทศ" is one unit's name.
    if len(words) == n and (words_split or len(set(words)) == 1):
        return words
    return [text] * n


def _offices(cell: str, n: int) -> list[tuple[str, bool, bool]]:
    text = _clean(cell)
    parts = [p.strip() for p in _OFFICE_SPLIT_RE.split(text) if p.strip()] if text else []
    if len(parts) != n:
        parts = [text] * n
    return [(p, "สพจ" in p or not p, "สพอ" in p) for p in parts]


def _periods(cell: str, n: int, fiscal_year: int | None) -> tuple[list[Period | None], bool]:
    """One period per activity (the cell's own when it holds one per activity, else its whole
    span)."""
    text = _clean(cell)
    if not text or fiscal_year is None:
        return [None] * n, bool(text)
    found = parse_periods(text, fiscal_year)
    if not found:
        return [None] * n, True
    if len(found) == n:
        return list(found), False
    span = Period(min(p.start for p in found), max(p.end for p in found), text)
    return [span] * n, False


def _year_line(row: list) -> re.Match | None:
    cells = [c for c in row if isinstance(c, str) and c.strip()]
    return _YEAR_RE.search(arabic_digits(_clean(cells[0]))) if len(cells) == 1 else None


def parse_rows(rows: list[list[str]], fiscal_year: int | None = None) -> ParsedPlan:
    """Read a plan from rows of cells; line numbers in problems count rows from 1."""
    if fiscal_year is None:
        # The year heads the file, but may come after a table: find it first, so periods can be
        # read.
        fiscal_year = next((int(m.group(1)) for row in rows for m in [_year_line(row)] if m), None)
    plan = ParsedPlan(fiscal_year=fiscal_year)
    dimension: ParsedDimension | None = None
    measure: ParsedMeasure | None = None
    level = ""
    seen_codes: dict[tuple[int, str], int] = {}
    last_activity: ParsedActivity | None = None
    parent: ParsedActivity | None = None  # the last activity read from a full row
    for lineno, row in enumerate(rows, 1):
        cells = [c if isinstance(c, str) else ("" if c is None else str(c)) for c in row]
        nonempty = [c for c in cells if c and c.strip()]
        if not nonempty:
            continue
        first = arabic_digits(_clean(nonempty[0]))
        if len(nonempty) == 1 and (cells[0] or "").strip():
            # A line of text outside the table: a heading, the plan's title, the fiscal year.
            text = arabic_digits(_clean(" ".join(nonempty)))
            heading = _DIMENSION_RE.match(text)
            year = _YEAR_RE.search(text)
            if heading:
                number = int(heading.group(1))
                expected = dimension.number + 1 if dimension else 1
                if dimension and number <= dimension.number:
                    plan.problems.append(
                        Problem(
                            lineno,
                            N_(
                                'หัวข้อ "มิติที่ %(written)s" ซ้ำกับมิติก่อนหน้า อ่านเป็นมิติที่ %(read)s '
                                "โปรดตรวจเลขมิติในไฟล์"
                            ),
                            {"written": number, "read": expected},
                            text,
                        )
                    )
                    number = expected
                dimension = ParsedDimension(number, heading.group(2).strip(), lineno)
                plan.dimensions.append(dimension)
                measure, level, last_activity, parent = None, "", None, None
            elif year:
                if plan.fiscal_year is None:
                    plan.fiscal_year = int(year.group(1))
                elif int(year.group(1)) != plan.fiscal_year:
                    plan.problems.append(
                        Problem(
                            lineno,
                            N_("ปีงบประมาณ %(written)s ไม่ตรงกับปีของแผน (%(year)s) ใช้ปี %(year)s"),
                            {"written": year.group(1), "year": plan.fiscal_year},
                            text,
                        )
                    )
            elif text.startswith("แผนปฏิบัติการ") and not plan.title:
                plan.title = text
            continue
        if first.startswith("ระดับ"):
            continue  # the table's column headings, repeated on every page
        cells = (cells + [""] * 7)[:7]
        if dimension is None:
            plan.problems.append(
                Problem(
                    lineno, N_('แถวนี้อยู่ก่อนหัวข้อ "มิติที่ ..." ใด ๆ จึงไม่ได้นำเข้า'), {}, " | ".join(nonempty)
                )
            )
            continue
        lvl = arabic_digits(_clean(cells[0]))
        if lvl:
            level = lvl
        mtext = _clean(cells[1])
        if mtext:
            number_match = _MEASURE_NO_RE.match(arabic_digits(mtext))
            number = (
                number_match.group(1)
                if number_match
                else (level or str(len(dimension.measures) + 1))
            )
            title = mtext[number_match.end() :].strip() if number_match else mtext
            measure = ParsedMeasure(level, number, title or mtext, lineno)
            dimension.measures.append(measure)
        items = _split_activities(cells[2])
        if not items:
            if any(_clean(c) for c in cells[3:]):
                plan.problems.append(
                    Problem(
                        lineno,
                        N_(
                            "มีระยะเวลา/ผู้รับผิดชอบ/หลักฐาน แต่ไม่มีกิจกรรม: ใส่ชื่อกิจกรรมในคอลัมน์ "
                            '"กิจกรรม/โครงการ" หรือรวมเข้ากับแถวของกิจกรรมนั้น'
                        ),
                        {},
                        " | ".join(_clean(c) for c in cells if _clean(c)),
                    )
                )
            continue
        if measure is None:
            measure = ParsedMeasure(level, level or "1", "", lineno)
            dimension.measures.append(measure)
        n = len(items)
        periods, unread = _periods(cells[3], n, plan.fiscal_year)
        if unread:
            plan.problems.append(
                Problem(
                    lineno,
                    N_('อ่านระยะเวลา "%(text)s" ไม่ได้ เขียนเช่น เม.ย.-๖๓ หรือ ต.ค.๖๒ - ก.ย.๖๓'),
                    {"text": _clean(cells[3])},
                )
            )
        responsible = _parts(cells[4], n)
        offices = _offices(cells[5], n)
        evidence = _parts(cells[6], n, words_split=True)
        continuation = not any(_clean(c) for c in cells[3:6]) and last_activity is not None
        for i, (code, title) in enumerate(items):
            if continuation and parent is not None and (code is None or "." not in code):
                # "๑. แปรงพื้น..." under 2.1.1 on the rows below it: sub-activity 2.1.1.1
                code = f"{parent.code}.{code or i + 1}"
            elif code is None:
                code = f"{measure.number}.{len(measure.activities) + 1}"
            key = (dimension.number, code)
            if key in seen_codes:
                n_same = sum(
                    1 for k in seen_codes if k[0] == dimension.number and k[1].split("-")[0] == code
                )
                new = f"{code}-{n_same + 1}"
                plan.problems.append(
                    Problem(
                        lineno,
                        N_("เลขกิจกรรม %(code)s ซ้ำกับบรรทัด %(other)s ในมิติเดียวกัน นำเข้าเป็น %(new)s"),
                        {"code": code, "other": seen_codes[key], "new": new},
                    )
                )
                code = new
                key = (dimension.number, code)
            seen_codes[key] = lineno
            activity = ParsedActivity(code=code, title=title, line=lineno)
            if continuation:
                # A sub-item on its own row under a merged cell: it shares the row above's period
                # and offices.
                src = last_activity
                activity.period_text, activity.start, activity.end = (
                    src.period_text,
                    src.start,
                    src.end,
                )
                activity.responsible, activity.offices_text = src.responsible, src.offices_text
                activity.provincial, activity.districts = src.provincial, src.districts
                activity.evidence = evidence[i] or src.evidence
            else:
                period = periods[i]
                activity.period_text = period.text if period else _clean(cells[3])
                activity.start, activity.end = (
                    (period.start, period.end) if period else (None, None)
                )
                activity.responsible = responsible[i]
                activity.offices_text, activity.provincial, activity.districts = offices[i]
                activity.evidence = evidence[i]
                if period is None and not unread:
                    plan.problems.append(
                        Problem(
                            lineno,
                            N_("กิจกรรม %(code)s ไม่มีระยะเวลาดำเนินการ จึงติดตามความล่าช้าไม่ได้"),
                            {"code": code},
                        )
                    )
            measure.activities.append(activity)
        last_activity = measure.activities[-1]
        if not continuation:
            parent = measure.activities[-1]
    if plan.fiscal_year is None:
        plan.problems.append(Problem(0, N_("ไม่พบปีงบประมาณในไฟล์ ระบุปีงบประมาณเมื่อนำเข้า"), {}))
    return plan


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The rows of a plan file: the office's own tab-separated text (one line a row, quotes kept as
    typed, as the seed is) or any spreadsheet the shared reader takes (XLSX, XLS, CSV in UTF-8,
    UTF-16 or Windows-874). Raises SpreadsheetError (a Thai message) for what is no table."""
    if data.startswith((ZIP_MAGIC, OLE2_MAGIC)) or filename.lower().endswith(".csv"):
        return read_grid(data)
    text, _encoding = decode_text(data)
    return [line.split("\t") for line in text.splitlines()]
