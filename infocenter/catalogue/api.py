"""The public JSON API: /api/v1/documents, /api/v1/documents/<id>, /api/v1/categories.

Public entries only; results in the same order as the HTML search. See docs/openapi.yaml.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import select

from ..extensions import csrf, db
from ..security import limited
from ..usage.record import record as record_usage
from .models import Category, IndexEntry
from .search import MAX_PER_PAGE, category_counts, search_from_args

bp = Blueprint("catalogue_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only GET endpoints, no session state changed


def document_json(entry: IndexEntry, full: bool = False) -> dict:
    """One entry as the API shows it."""
    data = {
        "id": entry.id,
        "ref": entry.ref,
        "title": entry.title,
        "summary": entry.summary,
        "category": entry.category.code,
        "office": entry.office.code,
        "date": entry.doc_date.isoformat() if entry.doc_date else None,
        "fiscal_year": entry.fiscal_year,
        "url": url_for("catalogue.document", entry_id=entry.id, _external=True),
        "files": [
            {
                "name": f.original_name,
                "mime_type": f.mime_type,
                "size": f.size,
                "url": url_for(
                    "catalogue.download", entry_id=entry.id, file_id=f.id, _external=True
                ),
            }
            for f in entry.files
        ],
    }
    if full:
        data.update(
            {
                "category_name": entry.category.name_th,
                "office_name": entry.office.name,
                "keywords": entry.keyword_list,
                "location": entry.location,
                "disclosure": entry.disclosure,
                "withheld_ground": entry.withheld_ground,
                "updated_at": entry.updated_at.isoformat(),
            }
        )
    return data


@bp.route("/documents")
@limited("RATELIMIT_API")
def documents():
    args = request.args
    per_page = min(args.get("per_page", 20, type=int) or 20, MAX_PER_PAGE)
    page = search_from_args(args, per_page=per_page)
    record_usage("api", query=args.get("q", ""), result_count=page.total)
    return jsonify(
        {
            "items": [document_json(hit.entry) for hit in page.items],
            "total": page.total,
            "total_is_lower_bound": page.total_is_lower_bound,
            "page": page.page,
            "per_page": page.per_page,
            "expansions": [
                {"term": e.term, "added": list(e.added)} for e in page.expansions if e.added
            ],
            "suggestion": page.suggestion,
            "approximate": page.approximate,
        }
    )


@bp.route("/documents/<int:entry_id>")
@limited("RATELIMIT_API")
def document(entry_id: int):
    entry = db.session.get(IndexEntry, entry_id)
    if entry is None or not entry.is_public:
        abort(404)
    record_usage("api", entry)
    return jsonify(document_json(entry, full=True))


@bp.route("/categories")
@limited("RATELIMIT_API")
def categories():
    counts = category_counts()
    rows = db.session.scalars(
        select(Category)
        .where(Category.active.is_(True))
        .order_by(Category.sort_order, Category.code)
    )
    return jsonify(
        {
            "items": [
                {
                    "code": c.code,
                    "name_th": c.name_th,
                    "name_en": c.name_en,
                    "parent": c.parent.code if c.parent else None,
                    "count": counts.get(c.id, 0),
                }
                for c in rows
            ]
        }
    )
