"""``flask backup`` and ``flask restore``: one archive with the database, uploads and reports."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..cli import OUTPUT_FILE
from ..thai import now_utc
from .backup import BackupError, backup_dir, create_backup, restore_backup


def _default_out() -> Path:
    stamp = now_utc().strftime("%Y%m%d-%H%M%S")
    return backup_dir() / f"infocenter-{stamp}.tar.gz"


def _run(step, path: Path):
    """A backup or a restore; its refusal (in Thai) ends the command."""
    try:
        return step(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None


def _contents(result) -> str:
    """What an archive holds, as the commands report it."""
    rows = sum(result.tables.values())
    return (
        f"ฐานข้อมูล {result.backend} {len(result.tables)} ตาราง {rows:,} แถว; "
        f"ไฟล์ {result.files:,} ไฟล์"
    )


@click.command("backup")
@click.option(
    "--out",
    "out",
    type=OUTPUT_FILE,
    help="ไฟล์ปลายทาง .tar.gz (ค่าเริ่มต้น: instance/backups/infocenter-<เวลา>.tar.gz)",
)
@with_appcontext
def backup_cmd(out: Path | None) -> None:
    """Back up the database, uploaded files and generated reports into one archive."""
    result = _run(create_backup, out or _default_out())
    click.echo(f"สำรองข้อมูลแล้ว: {result.path} ({result.bytes:,} ไบต์; {_contents(result)})")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))  # missing: said in Thai
@click.option("--yes", is_flag=True, help="ยืนยันโดยไม่ถาม (สำหรับสคริปต์)")
@with_appcontext
def restore_cmd(archive: Path, yes: bool) -> None:
    """Replace the database, uploads and reports with those in a backup archive."""
    if not yes:
        click.confirm(
            "การกู้คืนจะแทนที่ฐานข้อมูล ไฟล์แนบ และรายงานทั้งหมดด้วยข้อมูลในไฟล์สำรอง "
            "(ข้อมูลหลังวันที่สำรองจะหายไป) ยืนยันหรือไม่?",
            abort=True,
        )
    result = _run(restore_backup, archive)
    click.echo(f"กู้คืนแล้วจาก {result.path}: {_contents(result)}")
    if result.revision:
        click.echo("หากโปรแกรมรุ่นใหม่กว่าไฟล์สำรอง ให้รัน `flask db upgrade` ต่อ")
