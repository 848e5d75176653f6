"""`flask publish due`: publish scheduled posts whose time has come and send or retry LINE deliveries."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..audit import acting_as
from ..extensions import db
from . import operations

publish_cli = AppGroup("publish", help="News posts and LINE deliveries.")


@publish_cli.command("due")
def due():
    """Publish scheduled posts that are due, then send pending LINE deliveries and due retries."""
    with acting_as("cli:publish due"):
        published = operations.publish_due()
        db.session.commit()
        for post in published:
            click.echo(f"published #{post.id}: {post.title}")
        if not operations.line_enabled():
            click.echo(f"{len(published)} post(s) published; LINE is off (LINE_CHANNEL_ACCESS_TOKEN not set)")
            return
        run = operations.deliver_due()
    click.echo(f"{len(published)} post(s) published; LINE: {run.sent} sent, {run.retrying} to retry, "
               f"{run.failed} failed")
    if run.failed:
        raise SystemExit(1)
