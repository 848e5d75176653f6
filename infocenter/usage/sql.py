"""SQL helpers for counting events by time on both SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


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
