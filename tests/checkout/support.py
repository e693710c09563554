"""Building buyers, baskets and orders for the checkout and payment tests."""

from __future__ import annotations

from decimal import Decimal

from oscar.core.loading import get_class, get_model

from checkout.services import order_place
from exhibitors.models import CompanyStatus
from shipping.methods import PerExhibitorShipping
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import MembershipFactory, UserFactory

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")


# A delivery address the checkout's address form accepts (China, Henan).
ADDRESS = {
    "first_name": "芳",
    "last_name": "王",
    "line1": "金水路 88 号",
    "line4": "郑州",
    "state": "河南",
    "postcode": "450000",
}


def china():
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="CN",
        defaults={
            "iso_3166_1_a3": "CHN",
            "printable_name": "中国 China",
            "name": "China",
            "is_shipping_country": True,
        },
    )
    return country


def make_buyer(*, email: str | None = None, status: str = CompanyStatus.VERIFIED):
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(user=user, buyer=BuyerFactory(status=status), exhibitor=None)
    return user


def make_product(*, stock: int | None = 100, price: str = "45.00", storage: str = "ambient", exhibitor=None):
    product = ProductFactory(exhibitor=exhibitor or ExhibitorFactory(), price=Decimal(price), storage=storage)
    StockRecord.objects.filter(product=product).update(num_in_stock=stock, num_allocated=0)
    return product


def make_basket(*, user, items):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity=quantity)
    return basket


def make_basket_again(basket, user):
    """The basket as the next request loads it (lines and prices read afresh)."""
    basket = Basket.objects.get(pk=basket.pk)
    basket.strategy = Selector().strategy(user=user)
    return basket


def shipping_address():
    return ShippingAddress(
        first_name="王",
        last_name="芳",
        line1="人民路 1 号",
        line4="郑州",
        state="河南",
        postcode="450000",
        country=china(),
    )


def place(*, user, items, **kwargs):
    basket = make_basket(user=user, items=items)
    return order_place(
        basket=basket,
        user=user,
        shipping_address=shipping_address(),
        shipping_method=PerExhibitorShipping(),
        **kwargs,
    )


def stock_of(product) -> StockRecord:
    return StockRecord.objects.get(product=product)
