"""Thai conventions: BE dates, fiscal quarters, parsing, digits, normalisation."""

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import pythainlp
from hypothesis import assume, given
from hypothesis import strategies as st

from infocenter import thai
from infocenter.thai import (
    DateParseError,
    FiscalQuarter,
    fiscal_year,
    normalize_text,
    parse_thai_date,
    query_terms,
    search_key,
    thai_date,
)

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31))


# --- dates -----------------------------------------------------------------------------------


def test_be_date_styles():
    d = date(2020, 4, 29)
    assert thai_date(d) == "๒๙ เมษายน ๒๕๖๓"
    assert thai_date(d, style="short") == "29 เม.ย. 2563"
    assert thai_date(d, thai=False) == "29 เมษายน 2563"
    assert thai_date(d, style="short", thai=True) == "๒๙ เม.ย. ๒๕๖๓"
    assert thai_date(None) == ""


def test_datetimes_are_shown_in_bangkok_time():
    # 20:00 UTC on 28 April is already 29 April in Bangkok.
    instant = datetime(2020, 4, 28, 20, 0, tzinfo=UTC)
    assert thai_date(instant, style="short") == "29 เม.ย. 2563"
    assert thai.thai_datetime(instant) == "29 เม.ย. 2563 03:00 น."


def test_jinja_filters(app):
    with app.app_context():
        template = app.jinja_env.from_string(
            "{{ d|thaidate }} / {{ d|thaidate_short }} / {{ n|number }}"
        )
        assert (
            template.render(d=date(2020, 4, 29), n=1234567)
            == "๒๙ เมษายน ๒๕๖๓ / 29 เม.ย. 2563 / 1,234,567"
        )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("29/04/2563", date(2020, 4, 29)),
        ("29/4/2563", date(2020, 4, 29)),
        ("29-04-2563", date(2020, 4, 29)),
        ("29 เม.ย. 2563", date(2020, 4, 29)),
        ("29 เม.ย.2563", date(2020, 4, 29)),
        ("29 เมษายน 2563", date(2020, 4, 29)),
        ("๒๙ เมษายน ๒๕๖๓", date(2020, 4, 29)),
        ("๒๙/๐๔/๒๕๖๓", date(2020, 4, 29)),
        ("2020-04-29", date(2020, 4, 29)),
        ("2563-04-29", date(2020, 4, 29)),
        (" 1 ต.ค. 2562 ", date(2019, 10, 1)),
        ("29/04/2020", date(2020, 4, 29)),
    ],
)
def test_parse_dates_as_people_type_them(text, expected):
    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "กรุณาระบุวันที่"),
        ("31/02/2563", "ไม่มีวันที่"),
        ("29 เมษ 2563", "ไม่รู้จักชื่อเดือน"),
        ("yesterday", "อ่านวันที่"),
        ("29/04/632", "อ่านวันที่"),  # two-digit years are read (25xx); three digits are not
        ("29/04/0100", "ปี"),
    ],
)
def test_bad_dates_give_thai_messages(text, message):
    with pytest.raises(DateParseError, match=message):
        parse_thai_date(text)


@given(dates)
def test_parse_round_trips_every_format(d):
    assert parse_thai_date(thai_date(d)) == d
    assert parse_thai_date(thai_date(d, style="short")) == d
    assert parse_thai_date(f"{d.day:02d}/{d.month:02d}/{d.year + 543}") == d
    assert parse_thai_date(d.isoformat()) == d


@given(st.text(max_size=40))
def test_parse_never_fails_with_anything_but_a_thai_message(text):
    try:
        parse_thai_date(text)
    except DateParseError as error:
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(error))


# --- fiscal year and quarter -------------------------------------------------------------------


