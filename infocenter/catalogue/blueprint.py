"""The catalogue's blueprint, shared by its page modules (``views``, ``synonym_views``) so that
neither imports the other for it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("catalogue", __name__)
