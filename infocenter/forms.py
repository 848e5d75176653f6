"""Form helpers shared by every feature."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms.fields.choices import SelectChoice


def choices(items: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """Select options from a {value: label} mapping or (value, label) pairs."""
    pairs = items.items() if isinstance(items, Mapping) else items
    return [SelectChoice(value, label) for value, label in pairs]
