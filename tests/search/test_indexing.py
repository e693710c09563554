"""Saves, deletes and imports reach the index after commit, through the pending-changes queue;
while the engine is down the changes wait, and the drain catches up when it is back."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from search.backends import ProductQuery, SearchUnavailable, get_backend
from search.indexing import drain, mark, pending_count
from search.models import PendingChange, SearchEntry
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory

pytestmark = pytest.mark.django_db


def hits(q="", **filters) -> list[int]:
    return get_backend().search_products(ProductQuery(q=q, **filters)).ids


def test_a_save_queues_the_object_and_one_drain_after_commit(
    django_capture_on_commit_callbacks, mocker, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a broker: the task goes to a worker
    delay = mocker.patch("search.tasks.index_pending.delay")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        product = ProductFactory(title="卫龙大面筋辣条")
    assert PendingChange.objects.filter(kind="product", object_id=product.pk).exists()
    assert len(callbacks) == 1  # one drain per transaction, however many objects changed
    delay.assert_called_once_with()


def test_the_drain_indexes_and_empties_the_queue():
    product = ProductFactory(title="卫龙大面筋辣条", title_en="Big gluten latiao")
    assert pending_count() > 0
    report = drain()
    assert report["indexed"] >= 1 and pending_count() == 0
    assert SearchEntry.objects.filter(kind="product", object_id=product.pk).exists()
    assert hits("辣条") == [product.pk]


def test_changes_and_deletions_reach_the_index():
    product = ProductFactory(title="卫龙大面筋辣条", category="meat")
    assert hits("辣条") == [product.pk]
    product.title = "王中王火腿肠"
    product.save()
    assert hits("辣条") == [] and hits("火腿肠") == [product.pk]
    product.is_public = False
    product.save()
    assert hits("火腿肠") == []
    product.is_public = True
    product.save()
    product.delete()
    assert hits("火腿肠") == [] and not SearchEntry.objects.filter(kind="product").exists()


def test_an_exhibitor_change_reindexes_its_products():
    exhibitor = ExhibitorFactory(province="河南")
    product = ProductFactory(title="清真牛肉肠", exhibitor=exhibitor)
    assert hits(province="河南") == [product.pk]
    exhibitor.province = "山东"
    exhibitor.save()
    assert hits(province="河南") == [] and hits(province="山东") == [product.pk]
    exhibitor.status = "pending"
    exhibitor.save()
    assert hits() == []


def test_a_certificate_counts_until_its_date_without_reindexing():
    from exhibitors.models import Certificate

    exhibitor = ExhibitorFactory()
    product = ProductFactory(exhibitor=exhibitor)
    certificate = Certificate.objects.create(
        exhibitor=exhibitor, code="HALAL", valid_until=timezone.localdate() + timedelta(days=3)
    )
    backend = get_backend()
    assert backend.search_products(ProductQuery(certification="HALAL")).ids == [product.pk]
    later = timezone.localdate() + timedelta(days=4)
    assert backend.search_products(ProductQuery(certification="HALAL", on=later)).ids == []
    certificate.delete()
    assert hits(certification="HALAL") == []


def test_while_the_engine_is_down_changes_wait_and_catch_up(mocker):
    from search.tasks import index_pending

    product = ProductFactory(title="速冻水饺")
    backend = get_backend()
    mocker.patch.object(backend, "index_documents", side_effect=SearchUnavailable("down"))
    assert "unavailable" in index_pending()  # the task reports, it does not fail
    assert PendingChange.objects.filter(kind="product", object_id=product.pk).exists()
    mocker.stopall()
    index_pending()
    assert pending_count() == 0
    assert hits("水饺") == [product.pk]


def test_a_change_made_again_during_a_drain_is_not_lost():
    product = ProductFactory(title="速冻水饺")
    PendingChange.objects.all().update(changed_at=timezone.now() + timedelta(seconds=60))
    drain()  # the rows changed after this drain started: they stay for the next one
    assert PendingChange.objects.filter(kind="product", object_id=product.pk).exists()


def test_mark_ignores_empty_and_repeated_ids():
    mark("product", [])
    mark("product", [None])
    mark("product", [7, 7])
    mark("product", [7])
    assert list(PendingChange.objects.values_list("kind", "object_id")) == [("product", 7)]


def test_an_import_is_indexed_though_it_writes_in_bulk(tmp_path: Path):
    exhibitors = tmp_path / "exhibitors.csv"
    exhibitors.write_text(
        "key,name_zh,name_en,province,categories\n"
        "91411100MA9EXAMPL1,漯河卫辣食品有限公司,Luohe Weila Foods,河南,snacks-latiao\n",
        encoding="utf-8",
    )
    products = tmp_path / "products.csv"
    products.write_text(
        "exhibitor_key,sku,title_zh,title_en,category,price,storage\n"
        "91411100MA9EXAMPL1,LT-1,卫龙大面筋辣条,Big gluten latiao,snacks-latiao,76.00,ambient\n",
        encoding="utf-8",
    )
    call_command("import_resources", "exhibitors", str(exhibitors), verbosity=0)
    call_command("import_resources", "products", str(products), verbosity=0)
    backend = get_backend()
    found = backend.search_products(ProductQuery(q="辣条"))
    assert found.total == 1
    entry = SearchEntry.objects.get(kind="product", object_id=found.ids[0])
    assert entry.key == "91411100MA9EXAMPL1/LT-1"
    assert backend.keyword_scores("exhibitor", ["weila"])


def test_reindex_rebuilds_everything(capsys):
    ProductFactory(title="卫龙大面筋辣条")
    drain()
    SearchEntry.objects.all().delete()
    assert hits("辣条") == []
    call_command("reindex")
    assert len(hits("辣条")) == 1
    assert "Search index rebuilt (database)" in capsys.readouterr().out


def test_reindex_if_empty_builds_on_a_first_start_only(capsys):
    ProductFactory(title="卫龙大面筋辣条")
    drain()
    SearchEntry.objects.all().delete()
    call_command("reindex", if_empty=True)
    assert len(hits("辣条")) == 1 and "Search index rebuilt" in capsys.readouterr().out
    ProductFactory(title="麻辣辣条")  # indexed by its own change, not by a second rebuild
    call_command("reindex", if_empty=True)
    assert "already built" in capsys.readouterr().out
    assert len(hits("辣条")) == 2


def test_reindex_of_an_unreachable_elasticsearch_fails_clearly(settings):
    from django.core.management.base import CommandError

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with pytest.raises(CommandError, match="unavailable") as failure:
        call_command("reindex", backend="elasticsearch", verbosity=0)
    assert failure.value.returncode == 1


def test_a_broker_that_is_down_never_breaks_a_save(django_capture_on_commit_callbacks, mocker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    mocker.patch("search.tasks.index_pending.delay", side_effect=ConnectionRefusedError("broker down"))
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(title="速冻水饺")
    assert PendingChange.objects.filter(kind="product", object_id=product.pk).exists()  # drained later


def test_cached_facets_of_browsing_last_until_the_index_changes(django_assert_max_num_queries):
    ProductFactory(storage="frozen")
    backend = get_backend()
    first = backend.search_products(ProductQuery())
    assert dict(first.facets["storage"]) == {"frozen": 1}
    assert backend.search_products(ProductQuery()).facets == first.facets  # from the cache
    ProductFactory(storage="chilled")
    again = backend.search_products(ProductQuery())
    assert dict(again.facets["storage"]) == {"frozen": 1, "chilled": 1} and again.total == 2


def test_the_drain_and_the_nightly_rebuild_are_scheduled_in_celery_beat():
    from django_celery_beat.models import PeriodicTask

    drain_task = PeriodicTask.objects.get(task="search.tasks.index_pending")
    assert drain_task.enabled and drain_task.interval.every == 1 and drain_task.interval.period == "minutes"
    assert PeriodicTask.objects.get(task="search.tasks.index_rebuild").crontab.hour == "3"
