"""`flask index import FILE [--dry-run] [--map FILE]`, `flask index export FILE`: the Section 9
index from the command line.

``index_cli`` is one click group for the index; other features add their subcommands to it
(e.g. ``@index_cli.command("print")`` for the printed index).
"""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from tqdm import tqdm

from ..audit import acting_as
from ..cli import INPUT_FILE, OUTPUT_FILE, office_option, office_or_main
from ..extensions import db
from ..importmap import KINDS, ImportMapping, remember
from ..spreadsheet import SpreadsheetError, read_table
from .importexport import (
    FORMATS,
    ImportFileError,
    apply_import,
    export_bytes,
    grouped,
    plan_import,
    read_rows,
)
from .models import ensure_categories

index_cli = AppGroup("index", help="The Section 9 index (ดัชนีข้อมูลข่าวสาร): import, export.")


MAP_COLUMNS = {
    "value": ("ค่าในไฟล์", "ค่าเดิม", "value", "from"),
    "target": ("ใช้เป็น", "หมวด", "target", "to"),
}


def read_map_file(path: Path) -> dict[str, str]:
    """{value as written: category code} from a two-column file (ค่าในไฟล์, ใช้เป็น)."""
    try:
        table = read_table(path.read_bytes(), path.name, MAP_COLUMNS, required=("value", "target"))
    except SpreadsheetError as exc:
        raise click.ClickException(f"{path.name}: {exc}") from None
    return {row.get("value"): row.get("target").strip() for row in table.rows if row.get("value")}


def _print_groups(title: str, groups, err: bool = False) -> None:
    click.echo(title, err=err)
    for g in groups:
        column = f" (คอลัมน์ {g.column})" if g.column else ""
        click.echo(f"  {len(g.rows)} แถว: {g.text}{column} — แถวที่ {g.rows_text()}", err=err)


@index_cli.command("import")
@click.argument("file", type=INPUT_FILE)
@office_option()
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check the file and print the grouped preview, without importing.",
)
@click.option(
    "--map",
    "map_file",
    type=INPUT_FILE,
    default=None,
    help="A .csv/.xlsx with columns ค่าในไฟล์,ใช้เป็น mapping unknown category spellings to codes.",
)
@click.option(
    "--save-map", is_flag=True, help="Remember the --map readings for this office's later imports."
)
@click.option(
    "--skip-bad", is_flag=True, help="Import the good rows even when some rows have errors."
)
def import_command(
    file: Path,
    office_code: str | None,
    dry_run: bool,
    map_file: Path | None,
    save_map: bool,
    skip_bad: bool,
) -> None:
    """Import entries from a .csv, .xlsx or .xls file (all or nothing unless --skip-bad).

    Category spellings the file uses are read through this office's stored mappings (made in
    the web preview or with --map FILE --save-map)."""
    ensure_categories()  # a freshly migrated database already has them; an older one may not
    office = office_or_main(office_code)
    mappings = read_map_file(map_file) if map_file else {}
    try:
        rows = read_rows(file.read_bytes(), file.name)
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    plan = plan_import(
        tqdm(rows, desc="ตรวจสอบ", unit="แถว", disable=len(rows) < 200), office, mappings=mappings
    )
    if plan.warnings:
        _print_groups(
            f"อ่านโดยการคาดเดา {len(plan.warnings)} จุด (ไม่ขัดขวางการนำเข้า กรุณาตรวจสอบ):",
            grouped(plan.warnings),
        )
    if plan.errors:
        _print_groups(
            f"ข้อผิดพลาด {len(plan.errors)} จุด ใน {len(plan.bad_rows)} แถว:",
            grouped(plan.errors),
            err=True,
        )
        for error in plan.errors:
            click.echo(str(error), err=True)
        if not skip_bad or dry_run:
            db.session.rollback()
            hint = "" if skip_bad else " หรือใช้ --skip-bad เพื่อนำเข้าเฉพาะแถวที่ถูกต้อง"
            if plan.unknown.get("category"):
                hint += " (หมวดที่ไม่รู้จักจับคู่ได้ด้วย --map FILE)"
            raise click.ClickException(
                f"พบข้อผิดพลาด {len(plan.errors)} รายการ ยังไม่ได้นำเข้าข้อมูลใด ๆ "
                f"กรุณาแก้ไขไฟล์แล้วนำเข้าใหม่{hint}"
            )
    if not plan.entries:
        raise click.ClickException("ไม่มีแถวข้อมูลในไฟล์")
    if dry_run:
        db.session.rollback()
        click.echo(
            f"ตรวจสอบแล้ว: นำเข้าได้ {len(plan.entries)} รายการ (ยังไม่ได้นำเข้า เพราะใช้ --dry-run)"
        )
        return
    with (
        acting_as("cli:index import"),
        tqdm(
            total=len(plan.entries), desc="นำเข้า", unit="รายการ", disable=len(plan.entries) < 200
        ) as bar,
    ):
        if save_map and mappings:
            remember(office.id, "category", mappings)
        created = apply_import(plan, progress=bar.update)
        db.session.commit()
    skipped = f" ข้าม {len(plan.bad_rows)} แถวที่มีข้อผิดพลาด" if plan.errors else ""
    click.echo(f"นำเข้าแล้ว {created} รายการ ({office.code}){skipped}")


