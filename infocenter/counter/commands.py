"""`flask counter import FILE --office CODE`: load a past register (all rows or none)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..audit import acting_as
from ..cli import INPUT_FILE, office_option, office_or_main
from ..extensions import db
from .importer import ImportFailed, import_register

counter_cli = AppGroup("counter", help="The register of service use (walk-in visits).")


@counter_cli.command("import")
@click.argument("path", type=INPUT_FILE)
@office_option()
def import_cmd(path: Path, office_code: str | None):
    """Import a past paper or spreadsheet register (CSV or XLSX); nothing is saved if a row is
    wrong."""
    office = office_or_main(office_code)
    with acting_as("counter import"), path.open("rb") as stream:
        try:
            count = import_register(stream, path.name, office_id=office.id, served_by_id=None)
        except ImportFailed as exc:
            for message in exc.errors:
                click.echo(message, err=True)
            raise click.ClickException(f"ไม่ได้นำเข้า: พบข้อผิดพลาด {len(exc.errors)} รายการ") from None
        db.session.commit()
    click.echo(f"นำเข้าแล้ว {count} รายการ ให้ {office.name}")
