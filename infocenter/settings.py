"""Administrator-editable settings: their definitions, Thai labels and defaults.

Features define their settings here (one ``define`` call each); values are stored in the
``settings`` table and edited on the admin settings page. Labels and help texts are Thai
catalogue msgids (mark them with ``N_`` or ``lazy_gettext``); the settings page translates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .admin.models import Setting
from .cache import DEFAULT_TTL, ProcessCache
from .extensions import db
from .forms import parse_number
from .thai import N_, DateParseError, MessageError, arabic_digits, normalize_text, parse_thai_date


@dataclass(frozen=True)
class SettingDef:
    key: str
    label: str
    type: type  # int, float, str or bool
    default: Any
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    # for str settings: "time" (ชช:นน), "date" (Buddhist Era), "email", "url" or "" (any text)
    kind: str = ""


REGISTRY: dict[str, SettingDef] = {}


def define(
    key: str,
    label: str,
    type_: type,
    default: Any,
    help: str = "",
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    kind: str = "",
) -> SettingDef:
    """Declare a setting with its Thai label and default."""
    definition = SettingDef(key, label, type_, default, help, minimum, maximum, kind)
    REGISTRY[key] = definition
    return definition


class SettingError(MessageError):
    """A typed value that does not fit its setting; the message says what to type."""


_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:\s*น\.?)?$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def parse(definition: SettingDef, raw: str) -> Any:
    """The value typed for a setting, checked by its type and kind (Thai digits accepted); raises
    SettingError with a Thai message."""
    text = normalize_text(raw or "")
    if definition.type in (int, float):
        try:
            number = parse_number(text)
        except ValueError:
            number = None
        if number is None or (definition.type is int and number != int(number)):
            raise SettingError(
                N_("กรุณากรอกเป็นตัวเลข%(whole)s เช่น %(example)s"),
                whole=_l(" (จำนวนเต็ม)") if definition.type is int else "",
                example=definition.default,
            )
        if (
            definition.minimum is not None
            and number < definition.minimum
            or definition.maximum is not None
            and number > definition.maximum
        ):
            raise SettingError(
                N_("ต้องอยู่ระหว่าง %(low)s ถึง %(high)s"),
                low=f"{definition.minimum:g}",
                high=f"{definition.maximum:g}",
            )
        return definition.type(number)
    if definition.kind == "time":
        m = _TIME_RE.match(arabic_digits(text))
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise SettingError(
                N_("เวลาไม่ถูกต้อง กรุณาพิมพ์แบบ 24 ชั่วโมง ชช:นน ตั้งแต่ 00:00 ถึง 23:59 เช่น 16:30")
            )
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    if definition.kind == "date" and text:
        try:
            parse_thai_date(text)
        except DateParseError as exc:
            raise SettingError(exc.message, **exc.params) from None
    if definition.kind == "email" and text and not _EMAIL_RE.match(text):
        raise SettingError(N_("รูปแบบอีเมลไม่ถูกต้อง เช่น name@example.go.th"))
    if definition.kind == "url" and text and not _URL_RE.match(text):
        raise SettingError(N_("ลิงก์ไม่ถูกต้อง กรุณาพิมพ์ลิงก์เต็ม เช่น https://www.example.go.th"))
    return text


SETTINGS_TTL = DEFAULT_TTL  # for another process's change to show; this process's shows at once
_cache = ProcessCache("settings", (Setting,))


def _stored() -> dict[str, Any]:
    return _cache.get(
        "all", lambda: dict(db.session.execute(select(Setting.key, Setting.value)).all())
    )


def get(key: str) -> Any:
    """The stored value of a setting, or its default (all settings are read in one query and kept
    for a few seconds: most pages read one or two)."""
    definition = REGISTRY[key]
    return _stored().get(key, definition.default)


def put(key: str, value: Any) -> None:
    """Store a setting (audited); the caller commits."""
    definition = REGISTRY[key]
    value = definition.type(value)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()  # the settings cache sees the change at once (the caller still commits)


# Settings of the foundation; features add theirs next to their code.
define(
    "privacy_retention_days",
    N_("ระยะเวลาเก็บข้อมูลส่วนบุคคลของผู้มาติดต่อ (วัน)"),
    int,
    365,
    N_("เมื่อครบกำหนด ชื่อและช่องทางติดต่อจะถูกลบ แต่สถิติยังคงอยู่"),
    minimum=30,
    maximum=3650,
)
define("public_per_page", N_("จำนวนรายการต่อหน้าในหน้าค้นหาสาธารณะ"), int, 20, minimum=5, maximum=100)
