"""A member of company A reaches nothing private of company B through the JSON API.

Every route under ``/api/`` is read from the URLconf, so a new one is walked too; a route the
walk does not know (how to fill its URL arguments with B's objects, or that it is public)
fails the test until it is added below.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.permissions import IsAdminUser

from buyers.models import SourcingRequest
from exhibitors.models import Certificate, Invitation, Participation, Role
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory, UserFactory
from tests.factories.negotiation import edition_page, sourcing_request
from tests.factories.orders import paid_order

from .test_permissions import negotiation_between

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")
SECRETS = (
    "SECRET-B-CERT",
    "SECRET-B-BOOTH",
    "SECRET-B-HIDDEN",
    "staff-b@example.com",
    "invitee-b@example.com",
    "secret-b@example.com",
    "+86 395 000 0000",
    "SECRET-B-INQUIRY",
    "SECRET-B-SAMPLE",
    "SECRET-B-QUOTE",
    "SECRET-B-MEETING",
    "SECRET-B-REQUEST",
)

# Routes without URL arguments, each public: members and visitors read the same public fields
# (``api-v1-me``: the member's own account and companies).
PUBLIC = {
    "api-root",
    "api-schema",
    "api-docs",
    "api-categories",
    "api-products",
    "api-exhibitors",
    "api-v1-categories",
    "api-v1-products",
    "api-v1-exhibitors",
    "api-v1-me",
}
# Token routes take only POST with credentials: a GET is refused, writes with a foreign token change
# nothing (a log-out of a token that is not valid is a log-out all the same: 204).
POST_ONLY = {"api-v1-register", "api-v1-login", "api-v1-refresh", "api-v1-logout"}
# Public reads with URL arguments: B's public product reads 200 without B's secrets, B's hidden
# product is a 404 for A.
PUBLIC_WITH_ARGS = {
    "api-v1-product": lambda b: ([{"pk": b["product"].pk}], [{"pk": b["hidden"].pk}]),
    # B's booth is withdrawn: the published edition lists none of it; an unpublished one is a 404
    "api-v1-edition-booths": lambda b: ([{"year": b["edition"].year}], [{"year": 1999}]),
}


def match_subjects(b: dict, a_key: str) -> list[dict]:
    return [
        {"kind": "exhibitor", "key": b["exhibitor"].key},
        {"kind": "buyer", "key": b["buyer"].key},
        {"kind": "request", "key": f"{b['buyer'].key}/{b['own_request'].reference}"},
        {"kind": "request", "key": f"{b['request'].buyer.key}/{b['request'].reference}"},
    ]


# ``/api/v1/`` company routes without URL arguments: they read and write the acting company's own
# rows only. A's GET is 200 (its own, empty list), or 403/404/405 (a route of the other side, or
# write-only); A's writes may make A's own rows (any 2xx/4xx) but never 5xx, nor touch B's rows.
MEMBER_OWN = {
    "api-v1-threads",
    "api-v1-inquiries",
    "api-v1-unread",
    "api-v1-samples",
    "api-v1-quotes",
    "api-v1-meetings",
    "api-v1-sourcing-requests",
    "api-v1-matches",
    "api-v1-notifications",
    "api-v1-notifications-read",
    "api-v1-push-key",
    "api-v1-push-subscriptions",
}
# ``/api/v1/`` company routes with B's ids (the objects of B's negotiations): 404 to A for every
# method they take (403 when the route is the other side's, whatever the id), 405 for the others.
SAMPLE_ACTIONS = ("accept", "decline", "ship", "feedback", "receipt", "cancel")
MEETING_ACTIONS = ("accept", "propose", "decline", "accept-proposal", "cancel")
MEMBER_WITH_ARGS = {
    "api-v1-thread": lambda b: [{"pk": b["thread"].pk}],
    "api-v1-thread-messages": lambda b: [{"pk": b["thread"].pk}],
    "api-v1-sourcing-request-close": lambda b: [{"pk": b["own_request"].pk}, {"pk": b["request"].pk}],
    **{f"api-v1-sample-{name}": (lambda b: [{"pk": b["sample"].pk}]) for name in SAMPLE_ACTIONS},
    **{f"api-v1-quote-{name}": (lambda b: [{"pk": b["quote"].pk}]) for name in ("accept", "withdraw")},
    **{f"api-v1-meeting-{name}": (lambda b: [{"pk": b["meeting"].pk}]) for name in MEETING_ACTIONS},
}

# Routes without URL arguments that read and write only the acting company's own rows (its basket,
# checkout, orders, order lines): a read answers 200, or 403 when the acting company is not of the
# kind the route serves; a write (e.g. B's public product into A's own basket) never reaches B's rows.
OWN = {"api-v1-basket", "api-v1-basket-lines", "api-v1-checkout", "api-v1-orders", "api-v1-order-lines"}


def b_basket_line(b: dict) -> int:
    from basket.services import basket_open_for

    basket = basket_open_for(user=b["owner"].user)
    line, _created = basket.add_product(b["product"], 1)
    return line.pk


# Routes whose URL names B's rows (B's basket line, B's order): every method is a 404 for A (405
# for a method the route does not take).
FOREIGN_IDS = {
    "api-v1-basket-line": lambda b: [{"pk": b_basket_line(b)}],
    "api-v1-order": lambda b: [{"number": b["order"].number}],
    "api-v1-order-payment-confirm": lambda b: [{"number": b["order"].number}],
    "api-v1-order-confirm": lambda b: [{"number": b["order"].number}],
    "api-v1-order-ship": lambda b: [{"number": b["order"].number}],
    "api-v1-order-deliver": lambda b: [{"number": b["order"].number}],
}

# Catch-alls, walked with an address no endpoint takes: a JSON 404 for every method.
CATCH_ALL = {"api-not-found": "/api/no-such-endpoint/"}

# How to fill each route's URL arguments with B's objects (B's own and those of B's negotiations).
KWARGS = {
    "api-match": match_subjects,
    # staff review: B's own companies, which a member of A may neither read nor review
    "api-v1-staff-companies": lambda b, a_key: [{"side": "exhibitor"}, {"side": "buyer"}],
    "api-v1-staff-company": lambda b, a_key: [
        {"side": "exhibitor", "key": b["exhibitor"].key},
        {"side": "buyer", "key": b["buyer"].key},
    ],
}


def api_routes(resolver=None, prefix: str = ""):
    """(name, route, view class) of every URL pattern below ``api/``."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("api/") or "api/".startswith(route):
                yield from api_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            yield pattern.name, route, getattr(pattern.callback, "view_class", None)


