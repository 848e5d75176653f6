"""``/healthz``: is the application able to serve? JSON for monitoring, no secrets."""

from __future__ import annotations

import os
import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db, limiter
from .backup import drop_caches_after_restore

bp = Blueprint("ops", __name__)
bp.before_app_request(drop_caches_after_restore)


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers and the file folders are writable, 503 otherwise."""
    checks: dict[str, str] = {}
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any failure means "not healthy"; the reason goes to the log, not the public
        current_app.logger.exception("health check: database unavailable")
        db.session.rollback()
        checks["database"] = "unavailable"
    for key, name in (("UPLOAD_DIR", "uploads"), ("REPORTS_DIR", "reports")):
        path = current_app.config[key]
        checks[name] = "ok" if os.path.isdir(path) and os.access(path, os.W_OK) else "not writable"
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        "checks": checks,
        "database_backend": db.engine.dialect.name,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
