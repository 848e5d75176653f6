"""Configuration: safe defaults, overridden from the environment when the app is created."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_KEYS = (
    "DATABASE_URL",
    "REPORT_JOBS_PER_PROCESS",
    "REPORT_JOB_STALE_SECONDS",
    "SECRET_KEY",
    "UPLOAD_DIR",
    "REPORTS_DIR",
    "OFFICE_CODE",
    "OFFICE_NAME",
    "MAX_UPLOAD_MB",
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_ENABLED",
    "RATELIMIT_SEARCH",
    "RATELIMIT_API",
    "RATELIMIT_REQUESTS",
    "TRUSTED_PROXIES",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "MAIL_FROM",
    "PUBLIC_BASE_URL",
    "LINE_CHANNEL_ACCESS_TOKEN",
    "LINE_API_BASE",
    "SEARCH_CACHE_SECONDS",
    "SEARCH_COUNT_LIMIT",
    "RATELIMIT_REQUEST_STATUS",
    "RATELIMIT_LOGIN",
    "REDIS_URL",  # rate limits shared through Redis unless RATELIMIT_STORAGE_URI says otherwise
    "LINE_CHANNEL_SECRET",
    "FACEBOOK_PAGE_ID",
    "FACEBOOK_PAGE_TOKEN",
    "FACEBOOK_API_BASE",
    "BACKUP_DIR",  # flask backup's folder; archives older than the PDPA retention are removed
)


def default_config(instance_path: str) -> dict:
    """Defaults that work on a laptop with nothing configured."""
    instance = Path(instance_path)
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'infocenter.sqlite'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "UPLOAD_DIR": str(instance / "uploads"),
        "REPORTS_DIR": str(Path(instance_path).parent / "reports"),
        "OFFICE_CODE": "NSW",
        "OFFICE_NAME": "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์",
        "MAX_UPLOAD_MB": 20,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_MINUTES": 15,
        "STAFF_SESSION_HOURS": 12,  # a login ends this long after it began
        "REMEMBER_DAYS": 14,  # a "remember me" cookie unused this long stops working
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BOOTSTRAP_BOOTSWATCH_THEME": None,
        # Shared by every worker process on this machine (memory:// would count per worker).
        "RATELIMIT_STORAGE_URI": f"sqlite:///{instance / 'ratelimits.sqlite'}",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "TRUSTED_PROXIES": 0,  # how many reverse proxies (nginx) set X-Forwarded-*; 0 = none
        "WTF_CSRF_TIME_LIMIT": None,
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": False,
        "MAIL_FROM": "infocenter@localhost",
        "PUBLIC_BASE_URL": "",
        "LINE_CHANNEL_ACCESS_TOKEN": "",
        "LINE_API_BASE": "https://api.line.me",
        "COUNT_USAGE": True,
        # A public search's ranking is reused by a worker for this long (0: never); the entries
        # themselves are always read fresh, and this worker's own edits drop it at once.
        "SEARCH_CACHE_SECONDS": 30,
        # A public search counts at most this many matches past the page ("มากกว่า 1,000
        # รายการ"): counting every match of a common word costs more than the whole page.
        "SEARCH_COUNT_LIMIT": 1000,
        # Spreadsheet imports (infocenter/spreadsheet.py): refused with a Thai message beyond these.
        "IMPORT_MAX_ROWS": 50_000,
        # the staff page writes them in one request; the CLI takes more
        "IMPORT_MAX_WEB_ROWS": 5_000,
        "IMPORT_MAX_COLUMNS": 100,
        "IMPORT_MAX_CELL_CHARS": 32_767,
        "IMPORT_MAX_UNZIPPED_MB": 100,
        "IMPORT_MAX_ZIP_RATIO": 200,
        "IMPORT_MAX_SECONDS": 20,
        # The LINE webhook checks X-Line-Signature with the channel secret (off while empty).
        "LINE_CHANNEL_SECRET": "",
        # Posting to the office's Facebook Page (off while the Page id or token is empty).
        "FACEBOOK_PAGE_ID": "",
        "FACEBOOK_PAGE_TOKEN": "",
        "FACEBOOK_API_BASE": "https://graph.facebook.com/v21.0",
        # Documents made in the background (reports/jobs.py): how many at once in a worker, and
        # after how long a job still "running" is taken for one whose worker died.
        "REPORT_JOBS_PER_PROCESS": 1,
        "REPORT_JOB_STALE_SECONDS": 15 * 60,
        "REPORT_JOBS_INLINE": False,  # tests: made inside the request
    }


def env_overrides() -> dict:
    """Settings given in the environment (read when the app is created, never at import)."""
    out: dict = {}
    for key in ENV_KEYS:
        value = os.environ.get(key)
        if value is None or value == "":
            continue
        if key == "DATABASE_URL":
            out["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(value)
        elif key in (
            "MAX_UPLOAD_MB",
            "SMTP_PORT",
            "TRUSTED_PROXIES",
            "SEARCH_CACHE_SECONDS",
            "SEARCH_COUNT_LIMIT",
            "REPORT_JOBS_PER_PROCESS",
            "REPORT_JOB_STALE_SECONDS",
        ):
            out[key] = int(value)
        elif key == "REDIS_URL":
            out.setdefault("RATELIMIT_STORAGE_URI", value)
        elif key in ("SMTP_STARTTLS", "RATELIMIT_ENABLED"):
            out[key] = value.lower() in ("1", "true", "yes", "on")
        else:
            out[key] = value
    return out


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_or_create_secret_key(instance_path: str) -> str:
    """The secret key kept in instance/secret_key, generated on first use; never in code."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with owner-only permissions before writing the secret.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