def test_fiscal_year_examples_from_the_domain():
    assert fiscal_year(date(2019, 10, 1)) == 2563
    assert fiscal_year(date(2020, 9, 30)) == 2563
    assert fiscal_year(date(2020, 10, 1)) == 2564
    q1 = FiscalQuarter(2563, 1)
    assert (q1.start, q1.end) == (date(2019, 10, 1), date(2019, 12, 31))
    assert (FiscalQuarter(2563, 2).start, FiscalQuarter(2563, 2).end) == (
        date(2020, 1, 1),
        date(2020, 3, 31),
    )
    assert (FiscalQuarter(2563, 3).start, FiscalQuarter(2563, 3).end) == (
        date(2020, 4, 1),
        date(2020, 6, 30),
    )
    assert (FiscalQuarter(2563, 4).start, FiscalQuarter(2563, 4).end) == (
        date(2020, 7, 1),
        date(2020, 9, 30),
    )
    assert FiscalQuarter(2563, 3).label() == "ไตรมาสที่ ๓ ปีงบประมาณ ๒๕๖๓"
    assert FiscalQuarter(2563, 1).previous() == FiscalQuarter(2562, 4)
    assert FiscalQuarter(2563, 3).year_before() == FiscalQuarter(2562, 3)
    assert thai.fiscal_year_range(2563) == (date(2019, 10, 1), date(2020, 9, 30))


def test_invalid_quarters_are_refused():
    with pytest.raises(ValueError):
        FiscalQuarter(2563, 5)
    with pytest.raises(ValueError):
        FiscalQuarter(2020, 1)  # a CE year where a BE year belongs


@given(dates)
def test_a_date_lies_in_its_quarter(d):
    q = FiscalQuarter.of(d)
    assert q.start <= d <= q.end
    assert q.year == fiscal_year(d)
    assert q.start.month in (10, 1, 4, 7) and q.start.day == 1


@given(dates)
def test_quarters_tile_the_calendar(d):
    q = FiscalQuarter.of(d)
    assert q.next().start == q.end + timedelta(days=1)
    assert q.next().previous() == q
    assert q.previous().end == q.start - timedelta(days=1)
    assert 89 <= (q.end - q.start).days + 1 <= 92
    assert [m.month for m in q.months()] == [
        q.start.month,
        (q.start.month % 12) + 1,
        ((q.start.month + 1) % 12) + 1,
    ]


@given(dates)
def test_four_quarters_make_the_fiscal_year(d):
    fy = fiscal_year(d)
    quarters = [FiscalQuarter(fy, n) for n in (1, 2, 3, 4)]
    assert quarters[0].start == date(fy - 544, 10, 1)
    assert quarters[3].end == date(fy - 543, 9, 30)
    assert sum((q.end - q.start).days + 1 for q in quarters) in (365, 366)


# --- digits ----------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_round_trip(n):
    assert thai.arabic_digits(thai.thai_digits(n)) == str(n)
    assert thai.format_number(n, thai=True) == thai.thai_digits(f"{n:,}")


# --- normalisation ---------------------------------------------------------------------------

SARA_AM_VARIANTS = ["น้ำ", "น\u0e49\u0e4d\u0e32", "น\u0e4d\u0e49\u0e32"]


@pytest.mark.parametrize("variant", SARA_AM_VARIANTS)
def test_sara_am_variants_are_one(variant):
    assert normalize_text(variant) == "น้ำ"


@pytest.mark.parametrize(
    "typed,canonical",
    [
        ("เเผนงาน", "แผนงาน"),  # แ typed as two เ
        ("ข้อมูล\u200bข่าวสาร", "ข้อมูลข่าวสาร"),  # zero-width space from a web page
        ("ที่่", "ที่"),  # a doubled tone mark
        ("  ศูนย์   ข้อมูล ", "ศูนย์ ข้อมูล"),
        ("ｓｋｒ１", "skr1"),  # full-width forms (NFKC)
    ],
)
def test_normalize_variants(typed, canonical):
    assert normalize_text(typed) == canonical


def test_search_key_folds_digits_case_and_spaces_between_thai_words():
    assert search_key("แผนปฏิบัติการ ปีงบประมาณ ๒๕๖๔") == search_key("แผนปฏิบัติการปีงบประมาณ 2564")
    assert search_key("Line Group") == "line group"  # spaces between Latin words stay
    assert query_terms("  แผน  ปฏิบัติการ แผน ") == ["แผน", "ปฏิบัติการ"]
    assert query_terms("สขร.๑") == ["สขร.1"]


thai_text = st.text(
    alphabet=st.sampled_from(list("กขคนมยรลวสหอะาำิีึืุูเแโใไ่้๊๋็์ํ๐๑๒๓ 0123456789ABCabc\u200b\u0e4d\u0e32")),
    max_size=30,
)


@pytest.mark.parametrize("text", ["็ ็", "่ ่", "ก ็ ็", "่\u200bุ", "ก่ ุ", "น\u0e49\u200b\u0e4d\u0e32"])
def test_marks_brought_together_are_put_in_canonical_order(text):
    assert search_key(search_key(text)) == search_key(text)
    assert normalize_text(normalize_text(text)) == normalize_text(text)


