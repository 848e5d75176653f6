"""Administrator-editable settings: their definitions, Thai labels and defaults.

Features define their settings here (one ``define`` call each); values are stored in the
``settings`` table and edited on the admin settings page. Labels and help texts are Thai
catalogue msgids (mark them with ``N_`` or ``lazy_gettext``); the settings page translates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .admin.models import Setting
from .cache import DEFAULT_TTL, ProcessCache
from .extensions import db
from .thai import N_


@dataclass(frozen=True)
class SettingDef:
    key: str
    label: str
    type: type  # int, float, str or bool
    default: Any
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None


REGISTRY: dict[str, SettingDef] = {}


def define(key: str, label: str, type_: type, default: Any, help: str = "", *,
           minimum: float | None = None, maximum: float | None = None) -> SettingDef:
    """Declare a setting with its Thai label and default."""
    definition = SettingDef(key, label, type_, default, help, minimum, maximum)
    REGISTRY[key] = definition
    return definition


SETTINGS_TTL = DEFAULT_TTL  # for another process's change to show; this process's shows at once
_cache = ProcessCache("settings", (Setting,))


def _stored() -> dict[str, Any]:
    return _cache.get("all", lambda: dict(db.session.execute(select(Setting.key, Setting.value)).all()))


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
define("privacy_retention_days", N_("ระยะเวลาเก็บข้อมูลส่วนบุคคลของผู้มาติดต่อ (วัน)"), int, 365,
       N_("เมื่อครบกำหนด ชื่อและช่องทางติดต่อจะถูกลบ แต่สถิติยังคงอยู่"), minimum=30, maximum=3650)
define("public_per_page", N_("จำนวนรายการต่อหน้าในหน้าค้นหาสาธารณะ"), int, 20, minimum=5, maximum=100)
