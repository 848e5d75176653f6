"""The synonyms page under the index admin: groups of equivalent search terms, CSV out, CSV or
XLSX in."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.roles import ADMIN, roles_required
from ..extensions import db
from ..thai import MessageError
from .blueprint import bp
from .forms import ConfirmForm, SynonymForm, SynonymImportForm
from .synonyms import SearchSynonym, delete_group, export_csv, read_file, replace_all, save_group


@bp.route("/staff/index/synonyms")
@roles_required(ADMIN)
def synonyms():
    rows = db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id)).all()
    return render_template(
        "catalogue/synonyms.html",
        rows=rows,
        import_form=SynonymImportForm(),
        delete_form=ConfirmForm(),
    )


@bp.route("/staff/index/synonyms/new", methods=["GET", "POST"])
@bp.route("/staff/index/synonyms/<int:synonym_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_synonym(synonym_id: int | None = None):
    group = db.get_or_404(SearchSynonym, synonym_id) if synonym_id else None
    form = SynonymForm(obj=group)
    if form.validate_on_submit():
        try:
            save_group(group, form.terms.data, form.note.data)
        except MessageError as exc:
            form.terms.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("บันทึกกลุ่มคำแล้ว"), "success")
            return redirect(url_for("catalogue.synonyms"))
    return render_template("catalogue/synonym_form.html", form=form, group=group)


@bp.route("/staff/index/synonyms/<int:synonym_id>/delete", methods=["POST"])
@roles_required(ADMIN)
def delete_synonym(synonym_id: int):
    group = db.get_or_404(SearchSynonym, synonym_id)
    if ConfirmForm().validate_on_submit():
        delete_group(group)
        db.session.commit()
        flash(_("ลบกลุ่มคำแล้ว"), "success")
    return redirect(url_for("catalogue.synonyms"))


@bp.route("/staff/index/synonyms.csv")
@roles_required(ADMIN)
def export_synonyms():
    return Response(
        export_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=search-synonyms.csv"},
    )


@bp.route("/staff/index/synonyms/import", methods=["POST"])
@roles_required(ADMIN)
def import_synonyms():
    form = SynonymImportForm()
    if form.validate_on_submit():
        try:
            count = replace_all(read_file(form.file.data.read()))
        except MessageError as exc:
            db.session.rollback()
            form.file.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("นำเข้าแล้ว %(count)s กลุ่ม", count=count), "success")
            return redirect(url_for("catalogue.synonyms"))
    rows = db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id)).all()
    return render_template(
        "catalogue/synonyms.html", rows=rows, import_form=form, delete_form=ConfirmForm()
    ), 400
