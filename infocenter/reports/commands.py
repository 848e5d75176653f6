"""`flask report quarterly ...` (the quarterly statistics report) and `flask index print ...` (the
printed index, added to the catalogue's ``index`` group as its docstring invites)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

from ..admin.models import Office
from ..audit import acting_as
from ..catalogue.commands import index_cli
from ..cli import OUTPUT_FILE, arabic_digits_option, office_option, office_or_main
from ..extensions import db
from ..thai import FiscalQuarter
from ..urls import PublicBaseURLMissing
from .operations import ReportError, generate_quarterly, report_path
from .printed_index import PublicBaseUrlMissing, build_index_pdf, public_base_url

report_cli = AppGroup("report", help="Reports to the supervisor (รายงานต่อผู้บังคับบัญชา).")


def _chosen_office(office_code: str | None, all_offices: bool) -> Office | None:
    """The office --office names (the main office without it), or None with --all."""
    if all_offices and office_code:
        raise click.UsageError("ใช้ --office หรือ --all อย่างใดอย่างหนึ่ง")
    return None if all_offices else office_or_main(office_code)


@report_cli.command("quarterly")
@click.option("--fiscal-year", type=int, required=True, help="BE fiscal year, e.g. 2563.")
@click.option("--quarter", type=click.IntRange(1, 4), required=True, help="1 Oct–Dec … 4 Jul–Sep.")
@office_option()
@click.option(
    "--all",
    "all_offices",
    is_flag=True,
    help="The province: its memo and total, and every office side by side.",
)
@click.option("--annexes", is_flag=True, help="With --all: also one annex per office.")
@click.option(
    "--book-number",
    default="",
    help="The number issued for the memo (after the office's book "
    "prefix); default: a blank to write in by hand.",
)
@click.option(
    "--out",
    type=OUTPUT_FILE,
    default=None,
    help="Also copy the PDF here (it is always stored under REPORTS_DIR).",
)
@arabic_digits_option
def quarterly_command(
    fiscal_year: int,
    quarter: int,
    office_code: str | None,
    all_offices: bool,
    annexes: bool,
    book_number: str,
    out: Path | None,
    arabic_digits: bool,
) -> None:
    """Build the quarterly statistics report PDF and record it."""
    if annexes and not all_offices:
        raise click.UsageError("--annexes ใช้คู่กับ --all เท่านั้น")
    try:
        fq = FiscalQuarter(fiscal_year, quarter)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    office = _chosen_office(office_code, all_offices)
    with acting_as("cli"):
        try:
            report = generate_quarterly(
                fq,
                office=office,
                all_offices=all_offices,
                via="cli",
                thai_digits=not arabic_digits,
                book_number=book_number,
                annexes=annexes,
            )
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


@index_cli.command("print")
@office_option()
@click.option("--all", "all_offices", is_flag=True, help="The public entries of every office.")
@click.option(
    "--out",
    type=OUTPUT_FILE,
    required=True,
    help="The PDF to write.",
)
@arabic_digits_option
def print_index_command(
    office_code: str | None, all_offices: bool, out: Path, arabic_digits: bool
) -> None:
    """Print the index (ดัชนีข้อมูลข่าวสาร) kept at the counter: a cover page, then the public
    entries by Section 9 category with a QR code to each entry's page."""
    office = _chosen_office(office_code, all_offices)
    try:
        public_base_url()  # QR codes that open nothing: refuse before building anything
    except PublicBaseUrlMissing as exc:
        raise click.ClickException(
            f"{exc} (เช่น PUBLIC_BASE_URL=https://info.example.go.th flask index print ...)"
        ) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        pages = build_index_pdf(str(tmp), office=office, thai_digits=not arabic_digits)
        tmp.replace(out)
    except PublicBaseURLMissing as exc:  # the QR codes need the site's public address
        raise click.ClickException(f"QR code ต้องใช้ที่อยู่เว็บไซต์สาธารณะ: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    click.echo(f"ดัชนีข้อมูลข่าวสาร {office.name if office else 'ทุกหน่วยงาน'}: {pages} หน้า → {out}")
