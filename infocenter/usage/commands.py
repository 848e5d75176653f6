"""`flask usage rollup`: apply the COUNTER rules once into the daily aggregates (run nightly)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..thai import DateParseError, parse_thai_date, thai_date
from .rollup import rollup

usage_cli = AppGroup("usage", help="Online usage statistics (สถิติการใช้งานออนไลน์).")


@usage_cli.command("rollup")
@click.option(
    "--through",
    default=None,
    help="Last day to roll up, e.g. 29/04/2563 (default and at most: yesterday).",
)
@click.option("--rebuild", is_flag=True, help="Recompute every day from the raw events.")
def rollup_command(through: str | None, rebuild: bool) -> None:
    """Bring the daily aggregates up to date; safe to re-run (whole days are recomputed)."""
    try:
        last = parse_thai_date(through) if through else None
    except DateParseError as exc:
        raise click.BadParameter(str(exc), param_hint="--through") from None
    result = rollup(last, rebuild=rebuild)
    if result.start is None:
        click.echo(f"สถิติรายวันเป็นปัจจุบันแล้ว ถึงวันที่ {thai_date(result.end)}")
    else:
        click.echo(
            f"รวมสถิติรายวัน {thai_date(result.start)} ถึง {thai_date(result.end)}: {result.rows:,} แถว"
        )
