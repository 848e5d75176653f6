"""`flask users ...`: create staff accounts, set passwords, list them."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..admin.operations import ensure_main_office
from ..audit import acting_as
from ..cli import office_option, office_or_main
from ..extensions import db
from .models import User
from .roles import ROLES
from .sessions import end_all_logins

users_cli = AppGroup("users", help="Staff accounts.")


def _read_password() -> str:
    """A new password: typed twice at a terminal, or one line of stdin when piped."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 10:
        raise click.ClickException(
            "รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร (password must be at least 10 characters)"
        )
    return password


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@office_option()
@click.option("--name", "full_name", default="", help="Full name in Thai.")
@click.option("--position", default="", help="Position, printed under signatures.")
@click.option("--email", default="")
def create_user(
    username: str, role: str, office_code: str | None, full_name: str, position: str, email: str
):
    """Create a staff account; the password is read from a prompt or from stdin."""
    if db.session.scalars(select(User).where(User.username == username)).first():
        raise click.ClickException(f"มีผู้ใช้ชื่อ {username} อยู่แล้ว (user exists)")
    with acting_as("cli"):
        # The first administrator is part of setup: without --office, the main office is made
        # from the settings if there is none yet (as `flask offices setup` does).
        office = office_or_main(office_code) if office_code else ensure_main_office()
        user = User(
            username=username,
            role=role,
            office=office,
            full_name=full_name,
            position=position,
            email=email,
        )
        user.set_password(_read_password())
        db.session.add(user)
        db.session.commit()
    click.echo(f"created {role} {username} in office {office.code}")


@users_cli.command("set-password")
@click.argument("username")
def set_password(username: str):
    """Set a user's password (prompt or stdin) and lift any lock-out."""
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise click.ClickException(f"ไม่พบผู้ใช้ {username} (no such user)")
    with acting_as("cli"):
        user.set_password(_read_password())
        user.locked_until = None
        user.failed_logins = 0
        end_all_logins(user.id)
        db.session.commit()
    click.echo(f"password set for {username}")


@users_cli.command("list")
def list_users():
    """List staff accounts."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "inactive"
        click.echo(
            f"{user.username:<20} {user.role:<11} {user.office.code:<8} {state:<8} {user.full_name}"
        )
