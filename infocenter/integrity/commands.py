"""`flask plan import FILE`, `flask plan propose`, `flask plan late`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..audit import acting_as
from ..cli import INPUT_FILE
from ..extensions import db
from ..spreadsheet import SpreadsheetError
from ..thai import arabic_digits
from .importer import parse_rows, read_rows
from .operations import propose, save_plan
from .stats import plan_for_year, plan_progress, summary

plan_cli = AppGroup("plan", help="The integrity and transparency action plan (ITA).")


@plan_cli.command("import")
@click.argument("path", type=INPUT_FILE)
@click.option("--year", type=int, default=None, help="Fiscal year (BE) when the file does not say.")
@click.option("--dry-run", is_flag=True, help="Read and report only; store nothing.")
def import_cmd(path: Path, year: int | None, dry_run: bool):
    """Import a plan (the office's TSV/TXT, CSV or XLSX); lines it cannot read are listed."""
    try:
        parsed = parse_rows(read_rows(path.read_bytes(), path.name), fiscal_year=year)
    except SpreadsheetError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in parsed.problems:
        click.echo(f"line {problem.line}: {problem}", err=True)
    if parsed.fiscal_year is None:
        raise click.ClickException("no fiscal year: use --year 2563")
    click.echo(
        f"FY {parsed.fiscal_year}: {len(parsed.dimensions)} dimensions, {len(parsed.measures)} "
        "measures, "
        f"{len(parsed.activities)} activities, {len(parsed.problems)} lines to check"
    )
    if dry_run:
        return
    with acting_as("cli:plan import"):
        save_plan(parsed, source_name=path.name)
        db.session.commit()


@plan_cli.command("propose")
@click.option("--year", type=int, default=None, help="Fiscal year (BE); default the newest plan.")
def propose_cmd(year: int | None):
    """Propose evidence links the product can find (reports, posts, index entries)."""
    plan = plan_for_year(year)
    if plan is None:
        raise click.ClickException("no plan imported")
    with acting_as("cli:plan propose"):
        made = propose(plan)
        db.session.commit()
    click.echo(f"{made} proposals")


@plan_cli.command("status")
@click.option("--year", type=int, default=None)
def status_cmd(year: int | None):
    """Activities per status, and the late ones."""
    plan = plan_for_year(year)
    if plan is None:
        raise click.ClickException("no plan imported")
    progress = plan_progress(plan)
    click.echo(" ".join(f"{k}={v}" for k, v in summary(progress).items()))
    for p in progress:
        if p.status == "late":
            click.echo(
                f"late: {p.activity.ref} {arabic_digits(p.activity.period_text)} "
                f"{p.activity.title[:60]}"
            )
