"""The daily certificate run: expire, warn 30 and 7 days ahead, once each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from exhibitors.models import Certificate
from exhibitors.selectors import valid_certificates
from exhibitors.services import certificates_expire_and_warn
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


def test_daily_run_expires_and_warns_once(django_capture_on_commit_callbacks):
    owner = MembershipFactory()
    exhibitor = owner.exhibitor
    today = timezone.localdate()
    past = Certificate.objects.create(exhibitor=exhibitor, code="SC", valid_until=today - timedelta(days=1))
    in_30 = Certificate.objects.create(
        exhibitor=exhibitor, code="HALAL", valid_until=today + timedelta(days=30)
    )
    in_7 = Certificate.objects.create(
        exhibitor=exhibitor, code="HACCP", valid_until=today + timedelta(days=7)
    )
    today_last = Certificate.objects.create(exhibitor=exhibitor, code="FDA", valid_until=today)
    with django_capture_on_commit_callbacks(execute=True):
        counts = certificates_expire_and_warn(today=today)
    assert counts == {"expired": 1, "warned_30": 1, "warned_7": 2}
    past.refresh_from_db()
    assert past.status == "expired"
    subjects = [m.subject for m in mail.outbox]
    assert any("HALAL" in s and "30" in s for s in subjects)
    assert any("HACCP" in s and "7" in s for s in subjects)
    assert all(owner.user.email in m.to for m in mail.outbox)
    # a certificate is valid up to and including its day; an expired one counts nowhere
    codes = {c.code for c in valid_certificates(exhibitor=exhibitor, day=today)}
    assert codes == {"HALAL", "HACCP", "FDA"}
    assert today_last.code not in {
        c.code for c in valid_certificates(exhibitor=exhibitor, day=today + timedelta(1))
    }
    # running again the same day sends nothing new
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_expire_and_warn(today=today) == {"expired": 0, "warned_30": 0, "warned_7": 0}
    assert mail.outbox == []
    in_30.refresh_from_db()
    in_7.refresh_from_db()
    assert in_30.warned_30_at and in_7.warned_7_at


def test_the_daily_run_is_scheduled_in_celery_beat():
    task = PeriodicTask.objects.get(task="exhibitors.tasks.certificates_daily")
    assert task.enabled and task.crontab.hour == "2"


def test_the_daily_run_queues_the_expired_holders_and_their_products_for_search():
    from search.models import PendingChange

    today = timezone.localdate()
    holder = MembershipFactory().exhibitor
    bystander = MembershipFactory().exhibitor
    Certificate.objects.create(exhibitor=holder, code="SC", valid_until=today - timedelta(days=1))
    Certificate.objects.create(exhibitor=bystander, code="SC", valid_until=today + timedelta(days=90))
    PendingChange.objects.all().delete()
    certificates_expire_and_warn(today=today)
    assert set(PendingChange.objects.values_list("kind", "object_id")) == {
        ("exhibitor", holder.pk),
        ("exhibitor-products", holder.pk),
    }
