"""`flask index import FILE`, `flask index export FILE`: the Section 9 index from the command line.

``index_cli`` is one click group for the index; other features add their subcommands to it
(e.g. ``@index_cli.command("print")`` for the printed index).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from tqdm import tqdm

from ..admin.models import default_office, office_by_code
from ..audit import acting_as
from ..extensions import db
from .importexport import (
    FORMATS,
    ImportFileError,
    apply_import,
    export_bytes,
    plan_import,
    read_rows,
)
from .models import ensure_categories

index_cli = AppGroup("index", help="The Section 9 index (ดัชนีข้อมูลข่าวสาร): import, export.")


@index_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--office", "office_code", default=None, help="Office code the entries belong to (default: the main office).")
@click.option("--dry-run", is_flag=True, help="Check the file and report, without importing.")
def import_command(file: Path, office_code: str | None, dry_run: bool) -> None:
    """Import entries from a .csv or .xlsx file (all or nothing)."""
    ensure_categories()  # a freshly migrated database already has them; an older one may not
    if office_code:
        office = office_by_code(office_code)
        if office is None:
            raise click.ClickException(f"ไม่พบสำนักงานรหัส {office_code} (ดูรหัสได้ด้วย flask offices list)")
    else:
        office = default_office()
    try:
        rows = read_rows(file.read_bytes(), file.name)
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    plan = plan_import(tqdm(rows, desc="ตรวจสอบ", unit="แถว", disable=len(rows) < 200), office)
    if plan.errors:
        db.session.rollback()
        for error in plan.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"พบข้อผิดพลาด {len(plan.errors)} รายการ ยังไม่ได้นำเข้าข้อมูลใด ๆ "
                                   "กรุณาแก้ไขไฟล์แล้วนำเข้าใหม่")
    if not plan.entries:
        raise click.ClickException("ไม่มีแถวข้อมูลในไฟล์")
    if dry_run:
        db.session.rollback()
        click.echo(f"ตรวจสอบแล้ว: นำเข้าได้ {len(plan.entries)} รายการ (ยังไม่ได้นำเข้า เพราะใช้ --dry-run)")
        return
    with acting_as("cli:index import"), tqdm(total=len(plan.entries), desc="นำเข้า", unit="รายการ",
                                               disable=len(plan.entries) < 200) as bar:
        created = apply_import(plan, progress=bar.update)
        db.session.commit()
    click.echo(f"นำเข้าแล้ว {created} รายการ ({office.code})")


@index_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="csv or xlsx (default: from the file name).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
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
    from .models import rebuild_search_keys

    changed = rebuild_search_keys(db.session.connection())
    db.session.commit()
    click.echo(f"สร้างคีย์ค้นหาใหม่แล้ว: เปลี่ยน {changed} รายการ")