def fill(route: str, kwargs: dict) -> str:
    url = "/" + route
    for name, value in kwargs.items():
        for converter in ("str", "path", "int", "slug"):
            url = url.replace(f"<{converter}:{name}>", str(value))
    assert "<" not in url, (route, kwargs)
    return url


@pytest.fixture
def company_b():
    owner = MembershipFactory(user__email="owner-b@example.com")
    exhibitor = owner.exhibitor
    exhibitor.contact_phone, exhibitor.contact_email = "+86 395 000 0000", "secret-b@example.com"
    exhibitor.save()
    buyer = BuyerFactory(key=exhibitor.key, name_zh="乙公司采购")  # B also buys, under the same key
    MembershipFactory(user=owner.user, exhibitor=None, buyer=buyer)
    product = ProductFactory(exhibitor=exhibitor, title="B 的商品")
    objects = {
        "owner": owner,
        "exhibitor": exhibitor,
        "buyer": buyer,
        "product": product,
        "hidden": ProductFactory(exhibitor=exhibitor, title="SECRET-B-HIDDEN 新品", is_public=False),
        "member": MembershipFactory(exhibitor=exhibitor, role=Role.STAFF, user__email="staff-b@example.com"),
        "certificate": Certificate.objects.create(exhibitor=exhibitor, code="HALAL", number="SECRET-B-CERT"),
        "participation": Participation.objects.create(
            exhibitor=exhibitor, edition=2026, booth="SECRET-B-BOOTH", withdrawn=True
        ),
        "edition": edition_page(year=2026, starts_at=timezone.now()),
        "invitation": Invitation.objects.create(
            exhibitor=exhibitor, email="invitee-b@example.com", token="b-api-token"
        ),
        "own_request": sourcing_request(buyer=buyer, description="SECRET-B-REQUEST"),
        "order": paid_order(user=UserFactory(), items=[(product, 1)]),
    }
    objects.update(negotiation_between(exhibitor_member=owner, product=product))
    return objects


