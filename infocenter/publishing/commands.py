"""`flask publish due`: publish scheduled posts whose time has come and send or retry LINE and
Facebook deliveries; `flask publish stats`: fetch each recent post's reach from LINE (run daily)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..audit import acting_as
from ..extensions import db
from . import operations

publish_cli = AppGroup("publish", help="News posts, LINE and Facebook deliveries, LINE statistics.")


@publish_cli.command("due")
def due():
    """Publish scheduled posts that are due, then send pending LINE/Facebook deliveries and due
    retries."""
    with acting_as("cli:publish due"):
        published = operations.publish_due()
        db.session.commit()
        for post in published:
            click.echo(f"published #{post.id}: {post.title}")
        failed = 0
        if operations.line_enabled():
            if operations.fill_group_names():  # groups whose name LINE did not give at join time
                db.session.commit()
            run = operations.deliver_due()
            failed += run.failed
            click.echo(
                f"{len(published)} post(s) published; LINE: {run.sent} sent, {run.retrying} to "
                "retry, "
                f"{run.failed} failed"
            )
        else:
            click.echo(
                f"{len(published)} post(s) published; LINE is off (LINE_CHANNEL_ACCESS_TOKEN not "
                "set)"
            )
        if operations.facebook_enabled():
            fb = operations.deliver_facebook_due()
            failed += fb.failed
            click.echo(f"Facebook: {fb.sent} sent, {fb.retrying} to retry, {fb.failed} failed")
        else:
            click.echo("Facebook is off (FACEBOOK_PAGE_ID and FACEBOOK_PAGE_TOKEN not set)")
    if failed:
        raise SystemExit(1)


@publish_cli.command("stats")
@click.option(
    "--days",
    type=click.IntRange(1, 30),
    default=operations.STATS_DAYS,
    show_default=True,
    help="Fetch the reach of posts sent to LINE in the last N days.",
)
def stats(days: int):
    """Fetch unique impressions, clicks and media played of recent posts from LINE (run daily)."""
    if not operations.line_enabled():
        click.echo("LINE is off (LINE_CHANNEL_ACCESS_TOKEN not set): no statistics to fetch")
        return
    run = operations.fetch_reach(days=days)
    db.session.commit()
    for post in run.updated:

        def show(value):
            return "< 20" if value is None else str(value)

        click.echo(
            f"#{post.id} {post.title}: seen by {show(post.reach_impressions)}, "
            f"clicked by {show(post.reach_clicks)}, media played by {show(post.reach_media_played)}"
        )
    for error in run.errors:
        click.echo(f"error {error}", err=True)
    click.echo(f"{len(run.updated)} post(s) updated, {len(run.errors)} error(s)")
    if run.errors:
        raise SystemExit(1)
