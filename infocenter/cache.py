"""Per-process caches of small tables that nearly every page reads and people rarely change:
settings, the office heading the layout, the search filter menus.

A cached value is plain data (never an ORM object). It is dropped at once when this process
changes one of the cache's models (a flush, then again at commit: a page rendered between the two
read the old rows) and otherwise expires after the cache's TTL, so a change made by another
process (another gunicorn worker, the CLI) shows within that many seconds. ``clear_all`` empties
every cache, for changes made behind the ORM's back (a restore replaces the whole database).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

DEFAULT_TTL = 30.0  # seconds for another process's change to show
_CACHES: list[ProcessCache] = []


class ProcessCache:
    """Values keyed by a hashable key, per Flask app, invalidated by changes to ``models``; at
    most ``max_entries`` keys, the least recently used dropped first."""

    def __init__(
        self, name: str, models: tuple[type, ...], ttl: float = DEFAULT_TTL, max_entries: int = 64
    ) -> None:
        self.name, self.models, self.ttl, self.max_entries = name, models, ttl, max_entries
        self.generation = 0
        self._lock = threading.Lock()
        _CACHES.append(self)

    def get(self, key: Hashable, load: Callable[[], Any], ttl: float | None = None) -> Any:
        store = current_app.extensions.setdefault("infocenter_cache", {}).setdefault(self.name, {})
        now = time.monotonic()
        with self._lock:  # threaded servers: the store changes only under the lock
            hit = store.pop(key, None)
            if hit is not None and hit[0] == self.generation and hit[1] > now:
                store[key] = hit  # back at the end: the least recently used key goes first
                return hit[2]
        generation = self.generation  # read before loading: a change during the load is not hidden
        value = load()
        with self._lock:
            while len(store) >= self.max_entries:
                del store[next(iter(store))]
            store[key] = (generation, now + (self.ttl if ttl is None else ttl), value)
        return value

    def invalidate(self) -> None:
        self.generation += 1

    def watches(self, cls: type) -> bool:
        return issubclass(cls, self.models)


def clear_all() -> None:
    """Forget every cached value in this process."""
    for cache in _CACHES:
        cache.invalidate()


def _mark(session: Session, cache: ProcessCache) -> None:
    """Drop the cache now, and again when the session commits."""
    cache.invalidate()
    session.info.setdefault("infocenter_cache_touched", set()).add(cache.name)


def _touched(session: Session, classes) -> None:
    for cache in _CACHES:
        if any(cache.watches(cls) for cls in classes):
            _mark(session, cache)


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    classes = {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    if classes:
        _touched(session, classes)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.bind_mapper is not None:
        _touched(state.session, {state.bind_mapper.class_})
        return
    table = getattr(state.statement, "table", None)  # a Core statement on a model's table
    for cache in _CACHES:
        if any(getattr(model, "__table__", None) is table for model in cache.models):
            _mark(state.session, cache)


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    names = session.info.pop("infocenter_cache_touched", None)
    if names:
        for cache in _CACHES:
            if cache.name in names:
                cache.invalidate()
