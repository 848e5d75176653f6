"""`flask report quarterly ...`: the quarterly statistics report from the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

from ..admin.models import office_by_code
from ..audit import acting_as
from ..extensions import db
from ..thai import FiscalQuarter
from .operations import ReportError, generate_quarterly, report_path

report_cli = AppGroup("report", help="Reports to the supervisor (รายงานต่อผู้บังคับบัญชา).")


@report_cli.command("quarterly")
@click.option("--fiscal-year", type=int, required=True, help="BE fiscal year, e.g. 2563.")
@click.option("--quarter", type=click.IntRange(1, 4), required=True, help="1 Oct–Dec … 4 Jul–Sep.")
@click.option("--office", "office_code", default=None, help="Office code (default: the main office).")
@click.option("--all", "all_offices", is_flag=True, help="Every office, one section each, and a province total.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also copy the PDF here (it is always stored under REPORTS_DIR).")
@click.option("--arabic-digits", is_flag=True, help="Arabic digits instead of Thai digits.")
def quarterly_command(fiscal_year: int, quarter: int, office_code: str | None, all_offices: bool,
                      out: Path | None, arabic_digits: bool) -> None:
    """Build the quarterly statistics report PDF and record it."""
    from ..admin.models import default_office

    if all_offices and office_code:
        raise click.UsageError("ใช้ --office หรือ --all อย่างใดอย่างหนึ่ง")
    try:
        fq = FiscalQuarter(fiscal_year, quarter)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    office = None
    if not all_offices:
        office = office_by_code(office_code) if office_code else default_office()
        if office is None:
            raise click.BadParameter(f"ไม่พบหน่วยงานรหัส {office_code} (ดูรายชื่อด้วย flask offices list)",
                                     param_hint="--office")
    with acting_as("cli"):
        try:
            report = generate_quarterly(fq, office=office, all_offices=all_offices, via="cli",
                                        thai_digits=not arabic_digits)
        except ReportError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        db.session.commit()
    path = report_path(report)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)
    click.echo(f"{report.code}: {report.pages} pages, sha256 {report.sha256}")
    click.echo(f"stored: {path}")
    if out:
        click.echo(f"copied to: {out}")
