"""Form helpers shared by every feature."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms import StringField, ValidationError
from wtforms.fields.choices import SelectChoice

from .thai import DateParseError, parse_thai_date


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


class FiniteNumber:
    """Validator: a number a person could mean (no ``inf``, ``nan`` or ``1e400``), at most ``high``.

    Stops the chain, so range validators after it never compare a NaN.
    """

    def __init__(self, high: float, message: str):
        self.high = high
        self.message = message

    def __call__(self, form, field) -> None:
        import math

        from wtforms.validators import StopValidation

        value = field.data
        if value is not None and (not math.isfinite(value) or abs(value) > self.high):
            field.errors[:] = []
            raise StopValidation(str(self.message))
