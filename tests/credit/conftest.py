import pytest

from exhibitors.models import Role
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory


@pytest.fixture
def seller():
    """An owner of a verified exhibitor with one product in stock."""
    return MembershipFactory()


@pytest.fixture
def product(seller):
    return ProductFactory(exhibitor=seller.exhibitor, title="火腿肠", title_en="Ham sausage")


@pytest.fixture
def buyer_member():
    return MembershipFactory(exhibitor=None, buyer=BuyerFactory(), role=Role.OWNER)


@pytest.fixture
def colleague(buyer_member):
    return MembershipFactory(exhibitor=None, buyer=buyer_member.buyer, role=Role.STAFF)
