"""The search engine unreachable: the search pages say search is temporarily unavailable and
still list products from the catalogue; the API answers 503 with Retry-After; changes made
meanwhile wait in the pending queue and reach the index once the engine is back."""

from __future__ import annotations

import os
import uuid

import pytest

from search.indexing import pending_count
from search.models import PendingChange
from search.tasks import index_pending
from tests.factories.catalogue import ProductFactory

pytestmark = pytest.mark.django_db

ENGINE_DOWN = "http://127.0.0.1:1"


def _back(settings):
    """The engine that comes back: the Elasticsearch under test if there is one, else the
    database backend (an empty ELASTICSEARCH_URL)."""
    url = os.environ.get("ELASTICSEARCH_URL", "")
    settings.ELASTICSEARCH_URL = url
    if url:
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:10]}"


def test_search_down_degrades_the_pages_answers_503_on_the_api_and_catches_up(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = ENGINE_DOWN
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(title="卫龙大面筋辣条", title_en="Weilong spicy gluten strips")
    # the save stood; its indexing waits
    assert PendingChange.objects.filter(kind="product", object_id=product.pk).exists()

    for url in ("/search/?q=辣条", "/en/search/?q=辣条"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'id="search-unavailable"' in page.content.decode(), url
    assert "卫龙大面筋辣条" in client.get("/search/?q=辣条").content.decode()  # listed from the catalogue

    api = client.get("/api/products/", {"q": "辣条"})
    assert api.status_code == 503
    assert api["Retry-After"] == "30"
    assert api.json()["error"] == "search_unavailable"
    assert "unavailable" in index_pending()  # the periodic drain reports, keeps the queue
    assert pending_count() >= 1

    _back(settings)
    from search.backends import get_backend

    backend = get_backend()
    try:
        index_pending()  # the periodic drain, once the engine answers
        assert pending_count() == 0
        found = client.get("/api/products/", {"q": "辣条"})
        assert found.status_code == 200
        assert [hit["title_zh"] for hit in found.json()["results"]] == ["卫龙大面筋辣条"]
        assert 'id="search-unavailable"' not in client.get("/search/?q=辣条").content.decode()
    finally:
        if settings.ELASTICSEARCH_URL:
            backend.drop()
