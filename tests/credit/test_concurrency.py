"""Ten members of one buyer company rating one delivered line at once rate it once; ten members
of the exhibitor answering one review at once answer it once.

PostgreSQL row locks only (SQLite has none to test). Every thread has its own connection and
all are released together by one barrier; every refusal must be the service's own worded error.
"""

from __future__ import annotations

import pytest

from credit import services
from credit.models import Review
from exhibitors.models import Role
from tests.concurrency import at_once
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory

from .support import delivered_order, scores

TIMES = 10


@pytest.fixture
def baseline():
    """Transactional tests flush the database after them; the next one puts the baseline back."""
    from expo.baseline import ensure_baseline

    ensure_baseline()


@pytest.fixture
def parties(baseline):
    exhibitor_owner = MembershipFactory()
    buyer = BuyerFactory()
    buyer_members = [MembershipFactory(exhibitor=None, buyer=buyer, role=Role.OWNER)] + [
        MembershipFactory(exhibitor=None, buyer=buyer, role=Role.STAFF) for _ in range(TIMES - 1)
    ]
    product = ProductFactory(exhibitor=exhibitor_owner.exhibitor)
    order = delivered_order(buyer_member=buyer_members[0], items=[(product, 10)])
    return {
        "exhibitor_members": [exhibitor_owner]
        + [MembershipFactory(exhibitor=exhibitor_owner.exhibitor, role=Role.STAFF) for _ in range(TIMES - 1)],
        "buyer_members": buyer_members,
        "line": order.lines.get(),
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_members_rating_one_line_at_once_rate_it_once(parties):
    line = parties["line"]

    created, refused, errors = at_once(
        [
            lambda member=member, n=n: services.review_create(
                membership=member, line=line, **scores(quality=1 + n % 5, comment=f"member {n}")
            )
            for n, member in enumerate(parties["buyer_members"])
        ]
    )

    assert errors == []
    assert (len(created), len(refused)) == (1, TIMES - 1)
    assert {" ".join(r.messages) for r in refused} == {
        "Your company has already rated this order line; each line is rated once."
    }
    assert list(Review.objects.values_list("pk", flat=True)) == [created[0].pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_exhibitor_members_answering_one_review_at_once_answer_it_once(parties):
    review = services.review_create(membership=parties["buyer_members"][0], line=parties["line"], **scores())

    answered, refused, errors = at_once(
        [
            lambda member=member, n=n: services.review_answer(
                membership=member, review=review, answer=f"answer {n}"
            )
            for n, member in enumerate(parties["exhibitor_members"])
        ]
    )

    assert errors == []
    assert (len(answered), len(refused)) == (1, TIMES - 1)
    assert {" ".join(r.messages) for r in refused} == {
        "This review has already been answered; it can be answered once."
    }
    review.refresh_from_db()
    assert review.answer == answered[0].answer
