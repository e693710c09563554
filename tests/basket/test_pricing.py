"""B2B terms in Oscar's strategy and basket: tiers, minimum order, who may sell, currencies."""

from decimal import Decimal

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from exhibitors.models import CompanyStatus
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def tiered():
    product = ProductFactory(title="大面筋辣条", moq=100, unit="箱", price=Decimal("50.00"))
    ProductPriceTier.objects.create(product=product, min_quantity=100, unit_price=Decimal("45.00"))
    ProductPriceTier.objects.create(product=product, min_quantity=500, unit_price=Decimal("42.50"))
    StockRecord.objects.filter(product=product).update(num_in_stock=10_000)
    return product


@pytest.fixture
def buyer_client(client):
    client.force_login(UserFactory())
    return client


def add(client, product, quantity, url="/en/basket/add/{pk}/"):
    return client.post(url.format(pk=product.pk), {"quantity": quantity}, follow=True)


def basket_line(client):
    basket = client.get("/en/basket/").context["basket"]
    return basket, basket.all_lines()[0]


def test_tier_prices_apply_as_quantities_change(buyer_client, tiered):
    add(buyer_client, tiered, 100)
    basket, line = basket_line(buyer_client)
    assert line.unit_price_excl_tax == Decimal("45.00")
    assert basket.total_excl_tax == Decimal("4500.00")
    add(buyer_client, tiered, 400)  # 500 in all
    basket, line = basket_line(buyer_client)
    assert line.quantity == 500 and line.unit_price_excl_tax == Decimal("42.50")
    assert basket.total_excl_tax == Decimal("21250.00")
    assert line.get_warning() is None  # a tier is not a price change


def test_quantities_below_the_moq_are_refused_naming_it(buyer_client, tiered):
    response = add(buyer_client, tiered, 10)
    assert "The minimum order is 100 箱." in response.content.decode()
    assert buyer_client.get("/en/basket/").context["basket"].num_lines == 0


@pytest.mark.parametrize("quantity", ["0", "-5", "1.5", "abc", "100000000"])
def test_bad_quantities_get_a_message_not_an_error(buyer_client, tiered, quantity):
    response = add(buyer_client, tiered, quantity)
    assert response.status_code == 200
    assert buyer_client.get("/en/basket/").context["basket"].num_lines == 0


def test_the_product_page_starts_at_the_moq(client, tiered):
    with translation.override("en"):
        url = tiered.get_absolute_url()
    html = client.get(url).content.decode()
    assert 'name="quantity"' in html and 'value="100"' in html


def test_products_of_unverified_exhibitors_cannot_be_bought(buyer_client):
    product = ProductFactory(exhibitor=ExhibitorFactory(status=CompanyStatus.PENDING))
    response = add(buyer_client, product, 1)
    assert buyer_client.get("/en/basket/").context["basket"].num_lines == 0
    assert "not verified" in response.content.decode()


def test_display_only_products_are_not_sold_online(buyer_client):
    product = ProductFactory()
    StockRecord.objects.filter(product=product).update(num_in_stock=None)
    add(buyer_client, product, 1)
    assert buyer_client.get("/en/basket/").context["basket"].num_lines == 0


def test_one_currency_per_basket(buyer_client):
    yuan = ProductFactory()
    dollars = ProductFactory()
    StockRecord.objects.filter(product=dollars).update(price_currency="USD")
    add(buyer_client, yuan, 1)
    response = add(buyer_client, dollars, 1)
    assert "currency" in response.content.decode()
    assert buyer_client.get("/en/basket/").context["basket"].num_lines == 1


def test_basket_holds_products_of_several_exhibitors(buyer_client):
    add(buyer_client, ProductFactory(), 1)
    add(buyer_client, ProductFactory(), 1)
    basket = buyer_client.get("/en/basket/").context["basket"]
    assert len({line.stockrecord.partner_id for line in basket.all_lines()}) == 2


def test_exhibitor_may_show_prices_to_logged_in_buyers_only(client):
    from tests.factories.buyers import BuyerFactory
    from tests.factories.members import MembershipFactory

    exhibitor = ExhibitorFactory(prices_for_buyers_only=True)
    product = ProductFactory(title="隐价商品", exhibitor=exhibitor, price=Decimal("88.00"))
    with translation.override("zh-hans"):
        url = product.get_absolute_url()
    assert "88.00" not in client.get(url).content.decode()
    assert "88.00" not in client.get("/catalogue/").content.decode()
    buyer = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    client.force_login(buyer.user)
    assert "88.00" in client.get(url).content.decode()
    assert "88.00" in client.get("/catalogue/").content.decode()
