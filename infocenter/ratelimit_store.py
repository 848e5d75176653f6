"""Rate-limit counts in a SQLite file, shared by every gunicorn worker on one machine.

``RATELIMIT_STORAGE_URI = "sqlite:////path/to/ratelimits.sqlite"`` (the default, in the instance
folder). Flask-Limiter's in-memory storage counts per worker process, so five workers let five
times the limit through; Redis (``RATELIMIT_STORAGE_URI=redis://...`` or ``REDIS_URL``) is the
choice for several machines. This is a `limits` storage backend through its public ``Storage``
interface (enough for the fixed-window strategy Flask-Limiter uses by default).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from contextlib import closing

from limits.storage import Storage

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS ratelimit "
    "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)"
)


class SQLiteStorage(Storage):
    """Fixed-window counters, each incremented by one atomic UPSERT."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = (uri or "").split("://", 1)[1][1:] if uri and "://" in uri else ""
        if not self.path:
            raise ValueError(
                "sqlite rate-limit storage needs a file: sqlite:////path/ratelimits.sqlite"
            )
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        for attempt in range(20):
            try:
                with closing(self._connect()) as conn:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute(SCHEMA)
                break
            except sqlite3.OperationalError as error:
                # Workers starting together: switching a new file to WAL needs it alone, and
                # SQLite may answer "locked" at once instead of waiting. Try again shortly.
                if "locked" not in str(error) or attempt == 19:
                    raise
                time.sleep(0.05 * (attempt + 1))

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: safe across gunicorn's fork and across threads.
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with closing(self._connect()) as conn:
            row = conn.execute(
                "INSERT INTO ratelimit (key, count, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET "
                "count = CASE WHEN expires_at <= ? THEN excluded.count ELSE count + excluded.count "
                "END, "
                "expires_at = CASE WHEN expires_at <= ? THEN excluded.expires_at ELSE expires_at "
                "END "
                "RETURNING count",
                (key, amount, now + expiry, now, now),
            ).fetchone()
            if random.random() < 0.01:  # now and then, forget windows long gone
                conn.execute("DELETE FROM ratelimit WHERE expires_at <= ?", (now,))
        return int(row[0])

    def get(self, key: str) -> int:
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT count FROM ratelimit WHERE key = ? AND expires_at > ?", (key, time.time())
            ).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT expires_at FROM ratelimit WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            with closing(self._connect()) as conn:
                conn.execute("SELECT 1 FROM ratelimit LIMIT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        with closing(self._connect()) as conn:
            return conn.execute("DELETE FROM ratelimit").rowcount

    def clear(self, key: str) -> None:
        with closing(self._connect()) as conn:
            conn.execute("DELETE FROM ratelimit WHERE key = ?", (key,))
