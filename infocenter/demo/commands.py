"""`flask demo seed`, `flask demo clear`, `flask demo ensure` (used by `make run`)."""

from __future__ import annotations

import random
import time
from importlib import import_module

import click
from flask.cli import AppGroup
from sqlalchemy import select, text

from ..admin.models import Office
from ..catalogue.operations import optimize_search_index
from ..extensions import db
from . import SEEDERS, SeedContext
from .core import demo_office_ids

demo_cli = AppGroup("demo", help="Demo data (clearly marked, removable).")


def _clear(ctx: SeedContext) -> None:
    ctx.office_ids = demo_office_ids()
    for name in reversed(SEEDERS):
        import_module(name).clear(ctx)


def run_seed(ctx: SeedContext) -> None:
    """Replace any demo data with a fresh set made from ``ctx``."""
    _clear(ctx)
    for name in SEEDERS:
        started = time.perf_counter()
        import_module(name).seed(ctx)
        db.session.flush()
        ctx.echo(f"{name.rsplit('.', 1)[-1]}: {time.perf_counter() - started:.1f} s")
    db.session.commit()
    # Fresh statistics for the query planner after a bulk load (SQLite keeps none until asked;
    # PostgreSQL's autovacuum would otherwise analyse the new rows while the app serves them).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    optimize_search_index()  # one FTS5 segment instead of hundreds after the bulk insert


@demo_cli.command("seed")
@click.option("--documents", default=300, show_default=True, help="Index entries.")
@click.option("--visits", default=600, show_default=True, help="Walk-in visits at the counter.")
@click.option(
    "--online-events", default=5000, show_default=True, help="Online searches, views, downloads."
)
@click.option("--requests", "requests_", default=40, show_default=True, help="Section 11 requests.")
@click.option(
    "--seed",
    "seed_value",
    default=2540,
    show_default=True,
    help="Random seed (same seed, same data).",
)
@click.option(
    "--password", default=None, help="Password for the demo accounts (default: random, printed)."
)
def seed(
    documents: int,
    visits: int,
    online_events: int,
    requests_: int,
    seed_value: int,
    password: str | None,
):
    """Create demo offices, staff and data over the twelve months up to today (replaces old demo
    data)."""
    ctx = SeedContext(
        rng=random.Random(seed_value),
        documents=documents,
        visits=visits,
        online_events=online_events,
        requests=requests_,
        echo=click.echo,
    )
    if password:
        ctx.extra["password"] = password
    started = time.perf_counter()
    run_seed(ctx)
    click.echo(f"demo data ready in {time.perf_counter() - started:.1f} s")
    click.echo(
        "demo accounts: demo-admin, demo-supervisor, demo-clerk — password: "
        f"{ctx.extra['password']}"
    )


@demo_cli.command("clear")
def clear():
    """Remove all demo data (offices marked as demo and everything that belongs to them)."""
    ctx = SeedContext(rng=random.Random(0), echo=click.echo)
    _clear(ctx)
    db.session.commit()
    click.echo("demo data removed")


@demo_cli.command("ensure")
def ensure():
    """On a database with no office at all, create the small demo set and print its password
    once."""
    if db.session.scalar(select(Office.id).limit(1)) is not None:
        return
    ctx = SeedContext(
        rng=random.Random(2540),
        documents=300,
        visits=600,
        online_events=5000,
        requests=40,
        echo=lambda *_: None,
    )
    run_seed(ctx)
    bar = "=" * 72
    click.echo(bar)
    click.echo("ข้อมูลตัวอย่าง (DEMO DATA) ถูกสร้างแล้ว — ไม่ใช่ข้อมูลจริง; ลบด้วย `flask demo clear`")
    click.echo("Demo accounts (password shown only this once):")
    for username in ("demo-admin", "demo-supervisor", "demo-clerk"):
        click.echo(f"  {username:<16} password: {ctx.extra['password']}")
    click.echo(bar)
