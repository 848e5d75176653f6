"""What the `flask ...` commands share: the ``--office`` option and the office it names, file
parameters, ``--arabic-digits``."""

from __future__ import annotations

from pathlib import Path

import click

from .admin.models import Office, office_by_code, saved_main_office

# A file a command reads (it must exist) or writes.
INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUTPUT_FILE = click.Path(dir_okay=False, path_type=Path)

NO_OFFICE_YET = (
    "ยังไม่มีสำนักงานในระบบ: สร้างสำนักงานหลักจากค่า OFFICE_CODE / OFFICE_NAME ด้วย "
    "`flask offices setup` (หรือ `flask offices create`) แล้วสั่งใหม่อีกครั้ง (no office yet)"
)

arabic_digits_option = click.option(
    "--arabic-digits", is_flag=True, help="Arabic digits instead of Thai digits."
)


def office_option(default: str = "the main office"):
    """The ``--office CODE`` option (as ``office_code``); the command reads it with
    ``office_or_main``."""
    return click.option(
        "--office", "office_code", default=None, help=f"Office code (default: {default})."
    )


def office_or_main(code: str | None) -> Office:
    """The office a command's --office names; without a code, the main office, refusing in Thai
    on a database with no office yet (it is never created on the way: `flask offices setup` does
    that). An unknown code stops the command with a message that says where to find the codes."""
    if code:
        office = office_by_code(code)
        if office is None:
            raise click.BadParameter(
                f"ไม่พบสำนักงานรหัส {code} (ดูรหัสได้ด้วย flask offices list)", param_hint="--office"
            )
        return office
    office = saved_main_office()
    if office is None:
        raise click.UsageError(NO_OFFICE_YET)
    return office
