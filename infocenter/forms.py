"""Form helpers shared by every feature."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import TextInput

from .i18n import display_date
from .idempotency import FormTokenField
from .thai import DateParseError, arabic_digits, normalize_text, parse_thai_date


def choices(items: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """Select options from a {value: label} mapping or (value, label) pairs."""
    pairs = items.items() if isinstance(items, Mapping) else items
    return [SelectChoice(value, label) for value, label in pairs]


class CreatingForm(FlaskForm):
    """A form that creates records: its one-time token makes it saved once, so a double Enter, a
    replayed POST or the browser's "resend" creates nothing new (see ``idempotency``)."""

    form_token = FormTokenField()


class ThaiDateField(StringField):
    """A date typed the Thai way (29/04/2563, 29 เม.ย. 2563 or 2020-04-29); ``.date`` holds the
    value.

    The one way a date is written into a form field: give the field a date (``obj=``, ``data=``
    or ``field.data = day``) and it shows "29 เม.ย. 2563" on Thai pages, "29 Apr 2020" on
    English ones, both read back as the same day."""

    date = None

    def _value(self) -> str:
        if isinstance(self.data, datetime.date):
            return display_date(self.data, "short")
        return super()._value()

    def pre_validate(self, form) -> None:
        self.date = None
        if isinstance(self.data, datetime.date):  # given, not typed: nothing to read
            self.date = self.data
        elif self.data and self.data.strip():
            try:
                self.date = parse_thai_date(self.data)
            except DateParseError as exc:
                raise ValidationError(str(exc)) from None


# --- numbers ---------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def parse_number(text: str | None) -> Decimal | None:
    """A number typed in Thai or Arabic digits, with or without thousands separators
    ("๑๒", "1,500", "๑,๕๐๐", " 12 "); None for empty text. Raises ValueError for anything else."""
    raw = arabic_digits(normalize_text(text or "")).replace(" ", "")
    if not raw:
        return None
    if not (_NUMBER_RE.match(raw) or _GROUPED_RE.match(raw)) or len(raw) > 30:
        raise ValueError(raw)
    return Decimal(raw.replace(",", ""))


