"""Per-process caches of small tables that nearly every page reads and people rarely change:
settings, the office heading the layout, the search filter menus.

A cached value is plain data (never an ORM object). It is dropped at once when this process
changes one of the cache's models (a flush, then again at commit: a page rendered between the two
read the old rows) and otherwise expires after the cache's TTL, so a change made by another
process (another gunicorn worker, the CLI) shows within that many seconds. ``clear_all`` empties
every cache, for changes made behind the ORM's back (a restore replaces the whole database).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_CACHES: list[ProcessCache] = []


class ProcessCache:
    """Values keyed by a hashable key, per Flask app, invalidated by changes to ``models``."""

    def __init__(self, name: str, models: tuple[type, ...], ttl: float) -> None:
        self.name, self.models, self.ttl = name, models, ttl
        self.generation = 0
        _CACHES.append(self)

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        store = current_app.extensions.setdefault("infocenter_cache", {}).setdefault(self.name, {})
        now = time.monotonic()
        hit = store.get(key)
        if hit is not None and hit[0] == self.generation and hit[1] > now:
            return hit[2]
        generation = self.generation  # read before loading: a change during the load is not hidden
        value = load()
        store[key] = (generation, now + self.ttl, value)
        return value

    def invalidate(self) -> None:
        self.generation += 1

    def watches(self, cls: type) -> bool:
        return issubclass(cls, self.models)


def clear_all() -> None:
    """Forget every cached value in this process."""
    for cache in _CACHES:
        cache.invalidate()


def _touched(session: Session, classes) -> None:
    for cache in _CACHES:
        if any(cache.watches(cls) for cls in classes):
            cache.invalidate()
            session.info.setdefault("infocenter_cache_touched", set()).add(cache.name)


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    classes = {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    if classes:
        _touched(session, classes)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and state.bind_mapper is not None:
        _touched(state.session, {state.bind_mapper.class_})


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    names = session.info.pop("infocenter_cache_touched", None)
    if names:
        for cache in _CACHES:
            if cache.name in names:
                cache.invalidate()
