"""Celery: tasks run eagerly by default, and a real worker on Redis runs them when configured."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail

from config.celery import app
from expo.tasks import send_mail_task

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


def test_task_runs_eagerly_without_a_broker(settings):
    assert app.conf.task_always_eager
    result = send_mail_task.delay(subject="你好", body="食博会", recipients=["buyer@example.com"])
    assert result.get() == 1
    assert mail.outbox[-1].subject == "你好"


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


@pytest.fixture
def real_worker():
    """A Celery worker process on Redis, the way production runs it."""
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {BROKER}")
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            "warning",
            "--concurrency=1",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield env
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


PRODUCER = """
import django
django.setup()
from config.celery import app
from expo.tasks import send_mail_task
assert not app.conf.task_always_eager, "CELERY_BROKER_URL set: tasks must go to the broker"
result = send_mail_task.delay(subject="worker", body="Redis", recipients=["staff@example.com"])
print("sent", result.get(timeout=60))
"""


@pytest.mark.celery_worker
def test_a_real_worker_runs_the_task(real_worker):
    """A web process configured with CELERY_BROKER_URL hands the task to the worker over Redis."""
    started = time.monotonic()
    producer = subprocess.run(
        [sys.executable, "-c", PRODUCER],
        cwd=ROOT,
        env=real_worker,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert producer.returncode == 0, producer.stderr
    # The worker uses the test settings' in-memory mail backend and reports one sent message.
    assert producer.stdout.strip().splitlines()[-1] == "sent 1"
    assert time.monotonic() - started < 90
