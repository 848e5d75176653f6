"""The synonyms page under the index admin: groups of equivalent search terms, CSV out, CSV or
XLSX in."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.roles import ADMIN, roles_required
from ..extensions import db
from ..thai import MessageError
from ..viewhelpers import edit_form, saved, show_errors
from .blueprint import bp
from .forms import ConfirmForm, SynonymForm, SynonymImportForm
from .synonyms import SearchSynonym, delete_group, export_csv, read_file, replace_all, save_group

admins_only = roles_required(ADMIN)  # every synonyms page is the administrator's


@bp.route("/staff/index/synonyms")
@admins_only
def synonyms():
    return _synonyms_page(SynonymImportForm())


def _synonyms_page(import_form: SynonymImportForm):
    rows = db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id)).all()
    return render_template(
        "catalogue/synonyms.html", rows=rows, import_form=import_form, delete_form=ConfirmForm()
    )


@bp.route("/staff/index/synonyms/new", methods=["GET", "POST"])
@bp.route("/staff/index/synonyms/<int:synonym_id>/edit", methods=["GET", "POST"])
@admins_only
def edit_synonym(synonym_id: int | None = None):
    group, form = edit_form(SearchSynonym, synonym_id, SynonymForm)
    if form.validate_on_submit():
        with show_errors(form, MessageError, "terms"):
            save_group(group, form.terms.data, form.note.data)
            return saved(_("บันทึกกลุ่มคำแล้ว"), url_for("catalogue.synonyms"))
    return render_template("catalogue/synonym_form.html", form=form, group=group)


@bp.route("/staff/index/synonyms/<int:synonym_id>/delete", methods=["POST"])
@admins_only
def delete_synonym(synonym_id: int):
    group = db.get_or_404(SearchSynonym, synonym_id)
    if ConfirmForm().validate_on_submit():
        delete_group(group)
        db.session.commit()
        flash(_("ลบกลุ่มคำแล้ว"), "success")
    return redirect(url_for("catalogue.synonyms"))


@bp.route("/staff/index/synonyms.csv")
@admins_only
def export_synonyms():
    return Response(
        export_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=search-synonyms.csv"},
    )


@bp.route("/staff/index/synonyms/import", methods=["POST"])
@admins_only
def import_synonyms():
    form = SynonymImportForm()
    if form.validate_on_submit():
        with show_errors(form, MessageError, "file"):
            count = replace_all(read_file(form.file.data.read()))
            return saved(_("นำเข้าแล้ว %(count)s กลุ่ม", count=count), url_for("catalogue.synonyms"))
    return _synonyms_page(form), 400
