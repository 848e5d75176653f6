"""Column types and SQL helpers that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, TypeDecorator
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


# The office-local (Asia/Bangkok, UTC+7, no daylight saving) wall-clock time of a UTC column, as
# each database spells it; the local_* functions below build on these two.
def _local_sqlite(element, compiler, **kw) -> str:
    """The local time as SQLite date functions take it: the column, then a '+7 hours' modifier."""
    (arg,) = list(element.clauses)
    return f"{compiler.process(arg, **kw)}, '+7 hours'"


def _local_pg(element, compiler, **kw) -> str:
    """The local time as a PostgreSQL timestamp: the naive UTC column read as UTC, then as
    Bangkok time."""
    (arg,) = list(element.clauses)
    return f"({compiler.process(arg, **kw)} AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Bangkok'"


class local_date(FunctionElement):
    """The office-local (Asia/Bangkok, UTC+7, no daylight saving) calendar date of a UTC column."""

    type = Date()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _local_date_sqlite(element, compiler, **kw):
    return f"date({_local_sqlite(element, compiler, **kw)})"


@compiles(local_date, "postgresql")
def _local_date_pg(element, compiler, **kw):
    return f"CAST({_local_pg(element, compiler, **kw)} AS DATE)"


class local_month(FunctionElement):
    """The office-local month of a UTC column as text 'YYYY-MM' (for GROUP BY month)."""

    type = String()
    inherit_cache = True


@compiles(local_month, "sqlite")
def _local_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {_local_sqlite(element, compiler, **kw)})"


@compiles(local_month, "postgresql")
def _local_month_pg(element, compiler, **kw):
    return f"to_char({_local_pg(element, compiler, **kw)}, 'YYYY-MM')"


class local_week(FunctionElement):
    """The Monday (office-local date) of the ISO week a UTC column falls in."""

    type = Date()
    inherit_cache = True


@compiles(local_week, "sqlite")
def _local_week_sqlite(element, compiler, **kw):
    # 'weekday 0' moves forward to Sunday (or stays on it); six days back is that week's Monday.
    return f"date({_local_sqlite(element, compiler, **kw)}, 'weekday 0', '-6 days')"


@compiles(local_week, "postgresql")
def _local_week_pg(element, compiler, **kw):
    return f"CAST(date_trunc('week', {_local_pg(element, compiler, **kw)}) AS DATE)"


class epoch_seconds(FunctionElement):
    """Whole seconds since 1970 of a naive-UTC timestamp column (for 30-second and hour windows)."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    (arg,) = list(element.clauses)
    return f"CAST(strftime('%s', {compiler.process(arg, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_pg(element, compiler, **kw):
    (arg,) = list(element.clauses)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(arg, **kw)})) AS BIGINT)"
