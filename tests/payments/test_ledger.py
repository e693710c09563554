"""Exhibitors' refund requests above the approval amount wait for staff; each exhibitor's ledger
shows what was collected for its goods, refunded, held and owed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from payments.models import Refund
from payments.services import bank_transfer_confirm, bank_transfer_create, refund_create
from tests.checkout.support import make_buyer, make_product, place
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
Line = get_model("order", "Line")


@pytest.fixture
def owner():
    return MembershipFactory()


@pytest.fixture
def paid_order(owner, staff_user, settings):
    """By bank transfer: 30 × 45.00 of the owner's goods, 1 × 30.00 of another exhibitor's."""
    settings.STRIPE_SECRET_KEY = ""
    settings.EXPO_REFUND_APPROVAL_ABOVE = Decimal("1000")
    product = make_product(stock=100, price="45.00", exhibitor=owner.exhibitor)
    other = make_product(stock=10, price="30.00")
    order = place(user=make_buyer(email="ledger-buyer@example.com"), items=[(product, 30), (other, 1)])
    bank_transfer_create(order=order)
    bank_transfer_confirm(order=order, by=staff_user)
    return order


def own_line(order, owner):
    return Line.objects.get(order=order, partner=owner.exhibitor.partner)


def test_a_request_above_the_amount_waits_and_staff_approve_it_once(client, owner, paid_order, staff_user):
    partner = owner.exhibitor.partner
    refund = refund_create(
        order=paid_order, lines=[own_line(paid_order, owner)], by=owner.user, partner=partner
    )
    assert (refund.amount, refund.status) == (Decimal("1350.00"), "awaiting_approval")
    small = refund_create(order=paid_order, amount=Decimal("20.00"), by=owner.user, partner=partner)
    assert small.status == "succeeded"  # at or below the amount: no approval

    client.force_login(staff_user)
    listing = client.get("/payments/staff/").content.decode()
    assert f'data-refund="{refund.pk}"' in listing and f'data-refund="{small.pk}"' not in listing
    for _ in range(2):  # a double click approves once
        response = client.post(f"/payments/staff/refunds/{refund.pk}/decide/", {"decision": "approve"})
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.decided_by == staff_user
    assert response.status_code == 404  # no longer awaiting
    assert Refund.objects.filter(order=paid_order).count() == 2


def test_staff_reject_only_with_a_reason_and_the_exhibitor_sees_it(client, owner, paid_order, staff_user):
    partner = owner.exhibitor.partner
    refund = refund_create(
        order=paid_order, lines=[own_line(paid_order, owner)], by=owner.user, partner=partner
    )
    client.force_login(staff_user)
    client.post(f"/payments/staff/refunds/{refund.pk}/decide/", {"decision": "reject", "reason": " "})
    refund.refresh_from_db()
    assert refund.status == "awaiting_approval"
    client.post(f"/payments/staff/refunds/{refund.pk}/decide/", {"decision": "reject", "reason": "货已签收"})
    refund.refresh_from_db()
    assert refund.status == "rejected"

    client.force_login(owner.user)
    page = client.get("/payments/ledger/").content.decode()
    assert "货已签收" in page and 'data-status="rejected"' in page
    assert 'data-refunded="0.00"' in page and 'data-owed="1350.00"' in page


def test_the_ledger_counts_collected_refunded_held_and_owed(client, owner, paid_order, staff_user):
    partner = owner.exhibitor.partner
    refund_create(order=paid_order, amount=Decimal("100.00"), by=owner.user, partner=partner)
    held = refund_create(order=paid_order, amount=Decimal("1200.00"), by=owner.user, partner=partner)
    assert held.status == "awaiting_approval"
    client.force_login(owner.user)
    page = client.get("/payments/ledger/").content.decode()
    # 30 × 45.00 collected; 100.00 refunded; 1200.00 waiting for staff; 50.00 owed.
    for fragment in (
        'data-collected="1350.00"',
        'data-refunded="100.00"',
        'data-held="1200.00"',
        'data-owed="50.00"',
    ):
        assert fragment in page, page[page.find("data-ledger-totals") :][:900]
    assert f'data-order="{paid_order.number}"' in page
    assert "Payouts and refunds" in client.get("/en/company/").content.decode()


def test_the_ledger_belongs_to_its_exhibitor_only(client, owner, paid_order, staff_user):
    partner = owner.exhibitor.partner
    refund_create(order=paid_order, amount=Decimal("100.00"), by=owner.user, partner=partner)
    assert client.get("/payments/ledger/").status_code == 302  # visitors log in first

    stranger = MembershipFactory()
    client.force_login(stranger.user)
    page = client.get("/payments/ledger/").content.decode()
    assert paid_order.number not in page and "1350.00" not in page

    client.force_login(owner.user)
    assert client.post(f"/payments/staff/refunds/{1}/decide/", {"decision": "approve"}).status_code == 403


def test_the_ledger_reads_in_four_queries_however_many_orders(owner, paid_order, django_assert_num_queries):
    from payments.selectors import exhibitor_ledger

    partner = owner.exhibitor.partner
    refund_create(order=paid_order, amount=Decimal("10.00"), by=owner.user, partner=partner)
    with django_assert_num_queries(4):
        totals, entries, refunds = exhibitor_ledger(partner_id=partner.pk)
    assert len(entries) == 1 and len(refunds) == 1 and totals[0].owed == Decimal("1340.00")
