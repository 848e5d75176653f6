"""Thai conventions in one place: Thai character classes, Buddhist Era years and dates, fiscal
quarters, digits, text normalisation (and its map back to the text, for highlighting).

Everything that shows a date to a person, reads a typed year, counts by fiscal year, tests for a
Thai character or normalises text for search goes through this module, so the web pages, the
PDFs, the CLI and the statistics agree. Tests fail if another module spells a Thai range or
converts BE/CE years itself.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pythainlp

BE_OFFSET = 543
OFFICE_TZ = ZoneInfo("Asia/Bangkok")

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


# --- Thai characters -------------------------------------------------------------------------


class CharClass:
    """A set of characters usable both ways: ``ch in THAI_MARKS`` tests one character and
    ``f"[{THAI_MARKS}]"`` is a regular-expression class (consecutive code points as ranges).
    Modules outside this one never spell a Thai range by hand: they use these."""

    def __init__(self, chars: str | set[str] | frozenset[str]) -> None:
        self.chars = frozenset(chars)
        self.pattern = _ranges(self.chars)

    def __contains__(self, ch: object) -> bool:
        return ch in self.chars

    def __str__(self) -> str:
        return self.pattern

    def __repr__(self) -> str:
        return f"CharClass({self.pattern!r})"


def _ranges(chars: frozenset[str]) -> str:
    """The inside of a regex class matching exactly these characters."""
    points = sorted(ord(c) for c in chars)
    parts: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        lo, hi = re.escape(chr(points[i])), re.escape(chr(points[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "".join(parts)


# PyThaiNLP's sets, so there is one list of what counts as Thai. The Thai Unicode block
# (U+0E00-U+0E7F) has unassigned code points: these classes hold only real characters.
THAI_CHARACTERS = CharClass(pythainlp.thai_characters)  # every Thai character
THAI_LETTERS = CharClass(pythainlp.thai_letters)  # what words are made of: no digits, ฿, ๏ ๚ ๛
THAI_CONSONANTS = CharClass(pythainlp.thai_consonants)
THAI_DIGITS = CharClass(pythainlp.thai_digits)
THAI_TONE_MARKS = CharClass(pythainlp.thai_tonemarks)
THAI_LEAD_VOWELS = CharClass(pythainlp.thai_lead_vowels)  # written before the consonant: เ แ โ ใ ไ
THAI_FOLLOW_VOWELS = CharClass(pythainlp.thai_follow_vowels)  # after it, on the line: ะ า ำ ๅ
# The marks written above or below a consonant (combining characters): vowels above and below,
# tone marks, and the signs phinthu, thanthakhat, nikhahit and yamakkan.
THAI_MARKS = CharClass(
    pythainlp.thai_above_vowels
    + pythainlp.thai_below_vowels
    + pythainlp.thai_tonemarks
    + "".join(c for c in pythainlp.thai_signs if unicodedata.category(c) == "Mn")
)
NIKHAHIT = unicodedata.lookup("THAI CHARACTER NIKHAHIT")
SARA_AA = unicodedata.lookup("THAI CHARACTER SARA AA")
SARA_AM = unicodedata.lookup("THAI CHARACTER SARA AM")
SARA_E = unicodedata.lookup("THAI CHARACTER SARA E")
SARA_AE = unicodedata.lookup("THAI CHARACTER SARA AE")

_THAI_DIGITS = pythainlp.thai_digits  # ๐ to ๙, in order
_TO_THAI = str.maketrans("0123456789", _THAI_DIGITS)
_TO_ARABIC = str.maketrans(_THAI_DIGITS, "0123456789")


# --- time ------------------------------------------------------------------------------------


def now_utc() -> datetime:
    """The current time as an aware UTC datetime (use as a column default: pass the callable)."""
    return datetime.now(UTC)


def to_local(dt: datetime) -> datetime:
    """An aware datetime in the office's zone; naive values are taken to be UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(OFFICE_TZ)


def local_today() -> date:
    """Today's date in the office's zone."""
    return datetime.now(OFFICE_TZ).date()


