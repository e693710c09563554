"""Many buyers at once never oversell (PostgreSQL row locks; SQLite has none to test)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.utils import translation
from oscar.core.loading import get_model

from checkout.services import StockShort, order_place
from shipping.methods import PerExhibitorShipping

from .support import china, make_basket, make_buyer, make_product, shipping_address, stock_of

Order = get_model("order", "Order")


@pytest.fixture
def baseline():
    """Transactional tests flush the database after them; the next one puts the baseline back."""
    from expo.baseline import ensure_baseline

    ensure_baseline()
    china()


def checkout_at_once(baskets) -> tuple[list, list, list]:
    """Every basket is checked out from its own thread (own connection), released together."""
    barrier = threading.Barrier(len(baskets))
    placed, refused, errors = [], [], []
    lock = threading.Lock()

    def checkout(user, basket):
        translation.activate("en")  # each thread starts in the default language
        try:
            barrier.wait(timeout=30)
            order = order_place(
                basket=basket,
                user=user,
                shipping_address=shipping_address(),
                shipping_method=PerExhibitorShipping(),
            )
            with lock:
                placed.append(order.number)
        except StockShort as exc:
            with lock:
                refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - any other failure fails the test below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(basket.owner, basket)) for basket in baskets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return placed, refused, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_at_once_buy_exactly_the_five_units_in_stock(baseline):
    product = make_product(stock=5)
    baskets = [make_basket(user=make_buyer(), items=[(product, 1)]) for _ in range(20)]

    placed, refused, errors = checkout_at_once(baskets)

    assert errors == []
    assert len(placed) == 5 and len(refused) == 15
    assert all(exc.available == 0 and "Only 0 left" in exc.message for exc in refused)
    record = stock_of(product)
    assert (record.num_in_stock, record.num_allocated) == (5, 5)
    assert record.num_in_stock - record.num_allocated >= 0
    assert Order.objects.count() == 5
    assert sorted(Order.objects.values_list("number", flat=True)) == sorted(placed)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_baskets_locking_the_same_stock_in_opposite_orders_do_not_deadlock(baseline):
    first, second = make_product(stock=100), make_product(stock=100)
    one_way, other_way = [(first, 2), (second, 3)], [(second, 3), (first, 2)]
    baskets = [make_basket(user=make_buyer(), items=one_way if n % 2 else other_way) for n in range(12)]

    placed, refused, errors = checkout_at_once(baskets)

    assert (errors, refused, len(placed)) == ([], [], 12)
    assert stock_of(first).num_allocated == 24 and stock_of(second).num_allocated == 36
