"""Celery tasks of search: thin wrappers around ``search.indexing``."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def index_pending() -> dict:
    """Drain the pending changes into the active backend; queued after each commit that
    changed something searchable, and every minute by Celery beat (catching up after an
    outage). While the engine is down the changes stay queued."""
    from .backends import SearchUnavailable
    from .indexing import drain, pending_count

    try:
        return drain()
    except SearchUnavailable as exc:
        logger.warning("search engine unavailable, %s changes wait: %s", pending_count(), exc)
        return {"unavailable": str(exc)}


@shared_task(ignore_result=True)
def index_rebuild(kinds: list[str] | None = None) -> dict:
    """Rebuild every index from the database (nightly, and after bulk edits without signals)."""
    from .backends import SearchUnavailable
    from .documents import KINDS
    from .indexing import rebuild

    try:
        return rebuild(kinds=kinds or KINDS)
    except SearchUnavailable as exc:
        logger.warning("search engine unavailable, rebuild skipped: %s", exc)
        return {"unavailable": str(exc)}
