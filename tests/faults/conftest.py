"""Outages made by pointing a service's settings at a closed port (or, for SQLite, at a file
that cannot be opened), never by stopping a shared server."""

from __future__ import annotations

import contextlib

import pytest
from django.db import connection

CLOSED_PORT = "1"


@contextlib.contextmanager
def database_unreachable():
    """Every new connection of the default alias fails, as when PostgreSQL is down.

    The open connection is set aside (an in-memory SQLite test database lives only as long
    as it) and put back afterwards, so the next request connects again as after an outage.
    """
    saved = {key: connection.settings_dict.get(key) for key in ("HOST", "PORT", "NAME")}
    held = connection.connection
    connection.connection = None
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT=CLOSED_PORT)
    else:
        connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.settings_dict.update(saved)
        connection.connection = held
        connection.in_atomic_block = False
        connection.needs_rollback = False


@pytest.fixture
def db_down(transactional_db):
    """The database's context manager; tests that use it run outside a test transaction."""
    return database_unreachable


BROKER_DOWN = f"redis://127.0.0.1:{CLOSED_PORT}/0"


def _point_celery_at(broker: str | None) -> None:
    from config.celery import app

    app.conf.task_always_eager = broker is None
    if broker:
        app.conf.broker_url = broker
    # drop pooled connections to the previous broker
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """Switch Celery between a broker URL (``broker.at(url)``) and running eagerly, as the
    test settings do (``broker.eager()``); restored afterwards."""
    from config.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)

    class Broker:
        def at(self, url: str) -> None:
            settings.CELERY_TASK_ALWAYS_EAGER = False
            settings.CELERY_BROKER_URL = url
            _point_celery_at(url)

        def eager(self) -> None:
            settings.CELERY_TASK_ALWAYS_EAGER = True
            _point_celery_at(None)

    yield Broker()
    app.conf.task_always_eager, app.conf.broker_url = saved
    _point_celery_at(None if saved[0] else saved[1])
