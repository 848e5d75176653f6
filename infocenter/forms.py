"""Form helpers shared by every feature."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from flask_babel import gettext as _
from wtforms import Field, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import TextInput

from .thai import DateParseError, arabic_digits, normalize_text, parse_thai_date


def choices(items: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """Select options from a {value: label} mapping or (value, label) pairs."""
    pairs = items.items() if isinstance(items, Mapping) else items
    return [SelectChoice(value, label) for value, label in pairs]


class ThaiDateField(StringField):
    """A date typed the Thai way (29/04/2563, 29 เม.ย. 2563 or 2020-04-29); ``.date`` holds the value."""

    date = None

    def pre_validate(self, form) -> None:
        self.date = None
        if self.data and self.data.strip():
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
    ``minimum``/``maximum``; what was typed is shown again with a Thai message otherwise.
    ``.data`` is an int (or a Decimal with ``places`` > 0), None when left empty."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, minimum: int | None = 0, maximum: int | None = 2_000_000_000,
                 places: int = 0, example: str | None = None, **kwargs):
        render_kw = {"inputmode": "decimal" if places else "numeric", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum, self.maximum, self.places, self.example = minimum, maximum, places, example

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def _range_message(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return _("กรุณากรอกตัวเลขตั้งแต่ %(min)s ถึง %(max)s", min=f"{self.minimum:,}", max=f"{self.maximum:,}")
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
            example = self.example or ("1,500.50" if self.places else "12")
            raise ValueError(_("“%(text)s” ไม่ใช่ตัวเลข ช่องนี้ต้องเป็นตัวเลข (เลขไทยหรือเลขอารบิก) เช่น %(example)s",
                               text=valuelist[0].strip()[:40], example=example)) from None
        if number is None:
            return
        if number != number.to_integral_value() and not self.places:
            raise ValueError(_("กรุณากรอกเป็นจำนวนเต็ม ไม่มีทศนิยม เช่น 12"))
        if number.as_tuple().exponent < -max(self.places, 0) and number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise ValueError(_("กรุณากรอกทศนิยมไม่เกิน %(places)s ตำแหน่ง", places=self.places))
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            raise ValueError(self._range_message())
        self.data = number if self.places else int(number)