class NumberField(Field):
    """The one number input of the product: a text box with the numeric keypad (``inputmode``)
    so the browser never drops Thai digits, read with ``parse_number`` and checked against
    ``minimum``/``maximum``; what was typed is shown again with a Thai message otherwise
    (``invalid_message`` and ``message`` replace the general ones for not-a-number and out of
    range). ``.data`` is an int (or a Decimal with ``places`` > 0), None when left empty."""

    widget = TextInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        minimum: int | None = 0,
        maximum: int | None = 2_000_000_000,
        places: int = 0,
        example: str | None = None,
        message: str | None = None,
        invalid_message: str | None = None,
        **kwargs,
    ):
        render_kw = {"inputmode": "decimal" if places else "numeric", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum, self.maximum, self.places, self.example = minimum, maximum, places, example
        self.message, self.invalid_message = message, invalid_message

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def _range_message(self) -> str:
        if self.message:
            return str(self.message)
        if self.minimum is not None and self.maximum is not None:
            return _(
                "กรุณากรอกตัวเลขตั้งแต่ %(min)s ถึง %(max)s",
                min=f"{self.minimum:,}",
                max=f"{self.maximum:,}",
            )
        if self.minimum is not None:
            return _("กรุณากรอกตัวเลขตั้งแต่ %(min)s ขึ้นไป", min=f"{self.minimum:,}")
        return _("กรุณากรอกตัวเลขไม่เกิน %(max)s", max=f"{self.maximum:,}")

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        self.data = None
        try:
            number = parse_number(valuelist[0])
        except ValueError:
            if self.invalid_message:
                raise ValueError(str(self.invalid_message)) from None
            example = self.example or ("1,500.50" if self.places else "12")
            raise ValueError(
                _(
                    "“%(text)s” ไม่ใช่ตัวเลข ช่องนี้ต้องเป็นตัวเลข (เลขไทยหรือเลขอารบิก) เช่น %(example)s",
                    text=valuelist[0].strip()[:40],
                    example=example,
                )
            ) from None
        if number is None:
            return
        if number != number.to_integral_value() and not self.places:
            raise ValueError(_("กรุณากรอกเป็นจำนวนเต็ม ไม่มีทศนิยม เช่น 12"))
        if number.as_tuple().exponent < -max(self.places, 0) and number != number.quantize(
            Decimal(1).scaleb(-self.places)
        ):
            raise ValueError(_("กรุณากรอกทศนิยมไม่เกิน %(places)s ตำแหน่ง", places=self.places))
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            raise ValueError(self._range_message())
        self.data = number if self.places else int(number)


# --- WTForms' own messages, in the page's language ----------------------------------------------

_l = lazy_gettext
_LONGER = _l("ข้อความยาวเกินไป ยาวได้ไม่เกิน %(max)d ตัวอักษร กรุณาตัดให้สั้นลง")
_SHORTER = _l("ข้อความสั้นเกินไป ต้องยาวอย่างน้อย %(min)d ตัวอักษร")
_EXACTLY = _l("ต้องยาว %(max)d ตัวอักษรพอดี")
_NOT_CHOICE = _l("ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ")
_BAD_EMAIL = _l("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.go.th")
_CSRF = _l("แบบฟอร์มนี้หมดอายุหรือไม่สมบูรณ์ กรุณาโหลดหน้านี้ใหม่แล้วส่งอีกครั้ง (ข้อมูลที่พิมพ์ไว้อาจต้องกรอกใหม่)")

# The English messages WTForms and Flask-WTF raise, and what a Thai page says instead (the English
# catalogue translates these back for English pages). Thai has no plural: both forms map to one.
VALIDATOR_MESSAGES = {
    "This field is required.": _l("กรุณากรอกช่องนี้"),
    "Field cannot be longer than %(max)d character.": _LONGER,
    "Field cannot be longer than %(max)d characters.": _LONGER,
    "Field must be at least %(min)d character long.": _SHORTER,
    "Field must be at least %(min)d characters long.": _SHORTER,
    "Field must be exactly %(max)d character long.": _EXACTLY,
    "Field must be exactly %(max)d characters long.": _EXACTLY,
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "ต้องยาว %(min)d ถึง %(max)d ตัวอักษร"
    ),
    "Number must be at least %(min)s.": _l("กรุณากรอกตัวเลขตั้งแต่ %(min)s ขึ้นไป"),
    "Number must be at most %(max)s.": _l("กรุณากรอกตัวเลขไม่เกิน %(max)s"),
    "Number must be between %(min)s and %(max)s.": _l("กรุณากรอกตัวเลขตั้งแต่ %(min)s ถึง %(max)s"),
    "Date must be at least %(min)s.": _l("วันที่ต้องไม่ก่อน %(min)s"),
    "Date must be at most %(max)s.": _l("วันที่ต้องไม่หลัง %(max)s"),
    "Date must be between %(min)s and %(max)s.": _l("วันที่ต้องอยู่ระหว่าง %(min)s ถึง %(max)s"),
    "Field must be equal to %(other_name)s.": _l("ต้องตรงกับช่อง %(other_name)s"),
    "Invalid input.": _l("รูปแบบไม่ถูกต้อง กรุณาตรวจสอบ"),
    "Invalid email address.": _BAD_EMAIL,
    "Invalid URL.": _l("ลิงก์ไม่ถูกต้อง กรุณาพิมพ์ลิงก์เต็ม เช่น https://www.example.go.th"),
    "Invalid IP address.": _l("ที่อยู่ IP ไม่ถูกต้อง"),
    "Invalid Mac address.": _l("ที่อยู่ MAC ไม่ถูกต้อง"),
    "Invalid UUID.": _l("รหัส UUID ไม่ถูกต้อง"),
    "Invalid value, must be one of: %(values)s.": _l("ค่าไม่ถูกต้อง ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: %(values)s"),
    "Invalid value, can't be any of: %(values)s.": _l("ค่าไม่ถูกต้อง ต้องไม่ใช่ค่าใดต่อไปนี้: %(values)s"),
    "Not a valid choice.": _NOT_CHOICE,
    "Invalid Choice: could not coerce.": _NOT_CHOICE,
    "Invalid choice(s): one or more data inputs could not be coerced.": _NOT_CHOICE,
    "'%(value)s' is not a valid choice for this field.": _l(
        "“%(value)s” ไม่มีในรายการ กรุณาเลือกจากรายการ"
    ),
    "'%(value)s' are not valid choices for this field.": _l(
        "“%(value)s” ไม่มีในรายการ กรุณาเลือกจากรายการ"
    ),
    "Not a valid integer value.": _l("กรุณากรอกเป็นตัวเลขจำนวนเต็ม เช่น 12"),
    "Not a valid decimal value.": _l("กรุณากรอกเป็นตัวเลข เช่น 1.50"),
    "Not a valid float value.": _l("กรุณากรอกเป็นตัวเลข เช่น 1.50"),
    "Not a valid date value.": _l("วันที่ไม่ถูกต้อง กรุณาพิมพ์ เช่น 29/04/2568"),
    "Not a valid datetime value.": _l("วันเวลาไม่ถูกต้อง กรุณาพิมพ์ เช่น 29/04/2568 14:30"),
    "Not a valid time value.": _l("เวลาไม่ถูกต้อง กรุณาพิมพ์แบบ 24 ชั่วโมง เช่น 14:30"),
    "This field is disabled and cannot have a value.": _l("ช่องนี้แก้ไขไม่ได้"),
    "This field cannot be edited.": _l("ช่องนี้แก้ไขไม่ได้"),
    "The CSRF token is missing.": _CSRF,
    "The CSRF session token is missing.": _CSRF,
    "The CSRF token is invalid.": _CSRF,
    "The CSRF token has expired.": _CSRF,
    "The CSRF tokens do not match.": _CSRF,
    "File does not have an approved extension.": _l("ชนิดไฟล์นี้ใช้ไม่ได้ กรุณาเลือกไฟล์ชนิดอื่น"),
}


