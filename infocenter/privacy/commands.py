"""`flask privacy purge`: the one retention job (PDPA); run daily (cron or a systemd timer, see
README)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .. import settings
from ..audit import acting_as
from ..extensions import db
from .purge import PURGERS, compact_sqlite

privacy_cli = AppGroup(
    "privacy", help="Personal data (PDPA): erase what has outlived its retention."
)

DONE = {
    "visits": "erased names, contacts and notes of {n} visits older than {days} days",
    "requests": "erased requesters' data, notes and reply files of {n} requests closed over {days} "
    "days ago",
    "logins": "removed {n} expired logins",
    "backups": "removed {n} backups older than {days} days",
    "line messages": "erased the text of {n} LINE group messages older than {days} days",
}


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be erased.")
def purge(dry_run: bool):
    """Erase every kind of personal data older than the retention setting; statistics stay."""
    days = settings.get("privacy_retention_days")
    with acting_as("privacy purge"):
        for name, purger in PURGERS:
            count = purger(dry_run=dry_run)
            if dry_run:
                click.echo(f"{name}: {count} would be erased (nothing erased)")
            else:
                db.session.commit()
                click.echo(DONE[name].format(n=count, days=days))
    if not dry_run:
        compact_sqlite()
