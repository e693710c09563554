"""Celery beat tasks of the statistics dashboard (schedules: ``stats/migrations/0002_schedule``)."""

from celery import shared_task


@shared_task
def figures_refresh() -> int:
    """Every 10 minutes: recompute the cached figures of all time and of each edition."""
    from .services import figures_refresh_all

    return figures_refresh_all()


@shared_task
def snapshot_daily() -> int:
    """Nightly: write today's snapshot (which also refreshes the cache)."""
    from .services import snapshot_write

    return snapshot_write()


@shared_task
def search_log_prune() -> int:
    """Nightly: delete search log rows past the retention (``STATS_SEARCH_LOG_DAYS``)."""
    from .services import search_log_prune as prune

    return prune()
