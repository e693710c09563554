"""The broker (Redis) down: a form still saves what the user sent and answers as usual; the
tasks it would have queued are recorded and sent once the broker is back, none lost."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from expo.models import DeferredTask
from expo.queue import deferred_send, enqueue
from expo.tasks import send_mail_task
from negotiation.models import Inquiry
from tests.factories.negotiation import make_pair

from .conftest import BROKER_DOWN

pytestmark = pytest.mark.django_db
REAL_BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


def test_an_inquiry_sent_while_the_broker_is_down_is_saved_and_its_notice_sent_later(
    client, broker, django_capture_on_commit_callbacks
):
    pair = make_pair()
    client.force_login(pair.buyer_member.user)
    url = f"/en/company/negotiation/inquiries/new/?exhibitor={pair.exhibitor.key}"
    form = {"exhibitor": pair.exhibitor.key, "products": [pair.product.pk], "message": "请报 500 箱的价格"}
    broker.at(BROKER_DOWN)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.thread.messages.get().body == "请报 500 箱的价格"
    deferred = DeferredTask.objects.get()
    assert deferred.name == "negotiation.tasks.thread_notice"
    assert deferred.args == [inquiry.thread_id, "exhibitor"]
    assert deferred.eta > timezone.now() + timedelta(minutes=4)  # keeps its five-minute delay
    assert "127.0.0.1:1" in deferred.error
    mail.outbox.clear()

    # still down: the periodic run keeps the task and counts the attempt
    assert deferred_send() == {"sent": 0, "waiting": 1}
    assert DeferredTask.objects.get().attempts == 2

    broker.eager()  # back (the test settings run tasks in-process)
    with django_capture_on_commit_callbacks(execute=True):
        assert deferred_send() == {"sent": 1, "waiting": 0}
    assert len(mail.outbox) == 1
    assert pair.exhibitor_member.user.email in mail.outbox[0].to
    assert "请报 500 箱的价格" in mail.outbox[0].body


def test_a_mail_queued_while_the_broker_is_down_goes_out_when_it_is_back(
    broker, django_capture_on_commit_callbacks
):
    from expo.mail import mail_send

    broker.at(BROKER_DOWN)
    with django_capture_on_commit_callbacks(execute=True):
        mail_send(code="NEGOTIATION_NEW_MESSAGES", context={"count": 1}, recipients=["buyer@example.com"])
    assert DeferredTask.objects.get().name == "expo.tasks.send_mail_task"
    assert not mail.outbox
    broker.eager()
    with django_capture_on_commit_callbacks(execute=True):
        deferred_send()
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert not DeferredTask.objects.exists()


def _redis(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {url}")
    return client


def test_deferred_tasks_reach_a_real_broker_once_it_is_back(broker):
    """Recorded while down, handed to Redis by the periodic run (no worker needed to see it)."""
    redis = _redis(REAL_BROKER)
    redis.delete("celery")
    broker.at(BROKER_DOWN)
    assert (
        enqueue(send_mail_task, kwargs={"subject": "s", "body": "b", "recipients": ["a@example.com"]}) is None
    )
    assert DeferredTask.objects.count() == 1
    broker.at(REAL_BROKER)
    try:
        assert deferred_send() == {"sent": 1, "waiting": 0}
        assert redis.llen("celery") == 1
        assert b"expo.tasks.send_mail_task" in redis.lindex("celery", 0)
    finally:
        redis.delete("celery")


def test_deferred_tasks_are_sent_every_minute():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="expo.tasks.send_deferred_tasks")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")
