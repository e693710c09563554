"""Members of one company acting at once use a quote, an agreed price or a sample once.

PostgreSQL row locks only (SQLite has none to test). Every thread has its own connection and
all are released together; every refusal must be the service's own worded error.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from checkout.services import CheckoutError, order_place
from exhibitors.models import Role
from negotiation import services
from negotiation.models import QuoteStatus, SampleRequest, SampleStatus
from partner.models import NegotiatedPrice
from partner.services import basket_add_negotiated
from shipping.methods import PerExhibitorShipping
from tests.checkout.support import china, make_basket, shipping_address, stock_of
from tests.concurrency import at_once
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory
from tests.factories.negotiation import sourcing_request

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

TIMES = 10


@pytest.fixture
def baseline():
    """Transactional tests flush the database after them; the next one puts the baseline back."""
    from expo.baseline import ensure_baseline

    ensure_baseline()
    china()


def text(refusal) -> str:
    return refusal.message if isinstance(refusal, CheckoutError) else " ".join(refusal.messages)


def checkout_each(member_list, grant) -> list:
    """One basket per member holding the agreed price, each checked out in its own thread."""
    baskets = []
    for member in member_list:
        basket = make_basket(user=member.user, items=[])
        basket_add_negotiated(basket=basket, grant=grant, user=member.user)
        baskets.append((member.user, basket))

    def checkout(user, basket):
        return lambda: (
            order_place(
                basket=basket,
                user=user,
                shipping_address=shipping_address(),
                shipping_method=PerExhibitorShipping(),
            ).number
        )

    return [checkout(user, basket) for user, basket in baskets]


@pytest.fixture
def parties(baseline):
    """A verified exhibitor with ten members and a product in stock, a verified buyer with ten."""
    exhibitor_owner = MembershipFactory()
    exhibitor = exhibitor_owner.exhibitor
    product = ProductFactory(exhibitor=exhibitor, price=Decimal("45.00"))
    StockRecord.objects.filter(product=product).update(num_in_stock=1000, num_allocated=0)
    buyer = BuyerFactory()
    return {
        "exhibitor_members": [exhibitor_owner]
        + [MembershipFactory(exhibitor=exhibitor, role=Role.STAFF) for _ in range(TIMES - 1)],
        "buyer_members": [MembershipFactory(exhibitor=None, buyer=buyer, role=Role.OWNER)]
        + [MembershipFactory(exhibitor=None, buyer=buyer, role=Role.STAFF) for _ in range(TIMES - 1)],
        "product": product,
        "buyer": buyer,
    }


def open_quote(parties):
    request = sourcing_request(buyer=parties["buyer"])
    return services.quote_submit(
        membership=parties["exhibitor_members"][0],
        request=request,
        product=parties["product"],
        unit_price=Decimal("40.00"),
        moq=10,
        lead_time_days=5,
        delivery_terms="delivered",
        valid_until=timezone.localdate() + timedelta(days=5),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_members_accepting_one_quote_at_once_accept_it_once(parties):
    quote = open_quote(parties)

    accepted, refused, errors = at_once(
        [
            lambda member=member: services.quote_accept(membership=member, quote=quote)
            for member in parties["buyer_members"]
        ]
    )

    assert errors == []
    assert (len(accepted), len(refused)) == (1, TIMES - 1)
    assert {text(r) for r in refused} == {"This quote is accepted and can no longer be accepted."}
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED and quote.request.status == "closed"
    grants = NegotiatedPrice.objects.filter(reference=quote.label)
    assert [g.pk for g in grants] == [quote.price_grant_id]

    # The one agreed price, added ten times at once to one basket (a double click), is one line.
    user = parties["buyer_members"][0].user
    basket = make_basket(user=user, items=[])
    lines, refused, errors = at_once(
        [
            lambda: basket_add_negotiated(basket=Basket.objects.get(pk=basket.pk), grant=grants[0], user=user)
            for _ in range(TIMES)
        ]
    )
    assert (errors, refused) == ([], [])
    assert len({line.pk for line in lines}) == 1
    assert basket.lines.count() == 1 and basket.lines.get().quantity == 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_members_checking_out_one_agreed_price_at_once_order_it_once(parties):
    quote = open_quote(parties)
    services.quote_accept(membership=parties["buyer_members"][0], quote=quote)
    quote.refresh_from_db()
    grant = NegotiatedPrice.objects.get(pk=quote.price_grant_id)

    placed, refused, errors = at_once(checkout_each(parties["buyer_members"], grant))

    assert errors == []
    assert (len(placed), len(refused)) == (1, TIMES - 1)
    number = placed[0]
    assert {text(r) for r in refused} == {f"This agreed price has already been used by order {number}."}
    grant.refresh_from_db()
    assert grant.order.number == number
    assert list(Order.objects.values_list("number", flat=True)) == [number]
    quote.refresh_from_db()
    assert quote.order_number == number
    assert stock_of(parties["product"]).num_allocated == 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_exhibitor_members_accepting_one_sample_request_at_once_accept_it_once(parties):
    sample = services.sample_request_create(
        membership=parties["buyer_members"][0], product=parties["product"], quantity=3, ship_to="郑州"
    )

    accepted, refused, errors = at_once(
        [
            lambda member=member: services.sample_accept(
                membership=member, sample=sample, free=False, unit_price=Decimal("5.00")
            )
            for member in parties["exhibitor_members"]
        ]
    )

    assert errors == []
    assert (len(accepted), len(refused)) == (1, TIMES - 1)
    assert {text(r) for r in refused} == {"This sample request is already accepted."}
    sample.refresh_from_db()
    assert sample.status == SampleStatus.ACCEPTED
    assert list(NegotiatedPrice.objects.filter(reference=sample.label).values_list("pk", flat=True)) == [
        sample.price_grant_id
    ]

    # Ten members of the buyer order the accepted samples at once: one order.
    grant = NegotiatedPrice.objects.get(pk=sample.price_grant_id)
    placed, refused, errors = at_once(checkout_each(parties["buyer_members"], grant))

    assert errors == []
    assert (len(placed), len(refused)) == (1, TIMES - 1)
    assert {text(r) for r in refused} == {f"This agreed price has already been used by order {placed[0]}."}
    sample.refresh_from_db()
    assert (sample.status, sample.order_number) == (SampleStatus.ORDERED, placed[0])
    assert Order.objects.count() == 1 and SampleRequest.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_members_ordering_the_products_one_sample_at_once_order_it_once(parties):
    from partner.services import sample_grant_for_buyer

    product = parties["product"]
    product.sample_available, product.sample_price = True, Decimal("2.00")
    product.save()
    buyer = parties["buyer"]

    def add_and_order(member):
        basket = make_basket(user=member.user, items=[])
        grant = sample_grant_for_buyer(buyer=buyer, product=product)
        basket_add_negotiated(basket=basket, grant=grant, user=member.user)
        return order_place(
            basket=basket,
            user=member.user,
            shipping_address=shipping_address(),
            shipping_method=PerExhibitorShipping(),
        ).number

    placed, refused, errors = at_once(
        [lambda member=member: add_and_order(member) for member in parties["buyer_members"]]
    )

    assert errors == []
    assert (len(placed), len(refused)) == (1, TIMES - 1)
    wording = {text(r) for r in refused}
    assert wording <= {
        f"Your company has already ordered a sample of '{product.get_title()}'.",
        f"This agreed price has already been used by order {placed[0]}.",
        f"Your company has already ordered a sample of '{product.get_title()}'. "
        "Ask the exhibitor for more samples.",
    }, wording
    assert NegotiatedPrice.objects.filter(buyer=buyer, order__isnull=False).count() == 1
    assert Order.objects.count() == 1
