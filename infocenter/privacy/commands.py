"""`flask privacy purge`: run daily (cron or a systemd timer, see README)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .. import settings
from ..audit import acting_as
from ..extensions import db
from .purge import purge_line_messages, purge_personal_data

privacy_cli = AppGroup("privacy", help="Personal data (PDPA): erase what has outlived its retention.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count the visits that would be erased.")
def purge(dry_run: bool):
    """Erase visitors' names and contacts older than the retention setting; visits stay for statistics."""
    days = settings.get("privacy_retention_days")
    with acting_as("privacy purge"):
        count = purge_personal_data(dry_run=dry_run)
        messages = purge_line_messages(dry_run=dry_run)
        if dry_run:
            click.echo(f"{count} visits have names or contacts older than {days} days (nothing erased)")
            click.echo(f"{messages} LINE group messages are older than {days} days (nothing erased)")
            return
        db.session.commit()
    click.echo(f"erased names and contacts of {count} visits older than {days} days")
    click.echo(f"erased the text of {messages} LINE group messages older than {days} days")
