"""Column types and SQL helpers that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, TypeDecorator, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import BigInteger, Date, String


class UTCDateTime(TypeDecorator):
    """Stores instants as naive UTC (SQLite has no time zones) and returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use thai.now_utc()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL results on SQLite
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


def postgresql_gin(name: str, column: str, ops: str | None = None) -> Index:
    """A GIN index PostgreSQL keeps (``ops``: e.g. ``gin_trgm_ops``, which makes LIKE '%term%'
    use it) and SQLite leaves empty (WHERE 0): SQLite searches another way (FTS5)."""
    return Index(
        name,
        column,
        postgresql_using="gin",
        postgresql_ops={column: ops} if ops else {},
        sqlite_where=text("0"),
    )


# The office-local (Asia/Bangkok, UTC+7, no daylight saving) wall-clock time of a UTC column, as
# each database spells it; the local_* functions below build on these two.
def _local_sqlite(column: str) -> str:
    """The local time as SQLite date functions take it: the column, then a '+7 hours' modifier."""
    return f"{column}, '+7 hours'"


def _local_pg(column: str) -> str:
    """The local time as a PostgreSQL timestamp: the naive UTC column read as UTC, then as
    Bangkok time."""
    return f"({column} AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Bangkok'"


def _column_function(name: str, type_, doc: str, sqlite: str, postgresql: str, local=True):
    """A SQL function of one naive-UTC column, spelled per database.

    ``sqlite`` and ``postgresql`` are templates in which ``{t}`` stands for the column, or for its
    office-local time as that database spells it when ``local``."""
    cls = type(name, (FunctionElement,), {"__doc__": doc, "type": type_, "inherit_cache": True})
    for dialect, template, to_local in (
        ("sqlite", sqlite, _local_sqlite),
        ("postgresql", postgresql, _local_pg),
    ):

        def compile_(element, compiler, template=template, to_local=to_local, **kw):
            (arg,) = list(element.clauses)
            column = compiler.process(arg, **kw)
            return template.format(t=to_local(column) if local else column)

        compiles(cls, dialect)(compile_)
    return cls


local_date = _column_function(
    "local_date",
    Date(),
    "The office-local (Asia/Bangkok, UTC+7, no daylight saving) calendar date of a UTC column.",
    sqlite="date({t})",
    postgresql="CAST({t} AS DATE)",
)

local_month = _column_function(
    "local_month",
    String(),
    "The office-local month of a UTC column as text 'YYYY-MM' (for GROUP BY month).",
    sqlite="strftime('%Y-%m', {t})",
    postgresql="to_char({t}, 'YYYY-MM')",
)

# SQLite: 'weekday 0' moves forward to Sunday (or stays on it); six days back is that week's Monday.
local_week = _column_function(
    "local_week",
    Date(),
    "The Monday (office-local date) of the ISO week a UTC column falls in.",
    sqlite="date({t}, 'weekday 0', '-6 days')",
    postgresql="CAST(date_trunc('week', {t}) AS DATE)",
)

epoch_seconds = _column_function(
    "epoch_seconds",
    BigInteger(),
    "Whole seconds since 1970 of a naive-UTC timestamp column (for 30-second and hour windows).",
    sqlite="CAST(strftime('%s', {t}) AS INTEGER)",
    postgresql="CAST(FLOOR(EXTRACT(EPOCH FROM {t})) AS BIGINT)",
    local=False,
)