@given(thai_text)
def test_normalisation_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    key = search_key(text)
    assert search_key(key) == key
    assert "\u200b" not in key and not any("๐" <= ch <= "๙" for ch in key)


@given(thai_text)
def test_query_terms_are_substrings_of_the_text_they_came_from(text):
    terms = query_terms(text)
    # Terms whose ends interact once the spaces between them go ("0่ ุ": marks reordered;
    # "เ เ": becomes "แ") are not real words; the promise is for terms that join unchanged.
    joined = "".join(terms)
    assume(search_key(joined) == joined)
    key = search_key(text)
    for term in terms:
        assert term in key


@given(thai_text)
def test_the_key_map_is_the_search_key_pointing_back_into_the_text(text):
    mapped = thai.search_key_map(text)
    assume(mapped is not None)
    key, spans = mapped
    assert key == search_key(text) and len(spans) == len(key)
    assert all(0 <= lo <= hi < len(text) for lo, hi in spans)
    assert [lo for lo, _ in spans] == sorted(lo for lo, _ in spans)


def test_the_key_map_marks_sara_am_typed_in_two_pieces():
    text = "ค่าน\u0e49\u0e4d\u0e32มัน"
    key, spans = thai.search_key_map(text)
    start = key.index("น้ำ")
    assert text[spans[start][0] : spans[start + 2][1] + 1] == "น\u0e49\u0e4d\u0e32"


def test_split_words_breaks_between_words_and_keeps_the_text():
    text = "ศูนย์ข้อมูลข่าวสารของสำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์ เพื่อประชาชน"
    words = thai.split_words(text)
    assert "".join(words) == text
    assert "ศูนย์ข้อมูลข่าวสาร" in words or {"ศูนย์", "ข้อมูล", "ข่าวสาร"} <= set(words)
    assert "จังหวัด" in words and "เพื่อ" in words


def test_one_month_label_from_a_date_or_a_month_key():
    from infocenter.thai import month_label

    assert month_label(date(2020, 5, 17)) == "พฤษภาคม ๒๕๖๓"
    assert month_label("2020-05", style="short") == "พ.ค. 2563"
    assert month_label("2019-12", style="short", thai=True) == "ธ.ค. ๒๕๖๒"


def test_one_quarter_label_long_and_short():
    fq = FiscalQuarter(2563, 3)
    assert fq.label() == "ไตรมาสที่ ๓ ปีงบประมาณ ๒๕๖๓"
    assert fq.label(style="short", thai=False) == "ไตรมาส 3/2563"


# --- Thai characters -------------------------------------------------------------------------

_THAI_BLOCK = [chr(c) for c in range(0x0E00, 0x0E80)]


@pytest.mark.parametrize(
    ("char_class", "expected"),
    [
        (thai.THAI_CHARACTERS, pythainlp.thai_characters),
        (thai.THAI_LETTERS, pythainlp.thai_letters),
        (thai.THAI_CONSONANTS, pythainlp.thai_consonants),
        (thai.THAI_DIGITS, pythainlp.thai_digits),
        (thai.THAI_TONE_MARKS, pythainlp.thai_tonemarks),
        (thai.THAI_LEAD_VOWELS, pythainlp.thai_lead_vowels),
        (thai.THAI_FOLLOW_VOWELS, pythainlp.thai_follow_vowels),
        # the marks: every combining (Mn) Thai character, as PyThaiNLP groups them
        (
            thai.THAI_MARKS,
            [c for c in pythainlp.thai_characters if unicodedata.category(c) == "Mn"],
        ),
    ],
)
def test_character_classes_are_pythainlps_sets(char_class, expected):
    as_regex = re.compile(f"[{char_class}]")
    assert {c for c in _THAI_BLOCK if as_regex.fullmatch(c)} == set(expected)
    assert {c for c in _THAI_BLOCK if c in char_class} == set(expected)


def test_the_marks_are_the_vowels_above_and_below_the_tone_marks_and_the_written_signs():
    assert set(thai.THAI_MARKS.chars) == (
        set(pythainlp.thai_above_vowels)
        | set(pythainlp.thai_below_vowels)
        | set(pythainlp.thai_tonemarks)
        | {"\u0e3a", "\u0e4c", "\u0e4e"}  # phinthu, thanthakhat, yamakkan
    )


