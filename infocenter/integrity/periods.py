"""Periods as integrity plans write them: "เม.ย.-๖๓", "ต.ค.๖๒ - ก.ย.๖๓", "พ.ค. ๖๓",
"เม.ย.-๖๓-ก.ย.-๖๓", "-ก.ย.๖๓" and the assessment's named rounds "รอบประเมินที่ ๑ และ ๒"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..thai import (
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    arabic_digits,
    ce_year,
    fiscal_year_range,
    month_days,
    year_from_input,
)

# "ม.ย." is a common misspelling of มิ.ย.; full month names are accepted too.
_MONTH_WORDS = {abbr: i + 1 for i, abbr in enumerate(THAI_MONTHS_SHORT)}
_MONTH_WORDS.update({name: i + 1 for i, name in enumerate(THAI_MONTHS)})
_MONTH_WORDS["ม.ย."] = 6
_MONTH_ALT = "|".join(re.escape(m) for m in sorted(_MONTH_WORDS, key=len, reverse=True))
_TOKEN_RE = re.compile(rf"({_MONTH_ALT})\s*-?\s*(\d{{4}}|\d{{2}})?(?!\d)")
_RANGE_GAP_RE = re.compile(r"^\s*(-|–|ถึง)\s*$")
_ROUND_RE = re.compile(r"รอบ(?:การ)?ประเมิน(?:ที่)?\s*([\d\s,และ]+)")

# The assessment's rounds within a fiscal year: round 1 October–March, round 2 April–September.
ROUND_MONTHS = {1: (10, 3), 2: (4, 9)}


@dataclass(frozen=True)
class Period:
    """A span of whole months (inclusive) and the text it was read from."""

    start: date
    end: date
    text: str


def _year(text: str | None, fiscal_year_be: int, month: int) -> int:
    """The Common Era year of a month written with a 2- or 4-digit year (``thai.year_from_input``),
    or none (the plan's FY)."""
    if not text:
        return ce_year(fiscal_year_be) - (1 if month >= 10 else 0)
    be = year_from_input(text)
    return ce_year(be) if be is not None else int(text)


def _month_start(year: int, month: int) -> date:
    return month_days(year, month)[0]


def _month_end(year: int, month: int) -> date:
    return month_days(year, month)[1]


def _round(n: int, fiscal_year_be: int) -> tuple[date, date]:
    first, last = ROUND_MONTHS[n]
    fy_start, fy_end = fiscal_year_range(fiscal_year_be)
    start_year = fy_start.year if first >= 10 else fy_end.year
    end_year = fy_start.year if last >= 10 else fy_end.year
    return _month_start(start_year, first), _month_end(end_year, last)


def parse_periods(text: str, fiscal_year_be: int) -> list[Period]:
    """Every period written in one cell, in order (a cell may hold one per activity)."""
    raw = " ".join((text or "").split())
    folded = arabic_digits(raw)
    rounds = _ROUND_RE.search(folded)
    if rounds:
        numbers = [int(n) for n in re.findall(r"\d", rounds.group(1)) if int(n) in ROUND_MONTHS]
        if numbers:
            spans = [_round(n, fiscal_year_be) for n in numbers]
            return [Period(min(s for s, _ in spans), max(e for _, e in spans), raw)]
    tokens = list(_TOKEN_RE.finditer(folded))
    periods: list[Period] = []
    i = 0
    while i < len(tokens):
        first = tokens[i]
        last = first
        if i + 1 < len(tokens) and _RANGE_GAP_RE.match(folded[first.end() : tokens[i + 1].start()]):
            last = tokens[i + 1]
            i += 1
        i += 1
        m1, m2 = _MONTH_WORDS[first.group(1)], _MONTH_WORDS[last.group(1)]
        y2 = _year(last.group(2), fiscal_year_be, m2)
        # "ต.ค. - ก.ย.๖๓": a start month without a year takes the end's year (or the one before).
        y1 = (
            _year(first.group(2), fiscal_year_be, m1)
            if first.group(2)
            else (y2 if m1 <= m2 else y2 - 1)
        )
        start, end = _month_start(y1, m1), _month_end(y2, m2)
        if end < start:
            start, end = end.replace(day=1), _month_end(start.year, start.month)
        periods.append(Period(start, end, raw[first.start() : last.end()].strip(" -")))
    return periods
