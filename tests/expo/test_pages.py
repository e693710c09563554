"""Expo pages: editions, halls, booths, news, events; bad input; fixed query counts."""

from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from exhibitors.models import CompanyStatus, Exhibitor, Participation
from expo.models import EventPage, EventRegistration, ExpoEditionPage, HallPage, NewsPage
from expo.services import event_register
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def current_edition():
    return ExpoEditionPage.objects.filter(locale__language_code="zh-hans").order_by("-year").first()


def booth_path(edition, exhibitor):
    return edition.url + edition.reverse_subpage("booth_route", args=[exhibitor.key])


def test_demo_site_has_two_editions_four_halls_20_articles_6_events_in_both_languages(demo):
    for language in ("zh-hans", "en"):
        assert ExpoEditionPage.objects.filter(locale__language_code=language, live=True).count() == 2
        assert HallPage.objects.filter(locale__language_code=language, live=True).count() == 8
        assert NewsPage.objects.filter(locale__language_code=language, live=True).count() == 20
        assert EventPage.objects.filter(locale__language_code=language, live=True).count() == 6


@pytest.mark.parametrize("prefix", ["/en", ""])
def test_home_reaches_every_event_and_every_event_offers_its_ics(client, demo, prefix):
    home = client.get(f"{prefix}/")
    assert home.status_code == 200
    index_url = home.context["event_index"].url
    assert "data-all-events" in home.content.decode() and f'href="{index_url}"' in home.content.decode()
    events = EventPage.objects.live().filter(locale=home.context["page"].locale)
    assert events.exists()
    for event in events:
        page = client.get(event.url).content.decode()
        assert "data-ics" in page, event.url
        ics = client.get(event.url + "ics/")
        assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content, event.url


def test_edition_lists_its_exhibitors_with_filters(client, demo):
    edition = current_edition()
    html = client.get(edition.url).content.decode()
    assert "data-exhibitor" in html and "A 馆" in html
    halal = client.get(edition.url, {"certificate": "HALAL"}).content.decode()
    hall_b = client.get(edition.url, {"hall": "B"}).content.decode()
    all_keys = set(
        Participation.objects.filter(edition=edition.year).values_list("exhibitor__key", flat=True)
    )
    halal_keys = {k for k in all_keys if f'data-exhibitor="{k}"' in halal}
    assert halal_keys and halal_keys < all_keys
    assert all(Exhibitor.objects.get(key=k).certificates.filter(code="HALAL").exists() for k in halal_keys)
    hall_b_keys = {k for k in all_keys if f'data-exhibitor="{k}"' in hall_b}
    assert hall_b_keys == set(
        Participation.objects.filter(
            edition=edition.year, hall="B", exhibitor__status="verified"
        ).values_list("exhibitor__key", flat=True)
    )
    # unknown filter values give an empty list, not an error
    assert (
        client.get(edition.url, {"category": "no-such", "certificate": "X" * 500, "page": "99"}).status_code
        == 200
    )


def test_hall_links_to_booths_and_booth_shows_company_products_and_actions(client, demo):
    edition = current_edition()
    participation = Participation.objects.filter(edition=edition.year, exhibitor__status="verified").first()
    hall = HallPage.objects.child_of(edition).get(code=participation.hall)
    url = booth_path(edition, participation.exhibitor)
    assert url in client.get(hall.url).content.decode()
    html = client.get(url).content.decode()
    assert participation.exhibitor.name_zh in html and "data-product" in html
    assert 'data-prices="hidden"' in html and "登录" in html


def test_booth_prices_for_logged_in_buyers(client, demo):
    from tests.factories.buyers import BuyerFactory

    edition = current_edition()
    participation = Participation.objects.filter(edition=edition.year, exhibitor__status="verified").first()
    buyer = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    client.force_login(buyer.user)
    html = client.get(booth_path(edition, participation.exhibitor)).content.decode()
    assert 'data-prices="hidden"' not in html and "fx-price" in html


@pytest.mark.parametrize("state", ["pending", "withdrawn", "elsewhere"])
def test_booths_of_unverified_withdrawn_or_absent_exhibitors_are_not_public(client, demo, state):
    edition = current_edition()
    participation = Participation.objects.filter(edition=edition.year, exhibitor__status="verified").first()
    exhibitor = participation.exhibitor
    if state == "pending":
        Exhibitor.objects.filter(pk=exhibitor.pk).update(status=CompanyStatus.PENDING)
    elif state == "withdrawn":
        Participation.objects.filter(pk=participation.pk).update(withdrawn=True)
    else:
        Participation.objects.filter(pk=participation.pk).update(edition=1999)
    response = client.get(booth_path(edition, exhibitor))
    assert response.status_code == 404
    assert "页面未找到" in response.content.decode()


def test_company_page_links_to_its_booths(client, demo):
    edition = current_edition()
    exhibitor = (
        Participation.objects.filter(edition=edition.year, exhibitor__status="verified").first().exhibitor
    )
    html = client.get(f"/exhibitors/{exhibitor.key}/").content.decode()
    assert booth_path(edition, exhibitor) in html