# A Thai code point written as an escape (\u0e31, \N{THAI ...}) or a range of Thai characters in
# a regex class ("[ก-ฮ]"): either means a module keeps its own copy of a class thai.py owns.
_THAI_SPELLED_RE = re.compile(
    r"\\u0e[0-9a-f]{2}|\\N\{THAI |\[[^\]\n]*[\u0e00-\u0e7f]-[\u0e00-\u0e7f]", re.IGNORECASE
)


def test_only_thai_py_spells_thai_characters_by_code_point():
    package = Path(thai.__file__).parent
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "thai.py" or path.parent != package
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _THAI_SPELLED_RE.search(line)
    ]
    assert found == [], "use the classes and characters of infocenter/thai.py"


# --- BE and CE years -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["๒๕๖๖", "2566", "66", "๖๖", "2023", " 2566 ", "\u200b2566"])
def test_a_year_as_people_type_it_is_one_be_year(typed):
    assert thai.year_from_input(typed) == 2566


@pytest.mark.parametrize("typed", ["", "  ", None, "abc", "256", "25666", "1899", "3001", "2,566"])
def test_what_is_not_a_year_gives_none(typed):
    assert thai.year_from_input(typed) is None


def test_a_fiscal_year_box_takes_only_the_full_be_year():
    strict = {"short": False, "common_era": False}
    assert thai.year_from_input("๒๕๖๖", **strict) == thai.year_from_input("2566", **strict) == 2566
    assert thai.year_from_input("66", **strict) is None
    assert thai.year_from_input("2023", **strict) is None
    # in a search query a CE-looking number is left alone, but "ปี 66" is still a year
    assert thai.year_from_input("2023", common_era=False) is None
    assert thai.year_from_input("66", common_era=False) == 2566


def test_be_and_ce_years_convert_both_ways():
    assert thai.be_year(date(2023, 10, 1)) == thai.be_year(2023) == 2566
    assert thai.ce_year(2566) == 2023
    assert thai.fiscal_year(date(2023, 10, 1)) == 2567


def test_dates_read_years_by_the_same_rule():
    assert parse_thai_date("1/10/2566") == parse_thai_date("1/10/66") == date(2023, 10, 1)
    assert parse_thai_date("1/10/2023") == date(2023, 10, 1)


def test_only_thai_py_converts_between_be_and_ce():
    """A "+ 543" or BE_OFFSET anywhere else is a second BE/CE rule: use thai.be_year,
    thai.ce_year, thai.year_from_input, or the ``year`` filter in templates."""
    root = Path(thai.__file__).parent.parent
    sources = [*root.joinpath("infocenter").rglob("*.py"), *root.joinpath("templates").rglob("*")]
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(sources)
        if path.is_file() and path.suffix in (".py", ".html") and path != Path(thai.__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\b543\b|BE_OFFSET", line)
    ]
    assert found == []


@given(st.integers(min_value=2400, max_value=3000))
def test_every_be_year_reads_as_itself_in_either_digits(year):
    assert thai.year_from_input(str(year)) == year
    assert thai.year_from_input(thai.thai_digits(year)) == year
    assert thai.be_year(thai.ce_year(year)) == year


def test_the_year_filter_follows_the_page_language(app):
    from flask_babel import force_locale

    with app.test_request_context("/"):
        template = app.jinja_env.from_string("{{ ce|year }} {{ day|year }}")
        assert template.render(ce=2025, day=date(2020, 4, 29)) == "2568 2563"
        with force_locale("en"):
            assert template.render(ce=2025, day=date(2020, 4, 29)) == "2025 2020"


# --- dates in form fields --------------------------------------------------------------------


def test_a_date_field_shows_a_date_one_way_and_reads_it_back(app):
    from flask_babel import force_locale
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from infocenter.forms import ThaiDateField

    class DayForm(Form):
        day = ThaiDateField()

    with app.test_request_context("/"):
        for locale, shown in (("th", "29 เม.ย. 2563"), ("en", "29 Apr 2020")):
            with force_locale(locale):
                form = DayForm(data={"day": date(2020, 4, 29)})
                assert f'value="{shown}"' in form.day()
                typed_back = DayForm(MultiDict({"day": shown}))
                assert typed_back.validate() and typed_back.day.date == date(2020, 4, 29)
