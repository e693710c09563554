"""The weekly e-mail of new matches: sent to each member who has not switched it off, only
with what is new, through Celery after the commit; one signed click switches it off."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from oscar.core.loading import get_model

from buyers.models import MatchDigest
from buyers.services import match_digest_send, match_digest_token
from buyers.tasks import match_digest_weekly
from exhibitors.models import Role
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")


@pytest.fixture
def buyer_member():
    buyer = BuyerFactory(name_zh="武汉测试商超", name_en="Wuhan Test Market")
    buyer.interests.add(Category.objects.get(slug="snacks"))
    return MembershipFactory(exhibitor=None, buyer=buyer, user__email="purchasing@market.example")


@pytest.fixture
def new_supplier():
    maker = ExhibitorFactory(name_zh="漯河辣条厂", name_en="Luohe Latiao Works")
    maker.categories.add(Category.objects.get(slug="snacks-latiao"))
    ProductFactory(
        exhibitor=maker, category="snacks-latiao", title="大面筋辣条", title_en="Big gluten latiao"
    )
    return maker


def _send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return match_digest_send(**kwargs)


def test_weekly_mail_lists_new_suppliers_with_reasons_and_a_one_click_link(
    buyer_member, new_supplier, mailoutbox, django_capture_on_commit_callbacks
):
    counts = _send(django_capture_on_commit_callbacks)
    assert counts["sent"] == 1
    mail = next(m for m in mailoutbox if m.to == ["purchasing@market.example"])
    assert "New matches" in mail.subject
    assert "Luohe Latiao Works" in mail.body and "漯河辣条厂" in mail.body  # both languages
    assert "category: " in mail.body
    assert f"/exhibitors/{new_supplier.key}/" in mail.body
    assert re.search(r"/company/matches/e-mail/off/[^/\s]+/", mail.body)


def test_nothing_new_means_no_mail(
    buyer_member, new_supplier, mailoutbox, django_capture_on_commit_callbacks
):
    _send(django_capture_on_commit_callbacks)
    mailoutbox.clear()
    counts = _send(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=7))
    assert counts["sent"] == 0 and counts["nothing_new"] >= 1
    assert not [m for m in mailoutbox if m.to == ["purchasing@market.example"]]


def test_old_counterparts_are_not_new(
    buyer_member, new_supplier, mailoutbox, django_capture_on_commit_callbacks
):
    counts = _send(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=30))
    assert not [m for m in mailoutbox if m.to == ["purchasing@market.example"]]
    assert counts["sent"] == 0


def test_a_member_who_switched_it_off_gets_nothing_but_colleagues_do(
    buyer_member, new_supplier, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(
        exhibitor=None, buyer=buyer_member.buyer, role=Role.STAFF, user__email="colleague@market.example"
    )
    MatchDigest.objects.create(membership=buyer_member, enabled=False)
    counts = _send(django_capture_on_commit_callbacks)
    recipients = [m.to for m in mailoutbox]
    assert ["purchasing@market.example"] not in recipients
    assert ["colleague@market.example"] in recipients
    assert counts["off"] == 1 and colleague


def test_exhibitors_hear_of_new_buyers_and_requests(
    new_supplier, mailoutbox, django_capture_on_commit_callbacks
):
    from buyers.models import SourcingRequest

    MembershipFactory(exhibitor=new_supplier, user__email="sales@latiao.example")
    buyer = BuyerFactory(name_en="Astana Snacks Import")
    buyer.interests.add(Category.objects.get(slug="snacks-latiao"))
    SourcingRequest.objects.create(
        buyer=buyer,
        reference="KZ-1",
        title="Latiao for Kazakhstan",
        category=Category.objects.get(slug="snacks"),
    )
    _send(django_capture_on_commit_callbacks)
    mail = next(m for m in mailoutbox if m.to == ["sales@latiao.example"])
    assert "Buyers looking for what you sell" in mail.body
    assert "Astana Snacks Import" in mail.body and "Latiao for Kazakhstan" in mail.body


def test_the_celery_task_runs_the_service(
    buyer_member, new_supplier, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counts = match_digest_weekly.delay().get()
    assert counts["sent"] == 1


def test_the_weekly_run_is_scheduled_in_celery_beat():
    task = PeriodicTask.objects.get(task="buyers.tasks.match_digest_weekly")
    assert task.enabled and task.crontab.day_of_week == "1"


def test_one_click_link_switches_it_off_without_logging_in(client, buyer_member):
    url = f"/company/matches/e-mail/off/{match_digest_token(buyer_member)}/"
    response = client.get(url)
    assert response.status_code == 200 and 'data-digest="off"' in response.content.decode()
    assert MatchDigest.objects.get(membership=buyer_member).enabled is False
    response = client.post(url, {"enabled": "on"})
    assert 'data-digest="on"' in response.content.decode()
    assert MatchDigest.objects.get(membership=buyer_member).enabled is True


@pytest.mark.parametrize("token", ["nonsense", "1:abc:def"])
def test_a_forged_link_changes_nothing(client, buyer_member, token):
    assert client.get(f"/company/matches/e-mail/off/{token}/").status_code == 404
    assert not MatchDigest.objects.exists()


def test_member_switches_it_in_the_company_centre(client, buyer_member):
    client.force_login(buyer_member.user)
    html = client.get("/en/company/matches/e-mail/").content.decode()
    assert 'name="enabled"' in html and "checked" in html  # on unless switched off
    client.post("/company/matches/e-mail/", {})
    assert MatchDigest.objects.get(membership=buyer_member).enabled is False
    client.post("/company/matches/e-mail/", {"enabled": "on"})
    assert MatchDigest.objects.get(membership=buyer_member).enabled is True
