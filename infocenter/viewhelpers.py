"""What the views of every feature do the same way (not a blueprint: no routes here).

Saving a posted form. The operation writes (it never commits); an error it raises for the person
to read (a ``MessageError``) is shown next to the form field it is about and the page is shown
again; without one the view commits, flashes the success and redirects::

    office, form = edit_form(Office, office_id, OfficeForm)
    if form.validate_on_submit():
        with show_errors(form, AdminError):
            office = save_office(office, form)
            return saved(message, url_for("admin.offices"))
    return render_template("admin/office_form.html", form=form, office=office)

Sending a stored upload: ``send_upload``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from flask import abort, flash, redirect, send_file
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .extensions import db
from .thai import MessageError

R = TypeVar("R")
F = TypeVar("F", bound=FlaskForm)


def edit_form(model: type[R], ident: int | None, form_class: type[F]) -> tuple[R | None, F]:
    """The record a create-or-edit page is about, and its form filled from it: the record with
    the id in the URL (404 when there is none), or None on the page for a new one."""
    record = db.get_or_404(model, ident) if ident else None
    return record, form_class(obj=record)


@contextmanager
def show_errors(
    form: FlaskForm, error: type[MessageError], field: str | None = None
) -> Iterator[None]:
    """Run an operation for a posted ``form``: an ``error`` it raises is not raised further but
    shown next to the form field named ``field`` (by default the one the error names itself,
    ``exc.field``, as ``AdminError`` does), what the operation wrote is rolled back, and the view
    goes on after the ``with`` block, where it shows the form again."""
    try:
        yield
    except error as exc:
        db.session.rollback()  # nothing the operation wrote before it gave up stays
        form[field or exc.field].errors.append(str(exc))


def saved(message: str, next_url: str) -> Response:
    """The answer once an operation has made its change: commit, flash ``message`` as a success
    and redirect to ``next_url``. (``next_url`` is built before the commit: a page of a record
    created just now, whose id the commit gives, needs the three steps written out.)"""
    db.session.commit()
    flash(message, "success")
    return redirect(next_url)


def send_upload(path: Path, mimetype: str, name: str, *, inline: bool) -> Response:
    """A stored upload, 404 when its file is gone. Downloaded as ``name`` (send_file writes an
    RFC 5987 filename* for a Thai name, with an ASCII fallback), or shown in the browser when
    ``inline``; never cached, and never read as another type than ``mimetype`` (nosniff)."""
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=mimetype, download_name=name, as_attachment=not inline, max_age=0
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
