"""`flask offices ...`: the provincial and district offices."""

import click
from flask.cli import AppGroup

from ..audit import acting_as
from ..extensions import db
from .models import OFFICE_KINDS, Office, office_by_code, saved_main_office
from .operations import ensure_main_office

offices_cli = AppGroup("offices", help="Provincial and district offices.")


@offices_cli.command("setup")
def setup_offices():
    """Create the main office from OFFICE_CODE / OFFICE_NAME on a database with no office (once
    after the first `flask db upgrade`); does nothing when an office exists."""
    with acting_as("cli"):
        existing = saved_main_office()
        office = ensure_main_office()
        db.session.commit()
    if existing is None:
        click.echo(f"created main office {office.code} {office.name}")
    else:
        click.echo(f"main office: {office.code} {office.name} (nothing to do)")


@offices_cli.command("create")
@click.option("--code", required=True, help="Short code, e.g. NSW or NSW-01.")
@click.option("--name", required=True, help="Thai name, e.g. สำนักงานพัฒนาชุมชนอำเภอเมืองนครสวรรค์.")
@click.option("--kind", type=click.Choice(list(OFFICE_KINDS)), default="district")
@click.option("--parent", "parent_code", help="Code of the provincial office it reports to.")
@click.option("--address", default="")
@click.option("--phone", default="")
def create_office(code, name, kind, parent_code, address, phone):
    """Create an office."""
    if office_by_code(code):
        raise click.ClickException(f"มีสำนักงานรหัส {code} อยู่แล้ว (office exists)")
    parent = None
    if parent_code:
        parent = office_by_code(parent_code)
        if parent is None:
            raise click.ClickException(f"ไม่พบสำนักงานรหัส {parent_code} (no such parent office)")
    with acting_as("cli"):
        db.session.add(
            Office(code=code, name=name, kind=kind, parent=parent, address=address, phone=phone)
        )
        db.session.commit()
    click.echo(f"created office {code}")


@offices_cli.command("list")
def list_offices():
    """List offices."""
    for office in db.session.scalars(Office.ordered()):
        click.echo(f"{office.code:<10} {office.kind:<9} {office.name}")