def test_news_index_filters_kinds_and_tags_and_has_rss(client, demo):
    index = NewsPage.objects.filter(locale__language_code="en").first().get_parent()
    notices = client.get(index.url, {"kind": "notice"}).content.decode()
    assert "Notice on exhibitor badges" in notices and "Quarterly report" not in notices
    feed = client.get(index.url + "feed/")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/rss+xml")
    assert b"<item>" in feed.content
    tagged = client.get(
        NewsPage.objects.filter(locale__language_code="zh-hans").first().get_parent().url, {"tag": "halal"}
    )
    assert "清真食品专区" in tagged.content.decode()


def test_news_article_shows_related_articles(client, demo):
    article = NewsPage.objects.get(locale__language_code="zh-hans", slug="news-10")
    response = client.get(article.url)
    assert response.status_code == 200
    assert "清真食品专区首次亮相（2）" in [a.title for a in response.context["related"]]


def make_event(capacity=2, **kwargs):
    call_command("load_demo", verbosity=0)
    event = EventPage.objects.filter(locale__language_code="zh-hans").first()
    event.capacity = capacity
    for key, value in kwargs.items():
        setattr(event, key, value)
    event.save_revision().publish()
    return event


@translation.override("en")
def test_event_full_goes_to_the_waiting_list_and_twice_is_told():
    event = make_event(capacity=1)
    first = event_register(event=event, name="王", email="wang@example.com")
    assert first.registration.status == "confirmed"
    again = event_register(event=event, name="王", email="WANG@example.com".lower())
    assert again.level == "info" and "already registered" in again.message
    second = event_register(event=event, name="Li", email="li@example.com")
    assert second.registration.status == "waitlist" and second.level == "warning"
    # the English page shares the same places
    english = event.get_translation(event.locale.__class__.objects.get(language_code="en"))
    third = event_register(event=english, name="Sam", email="sam@example.com")
    assert third.registration.status == "waitlist"
    assert EventRegistration.objects.filter(event_key=event.translation_key).count() == 3


def test_event_registration_through_the_page_with_messages(client):
    event = make_event(capacity=1)
    response = client.post(event.url + "register/", {"name": "王", "email": "wang@example.com"}, follow=True)
    assert "报名成功" in response.content.decode() or "You are registered" in response.content.decode()
    response = client.post(event.url + "register/", {"name": "李", "email": "li@example.com"}, follow=True)
    assert "data-full" in response.content.decode()
    bad = client.post(event.url + "register/", {"name": "", "email": "not-an-email"})
    assert bad.status_code == 400
    assert EventRegistration.objects.count() == 2


def test_past_or_closed_events_refuse_registration():
    event = make_event(registration_open=False)
    assert event_register(event=event, name="X", email="x@example.com").level == "error"
    past = make_event(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=2)
    )
    assert event_register(event=past, name="Y", email="y@example.com").level == "error"


def test_event_ics_download(client):
    event = make_event()
    response = client.get(event.url + "ics/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and f"UID:{event.translation_key}@foodexpo" in body
    assert event.starts_at.astimezone(UTC).strftime("DTSTART:%Y%m%dT%H%M%SZ") in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_registrations_are_visible_and_exportable_for_staff(client, staff_user):
    event = make_event()
    event_register(event=event, name="王", email="wang@example.com", company="丹尼斯")
    client.force_login(staff_user)
    assert "wang@example.com" in client.get("/admin/event_registrations/").content.decode()
    export = client.get("/admin/event_registrations/", {"export": "csv"})
    assert export.status_code == 200
    assert "wang@example.com" in b"".join(export.streaming_content).decode()


def test_exhibitor_members_cannot_open_the_wagtail_admin(client):
    member = MembershipFactory()
    client.force_login(member.user)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/pages/").status_code in (302, 403)


def test_staff_roles_exist_with_the_moderation_workflow():
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow

    assert {"Editors", "Moderators", "Verifiers", "Shop managers"} <= set(
        Group.objects.values_list("name", flat=True)
    )
    assert Workflow.objects.filter(name="Moderators approval", active=True).exists()
    verifiers = Group.objects.get(name="Verifiers")
    assert verifiers.permissions.filter(codename="change_exhibitor").exists()


def test_scheduled_publishing_runs_from_celery_beat():
    from django_celery_beat.models import PeriodicTask

    from expo.tasks import publish_scheduled_pages

    assert PeriodicTask.objects.filter(task="expo.tasks.publish_scheduled_pages", enabled=True).exists()
    call_command("load_demo", verbosity=0)
    article = NewsPage.objects.filter(locale__language_code="zh-hans").first()
    article.unpublish()
    revision = article.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    publish_scheduled_pages()
    article.refresh_from_db()
    assert article.live


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site, locales)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def page_urls():
    edition = current_edition()
    exhibitor = (
        Participation.objects.filter(edition=edition.year, exhibitor__status="verified").first().exhibitor
    )
    return {"home": "/", "edition": edition.url, "booth": booth_path(edition, exhibitor)}


def test_home_edition_and_booth_run_a_fixed_number_of_queries(client):
    call_command("load_demo", verbosity=0)
    small = {name: count_queries(client, url) for name, url in page_urls().items()}
    call_command("load_demo", scale=4, verbosity=0)
    large = {name: count_queries(client, url) for name, url in page_urls().items()}
    assert large == small, (small, large)
    assert max(small.values()) < 60
