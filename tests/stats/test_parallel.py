"""On PostgreSQL the dashboard's sections may run on connections of their own: same figures."""

import pytest

from stats.selectors import Period, dashboard_figures
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import UserFactory
from tests.factories.orders import paid_order


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_sections_computed_side_by_side_equal_the_sections_one_by_one(settings):
    exhibitor = ExhibitorFactory(province="河南")
    paid_order(user=UserFactory(), items=[(ProductFactory(exhibitor=exhibitor), 3)])
    settings.STATS_PARALLEL_QUERIES = 1
    one_by_one = dashboard_figures(period=Period())
    settings.STATS_PARALLEL_QUERIES = 4
    side_by_side = dashboard_figures(period=Period())
    for figures in (one_by_one, side_by_side):
        figures.pop("computed_at")
    assert side_by_side == one_by_one
    assert side_by_side["orders"]["paid"] == 1
    assert side_by_side["companies"]["exhibitors"]["registered"] == 1