@index_cli.command("mappings")
@office_option()
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="category",
    help="category (index imports), visitor_type or purpose (counter register imports).",
)
@click.option(
    "--load",
    "load_file",
    type=INPUT_FILE,
    default=None,
    help="Remember the readings in a .csv/.xlsx with columns ค่าในไฟล์,ใช้เป็น.",
)
def mappings_command(office_code: str | None, kind: str, load_file: Path | None) -> None:
    """List (or load) the import mappings remembered for an office."""
    office = office_or_main(office_code)
    if load_file:
        with acting_as("cli:index mappings"):
            changed = remember(office.id, kind, read_map_file(load_file))
            db.session.commit()
        click.echo(f"บันทึกการจับคู่ {changed} ค่า ({office.code}, {kind})")
    rows = db.session.scalars(
        select(ImportMapping)
        .where(ImportMapping.office_id == office.id, ImportMapping.kind == kind)
        .order_by(ImportMapping.source)
    )
    for row in rows:
        click.echo(f"{row.source}\t→ {row.target}")


@index_cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="csv or xlsx (default: from the file name).",
)
@click.argument("file", type=OUTPUT_FILE)
def export_command(fmt: str | None, file: Path) -> None:
    """Export every entry in the import's format (so export → import round-trips)."""
    fmt = fmt or file.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise click.ClickException("ระบุ --format csv หรือ --format xlsx")
    file.write_bytes(export_bytes(fmt))
    click.echo(f"ส่งออกแล้ว: {file}")


@index_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the normalised search keys of every entry (after the normalisation changes)."""
    from .models import rebuild_search_keys, rebuild_words
    from .words import refresh_vocabulary

    changed = rebuild_search_keys(db.session.connection())
    words = rebuild_words(db.session.connection())  # PostgreSQL: every entry's words
    refresh_vocabulary(db.session.connection())  # and the vocabulary counted from them
    db.session.commit()
    click.echo(f"สร้างคีย์ค้นหาใหม่แล้ว: เปลี่ยน {changed} รายการ")
    if words:
        click.echo(f"สร้างคำของรายการใหม่แล้ว: {words} รายการ")


@index_cli.command("optimize")
def optimize_command() -> None:
    """Compact the search index (after a bulk load; nightly from cron)."""
    from .operations import optimize_search_index

    started = time.perf_counter()
    done = optimize_search_index()
    click.echo(f"จัดดัชนีค้นหาใหม่แล้ว ({done}, {time.perf_counter() - started:.1f} วินาที)")
