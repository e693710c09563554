"""The beat schedule, the Celery wrappers, and stock released whoever cancels."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

from payments.models import PaymentIntent
from payments.tasks import reconcile_payments
from tests.checkout.support import make_buyer, make_product, place, stock_of

pytestmark = pytest.mark.django_db
schedule_migration = importlib.import_module("payments.migrations.0002_reconcile_schedule")


def test_the_reconciliation_is_scheduled_once_however_often_the_migration_runs():
    schedule_migration.schedule(apps, None)
    schedule_migration.schedule(apps, None)
    task = PeriodicTask.objects.get(task="payments.tasks.reconcile_payments")
    assert task.enabled and task.interval.every == 5 and task.interval.period == "minutes"


def test_the_reconciliation_task_leaves_recent_orders_alone(settings):
    settings.STRIPE_SECRET_KEY = ""
    order = place(user=make_buyer(), items=[(make_product(), 1)])
    PaymentIntent.objects.create(order=order, intent_id="pi_offline", amount=6500, currency="cny", status="x")
    assert reconcile_payments.delay().get() == {}  # too recent to ask Stripe about, or to expire


def test_an_order_cancelled_from_the_dashboard_gives_its_stock_back():
    product = make_product(stock=10)
    order = place(user=make_buyer(), items=[(product, 4)])
    assert stock_of(product).num_allocated == 4
    order.set_status("Cancelled")  # what Oscar's dashboard does
    assert stock_of(product).num_allocated == 0
    order.set_status("Cancelled")
    assert stock_of(product).num_allocated == 0


def test_a_cancelled_line_gives_its_stock_back():
    kept, dropped = make_product(stock=10), make_product(stock=10)
    order = place(user=make_buyer(), items=[(kept, 1), (dropped, 2)])
    order.lines.get(product=dropped).set_status("Cancelled")
    assert (stock_of(kept).num_allocated, stock_of(dropped).num_allocated) == (1, 0)
