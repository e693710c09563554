"""Shared helpers of the ``/api/v1/`` basket, checkout and order tests."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from exhibitors.selectors import membership_token
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory

ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")


def app(membership, language: str = "en") -> APIClient:
    """A phone app logged in (with a real token) as ``membership``'s person, acting for its company."""
    cache.clear()
    api = APIClient()
    tokens = api.post(
        "/api/v1/auth/login/", {"email": membership.user.email, "password": "member-pass-2026"}, format="json"
    ).json()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {tokens['access']}",
        HTTP_X_COMPANY=membership_token(membership),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    return api


def buyer_member(**kwargs):
    return MembershipFactory(exhibitor=None, buyer=BuyerFactory(), **kwargs)


def tiered_product(*, stock: int = 10_000, moq: int = 100, **kwargs):
    product = ProductFactory(title="大面筋辣条", moq=moq, unit="箱", price=Decimal("50.00"), **kwargs)
    ProductPriceTier.objects.create(product=product, min_quantity=100, unit_price=Decimal("45.00"))
    ProductPriceTier.objects.create(product=product, min_quantity=500, unit_price=Decimal("42.50"))
    StockRecord.objects.filter(product=product).update(num_in_stock=stock, num_allocated=0)
    return product
