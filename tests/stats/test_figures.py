"""Every figure of the dashboard against small hand-counted data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from buyers.models import Buyer
from credit.models import Review
from exhibitors.models import CompanyStatus, Participation
from negotiation.models import Quote, QuoteStatus
from stats.models import MatchShown, SearchLog
from stats.selectors import (
    Period,
    company_figures,
    deal_figures,
    match_figures,
    median_first_answer_hours,
    negotiation_figures,
    order_figures,
    product_figures,
    review_figures,
    search_figures,
)
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import UserFactory
from tests.factories.negotiation import make_pair, sourcing_request
from tests.factories.orders import paid_order

from .support import Category, at, inquiry, root_of, set_created

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


def by_value(rows, *fields):
    return {row["value"]: tuple(row[f] for f in fields) for row in rows}


@pytest.fixture
def companies():
    """Exhibitors: 河南 ×2 (one pending), 山东, a Thai one; buyers: 河南, 广东 (pending), a Japanese one."""
    snacks, meat = Category.objects.get(slug="snacks-latiao"), Category.objects.get(slug="meat-cured")
    henan_a = ExhibitorFactory(province="河南")
    henan_b = ExhibitorFactory(province="河南", status=CompanyStatus.PENDING)
    shandong = ExhibitorFactory(province="山东")
    thai = ExhibitorFactory(country="TH", province="")
    henan_a.categories.add(snacks, meat)
    henan_b.categories.add(snacks)
    shandong.categories.add(meat)
    for exhibitor in (henan_a, shandong):
        Participation.objects.create(exhibitor=exhibitor, edition=2026)
    Participation.objects.create(exhibitor=thai, edition=2026, withdrawn=True)
    Participation.objects.create(exhibitor=henan_b, edition=2025)
    buyers = [
        BuyerFactory(province="河南"),
        BuyerFactory(province="广东", status=CompanyStatus.PENDING),
        BuyerFactory(country="JP", province=""),
    ]
    buyers[0].interests.add(snacks)
    set_created(buyers[2], at(2025, 6, 1))
    return {"henan_a": henan_a, "henan_b": henan_b, "shandong": shandong, "thai": thai, "buyers": buyers}


def test_companies_by_province_country_and_category(companies):
    figures = company_figures(period=Period())
    exhibitors, buyers = figures["exhibitors"], figures["buyers"]
    assert (exhibitors["registered"], exhibitors["verified"]) == (4, 3)
    assert by_value(exhibitors["by_province"], "registered", "verified") == {
        "河南": (2, 1),
        "山东": (1, 1),
        "": (1, 1),
    }
    assert by_value(exhibitors["by_country"], "registered", "verified") == {"CN": (3, 2), "TH": (1, 1)}
    # henan_a counts under both of its categories; the Thai exhibitor has none.
    assert by_value(exhibitors["by_category"], "registered", "verified") == {
        root_of("snacks"): (2, 1),
        root_of("meat"): (2, 2),
        "": (1, 1),
    }
    assert (buyers["registered"], buyers["verified"]) == (3, 2)
    assert by_value(buyers["by_country"], "registered") == {"CN": (2,), "JP": (1,)}
    assert by_value(buyers["by_category"], "registered") == {root_of("snacks"): (1,), "": (2,)}


def test_an_edition_counts_its_exhibitors_and_the_buyers_of_its_year(companies):
    figures = company_figures(period=Period(edition=2026))
    # The Thai booth is withdrawn; henan_b took part in 2025 only.
    assert figures["exhibitors"]["registered"] == 2
    assert by_value(figures["exhibitors"]["by_province"], "registered") == {"河南": (1,), "山东": (1,)}
    assert figures["buyers"]["registered"] == (2 if timezone.localdate().year == 2026 else 0)
    assert company_figures(period=Period(edition=2025))["buyers"]["registered"] == 1


def test_a_date_range_counts_companies_registered_in_it(companies):
    Buyer.objects.update(created_at=at(2024, 3, 5))
    set_created(companies["buyers"][0], at(2024, 3, 10))
    period = Period(start=date(2024, 3, 10), end=date(2024, 3, 10))
    assert company_figures(period=period)["buyers"]["registered"] == 1
    assert (
        company_figures(period=Period(start=date(2024, 3, 1), end=date(2024, 3, 31)))["buyers"]["registered"]
        == 3
    )


def test_products_listed_by_category_and_edition(companies):
    ProductFactory(exhibitor=companies["henan_a"], category="snacks-latiao")
    ProductFactory(exhibitor=companies["henan_a"], category="meat-cured")
    ProductFactory(exhibitor=companies["henan_b"], category="snacks-nuts")
    ProductFactory(exhibitor=companies["shandong"], category="meat-cured", is_public=False)
    figures = product_figures(period=Period())
    assert figures["listed"] == 3
    assert by_value(figures["by_category"], "products") == {root_of("snacks"): (2,), root_of("meat"): (1,)}
    edition = product_figures(period=Period(edition=2026))
    assert edition["listed"] == 2  # henan_b is not at the 2026 edition


def test_top_queries_and_queries_with_no_result():
    rows = [("辣条", 12)] * 3 + [("halal beef", 0)] * 2 + [("火腿肠", 5), ("xyzzy", 0)]
    SearchLog.objects.bulk_create(
        SearchLog(query=q, result_count=n, source="page" if i % 2 else "api") for i, (q, n) in enumerate(rows)
    )
    SearchLog.objects.create(query="old", result_count=0, source="page", created_at=at(2020, 1, 1))
    figures = search_figures(period=Period(start=timezone.localdate() - timedelta(days=1)))
    assert (figures["total"], figures["no_result"], figures["page"], figures["api"]) == (7, 3, 3, 4)
    assert [(r["query"], r["searches"]) for r in figures["top"]] == [
        ("辣条", 3),
        ("halal beef", 2),
        ("xyzzy", 1),
        ("火腿肠", 1),
    ]
    assert [(r["query"], r["searches"]) for r in figures["no_result_top"]] == [
        ("halal beef", 2),
        ("xyzzy", 1),
    ]
    assert search_figures(period=Period())["total"] == 8


def test_matches_shown_and_acted_on():
    pair = make_pair()
    buyer, exhibitor = pair.buyer, pair.exhibitor
    other = ExhibitorFactory()
    shown_at = timezone.now() - timedelta(days=2)
    for subject, exhibitor_key in (
        ("buyer", exhibitor.key),
        ("buyer", other.key),
        ("exhibitor", exhibitor.key),
    ):
        MatchShown.objects.create(
            subject_kind=subject,
            result_kind="exhibitor" if subject == "buyer" else "buyer",
            buyer_key=buyer.key,
            exhibitor_key=exhibitor_key,
            source="page",
            created_at=shown_at,
        )
    # An inquiry after the match: acted on. One with ``other`` before it was shown: not.
    inquiry(buyer=buyer, exhibitor=exhibitor, asked=timezone.now() - timedelta(days=1), waited_hours=None)
    inquiry(buyer=buyer, exhibitor=other, asked=shown_at - timedelta(days=1), waited_hours=None)
    assert match_figures(period=Period())["acted_on"] == 0  # not noticed yet
    from stats.services import matches_mark_acted

    assert matches_mark_acted() == 2
    assert matches_mark_acted() == 0
    figures = match_figures(period=Period())
    assert (figures["shown"], figures["acted_on"]) == (3, 2)
    assert by_value(figures["by_kind"], "shown", "acted_on") == {"buyer": (2, 1), "exhibitor": (1, 1)}


def test_median_first_answer_time_odd_and_even():
    pair = make_pair()
    asked = at(2026, 3, 2, 9)
    for hours in (1, 3, 10, None):
        inquiry(buyer=pair.buyer, exhibitor=pair.exhibitor, asked=asked, waited_hours=hours)
    figures = {r["value"]: r for r in negotiation_figures(period=Period(edition=2026))}
    assert (figures["inquiries"]["sent"], figures["inquiries"]["answered"]) == (4, 3)
    assert figures["inquiries"]["median_first_answer_hours"] == 3.0
    assert figures["inquiries"]["accepted"] is None
    inquiry(buyer=pair.buyer, exhibitor=pair.exhibitor, asked=asked, waited_hours=5)
    from negotiation.models import Inquiry

    assert median_first_answer_hours(Inquiry.objects.all()) == 4.0
    assert negotiation_figures(period=Period(edition=2025))[0]["sent"] == 0


def test_quotes_samples_and_meetings_sent_answered_accepted():
    from negotiation import services
    from tests.factories.negotiation import quarter

    pair = make_pair()
    request = sourcing_request(buyer=pair.buyer)
    quote = services.quote_submit(
        membership=pair.exhibitor_member,
        request=request,
        product=pair.product,
        unit_price=Decimal("40.00"),
        moq=10,
        lead_time_days=5,
        delivery_terms="delivered",
        valid_until=timezone.localdate() + timedelta(days=5),
    )
    services.quote_accept(membership=pair.buyer_member, quote=quote)
    services.sample_request_create(
        membership=pair.buyer_member, product=pair.product, quantity=2, ship_to="x"
    )
    start = quarter(3, 10)
    meeting = services.meeting_request(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, kind="online", times=[start], topic="t"
    )
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=meeting,
        starts_at=start,
        attendee=pair.exhibitor_member.user,
    )
    rows = {r["value"]: r for r in negotiation_figures(period=Period())}
    assert (rows["quotes"]["sent"], rows["quotes"]["answered"], rows["quotes"]["accepted"]) == (1, 1, 1)
    assert (rows["samples"]["sent"], rows["samples"]["answered"], rows["samples"]["accepted"]) == (1, 0, 0)
    assert (rows["meetings"]["sent"], rows["meetings"]["answered"], rows["meetings"]["accepted"]) == (1, 1, 1)
    assert rows["meetings"]["median_first_answer_hours"] is not None


@pytest.fixture
def orders():
    """Two paid CNY orders (450.00 and 90.00) from 河南 and 山东 sellers, one unpaid CNY order,
    one paid USD order (30.00) from a Thai seller."""
    henan, shandong = ExhibitorFactory(province="河南"), ExhibitorFactory(province="山东")
    thai = ExhibitorFactory(country="TH", province="")
    latiao = ProductFactory(exhibitor=henan, category="snacks-latiao", price=Decimal("45.00"))
    ham = ProductFactory(exhibitor=shandong, category="meat-ham-sausage", price=Decimal("9.00"))
    rice = ProductFactory(exhibitor=thai, category="grain-rice", price=Decimal("3.00"))
    rice.stockrecords.update(price_currency="USD")
    user = UserFactory()
    first = paid_order(user=user, items=[(latiao, 10)])
    second = paid_order(user=user, items=[(ham, 10)])
    unpaid = paid_order(user=user, items=[(latiao, 1)])
    Order.objects.filter(pk=unpaid.pk).update(status="Pending payment")
    usd = paid_order(user=UserFactory(), items=[(rice, 10)])
    return {"first": first, "second": second, "unpaid": unpaid, "usd": usd}


def test_orders_and_gmv_by_currency_category_and_province(orders):
    assert orders["usd"].currency == "USD"
    figures = order_figures(period=Period())
    assert (figures["placed"], figures["paid"]) == (4, 3)
    assert by_value(figures["by_currency"], "placed", "paid", "gmv") == {
        "CNY": (3, 2, "540.00"),
        "USD": (1, 1, "30.00"),
    }
    categories = {(r["currency"], r["value"]): (r["orders"], r["gmv"]) for r in figures["by_category"]}
    assert categories == {
        ("CNY", root_of("snacks")): (1, "450.00"),
        ("CNY", root_of("meat")): (1, "90.00"),
        ("USD", root_of("grain-oil")): (1, "30.00"),
    }
    provinces = {(r["currency"], r["value"]): (r["orders"], r["gmv"]) for r in figures["by_province"]}
    assert provinces == {
        ("CNY", "河南"): (1, "450.00"),
        ("CNY", "山东"): (1, "90.00"),
        ("USD", ""): (1, "30.00"),
    }


def test_orders_outside_the_period_are_not_counted(orders):
    Order.objects.filter(pk=orders["first"].pk).update(date_placed=at(2024, 5, 1))
    figures = order_figures(period=Period(start=date(2024, 5, 1), end=date(2024, 5, 1)))
    assert by_value(figures["by_currency"], "placed", "paid", "gmv") == {"CNY": (1, 1, "450.00")}
    assert order_figures(period=Period(edition=2024))["paid"] == 1


def test_online_share_of_deals(orders):
    pair = make_pair()
    request = sourcing_request(buyer=pair.buyer)
    base = {
        "exhibitor": pair.exhibitor,
        "product": pair.product,
        "unit_price": Decimal("1"),
        "moq": 1,
        "lead_time_days": 1,
        "delivery_terms": "delivered",
        "valid_until": timezone.localdate(),
    }
    from negotiation.models import Thread

    def quote(status, order_number="", other=None):
        exhibitor = other or ExhibitorFactory()
        thread = Thread.objects.create(buyer=pair.buyer, exhibitor=exhibitor, subject="q")
        return Quote.objects.create(
            **{**base, "exhibitor": exhibitor},
            request=request,
            thread=thread,
            status=status,
            order_number=order_number,
            decided_at=timezone.now(),
        )

    quote(QuoteStatus.ACCEPTED)  # agreed, never checked out: off-line
    quote(QuoteStatus.ACCEPTED, order_number=orders["first"].number)  # checked out: the order counts
    quote(QuoteStatus.OPEN)
    figures = deal_figures(period=Period())
    assert figures == {"online": 3, "offline": 1, "share": 0.75}


def test_the_figures_take_a_fixed_number_of_queries_whatever_the_data(orders, companies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stats.selectors import dashboard_figures

    with CaptureQueriesContext(connection) as few:
        dashboard_figures(period=Period())
    for n in range(5):
        ExhibitorFactory(province=f"省{n}")
        paid_order(user=UserFactory(), items=[(ProductFactory(category="dairy"), 2)])
        SearchLog.objects.create(query=f"q{n}", result_count=n, source="page")
    with CaptureQueriesContext(connection) as more:
        dashboard_figures(period=Period())
    assert len(more.captured_queries) == len(few.captured_queries) <= 40


def test_ratings_written_shown_hidden_answered_and_averages(orders, staff_user):
    """Three ratings on the delivered lines, counted by hand: (5,4,5,4), (3,3,3,2), (1,1,1,1);
    the third is hidden, the first answered. One written before the period is not counted."""
    lines = [line for name in ("first", "second", "usd", "unpaid") for line in orders[name].lines.all()]
    buyer = BuyerFactory()
    now = timezone.now()
    made = []
    for line, values in zip(lines, ((5, 4, 5, 4), (3, 3, 3, 2), (1, 1, 1, 1), (2, 2, 2, 2)), strict=True):
        made.append(
            Review.objects.create(
                line=line,
                buyer=buyer,
                exhibitor=line.partner.exhibitor,
                **dict(zip(("quality", "as_described", "delivery", "communication"), values, strict=True)),
            )
        )
    Review.objects.filter(pk=made[0].pk).update(answer="Thank you", answered_at=now)
    Review.objects.filter(pk=made[2].pk).update(hidden_at=now, hidden_reason="abusive", hidden_by=staff_user)
    Review.objects.filter(pk=made[3].pk).update(created_at=at(2024, 5, 1))

    today = timezone.localdate()
    figures = review_figures(period=Period(start=today - timedelta(days=1), end=today))
    assert {k: figures[k] for k in ("written", "visible", "hidden", "answered")} == {
        "written": 3,
        "visible": 2,
        "hidden": 1,
        "answered": 1,
    }
    assert by_value(figures["averages"], "average") == {
        "quality": (4.0,),
        "as_described": (3.5,),
        "delivery": (4.0,),
        "communication": (3.0,),
    }
    everything = review_figures(period=Period())
    assert everything["written"] == 4 and everything["visible"] == 3
    assert by_value(everything["averages"], "average")["communication"] == (round(8 / 3, 2),)