def b_product_pk(b: dict) -> int:
    return b["product"].pk


def rows_of(objects: dict) -> dict:
    """Every row of B's objects as stored, to compare before and after the walk."""
    return {
        name: list(type(obj)._default_manager.filter(pk=obj.pk).values())
        for name, obj in objects.items()
        if hasattr(obj, "pk")
    }


@pytest.mark.parametrize("member_side", ["exhibitor", "buyer"])
def test_member_of_a_reaches_nothing_private_of_b_through_the_api(client, company_b, member_side):
    if member_side == "exhibitor":
        member_a = MembershipFactory()
        a_key = member_a.exhibitor.key
    else:
        member_a = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
        a_key = member_a.buyer.key
    staff = UserFactory(is_staff=True)  # staff who review companies in the admin
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_exhibitor", "change_buyer"]))
    before = rows_of(company_b)
    routes = list(api_routes())
    assert len(routes) >= 7
    walked = []
    for name, route, view in routes:
        admin_only = view is not None and IsAdminUser in getattr(view, "permission_classes", [])
        if name in CATCH_ALL:
            client.force_login(member_a.user)
            url = CATCH_ALL[name]
            for method in ("get", *WRITES):
                response = getattr(client, method)(url, {}, content_type="application/json")
                assert response.status_code == 404 and response["Content-Type"].startswith(
                    "application/json"
                ), (url, method, response.status_code)
            walked.append((name, url))
            continue
        if name in POST_ONLY:
            client.force_login(member_a.user)
            url = "/" + route
            assert client.get(url).status_code == 405, url
            for method in WRITES:
                response = getattr(client, method)(url, {"refresh": "B"}, content_type="application/json")
                assert response.status_code in (204, 400, 401, 405, 429), (url, method, response.status_code)
            walked.append((name, url))
            continue
        if name in OWN:
            client.force_login(member_a.user)
            url = "/" + route
            assert client.get(url).status_code in (200, 403, 405), url
            for method in WRITES:
                response = getattr(client, method)(
                    url, {"product": b_product_pk(company_b), "quantity": 1}, content_type="application/json"
                )
                assert response.status_code < 500, (url, method, response.status_code)
            walked.append((name, url))
            continue
        if name in FOREIGN_IDS:
            client.force_login(member_a.user)
            for kwargs in FOREIGN_IDS[name](company_b):
                url = fill(route, kwargs)
                for method in ("get", *WRITES):
                    response = getattr(client, method)(
                        url, {"lines": [1], "quantity": 1}, content_type="application/json"
                    )
                    # (422/403: the acting company is not of the kind the route serves, asked before any id)
                    assert response.status_code in (403, 404, 405, 422), (url, method, response.status_code)
                    body = response.content.decode()
                    assert not any(secret in body for secret in SECRETS), url
                walked.append((name, url))
            continue
        if name in PUBLIC_WITH_ARGS:
            client.force_login(member_a.user)
            public, private = PUBLIC_WITH_ARGS[name](company_b)
            for kwargs in public:
                response = client.get(fill(route, kwargs))
                assert response.status_code == 200, (route, kwargs)
                assert not any(secret in response.content.decode() for secret in SECRETS), route
            for kwargs in private:
                assert client.get(fill(route, kwargs)).status_code == 404, (route, kwargs)
            for kwargs in public:
                for method in WRITES:
                    assert getattr(client, method)(fill(route, kwargs), {}).status_code == 405
            walked.append((name, route))
            continue
        if name in MEMBER_OWN:
            client.force_login(member_a.user)
            url = "/" + route
            response = client.get(url)
            assert response.status_code in (200, 403, 404, 405), (url, response.status_code)
            assert not any(secret in response.content.decode() for secret in SECRETS), url
            for method in WRITES:
                response = getattr(client, method)(
                    url, {"status": "closed", "title": "A was here"}, content_type="application/json"
                )
                assert response.status_code < 500, (url, method, response.status_code)
                assert not any(secret in response.content.decode() for secret in SECRETS), (url, method)
            walked.append((name, url))
            continue
        if name in MEMBER_WITH_ARGS:
            client.force_login(member_a.user)
            for kwargs in MEMBER_WITH_ARGS[name](company_b):
                url = fill(route, kwargs)
                for method in ("get", *WRITES):
                    response = getattr(client, method)(
                        url, {"body": "A was here", "reason": "A"}, content_type="application/json"
                    )
                    allowed = view is not None and hasattr(view, method)
                    # 403: a route of the other side, refused whatever the id (so it reveals nothing)
                    expected = (403, 404) if allowed else (405,)
                    assert response.status_code in expected, (url, method, response.status_code)
                walked.append((name, url))
            continue
        if "<" in route:
            assert name in KWARGS, f"the API walk does not know how to fill {route} ({name}): add it"
            urls = [fill(route, kwargs) for kwargs in KWARGS[name](company_b, a_key)]
            for url in urls:  # each URL names something real: its owner or staff read it
                client.force_login(staff)
                assert client.get(url).status_code == 200, url
        else:
            assert name in PUBLIC or admin_only, (
                f"the API walk does not know whether {route} is public: add it"
            )
            urls = ["/" + route]
        client.force_login(member_a.user)
        for url in urls:
            response = client.get(url)
            if "<" in route or admin_only:
                assert response.status_code in (403, 404), (url, response.status_code)
            else:
                assert response.status_code == 200, (url, response.status_code)
            body = response.content.decode()
            for secret in SECRETS:
                assert secret not in body, (url, secret)
            for method in WRITES:
                response = getattr(client, method)(
                    url, {"status": "closed", "title": "A was here"}, content_type="application/json"
                )
                allowed = view is not None and hasattr(view, method)
                # (a staff-only route refuses a member before it looks at the method: 403)
                refused = (403, 404, 405) if allowed else ((403, 405) if admin_only else (405,))
                assert response.status_code in refused, (
                    url,
                    method,
                    response.status_code,
                )
            walked.append((name, url))
    assert {name for name, _url in walked} == {name for name, _r, _v in routes}
    assert len(walked) * (1 + len(WRITES)) >= 50
    assert rows_of(company_b) == before
    assert SourcingRequest.objects.get(pk=company_b["own_request"].pk).status == "open"


def test_the_public_search_shows_b_but_only_its_public_fields(client, company_b):
    """The walk's search answers are not empty: B's listed product and company are in them."""
    client.force_login(MembershipFactory().user)
    products = client.get("/api/products/?lang=zh-hans").content.decode()
    assert "B 的商品" in products and "SECRET-B-HIDDEN" not in products
    assert company_b["exhibitor"].key in client.get("/api/exhibitors/").content.decode()


@pytest.mark.parametrize("side", ["exhibitor", "buyer"])
def test_a_member_reads_the_matches_of_its_own_company_without_b_secrets(client, company_b, side):
    member = (
        MembershipFactory()
        if side == "exhibitor"
        else MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    )
    company = member.exhibitor if side == "exhibitor" else member.buyer
    client.force_login(member.user)
    response = client.get(f"/api/match/{side}/{company.key}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert all(secret not in body for secret in SECRETS)
