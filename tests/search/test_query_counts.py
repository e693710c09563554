"""Catalogue, category, product and basket pages run a fixed number of queries, whatever the data size."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def urls():
    with translation.override("zh-hans"):
        product = Product.objects.filter(stockrecords__num_in_stock__gt=0, moq__lte=1).order_by("id").first()
        return {
            "catalogue": "/catalogue/",
            "category": Category.objects.get(slug="snacks").get_absolute_url(),
            "filtered": "/catalogue/?certification=HALAL&storage=ambient&sort=price",
            "search": "/search/?q=清真",
            "search-with-more": "/search/?q=大面筋",
            "product": product.get_absolute_url(),
            "basket": "/basket/",
        }


def test_shop_pages_run_a_fixed_number_of_queries(client, monkeypatch):
    from tests.factories.members import UserFactory

    # every search below lists "More in this category" at both sizes, so that block is counted too
    monkeypatch.setattr("search.selectors.MORE_BELOW", 10**6)

    client.force_login(UserFactory())
    call_command("load_demo", verbosity=0)
    basket_product = Product.objects.filter(moq__lte=1).order_by("id").first()
    client.post(f"/basket/add/{basket_product.pk}/", {"quantity": 1})
    small = {name: count(client, url) for name, url in urls().items()}
    call_command("load_demo", scale=4, verbosity=0)
    large = {name: count(client, url) for name, url in urls().items()}
    assert large == small, (small, large)
