"""Each exhibitor sees and fulfils only its own lines of a multi-exhibitor order."""

import pytest
from django.core import mail
from oscar.core.loading import get_model

from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory, UserFactory
from tests.factories.orders import paid_order

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def order_of_two():
    seller_a, seller_b = MembershipFactory(), MembershipFactory()
    # Order lines keep the title in the language the order was placed in (English here).
    ham = ProductFactory(title="火腿肠", title_en="Ham sausage", exhibitor=seller_a.exhibitor)
    noodles = ProductFactory(title="烩面", title_en="Huimian noodles", exhibitor=seller_b.exhibitor)
    buyer = UserFactory()
    order = paid_order(user=buyer, items=[(ham, 10), (noodles, 4)])
    return order, seller_a, seller_b, buyer


def test_each_exhibitor_sees_only_its_lines(client, order_of_two):
    order, seller_a, seller_b, _buyer = order_of_two
    client.force_login(seller_a.user)
    html = client.get(f"/company/orders/{order.number}/").content.decode()
    assert "Ham sausage" in html and "Huimian noodles" not in html
    assert str(order.number) in client.get("/company/orders/").content.decode()
    client.force_login(MembershipFactory().user)
    assert client.get(f"/company/orders/{order.number}/").status_code == 404
    assert str(order.number) not in client.get("/company/orders/").content.decode()


def test_confirm_ship_partially_then_fully_with_tracking(
    client, order_of_two, django_capture_on_commit_callbacks
):
    order, seller_a, _seller_b, buyer = order_of_two
    line = order.lines.get(partner=seller_a.exhibitor.partner)
    url = f"/en/company/orders/{order.number}/"
    client.force_login(seller_a.user)
    # shipping before confirming is refused
    response = client.post(
        url, {"action": "ship", f"quantity-{line.pk}": "4", "tracking": "SF1"}, follow=True
    )
    assert "before shipping" in response.content.decode()
    client.post(url, {"action": "confirm", "line": [line.pk]})
    line.refresh_from_db()
    assert line.status == "Confirmed"
    response = client.post(url, {"action": "ship", f"quantity-{line.pk}": "4", "tracking": ""}, follow=True)
    assert "tracking number" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "ship", f"quantity-{line.pk}": "4", "tracking": "SF1001"})
    line.refresh_from_db()
    order.refresh_from_db()
    assert line.status == "Confirmed" and order.status == "Partially shipped"
    assert "SF1001" in mail.outbox[-1].body and buyer.email in mail.outbox[-1].to
    response = client.post(
        url, {"action": "ship", f"quantity-{line.pk}": "7", "tracking": "SF1002"}, follow=True
    )
    assert "More units than were ordered" in response.content.decode()
    client.post(url, {"action": "ship", f"quantity-{line.pk}": "6", "tracking": "SF1002"})
    line.refresh_from_db()
    assert line.status == "Shipped"
    html = client.get(url).content.decode()
    assert "SF1001" in html and "SF1002" in html


def test_lines_of_another_exhibitor_cannot_be_touched(client, order_of_two):
    order, seller_a, seller_b, _buyer = order_of_two
    other_line = order.lines.get(partner=seller_b.exhibitor.partner)
    client.force_login(seller_a.user)
    client.post(f"/company/orders/{order.number}/", {"action": "confirm", "line": [other_line.pk]})
    other_line.refresh_from_db()
    assert other_line.status == "Paid"


def test_packing_list_lists_own_lines(client, order_of_two):
    order, seller_a, _seller_b, _buyer = order_of_two
    client.force_login(seller_a.user)
    html = client.get(f"/company/orders/{order.number}/packing-list/").content.decode()
    assert "Ham sausage" in html and "Huimian noodles" not in html and "window.print()" in html


def test_buyer_sees_the_whole_order_with_status_per_exhibitor(client, order_of_two):
    order, seller_a, _seller_b, buyer = order_of_two
    line = order.lines.get(partner=seller_a.exhibitor.partner)
    line.set_status("Confirmed")
    client.force_login(buyer)
    html = client.get(f"/en/accounts/orders/{order.number}/").content.decode()
    assert "Ham sausage" in html and "Huimian noodles" in html
    assert 'data-line-status="Confirmed"' in html and 'data-line-status="Paid"' in html


def test_the_exhibitor_confirms_its_own_transfer_and_refunds_its_lines(client):
    from exhibitors.models import Role
    from payments.models import Refund
    from payments.services import bank_transfer_create
    from tests.checkout.support import make_buyer, make_product, place

    seller = MembershipFactory()
    staff_member = MembershipFactory(exhibitor=seller.exhibitor, role=Role.STAFF)
    ham = make_product(stock=50, exhibitor=seller.exhibitor)
    noodles = make_product(stock=50, exhibitor=seller.exhibitor)
    buyer = make_buyer()
    order = place(user=buyer, items=[(ham, 3), (noodles, 2)])
    bank_transfer_create(order=order)
    url = f"/en/company/orders/{order.number}/"
    client.force_login(seller.user)
    assert "data-transfer" in client.get(url).content.decode()
    client.post(url, {"action": "confirm_transfer"})
    order.refresh_from_db()
    assert order.status == "Paid"
    ham_line = order.lines.get(product=ham)
    # A staff member of the exhibitor cannot refund; an owner can, for the chosen line only.
    client.force_login(staff_member.user)
    response = client.post(url, {"action": "refund", "line": [ham_line.pk]}, follow=True)
    assert "Only an owner" in response.content.decode()
    assert not Refund.objects.exists()
    client.force_login(seller.user)
    response = client.post(url, {"action": "refund", "line": [ham_line.pk], "reason": "damaged"}, follow=True)
    assert "Refund of 135.00" in response.content.decode()
    ham_line.refresh_from_db()
    order.refresh_from_db()
    assert ham_line.status == "Refunded" and order.status == "Partially refunded"
    assert order.lines.get(product=noodles).status == "Paid"
    # Refunding it again is refused with a message.
    response = client.post(url, {"action": "refund", "line": [ham_line.pk]}, follow=True)
    assert "already been refunded" in response.content.decode()
    assert Refund.objects.count() == 1


def test_an_order_shared_with_another_exhibitor_is_confirmed_by_staff_only(client):
    from payments.services import bank_transfer_create
    from tests.checkout.support import make_buyer, make_product, place

    seller_a, seller_b = MembershipFactory(), MembershipFactory()
    order = place(
        user=make_buyer(),
        items=[
            (make_product(stock=5, exhibitor=seller_a.exhibitor), 1),
            (make_product(stock=5, exhibitor=seller_b.exhibitor), 1),
        ],
    )
    bank_transfer_create(order=order)
    client.force_login(seller_a.user)
    url = f"/en/company/orders/{order.number}/"
    assert "data-transfer" not in client.get(url).content.decode()
    response = client.post(url, {"action": "confirm_transfer"}, follow=True)
    assert "staff confirm its transfer" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "Awaiting bank transfer"