def local_day_bounds_utc(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants [start 00:00, day after end 00:00) for an inclusive range of local dates."""
    lo = datetime(start.year, start.month, start.day, tzinfo=OFFICE_TZ).astimezone(UTC)
    nxt = end + timedelta(days=1)
    hi = datetime(nxt.year, nxt.month, nxt.day, tzinfo=OFFICE_TZ).astimezone(UTC)
    return lo, hi


# --- digits and numbers ----------------------------------------------------------------------


def thai_digits(value: object) -> str:
    """The text with Arabic digits replaced by Thai digits (๐-๙)."""
    return str(value).translate(_TO_THAI)


def arabic_digits(value: object) -> str:
    """The text with Thai digits replaced by Arabic digits (0-9)."""
    return str(value).translate(_TO_ARABIC)


def format_number(value: float | int | None, *, decimals: int = 0, thai: bool = False) -> str:
    """A number with thousands separators, optionally in Thai digits; None gives a dash."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    return thai_digits(text) if thai else text


# --- Buddhist Era dates ----------------------------------------------------------------------


# The BE/CE rule, one place for all of it. A four-digit year from BE 2400 up is Buddhist Era (BE
# 2400 is CE 1857: no CE year people type now is that large); below it, from CE 1900, Common Era;
# two digits are BE 25xx, the way offices shorten years ("ต.ค. 66", "29/04/63").
FIRST_BE_YEAR = 2400
_FIRST_CE_YEAR = 1900
_LAST_BE_YEAR = 3000
_TYPED_YEAR_RE = re.compile(r"\d{2}|\d{4}", re.ASCII)


def be_year(value: date | int) -> int:
    """The Buddhist Era year of a date, or of a Common Era year (2020 → 2563)."""
    return (value if isinstance(value, int) else value.year) + BE_OFFSET


def ce_year(be: int) -> int:
    """The Common Era year of a Buddhist Era year (2563 → 2020)."""
    return be - BE_OFFSET


def _typed_be_year(year: int, digits: int) -> int:
    """The BE year of a year as written: two digits are BE 25xx, four are BE from 2400 up and
    CE below."""
    if digits == 2:
        return 2500 + year
    return year if year >= FIRST_BE_YEAR else year + BE_OFFSET


def year_from_input(value: object, *, short: bool = True, common_era: bool = True) -> int | None:
    """The BE year in a year typed by a person, or None: "2566", "๒๕๖๖", " 2566 ", "66" (BE
    25xx) and a CE year "2023" all give 2566; a year outside CE 1900 – BE 3000 gives None.

    ``short=False`` refuses two-digit years and ``common_era=False`` four-digit years below BE
    2400: a fiscal-year box asks for the full BE year, and in a search query "2023" may be
    anything but a year."""
    text = arabic_digits(normalize_text(str(value if value is not None else "")))
    if not _TYPED_YEAR_RE.fullmatch(text) or (len(text) == 2 and not short):
        return None
    year = int(text)
    if len(text) == 4 and year < (_FIRST_CE_YEAR if common_era else FIRST_BE_YEAR):
        return None
    be = _typed_be_year(year, len(text))
    return be if be <= _LAST_BE_YEAR else None


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return to_local(value).date()
    return value


def thai_date(
    value: date | datetime | None, *, style: str = "long", thai: bool | None = None
) -> str:
    """A date in BE: style "long" → "๒๙ เมษายน ๒๕๖๓", "short" → "29 เม.ย. 2563".

    By default the long style uses Thai digits and the short style Arabic digits; ``thai``
    overrides that. Datetimes are shown in the office's zone.
    """
    if value is None:
        return ""
    d = _as_date(value)
    if style == "long":
        text = f"{d.day} {THAI_MONTHS[d.month - 1]} {be_year(d)}"
        use_thai = True if thai is None else thai
    elif style == "short":
        text = f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {be_year(d)}"
        use_thai = False if thai is None else thai
    else:
        raise ValueError(f"unknown date style {style!r}")
    return thai_digits(text) if use_thai else text


def month_label(
    value: date | datetime | str, *, style: str = "long", thai: bool | None = None
) -> str:
    """A month in BE, the one month label: style "long" → "พฤษภาคม ๒๕๖๓", "short" → "พ.ค. 2563"
    (digits as ``thai_date``). Takes a date in the month or a month key "2020-05". Pages in the
    reader's language use ``i18n.display_month``."""
    if isinstance(value, str):
        year, month = (int(p) for p in value.split("-"))
        value = date(year, month, 1)
    return thai_date(value, style=style, thai=thai).split(" ", 1)[1]


def thai_datetime(value: datetime | None, *, thai: bool = False) -> str:
    """A date and time in the office's zone: "29 เม.ย. 2563 14:05 น."."""
    if value is None:
        return ""
    local = to_local(value)
    text = f"{thai_date(local.date(), style='short', thai=thai)} {local:%H:%M} น."
    return thai_digits(text) if thai else text


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it (it is translated
    where it is shown, in the language of that request)."""
    return message


class MessageError(ValueError):
    """An error whose message a person reads: Thai ``message`` (a catalogue msgid marked with N_)
    with ``params``. ``str()`` gives it in the language of the current request — English on English
    pages — and in Thai outside a request (CLI, tests).

    The one convention for errors people read (see also ``infocenter/errors.py``): code below the
    views raises a subclass of this, with the Thai source string in ``N_()`` and its values as
    keyword arguments, never a string already translated with ``_()``::

        class InquiryError(MessageError): ...
        raise InquiryError(N_("ไม่รู้จักเหตุตามกฎหมาย %(grounds)s"), grounds=", ".join(unknown))

    The view (or command) catches the subclass and shows ``str(exc)``. A parameter that is itself
    text to translate is passed lazily (``_l("...")``) or as another MessageError. The one
    exception is WTForms: a field's ``process_formdata`` raises ``ValueError(_("..."))`` and a
    validator ``ValidationError(_("..."))``, because WTForms shows ``args[0]`` as it is."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params

    def __str__(self) -> str:
        from flask_babel import gettext  # only here: this module stays free of Flask otherwise

        return gettext(self.message, **self.params)


class DateParseError(MessageError):
    """A date typed by a person that could not be read."""


_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _year_to_ce(year: int) -> int:
    """The CE year of a four-digit year in a date: BE from 2400 up, CE below (see be_year)."""
    if year < _FIRST_CE_YEAR:
        raise DateParseError(N_("ปี %(year)s ไม่ถูกต้อง กรุณาระบุปี พ.ศ. เช่น 2563"), year=year)
    return ce_year(_typed_be_year(year, 4))


def parse_thai_date(text: str) -> date:
    """Read a date as people type it: ISO "2020-04-29", "29/04/2563", "29 เม.ย. 2563",
    "๒๙ เมษายน ๒๕๖๓".

    Years of 2400 and above are Buddhist Era; ISO dates with a year below 2400 are CE.
    English month names ("29 Apr 2020") are read too, and everything read_thai_date reads
    (its warnings are dropped here). Raises DateParseError saying what to type instead.
    """
    return read_thai_date(text).date


# --- fiscal year and quarter -----------------------------------------------------------------


def fiscal_year(d: date | datetime) -> int:
    """The BE fiscal year of a date: it starts on 1 October and is named by the year it ends."""
    d = _as_date(d)
    return be_year(d) + (1 if d.month >= 10 else 0)


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    """A quarter of a Thai fiscal year: Q1 Oct–Dec, Q2 Jan–Mar, Q3 Apr–Jun, Q4 Jul–Sep."""

    year: int  # BE fiscal year, e.g. 2563
    quarter: int  # 1..4

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise MessageError(N_("ไตรมาสต้องเป็น 1 ถึง 4"))
        if not FIRST_BE_YEAR <= self.year <= _LAST_BE_YEAR:
            raise MessageError(N_("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2563"))

    @classmethod
    def of(cls, d: date | datetime) -> FiscalQuarter:
        """The fiscal quarter a date falls in."""
        d = _as_date(d)
        return cls(fiscal_year(d), ((d.month - 10) % 12) // 3 + 1)

    @property
    def start(self) -> date:
        """The first day of the quarter."""
        ce_fy_end = ce_year(self.year)
        month0 = 9 + (self.quarter - 1) * 3  # 0-based month counted from January of FY start year
        year = ce_fy_end - 1 + month0 // 12
        return date(year, month0 % 12 + 1, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.next().start - timedelta(days=1)

    def next(self) -> FiscalQuarter:
        """The quarter after this one."""
        if self.quarter == 4:
            return FiscalQuarter(self.year + 1, 1)
        return FiscalQuarter(self.year, self.quarter + 1)

    def previous(self) -> FiscalQuarter:
        """The quarter before this one."""
        if self.quarter == 1:
            return FiscalQuarter(self.year - 1, 4)
        return FiscalQuarter(self.year, self.quarter - 1)

    def year_before(self) -> FiscalQuarter:
        """The same quarter of the previous fiscal year."""
        return FiscalQuarter(self.year - 1, self.quarter)

    def months(self) -> list[date]:
        """The first day of each of the quarter's three months."""
        s = self.start
        return [
            date(s.year + (s.month - 1 + i) // 12, (s.month - 1 + i) % 12 + 1, 1) for i in range(3)
        ]

    def label(self, *, style: str = "long", thai: bool = True) -> str:
        """The one quarter label: style "long" → "ไตรมาสที่ ๓ ปีงบประมาณ ๒๕๖๓", "short" →
        "ไตรมาส ๓/๒๕๖๓" (Thai digits by default). Pages in the reader's language use
        ``i18n.display_quarter``."""
        if style == "long":
            text = f"ไตรมาสที่ {self.quarter} ปีงบประมาณ {self.year}"
        elif style == "short":
            text = f"ไตรมาส {self.quarter}/{self.year}"
        else:
            raise ValueError(f"unknown quarter style {style!r}")
        return thai_digits(text) if thai else text

    def __str__(self) -> str:
        return f"FY{self.year}Q{self.quarter}"


def month_days(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month of a CE year."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year_range(year_be: int) -> tuple[date, date]:
    """The first and last day of a BE fiscal year."""
    return FiscalQuarter(year_be, 1).start, FiscalQuarter(year_be, 4).end


# --- text normalisation ----------------------------------------------------------------------

# Zero-width characters and soft hyphens pasted from the web or Word: never part of a word.
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
# Sara am typed or extracted as nikhahit + sara aa, with the tone mark on either side.
_SARA_AM_RE = re.compile(f"([{THAI_TONE_MARKS}]?){NIKHAHIT}([{THAI_TONE_MARKS}]?){SARA_AA}")
_DOUBLE_E_RE = re.compile(SARA_E + SARA_E)
_SPACE_RE = re.compile(r"\s+")
# A letter of a script written with spaces between words (Latin...): not Thai, not a digit.
_SPACED_LETTER = f"[^\\W\\d_{THAI_CHARACTERS}]"
# The spaces search_key drops: every space except one between two such letters ("line group").
# Thai has no spaces between words, and a space typed next to a digit or a punctuation mark
# ("ปี 2567", "ม. 4", "นว 0015/1") is a matter of taste, not of meaning.
DROPPED_SPACE_RE = re.compile(f"(?<!{_SPACED_LETTER}) | (?!{_SPACED_LETTER})")
# Thousands separators between digits: 1,500,000 is 1500000.
GROUPING_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_REPEATED_MARK_RE = re.compile(f"([{THAI_MARKS}])\\1+")


def _canonical_marks(text: str) -> str:
    """Marks in canonical order (NFC) and none repeated. Removing a zero-width or ordinary space
    can bring marks together in an order NFKC would change ("่" + ZWSP + "ุ"); NFC, not NFKC,
    because NFKC would split sara am again."""
    return _REPEATED_MARK_RE.sub(r"\1", unicodedata.normalize("NFC", text))


def normalize_text(text: str) -> str:
    """One canonical form for Thai text typed, pasted or extracted from a PDF.

    Zero-width characters removed; NFKC; sara am as one character; "เเ" as "แ"; marks in
    canonical order and not repeated; white space collapsed. Digits and case are kept (see
    search_key).
    """
    if not text:
        return ""
    text = _ZERO_WIDTH_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _SARA_AM_RE.sub(lambda m: m.group(1) + m.group(2) + SARA_AM, text)
    text = _DOUBLE_E_RE.sub(SARA_AE, text)
    text = _SPACE_RE.sub(" ", text).strip()
    return _canonical_marks(text)


# Dashes a word processor or a PDF puts where people type "-" ("พ.ศ. 2566–2570", "O–1"): the
# hyphen, figure, en and em dashes, the horizontal bar and the minus sign (NFKC has already made
# the small, full-width and non-breaking ones into these).
_DASH_FOLD = str.maketrans(dict.fromkeys("\u2010\u2012\u2013\u2014\u2015\u2212", "-"))


@lru_cache(maxsize=8192)
def search_key(text: str) -> str:
    """The form stored text and queries are compared in: normalised, digits folded to 0-9,
    case folded, every dash as "-", thousands separators removed (1,500,000 → 1500000), and no
    spaces except between two Latin (or other spaced-script) letters: Thai has no spaces between
    words, and a space next to a digit or punctuation must not hide a match ("ปี2567" finds
    "ปี 2567")."""
    text = arabic_digits(normalize_text(text)).casefold().translate(_DASH_FOLD)
    # Normalise again: a removed space can bring "เ" + "เ" or two marks together.
    return normalize_text(GROUPING_RE.sub("", DROPPED_SPACE_RE.sub("", text)))


_REF_PREFIX_RE = re.compile(r"^(?:ที่|เลขที่|no\.?)\s*")
_REF_DOT_RE = re.compile(f"(?<=[{THAI_CHARACTERS}])\\.(?=\\d)")


@lru_cache(maxsize=8192)
def reference_key(text: str) -> str:
    """One key for every spelling of a document reference (เลขที่หนังสือ): "ที่ นว 0015/1",
    "นว0015/1", "นว. ๐๐๑๕/๑" and "นว 0015 / 1" all give "นว0015/1". Empty when there is none."""
    text = _REF_PREFIX_RE.sub("", search_key(text or ""))
    return _REF_DOT_RE.sub("", text.replace(" ", ""))


# Quotation marks and the punctuation people put around the words they search for ("จัดซื้อ",
# จัดซื้อ!!!, (ร่าง)?): not part of what they look for. Dots stay: they are in abbreviations.
_AROUND_WORDS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e`!?\u00bf\u00a1,;:()[]{}<>\u2026"


def query_text(query: str) -> str:
    """A search query as it is searched: normalised, each word without the quotation marks and
    punctuation around it (inside a word they stay: "(ITA)ปี" keeps its ")")."""
    words = (word.strip(_AROUND_WORDS) for word in normalize_text(query).split(" "))
    return " ".join(word for word in words if word)


def query_terms(query: str) -> list[str]:
    """The terms of a search query, each in search_key form; all of them must match."""
    seen: list[str] = []
    for part in arabic_digits(query_text(query)).casefold().split(" "):
        term = search_key(part)
        if term and term not in seen:
            seen.append(term)
    return seen


# --- the search key with a map back to the text (for marking matches) ------------------------


def search_key_map(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """``search_key(text)`` with, for each of its characters, the span of ``text`` (first and
    last index) it came from, so a match in the key can be marked in the text as written; None
    in the rare case the map cannot be made to agree with ``search_key`` (then mark nothing
    rather than the wrong part). The same rules as normalize_text and search_key, walked one
    character at a time: change them together (tests/search/test_search_perf.py checks)."""
    return _key_with_map_fast(text, search_key(text)) or _key_with_map(text)


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """One character as search_key folds it (NFKC, Thai digits to 0-9, case folded, a dash as
    "-")."""
    # NFKC would split sara am into nikhahit + sara aa; normalize_text joins them again.
    folded = ch if ch == SARA_AM else unicodedata.normalize("NFKC", ch)
    return arabic_digits(folded).casefold().translate(_DASH_FOLD)


def _key_with_map(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """``search_key(text)`` built character by character, with the span of source characters
    each output character came from; None when the result differs from ``search_key`` (then
    nothing is highlighted rather than the wrong part)."""
    out: list[str] = []
    src: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in _ZERO_WIDTH_CHARS:
            i += 1
            continue
        if ch.isspace():
            j = i
            while j < n and (text[j].isspace() or text[j] in _ZERO_WIDTH_CHARS):
                j += 1
            if out and j < n:  # one space; search_key's own rule drops it or not below
                out.append(" ")
                src.append((i, j - 1))
            i = j
            continue
        if ch == NIKHAHIT:  # nikhahit + (tone) + sara aa is sara am
            k = i + 1 + (i + 1 < n and text[i + 1] in THAI_TONE_MARKS)
            if k < n and text[k] == SARA_AA:
                if k == i + 2:
                    out.append(text[i + 1])
                    src.append((i, k))
                out.append(SARA_AM)
                src.append((i, k))
                i = k + 1
                continue
        if ch == SARA_E and i + 1 < n and text[i + 1] == SARA_E:  # เเ typed for แ
            out.append(SARA_AE)
            src.append((i, i + 1))
            i += 2
            continue
        if ch in THAI_MARKS and out and out[-1] == ch:  # a repeated mark
            i += 1
            continue
        for c in _fold(ch):
            out.append(c)
            src.append((i, i))
        i += 1
    key, src = _drop_folded("".join(out), src)
    return (key, src) if key == search_key(text) else None


def _drop_folded(key: str, src: list) -> tuple[str, list]:
    """Drop the spaces and thousands separators search_key drops, keeping the source map."""
    dropped = _dropped_positions(key)
    if not dropped:
        return key, src
    keep = [i for i in range(len(key)) if i not in dropped]
    return "".join(key[i] for i in keep), [src[i] for i in keep]


def _dropped_positions(folded: str) -> set[int]:
    """Positions of the characters search_key removes from folded (digits, case) text."""
    dropped = {m.start() for m in DROPPED_SPACE_RE.finditer(folded)}
    if dropped:
        rest = [i for i in range(len(folded)) if i not in dropped]
        joined = "".join(folded[i] for i in rest)
        dropped |= {rest[m.start()] for m in GROUPING_RE.finditer(joined)}
    else:
        dropped = {m.start() for m in GROUPING_RE.finditer(folded)}
    return dropped


# Text made only of printable ASCII and Thai (without nikhahit, half of a typed sara am), single
# spaces and no space at either end folds to search_key one character for one character, dropping
# only the spaces between Thai letters; most titles and summaries are like that.
_PLAIN = "\x21-\x7e" + str(CharClass(THAI_CHARACTERS.chars - {NIKHAHIT}))
_PLAIN_RE = re.compile(f"[{_PLAIN}]+(?: [{_PLAIN}]+)*")
_FOLDS_TOGETHER_RE = re.compile(f"{SARA_E}{SARA_E}|([{THAI_MARKS}])\\1")


def _key_with_map_fast(text: str, key: str) -> tuple[str, list[tuple[int, int]]] | None:
    """What ``_key_with_map`` gives, worked out with regular expressions for plain text (the
    common case); None when the text is not plain (then ``_key_with_map`` walks it)."""
    if not _PLAIN_RE.fullmatch(text):
        return None
    dropped = _dropped_positions(arabic_digits(text).casefold())  # one to one for plain text
    if dropped:
        kept = [i for i in range(len(text)) if i not in dropped]
        folded = "".join(text[i] for i in kept)
    else:
        kept, folded = range(len(text)), text
    # Marks or เ that meet once a space is dropped are left to the character walk, which
    # handles them as it always has.
    if _FOLDS_TOGETHER_RE.search(folded) or arabic_digits(folded).casefold() != key:
        return None
    return key, [(i, i) for i in kept]


# --- word breaking ---------------------------------------------------------------------------


def _tokenize(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize  # imported lazily: loads a dictionary

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))


_tokenize_cached = lru_cache(maxsize=4096)(_tokenize)


def split_words(text: str, cache: bool = True) -> list[str]:
    """Split text into words by dictionary (PyThaiNLP newmm); joining the parts gives the text
    back. ``cache=False`` for texts seen once (an entry's whole text when it is indexed)."""
    if not text:
        return []
    return list(_tokenize_cached(text) if cache else _tokenize(text))


def dictionary_words_at(text: str, start: int) -> list[str]:
    """The dictionary words (PyThaiNLP's, as newmm uses them) that ``text`` has at ``start``:
    "กองทุนหมู่บ้าน" at 0 gives กอง, กองทุน and กองทุนหมู่บ้าน."""
    from pythainlp.tokenize import word_dict_trie

    return word_dict_trie().prefixes(text[start : start + _LONGEST_WORD])


_LONGEST_WORD = 40  # characters: longer dictionary entries are not looked for


def split_syllables(text: str) -> list[str]:
    """Split text into syllables by PyThaiNLP's syllable dictionary (พระ|ราช|บัญ|ญัติ); joining
    the parts gives the text back. Finer than ``split_words`` (which keeps compounds such as
    การประเมิน whole), never inside a syllable."""
    if not text:
        return []
    from pythainlp.tokenize import syllable_tokenize

    return syllable_tokenize(text, engine="dict", keep_whitespace=True)


# --- reading dates as offices write them (imports and every date field) ---------------------


@dataclass(frozen=True)
class Note:
    """A guessed reading (a warning, never a refusal): a Thai msgid (marked with N_) and params."""

    message: str
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        from flask_babel import gettext

        return gettext(self.message, **dict(self.params))


@dataclass(frozen=True)
class DateReading:
    """A date read from text, with the guesses made on the way (empty when nothing was guessed)."""

    date: date
    notes: tuple[Note, ...] = ()


# Month spellings met in office files, keyed without dots and spaces. Colloquial short forms
# ("มกรา", "เมษา") are unambiguous and read silently; misspellings are read with a warning.
_MONTH_KEYS: dict[str, int] = {}
for _i, (_long, _short, _en) in enumerate(
    zip(THAI_MONTHS, THAI_MONTHS_SHORT, _EN_MONTHS, strict=True), start=1
):
    for _key in (_long, _short, _en, _en[:3], _long[:-3] if _long.endswith("าคม") else _long[:-2]):
        _MONTH_KEYS[_key.replace(".", "").replace(" ", "")] = _i
_MONTH_KEYS.update(
    {
        "มกรา": 1,
        "กุมภา": 2,
        "มีนา": 3,
        "เมษา": 4,
        "พฤษภา": 5,
        "มิถุนา": 6,
        "กรกฎา": 7,
        "สิงหา": 8,
        "กันยา": 9,
        "ตุลา": 10,
        "พฤศจิกา": 11,
        "ธันวา": 12,
        "sept": 9,
    }
)
_MONTH_MISSPELLINGS: dict[str, int] = {
    "มย": 6,  # ม.ย. for มิ.ย.
    "มิถุนายม": 6,
    "กรกฏาคม": 7,
    "กรกฏา": 7,
    "กฏ": 7,
    "กุมภาพันธุ์": 2,
    "กุมภาพันธ": 2,
    "กุมพาพันธ์": 2,
    "พฤษจิกายน": 11,
    "พฤศจิกายม": 11,
    "พฤษภาคม์": 5,
    "พฤศภาคม": 5,
    "สิงหาคา": 8,
    "ธันวาคาม": 12,
    "มกราคาม": 1,
    "มีนาคาม": 3,
    "ตุลาคาม": 10,
    "กันยายม": 9,
    "เมษายม": 4,
}


def month_number(word: str) -> int | None:
    """The month a word names, or None: "ตุลาคม", "ต.ค.", "ตค", "ตุลา", "Oct", and the
    misspellings met in office files ("กรกฏาคม")."""
    key = search_key(word).replace(".", "")
    return _MONTH_KEYS.get(key) or _MONTH_MISSPELLINGS.get(key)


def month_spellings(month: int) -> tuple[str, ...]:
    """How Thai text writes a month, in search_key form: "ตุลาคม", "ต.ค." and "ตค"."""
    short = search_key(THAI_MONTHS_SHORT[month - 1])
    return (THAI_MONTHS[month - 1], short, short.replace(".", ""))


_LEAD_RE = re.compile(
    r"^(?:ลง\s*วันที่|ณ\s*วันที่|เมื่อ\s*วันที่|วันที่|ว\.|date[d:]?)\s*[:.]?\s*", re.IGNORECASE
)
_ERA_RE = re.compile(r"(พ\.?\s*ศ\.?|ค\.?\s*ศ\.?|b\.?e\.?|a\.?d\.?)(?=\s*\d)", re.IGNORECASE)
_ISO_STAMP_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)
_NUMERIC_RE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_NAMED_RE = re.compile(r"^(\d{1,2})\s*(?:เดือน)?\s*([^\d\s][^\d]*?)\s*(?:ปี)?\s*(\d{2}|\d{4})$")


def _era_year(year: int, digits: int, era: str, notes: list[Note]) -> int:
    """The CE year of a year as written: 2 digits are BE 25xx, BE/CE by marker or size. A
    two-digit year leaves a provisional note, kept by _checked only if the date is in the future."""
    if digits == 2:
        if era == "ce":
            return 2000 + year
        notes.append(
            Note(
                N_("ปี “%(year)s” อ่านเป็น พ.ศ. %(full)s ซึ่งยังมาไม่ถึง กรุณาตรวจสอบปี"),
                (("year", f"{year:02d}"), ("full", _typed_be_year(year, 2))),
            )
        )
        return ce_year(_typed_be_year(year, 2))
    if era == "be":
        if year < FIRST_BE_YEAR:
            raise DateParseError(N_("ปี พ.ศ. %(year)s ไม่ถูกต้อง กรุณาระบุปี พ.ศ. เช่น 2563"), year=year)
        return ce_year(year)
    if era == "ce":
        return year
    return _year_to_ce(year)


def read_thai_date(text: str, *, today: date | None = None) -> DateReading:
    """Read a date as Thai offices write it, with the guesses made (see parse_thai_date).

    Accepts ISO dates and website timestamps ("2025-11-10T10:04:15"), 29/04/2563 and 29/04/63,
    month names long, short, colloquial or commonly misspelt (ม.ย. → มิ.ย., with a warning),
    leading words (ลงวันที่, วันที่ … เดือน … พ.ศ. …), พ.ศ./ค.ศ. markers, CE years with Thai
    months and Thai digits. A two-digit year is BE 25xx, with a warning (another when that
    lies in the future). Raises DateParseError saying what to type instead.
    """
    raw = arabic_digits(normalize_text(text or "")).strip()
    if not raw:
        raise DateParseError(N_("กรุณาระบุวันที่ เช่น 29/04/2563"))
    notes: list[Note] = []
    if m := _ISO_STAMP_RE.match(raw):
        y, mo, d = (int(g) for g in m.group(1, 2, 3))
        if m.group(6):  # an instant with a zone: the office's day
            try:
                stamp = datetime.fromisoformat(raw.replace(" ", "T").replace("Z", "+00:00"))
            except ValueError:
                raise DateParseError(
                    N_("ไม่มีวันที่ “%(text)s” ในปฏิทิน กรุณาตรวจสอบวัน เดือน ปี"), text=text
                ) from None
            local = to_local(stamp).date()
            y, mo, d = local.year, local.month, local.day
        ce = _year_to_ce(y)
        return _checked(text, ce, mo, d, notes, today)
    body = _LEAD_RE.sub("", raw)
    era = ""
    if em := _ERA_RE.search(body):
        era = (
            "ce" if em.group(1).lower().replace(".", "").replace(" ", "") in ("คศ", "ad") else "be"
        )
        body = (body[: em.start()] + " " + body[em.end() :]).strip()
    body = re.sub(r"\s+", " ", body).strip(" ,")
    if m := _NUMERIC_RE.match(body):
        d, mo = int(m.group(1)), int(m.group(2))
        year = _era_year(int(m.group(3)), len(m.group(3)), era, notes)
    elif m := _NAMED_RE.match(body):
        d = int(m.group(1))
        word = m.group(2).strip()
        key = word.lower().replace(".", "").replace(" ", "")
        mo = _MONTH_KEYS.get(key)
        if mo is None:
            mo = _MONTH_MISSPELLINGS.get(key)
            if mo is None:
                raise DateParseError(
                    N_("ไม่รู้จักชื่อเดือน “%(month)s” กรุณาพิมพ์ เช่น 29 เม.ย. 2563"), month=word
                )
            notes.append(
                Note(
                    N_("เดือน “%(month)s” อ่านเป็น %(reading)s"),
                    (("month", word), ("reading", THAI_MONTHS[mo - 1])),
                )
            )
        year = _era_year(int(m.group(3)), len(m.group(3)), era, notes)
    else:
        raise DateParseError(
            N_("อ่านวันที่ “%(text)s” ไม่ได้ กรุณาพิมพ์แบบ 29/04/2563, 29 เม.ย. 2563 หรือ 2020-04-29"),
            text=text,
        )
    return _checked(text, year, mo, d, notes, today)


def _checked(
    text: str, year: int, month: int, day: int, notes: list[Note], today: date | None
) -> DateReading:
    try:
        value = date(year, month, day)
    except ValueError:
        raise DateParseError(
            N_("ไม่มีวันที่ “%(text)s” ในปฏิทิน กรุณาตรวจสอบวัน เดือน ปี"), text=text
        ) from None
    future = value > (today or local_today())
    kept = [n for n in notes if future or "ยังมาไม่ถึง" not in n.message]
    return DateReading(value, tuple(kept))
