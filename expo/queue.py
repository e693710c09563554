"""Handing tasks to Celery without losing them when the broker (Redis) is down.

Services enqueue with :func:`enqueue_on_commit`: once the transaction commits the task goes to
the broker; if the broker cannot be reached, the committed change stands, the request
still succeeds and the task is written to ``DeferredTask``. ``send_deferred_tasks`` (Celery
beat, every minute) hands those to the broker when it is back, each with its original
countdown counted from when it was first due.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import Task
from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def broker_errors() -> tuple[type[BaseException], ...]:
    import kombu.exceptions
    import redis.exceptions

    return (
        kombu.exceptions.OperationalError,
        redis.exceptions.ConnectionError,
        ConnectionError,
        TimeoutError,
    )


def _eager() -> bool:
    from config.celery import app

    return bool(app.conf.task_always_eager)


def enqueue(task: Task, *, args: tuple | list = (), kwargs: dict | None = None, countdown: int | None = None):
    """Send ``task`` to the broker now; if it is down, record it for later (returns None).

    The web never reads task results, so none are asked for: with a result backend on the
    same Redis, asking for one would block the request while it reconnects.
    """
    kwargs = dict(kwargs or {})
    if _eager():
        return task.apply_async(args=list(args), kwargs=kwargs, countdown=countdown)
    eta = timezone.now() + timedelta(seconds=countdown) if countdown else None
    try:
        return task.apply_async(args=list(args), kwargs=kwargs, eta=eta, ignore_result=True)
    except broker_errors() as exc:
        from .models import DeferredTask

        DeferredTask.objects.create(
            name=task.name, args=list(args), kwargs=kwargs, eta=eta, error=str(exc)[:2000]
        )
        logger.warning("broker unavailable, task %s deferred: %s", task.name, exc)
        return None


def enqueue_on_commit(
    task: Task,
    *,
    args: tuple | list = (),
    kwargs: dict | None = None,
    countdown: int | None = None,
    robust: bool = False,
) -> None:
    """:func:`enqueue` once the current transaction commits (nothing if it rolls back);
    ``robust``: as ``on_commit``'s, an error of a task run eagerly is logged, not raised."""
    args, kwargs = list(args), dict(kwargs or {})
    transaction.on_commit(lambda: enqueue(task, args=args, kwargs=kwargs, countdown=countdown), robust=robust)


def deferred_send(*, limit: int = 500) -> dict[str, int]:
    """Hand deferred tasks to the broker, oldest first; stop at the first broker failure
    (the rest wait for the next run). A row is deleted only once its task was accepted."""
    from config.celery import app

    from .models import DeferredTask

    sent = 0
    with transaction.atomic():
        rows = DeferredTask.objects.all()
        if connection.vendor == "postgresql":
            rows = rows.select_for_update(skip_locked=True)  # two workers never send one twice
        sent = _send_rows(app, list(rows[:limit]))
    return {"sent": sent, "waiting": DeferredTask.objects.count()}


def _send_rows(app, rows) -> int:
    from .models import DeferredTask

    sent = 0
    for row in rows:
        task = app.tasks.get(row.name)
        if task is None:
            logger.error("deferred task %s (#%s) is not a registered task; kept", row.name, row.pk)
            continue
        eta: datetime | None = row.eta if row.eta and row.eta > timezone.now() else None
        try:
            if _eager():
                task.apply_async(args=row.args, kwargs=row.kwargs)
            else:
                task.apply_async(args=row.args, kwargs=row.kwargs, eta=eta, ignore_result=True)
        except broker_errors() as exc:
            DeferredTask.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, error=str(exc)[:2000])
            break
        row.delete()
        sent += 1
    return sent
