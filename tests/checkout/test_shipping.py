"""Shipping charged per exhibitor, with a cold-chain surcharge per exhibitor with cold goods."""

from decimal import Decimal

import pytest

from shipping.methods import PerExhibitorShipping
from shipping.repository import Repository
from tests.factories.exhibitors import ExhibitorFactory

from .support import make_basket, make_buyer, make_product

pytestmark = pytest.mark.django_db


def test_each_exhibitor_pays_a_base_fee_and_cold_goods_a_surcharge():
    ambient_seller, cold_seller = ExhibitorFactory(), ExhibitorFactory()
    basket = make_basket(
        user=make_buyer(),
        items=[
            (make_product(exhibitor=ambient_seller), 2),
            (make_product(exhibitor=ambient_seller), 1),
            (make_product(exhibitor=cold_seller, storage="frozen"), 1),
            (make_product(exhibitor=cold_seller, storage="chilled"), 1),
        ],
    )
    method = PerExhibitorShipping()
    breakdown = {shipment.name: shipment for shipment in method.breakdown(basket)}
    assert breakdown[ambient_seller.display_name].total == Decimal("20.00")
    assert not breakdown[ambient_seller.display_name].needs_cold_chain
    assert breakdown[cold_seller.display_name].total == Decimal("50.00")  # one surcharge, not one per line
    charge = method.calculate(basket)
    assert charge.excl_tax == charge.incl_tax == Decimal("70.00")
    assert charge.currency == "CNY"


def test_fees_come_from_the_settings(settings):
    settings.EXPO_SHIPPING_BASE_FEE = "15.00"
    settings.EXPO_SHIPPING_COLD_CHAIN_FEE = "40"
    basket = make_basket(user=make_buyer(), items=[(make_product(storage="chilled"), 1)])
    assert PerExhibitorShipping().calculate(basket).incl_tax == Decimal("55.00")


def test_the_repository_offers_the_per_exhibitor_method():
    basket = make_basket(user=make_buyer(), items=[(make_product(), 1)])
    methods = Repository().get_shipping_methods(basket=basket)
    assert [method.code for method in methods] == ["per-exhibitor"]
