"""Negotiation test data: a buyer and an exhibitor (with members), products, requests, editions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from buyers.models import SourcingRequest
from exhibitors.models import Membership, Participation, Role

from .buyers import BuyerFactory
from .catalogue import ProductFactory
from .members import MembershipFactory


@dataclass
class Pair:
    """A verified buyer (owner + colleague) and a verified exhibitor (owner + colleague) with a product."""

    buyer_member: Membership
    buyer_colleague: Membership
    exhibitor_member: Membership
    exhibitor_colleague: Membership
    product: object

    @property
    def buyer(self):
        return self.buyer_member.buyer

    @property
    def exhibitor(self):
        return self.exhibitor_member.exhibitor


def make_pair(*, price: Decimal = Decimal("45.00")) -> Pair:
    exhibitor_member = MembershipFactory()
    exhibitor = exhibitor_member.exhibitor
    buyer_member = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    return Pair(
        buyer_member=buyer_member,
        buyer_colleague=MembershipFactory(exhibitor=None, buyer=buyer_member.buyer, role=Role.STAFF),
        exhibitor_member=exhibitor_member,
        exhibitor_colleague=MembershipFactory(exhibitor=exhibitor, role=Role.STAFF),
        product=ProductFactory(exhibitor=exhibitor, price=price),
    )


def exhibitor_member_of(exhibitor, **kwargs) -> Membership:
    return MembershipFactory(exhibitor=exhibitor, role=Role.STAFF, **kwargs)


def sourcing_request(*, buyer, **fields) -> SourcingRequest:
    defaults = {
        "reference": f"RFQ-{SourcingRequest.objects.count() + 1}",
        "title": "辣条 latiao, 500 cartons",
        "quantity": Decimal("500"),
        "unit": "箱",
    }
    return SourcingRequest.objects.create(buyer=buyer, **{**defaults, **fields})


def edition_page(*, year: int, starts_at: datetime, days: int = 3):
    """A live expo edition under the Chinese home page."""
    from expo.models import ExpoEditionPage, HomePage

    home = HomePage.objects.filter(locale__language_code="zh-hans").first()
    page = ExpoEditionPage(
        title=f"Expo {year}",
        slug=f"expo-test-{year}",
        year=year,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=days),
        venue="漯河国际会展中心",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def booth(*, exhibitor, year: int, number: str = "A-1001") -> Participation:
    return Participation.objects.create(exhibitor=exhibitor, edition=year, hall="A", booth=number)


def quarter(days: int = 3, hour: int = 10, minute: int = 0) -> datetime:
    """A local time on the quarter hour ``days`` from now."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))
