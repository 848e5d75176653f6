"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` behind nginx.

Every value can be changed from the environment (GUNICORN_*), so the same file serves a small
office PC and a larger server.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front; never exposed directly

# The usual rule of thumb: two workers per core plus one. Sync workers are right behind nginx,
# which buffers slow clients; requests are short (search, a form, a PDF).
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 1)

# A quarterly PDF or an export can take a while; anything beyond this is stuck and is restarted.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle workers now and then so a slow leak never becomes an outage; jitter avoids all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Load the app before forking: a broken config fails at start, not on the first request.
# (Database connections are opened lazily, after the fork, so workers never share one.)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"

# Only nginx on this machine may set X-Forwarded-*; the app reads them when TRUSTED_PROXIES=1.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr for systemd's journal. The access log keeps the path without the query
# string (%(U)s, not %(r)s): search words and request tracking secrets stay out of the logs.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'

# Request size guards (headers); bodies are limited by the app's MAX_CONTENT_LENGTH and nginx.
limit_request_line = 8190
limit_request_fields = 100


def when_ready(server):
    """Warm slow first-use caches in the master, before the workers fork, so no visitor waits.

    PyThaiNLP loads its word and syllable dictionaries on first use (~2.5 s, ~0.6 s) and Jinja compiles each template on
    first render; done here once, every worker inherits the result (copy-on-write).
    """
    if not preload_app:
        return
    try:
        import sys

        from infocenter import thai

        thai.split_words("ศูนย์ข้อมูลข่าวสารตามมาตรา ๙ ประจำปีงบประมาณ")
        thai.split_syllables("ศูนย์ข้อมูลข่าวสาร")  # its syllable dictionary (spelling hints)
        from infocenter.catalogue.lexicon import lexicon

        lexicon()  # abbreviations and loan words for query expansion (~0.4 s)
        app = getattr(sys.modules.get("wsgi"), "app", None)
        if app is not None:
            for name in app.jinja_env.list_templates(extensions=["html"]):
                app.jinja_env.get_template(name)
            _warm_public_pages(app)
    except Exception:  # a failed warm-up only costs the first visitors some time
        server.log.exception("warm-up failed")
    # What is loaded now lives as long as the workers (PyThaiNLP's dictionaries alone are
    # hundreds of thousands of objects): out of the garbage collector's sight, so a full
    # collection in a worker no longer walks them all (183 ms pauses in a search, measured at
    # 100k entries) and the pages stay shared between the workers.
    import gc

    gc.freeze()


def _warm_public_pages(app):
    """Answer a few public pages in the master: SQLAlchemy's statement cache, the translations
    and the search code are then ready in every worker it forks (in a load test the first five
    seconds had a p95 three times the rest). Nothing is counted as usage, and the master's
    database connections are closed before the fork, so no worker shares one."""
    from infocenter.extensions import db

    counting = app.config.get("COUNT_USAGE", True)
    app.config["COUNT_USAGE"] = False
    try:
        client = app.test_client()
        for path in ("/", "/search?q=%E0%B9%81%E0%B8%9C%E0%B8%99", "/search?q=ITA&page=2",
                     "/api/v1/documents?q=%E0%B9%81%E0%B8%9C%E0%B8%99", "/categories"):
            # Not counted against anyone's rate limit either (see infocenter.security).
            client.get(path, environ_base={"REMOTE_ADDR": "127.0.0.1", "infocenter.warm_up": True}).close()
    finally:
        app.config["COUNT_USAGE"] = counting
        with app.app_context():
            db.engine.dispose()
