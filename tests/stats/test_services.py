"""Search and match logging, the cache and its refresh, the daily snapshot, retention."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from stats import services, tasks
from stats.models import DailySnapshot, MatchShown, SearchLog
from stats.selectors import Period
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_log_search_normalises_and_stores_no_personal_data():
    services.log_search(query="  Halal   BEEF ", result_count=3, source="api", language="en")
    services.log_search(query="ＡＢＣ", result_count=0, source="page")
    services.log_search(query="   ", result_count=0, source="page")
    services.log_search(query="down", result_count=0, source="page", unavailable=True)
    rows = list(
        SearchLog.objects.order_by("id").values("query", "result_count", "source", "language", "backend")
    )
    assert rows == [
        {"query": "halal beef", "result_count": 3, "source": "api", "language": "en", "backend": "database"},
        {"query": "abc", "result_count": 0, "source": "page", "language": "en", "backend": "database"},
    ]
    fields = {f.name for f in SearchLog._meta.get_fields()}
    assert not fields & {"user", "ip", "ip_address", "session", "user_agent"}


def test_log_search_never_fails_the_search(mocker):
    mocker.patch.object(SearchLog.objects, "create", side_effect=RuntimeError("disk full"))
    services.log_search(query="辣条", result_count=1, source="page")  # no exception
    assert not SearchLog.objects.exists()


def test_log_matches_keeps_the_buyer_exhibitor_pair():
    answer = {
        "subject": {"kind": "exhibitor", "key": "EX1"},
        "results": [{"kind": "buyer", "key": "B1"}, {"kind": "request", "key": "B2/RFQ-1"}],
    }
    assert services.log_matches(answer=answer, source="api") is answer
    services.log_matches(
        answer={
            "subject": {"kind": "request", "key": "B3/R"},
            "results": [{"kind": "exhibitor", "key": "EX2"}],
        },
        source="page",
    )
    services.log_matches(answer={"broken": True}, source="page")
    assert list(MatchShown.objects.order_by("id").values_list("buyer_key", "exhibitor_key", "position")) == [
        ("B1", "EX1", 1),
        ("B2", "EX1", 2),
        ("B3", "EX2", 1),
    ]


def test_figures_are_cached_until_the_beat_task_refreshes_them():
    ExhibitorFactory()
    first = services.figures_get(period=Period())
    assert first["companies"]["exhibitors"]["registered"] == 1
    ExhibitorFactory()
    assert services.figures_get(period=Period())["companies"]["exhibitors"]["registered"] == 1
    assert tasks.figures_refresh.delay().get() >= 1
    assert services.figures_get(period=Period())["companies"]["exhibitors"]["registered"] == 2


def test_the_beat_tasks_are_scheduled():
    names = set(PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True))
    assert {
        "stats.tasks.figures_refresh",
        "stats.tasks.snapshot_daily",
        "stats.tasks.search_log_prune",
    } <= names


def test_snapshot_task_writes_the_day_and_keeps_history():
    from exhibitors.models import Participation

    exhibitor = ExhibitorFactory()
    Participation.objects.create(exhibitor=exhibitor, edition=2026)
    assert tasks.snapshot_daily.delay().get() > 0
    today = timezone.localdate()
    value = DailySnapshot.objects.get(date=today, edition=0, metric="exhibitors.registered", dimension="")
    assert value.value == Decimal("1")
    assert DailySnapshot.objects.filter(date=today, edition=2026, metric="exhibitors.registered").exists()
    assert DailySnapshot.objects.filter(
        date=today, metric="exhibitors.by_province.registered", dimension="河南"
    )
    # Yesterday's snapshot stays when the data changes; writing today again replaces today.
    DailySnapshot.objects.filter(date=today).update(date=today - timedelta(days=1))
    ExhibitorFactory()
    services.snapshot_write()
    series = dict(
        DailySnapshot.objects.filter(edition=0, metric="exhibitors.registered", dimension="").values_list(
            "date", "value"
        )
    )
    assert series == {today - timedelta(days=1): Decimal("1"), today: Decimal("2")}
    services.snapshot_write(day=today)
    assert DailySnapshot.objects.filter(edition=0, metric="exhibitors.registered", date=today).count() == 1


def test_retention_deletes_old_search_log_rows(settings):
    settings.STATS_SEARCH_LOG_DAYS = 30
    now = timezone.now()
    old = SearchLog.objects.create(
        query="old", result_count=1, source="page", created_at=now - timedelta(days=31)
    )
    kept = SearchLog.objects.create(
        query="new", result_count=1, source="page", created_at=now - timedelta(days=29)
    )
    assert tasks.search_log_prune.delay().get() == 1
    assert list(SearchLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not SearchLog.objects.filter(pk=old.pk).exists()


def test_period_bounds_cover_whole_local_days():
    since, until = Period(start=date(2026, 5, 1), end=date(2026, 5, 1)).bounds()
    assert until - since == timedelta(days=1)
    since, until = Period(edition=2026, start=date(2025, 1, 1)).bounds()
    assert since.date() == date(2026, 1, 1) and until.date() == date(2027, 1, 1)


def test_the_refresh_keeps_the_recent_ranges_warm():
    tasks.figures_refresh.delay().get()
    for days, period in services.recent_periods():
        assert (period.end - period.start).days == days - 1
        assert cache.get(services.CACHE_PREFIX + period.key) is not None
