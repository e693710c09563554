"""Placing orders: stock is checked under lock, refusals name the reason and write nothing."""

from decimal import Decimal

import pytest
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.core.loading import get_model

from checkout.services import (
    BasketChanged,
    BasketNotSellable,
    BuyerNotAllowed,
    StockShort,
    checkout_fingerprint,
    order_place,
)
from exhibitors.models import CompanyStatus
from shipping.methods import PerExhibitorShipping
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import UserFactory

from .support import (
    make_basket,
    make_basket_again,
    make_buyer,
    make_product,
    place,
    shipping_address,
    stock_of,
)

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


def test_placing_an_order_allocates_stock_and_submits_the_basket():
    buyer = make_buyer()
    product = make_product(stock=10)
    order = place(user=buyer, items=[(product, 3)])
    assert order.status == "Pending payment"
    assert order.total_incl_tax == Decimal("155.00")  # 3 × 45 + 20 shipping
    assert [line.status for line in order.lines.all()] == ["Awaiting payment"]
    assert stock_of(product).num_allocated == 3
    assert order.basket.status == "Submitted"


def test_short_stock_is_refused_naming_the_product_and_what_is_left():
    buyer = make_buyer()
    product = make_product(stock=5)
    other = make_product(stock=50)
    record = stock_of(product)
    record.num_allocated = 3
    record.save()
    with pytest.raises(StockShort) as refused:
        place(user=buyer, items=[(other, 2), (product, 4)])
    assert refused.value.available == 2
    assert product.get_title() in refused.value.message and "2" in refused.value.message
    assert not Order.objects.filter(user=buyer).exists()
    assert stock_of(other).num_allocated == 0 and stock_of(product).num_allocated == 3


def test_a_product_without_online_stock_is_refused():
    buyer = make_buyer()
    product = make_product(stock=None)
    with pytest.raises(StockShort, match="not sold online"):
        place(user=buyer, items=[(make_product(), 1), (product, 1)])
    assert not Order.objects.filter(user=buyer).exists()


def test_goods_of_an_unverified_exhibitor_are_refused():
    buyer = make_buyer()
    exhibitor = ExhibitorFactory()
    basket = make_basket(user=buyer, items=[(make_product(exhibitor=exhibitor), 1)])
    exhibitor.status = CompanyStatus.PENDING
    exhibitor.save()
    with pytest.raises(BasketNotSellable, match="not verified"):
        order_place(
            basket=basket,
            user=buyer,
            shipping_address=shipping_address(),
            shipping_method=PerExhibitorShipping(),
        )
    assert not Order.objects.filter(user=buyer).exists()


def test_mixed_currencies_are_refused():
    buyer = make_buyer()
    dollars = make_product()
    basket = make_basket(user=buyer, items=[(make_product(), 1), (dollars, 1)])
    # The exhibitor switched to dollars after the line was added: one order cannot be paid in both.
    StockRecord.objects.filter(product=dollars).update(price_currency="USD")
    basket = make_basket_again(basket, buyer)
    with pytest.raises(BasketNotSellable, match="several currencies"):
        order_place(
            basket=basket,
            user=buyer,
            shipping_address=shipping_address(),
            shipping_method=PerExhibitorShipping(),
        )
    assert stock_of(dollars).num_allocated == 0


def test_an_empty_basket_is_refused():
    buyer = make_buyer()
    basket = make_basket(user=buyer, items=[])
    with pytest.raises(BasketNotSellable, match="empty"):
        order_place(
            basket=basket,
            user=buyer,
            shipping_address=shipping_address(),
            shipping_method=PerExhibitorShipping(),
        )


def test_a_person_without_a_verified_buyer_company_cannot_order():
    for user in (UserFactory(), make_buyer(status=CompanyStatus.PENDING)):
        with pytest.raises(BuyerNotAllowed):
            place(user=user, items=[(make_product(), 1)])


def test_a_basket_changed_since_the_preview_is_refused():
    buyer = make_buyer()
    product = make_product()
    basket = make_basket(user=buyer, items=[(product, 2)])
    method = PerExhibitorShipping()
    charge = method.calculate(basket)
    shown = checkout_fingerprint(
        basket=basket,
        shipping_charge=charge,
        total=OrderTotalCalculator().calculate(basket, charge),
        extra="stripe",
    )
    basket.lines.update(quantity=3)  # changed in another tab
    with pytest.raises(BasketChanged):
        order_place(
            basket=basket,
            user=buyer,
            shipping_address=shipping_address(),
            shipping_method=method,
            expected_fingerprint=shown,
            fingerprint_extra="stripe",
        )
    assert stock_of(product).num_allocated == 0
    fresh = make_basket(user=buyer, items=[(product, 2)])
    order = order_place(
        basket=fresh,
        user=buyer,
        shipping_address=shipping_address(),
        shipping_method=method,
        expected_fingerprint=checkout_fingerprint(
            basket=fresh,
            shipping_charge=method.calculate(fresh),
            total=OrderTotalCalculator().calculate(fresh, method.calculate(fresh)),
            extra="stripe",
        ),
        fingerprint_extra="stripe",
    )
    assert order.lines.get().quantity == 2


def test_a_basket_is_ordered_once():
    buyer = make_buyer()
    basket = make_basket(user=buyer, items=[(make_product(), 1)])
    kwargs = {"user": buyer, "shipping_method": PerExhibitorShipping()}
    order_place(basket=basket, shipping_address=shipping_address(), **kwargs)
    with pytest.raises(Exception, match="already been ordered"):
        order_place(basket=basket, shipping_address=shipping_address(), **kwargs)
    assert Order.objects.filter(user=buyer).count() == 1
