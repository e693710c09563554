"""Agreed prices (samples, accepted quotes): one buyer company, exact quantity, used by one order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_model

from checkout.services import BasketNotSellable
from exhibitors.models import Membership
from partner.models import NegotiatedPrice
from partner.services import basket_add_negotiated, negotiated_price_grant, sample_grant_for_buyer
from partner.signals import negotiated_price_ordered
from tests.checkout.support import make_basket_again, make_buyer, make_product, order_place, shipping_address
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
PerExhibitorShipping = __import__("shipping.methods", fromlist=["PerExhibitorShipping"]).PerExhibitorShipping


def buyer_company(user):
    return Membership.objects.get(user=user).buyer


def basket_of(user):
    basket = Basket.objects.create(owner=user)
    return make_basket_again(basket, user)


def place_basket(basket, user):
    return order_place(
        basket=make_basket_again(basket, user),
        user=user,
        shipping_address=shipping_address(),
        shipping_method=PerExhibitorShipping(),
    )


def sample_product(**kwargs):
    product = make_product(**kwargs)
    product.sample_available = True
    product.sample_price = Decimal("8.50")
    product.moq = 100
    product.save()
    return product


def test_a_sample_is_one_unit_at_the_sample_price_below_the_moq_and_once_per_company(
    django_capture_on_commit_callbacks,
):
    user = make_buyer()
    product = sample_product(stock=50)
    grant = sample_grant_for_buyer(buyer=buyer_company(user), product=product)
    basket = basket_of(user)
    line = basket_add_negotiated(basket=basket, grant=grant, user=user)
    basket = make_basket_again(basket, user)
    line = basket.all_lines()[0]
    assert line.quantity == 1 and line.is_sample
    assert line.unit_price_excl_tax == Decimal("8.50")
    assert line.purchase_info.availability.is_purchase_permitted(1) == (True, "")
    allowed, message = line.purchase_info.availability.is_purchase_permitted(5)
    assert not allowed and "exactly 1" in message

    received = []

    def receiver(sender, grant, order, **kwargs):
        received.append((grant.pk, order.pk))

    negotiated_price_ordered.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order = place_basket(basket, user)
    finally:
        negotiated_price_ordered.disconnect(receiver)
    assert order.lines.get().line_price_excl_tax == Decimal("8.50")
    grant.refresh_from_db()
    assert grant.order_number == order.number and received == [(grant.pk, order.pk)]
    # A colleague of the same company cannot order a second sample of the product.
    colleague = UserFactory()
    Membership.objects.create(user=colleague, buyer=buyer_company(user))
    with pytest.raises(ValidationError, match="already ordered a sample"):
        sample_grant_for_buyer(buyer=buyer_company(user), product=product)


def test_two_baskets_of_one_company_cannot_both_order_the_sample():
    user = make_buyer()
    product = sample_product(stock=50)
    company = buyer_company(user)
    first = negotiated_price_grant(
        buyer=company,
        product=product,
        unit_price=Decimal("8.50"),
        quantity=1,
        kind="sample",
        valid_until=None,
        reference="S1",
        self_service=True,
    )
    second = negotiated_price_grant(
        buyer=company,
        product=product,
        unit_price=Decimal("8.50"),
        quantity=1,
        kind="sample",
        valid_until=None,
        reference="S2",
        self_service=True,
    )
    basket_a, basket_b = basket_of(user), basket_of(user)
    basket_add_negotiated(basket=basket_a, grant=first, user=user)
    basket_add_negotiated(basket=basket_b, grant=second, user=user)
    place_basket(basket_a, user)
    with pytest.raises(BasketNotSellable, match="already ordered a sample"):
        place_basket(basket_b, user)
    assert NegotiatedPrice.objects.filter(order__isnull=False).count() == 1


def test_an_accepted_quote_is_for_its_buyer_only_and_used_once():
    user = make_buyer()
    product = make_product(stock=1000, price="45.00")
    grant = negotiated_price_grant(
        buyer=buyer_company(user),
        product=product,
        unit_price=Decimal("39.90"),
        quantity=300,
        kind="quote",
        valid_until=timezone.localdate() + timedelta(days=10),
        reference="Q-7",
    )
    stranger = make_buyer()
    with pytest.raises(ValidationError, match="another company"):
        basket_add_negotiated(basket=basket_of(stranger), grant=grant, user=stranger)
    basket = basket_of(user)
    basket_add_negotiated(basket=basket, grant=grant, user=user)
    basket_add_negotiated(basket=basket, grant=grant, user=user)  # a second click keeps one line
    order = place_basket(basket, user)
    line = order.lines.get()
    assert (line.quantity, line.unit_price_excl_tax) == (300, Decimal("39.90"))
    grant.refresh_from_db()
    with pytest.raises(ValidationError, match="already been used"):
        basket_add_negotiated(basket=basket_of(user), grant=grant, user=user)


def test_an_expired_quote_cannot_be_added_or_ordered():
    user = make_buyer()
    product = make_product(stock=1000)
    grant = negotiated_price_grant(
        buyer=buyer_company(user),
        product=product,
        unit_price=Decimal("40"),
        quantity=10,
        kind="quote",
        valid_until=timezone.localdate() + timedelta(days=1),
        reference="Q-8",
    )
    basket = basket_of(user)
    basket_add_negotiated(basket=basket, grant=grant, user=user)
    NegotiatedPrice.objects.filter(pk=grant.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(BasketNotSellable, match="expired"):
        place_basket(basket, user)
    grant.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        basket_add_negotiated(basket=basket_of(user), grant=grant, user=user)


def test_bad_grants_are_refused():
    user = make_buyer()
    product = make_product()
    for quantity, price in ((0, "1"), (2, "-1")):
        with pytest.raises(ValidationError):
            negotiated_price_grant(
                buyer=buyer_company(user),
                product=product,
                unit_price=Decimal(price),
                quantity=quantity,
                kind="quote",
                valid_until=None,
                reference="x",
            )
    with pytest.raises(ValidationError, match="no samples"):
        sample_grant_for_buyer(buyer=buyer_company(user), product=product)


def test_sample_button_on_the_product_page_and_basket_flags(client):
    user = make_buyer()
    product = sample_product(stock=50, storage="frozen")
    client.force_login(user)
    url = product.get_absolute_url()
    assert url.startswith("/en/")
    page = client.get(url)
    html = page.content.decode()
    assert "Order one sample" in html and "8.50" in html
    response = client.post(f"/en/basket/sample/{product.pk}/", follow=True)
    html = response.content.decode()
    assert "A sample of" in html
    assert "data-cold-chain" in html and "data-agreed" in html and "readonly" in html
    # Changing the agreed quantity is refused with a message; the line keeps one unit.
    again = client.post(f"/en/basket/sample/{product.pk}/", follow=True)
    assert again.status_code == 200
    assert NegotiatedPrice.objects.filter(product=product).count() == 1


def test_sample_for_a_visitor_or_an_exhibitor_is_refused(client):
    product = sample_product(stock=50)
    response = client.post(f"/en/basket/sample/{product.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]
    from tests.factories.members import MembershipFactory

    client.force_login(MembershipFactory().user)
    response = client.post(f"/en/basket/sample/{product.pk}/", follow=True)
    assert "Only members of a verified buyer company" in response.content.decode()
    assert not NegotiatedPrice.objects.exists()


def test_a_get_of_the_agreed_price_link_never_changes_the_basket(client):
    user = make_buyer()
    grant = negotiated_price_grant(
        buyer=buyer_company(user),
        product=make_product(stock=1000, price="45.00"),
        unit_price=Decimal("39.90"),
        quantity=300,
        kind="quote",
        valid_until=timezone.localdate() + timedelta(days=10),
        reference="Q-8",
    )
    Line = get_model("basket", "Line")
    client.force_login(user)
    shown = client.get(f"/en/basket/agreed/{grant.pk}/")
    assert shown.status_code == 200 and 'id="add-agreed"' in shown.content.decode()
    assert not Line.objects.filter(negotiated=grant).exists()
    assert client.post(f"/en/basket/agreed/{grant.pk}/")["Location"].endswith("/basket/")
    assert Line.objects.filter(negotiated=grant).count() == 1

    client.force_login(make_buyer())
    assert client.get(f"/en/basket/agreed/{grant.pk}/").status_code == 404
