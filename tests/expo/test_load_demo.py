"""load_demo: realistic bilingual data, idempotent, scalable."""

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model
from wagtail.models import Locale

from buyers.models import Buyer
from exhibitors.models import Exhibitor
from expo.demo import data
from expo.models import HomePage, StandardPage

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def counts():
    return (
        Exhibitor.objects.count(),
        Product.objects.count(),
        Buyer.objects.count(),
        StockRecord.objects.count(),
    )


def test_demo_loads_companies_products_and_pages_in_both_languages():
    call_command("load_demo", verbosity=0)
    assert counts() == (
        len(data.EXHIBITORS),
        len(data.EXHIBITORS) * 15,
        len(data.BUYERS),
        len(data.EXHIBITORS) * 15,
    )
    en = Locale.objects.get(language_code="en")
    assert HomePage.objects.filter(locale=en, live=True).exists()
    assert StandardPage.objects.filter(slug="about").count() == 2
    product = Product.objects.filter(storage="frozen").first()
    assert product.title and product.title_en and product.shelf_life_days
    # every product is sold by exactly one exhibitor, through its partner
    assert not Product.objects.filter(stockrecords__isnull=True).exists()
    assert all(sr.partner.exhibitor for sr in StockRecord.objects.select_related("partner__exhibitor")[:20])


def test_demo_is_idempotent():
    call_command("load_demo", verbosity=0)
    first = counts()
    revisions = HomePage.objects.first().revisions.count()
    call_command("load_demo", verbosity=0)
    assert counts() == first
    assert HomePage.objects.first().revisions.count() == revisions


def test_scale_multiplies_the_data():
    call_command("load_demo", scale=3, verbosity=0)
    exhibitors, products, buyers, _ = counts()
    assert exhibitors == 3 * len(data.EXHIBITORS)
    assert products == 3 * len(data.EXHIBITORS) * 15
    assert buyers == 3 * len(data.BUYERS)
    assert Exhibitor.objects.values("key").distinct().count() == exhibitors


def test_scale_100_reaches_30000_products_by_arithmetic():
    # The bench data set (load_demo --scale 100) must hold at least 30,000 products.
    assert 100 * len(data.EXHIBITORS) * 15 >= 30_000
    assert 100 * (len(data.EXHIBITORS) + len(data.BUYERS)) >= 3_000


def test_bad_scale_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--scale"):
        call_command("load_demo", scale=0, verbosity=0)
