"""Fixtures of the search tests: ``search_backend`` runs a test once per reachable backend.

The database backend always runs (SQLite here, PostgreSQL when ``DATABASE_URL`` names it).
The Elasticsearch part runs when ``ELASTICSEARCH_URL`` is set, against that server with
indexes under a prefix of their own, removed afterwards; otherwise it is skipped.
"""

import os
import uuid

import pytest


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings):
    from search.backends import get_backend

    if request.param == "elasticsearch":
        url = os.environ.get("ELASTICSEARCH_URL", "")
        if not url:  # no server on this machine: never pretend one
            pytest.skip(
                "Elasticsearch part: set ELASTICSEARCH_URL=http://host:9200 to run it (no server here)"
            )
        settings.ELASTICSEARCH_URL = url
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:10]}"
        backend = get_backend()
        if not backend.ping():
            pytest.fail(f"ELASTICSEARCH_URL={url} is set but the server does not answer")
        yield backend
        backend.drop()
    else:
        settings.ELASTICSEARCH_URL = ""
        yield get_backend()


@pytest.fixture
def indexed(search_backend):
    """Call after creating data: drains the pending changes into the backend under test."""
    from search.indexing import drain

    def index() -> None:
        drain(backend=search_backend)

    return index