class _ValidatorMessages:
    """WTForms' translations interface, answered from VALIDATOR_MESSAGES (unknown ones
    unchanged)."""

    def gettext(self, string: str) -> str:
        message = VALIDATOR_MESSAGES.get(string)
        return str(message) if message is not None else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def use_thai_validator_messages() -> None:
    """Every form's built-in messages (Length, DataRequired, Email, CSRF...) in the page's
    language."""
    FlaskForm.Meta.get_translations = lambda self, form: _ValidatorMessages()


# --- text fields -----------------------------------------------------------------------------
# Labels and messages are given as _l("...") where the field is declared, so they are extracted
# for translation from the feature's module.


def optional_text(
    label, max_length: int, *, message=None, textarea: bool = False, validators=(), **kwargs
) -> StringField:
    """A text box that may be left empty and holds at most ``max_length`` characters; ``message``
    replaces the general "too long" one. ``textarea`` for several lines; ``validators`` are
    checked before the length (``Optional()`` to let a blank skip them); ``description`` (the hint
    shown under the label, "เช่น ..."), ``render_kw`` and the rest go to the field."""
    field = TextAreaField if textarea else StringField
    return field(label, validators=[*validators, Length(max=max_length, message=message)], **kwargs)


def required_text(
    label,
    required_message,
    max_length: int,
    *,
    min_length: int = -1,
    message=None,
    textarea: bool = False,
    **kwargs,
) -> StringField:
    """A text box that must be filled in (``required_message`` when it is not), at most
    ``max_length`` characters and at least ``min_length`` (-1: no minimum, as in WTForms);
    ``message`` replaces the general one for a wrong length. As ``optional_text`` otherwise."""
    length = Length(min=min_length, max=max_length, message=message)
    field = TextAreaField if textarea else StringField
    return field(label, validators=[DataRequired(required_message), length], **kwargs)


def required_code(label, required_message, pattern: str, pattern_message, **kwargs) -> StringField:
    """An identifier that must be filled in and match ``pattern`` (an office code, a user name, a
    LINE group ID); ``pattern_message`` says what it looks like."""
    validators = [DataRequired(required_message), Regexp(pattern, message=pattern_message)]
    return StringField(label, validators=validators, **kwargs)


def optional_email(label, **kwargs) -> EmailField:
    """An e-mail address that may be left empty, checked when given."""
    return EmailField(label, validators=[Optional(), Email(_BAD_EMAIL)], **kwargs)
