"""The dashboard page: staff only, both languages, charts with a table each, exports;
and the search page, search API and match API writing the logs."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from stats.models import MatchShown, SearchLog
from tests.factories.catalogue import ProductFactory
from tests.factories.exhibitors import ExhibitorFactory
from tests.factories.members import MembershipFactory, UserFactory
from tests.factories.orders import paid_order

pytestmark = pytest.mark.django_db

URL = "/admin/stats/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def admin_language(user, language: str):
    """The Wagtail admin speaks the language in the user's profile (else the site's, Chinese)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def staff(staff_user):
    return admin_language(staff_user, "en")


@pytest.fixture
def an_order():
    product = ProductFactory(exhibitor=ExhibitorFactory(province="河南"), price=Decimal("45.00"))
    return paid_order(user=UserFactory(), items=[(product, 10)])


def test_the_dashboard_has_a_stable_url_name():
    assert reverse("stats_dashboard") == URL
    assert reverse("stats_export", kwargs={"key": "orders", "fmt": "csv"}) == "/admin/stats/export/orders.csv"


def test_staff_see_the_orders_chart_and_table(client, staff, an_order):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-orders"' in html and 'id="stats-table-orders"' in html
    assert "/static/stats/vendor/chartjs/chart.umd.min.js" in html
    assert "<td>CNY</td><td>1</td><td>1</td><td>450.00</td>" in html
    assert "Online share = online deals / (online + off-line deals)" in html
    tables = {t.key: t for t in response.context["tables"]}
    assert tables["orders"].rows == [["CNY", 1, 1, "450.00"]]
    assert all(t.key in response.context["charts"] for t in tables.values() if t.chart)


def test_the_dashboard_speaks_both_languages(client, staff_user, an_order):
    client.force_login(admin_language(staff_user, "en"))
    english = client.get(URL).content.decode()
    assert "Orders placed" in english and "Top queries" in english
    client.force_login(admin_language(staff_user, "zh-hans"))
    chinese = client.get(URL).content.decode()
    assert "统计" in chinese and "Orders placed" not in chinese and "Top queries" not in chinese


def test_members_and_anonymous_visitors_are_refused(client, an_order):
    for url in (URL, "/admin/stats/export/orders.csv", "/admin/stats/export/orders.xlsx"):
        assert client.get(url).status_code in (302, 403), url
    client.force_login(MembershipFactory().user)
    for url in (URL, "/admin/stats/export/orders.csv", "/admin/stats/export/orders.xlsx"):
        assert client.get(url).status_code in (302, 403), url


def test_an_admin_user_who_is_not_staff_is_refused(client, django_user_model):
    from django.contrib.auth.models import Permission

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(URL).status_code in (302, 403)  # Wagtail turns the refusal into a redirect
    editor.user_permissions.add(Permission.objects.get(codename="view_statistics"))
    client.force_login(django_user_model.objects.get(pk=editor.pk))
    assert client.get(URL).status_code == 200


def test_csv_and_xlsx_exports_hold_the_table_rows(client, staff, an_order):
    client.force_login(staff)
    csv = client.get("/admin/stats/export/orders.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines == ["Currency,Orders placed,Orders paid,GMV", "CNY,1,1,450.00"]
    client.force_login(admin_language(staff, "zh-hans"))
    xlsx = client.get("/admin/stats/export/exhibitors_province.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["省份", "已注册", "已认证"]
    assert ["河南", 1, 1] in rows[1:]
    for table in client.get(URL).context["tables"]:
        for fmt in ("csv", "xlsx"):
            assert client.get(table.exports[fmt]).status_code == 200, (table.key, fmt)
    assert client.get("/admin/stats/export/nothing.csv").status_code == 404
    assert client.get("/admin/stats/export/orders.pdf").status_code == 404


def test_the_filter_limits_the_period_and_reports_bad_ranges(client, staff, an_order):
    client.force_login(staff)
    response = client.get(URL, {"start": "2001-01-01", "end": "2001-01-31"})
    tables = {t.key: t for t in response.context["tables"]}
    assert tables["orders"].rows == []
    assert "start=2001-01-01" in tables["orders"].exports["csv"]
    response = client.get(URL, {"start": "2001-02-01", "end": "2001-01-31"})
    assert "must not be after" in response.content.decode()


def test_the_history_chart_reads_the_snapshots(client, staff, an_order):
    from stats.services import snapshot_write

    snapshot_write()
    client.force_login(staff)
    tables = {t.key: t for t in client.get(URL).context["tables"]}
    history = tables["history"]
    assert history.chart == "line" and len(history.rows) == 1
    assert history.rows[0][history.columns.index("Orders paid")] == 1


def test_the_search_page_and_api_log_searches(client):
    ProductFactory(title="辣条测试", title_en="Latiao test")
    client.get("/search/", {"q": "  辣条 "})
    client.get("/api/products/", {"q": "nothing-like-this"})
    client.get("/search/")  # browsing without words is not a search
    rows = list(SearchLog.objects.order_by("id").values_list("query", "source"))
    assert rows == [("辣条", "page"), ("nothing-like-this", "api")]
    assert SearchLog.objects.get(source="api").result_count == 0


def test_the_search_page_answers_when_logging_fails(client, mocker):
    mocker.patch("stats.services.SearchLog.objects.create", side_effect=RuntimeError("boom"))
    assert client.get("/search/", {"q": "辣条"}).status_code == 200


def test_the_match_api_logs_the_matches_shown(client, mocker):
    member = MembershipFactory()
    answer = {
        "subject": {"kind": "exhibitor", "key": member.exhibitor.key},
        "results": [{"kind": "buyer", "key": "B9"}],
    }
    mocker.patch("search.api_match.match_subject", return_value=answer)
    client.force_login(member.user)
    assert client.get(f"/api/match/exhibitor/{member.exhibitor.key}/").status_code == 200
    assert list(MatchShown.objects.values_list("buyer_key", "exhibitor_key", "source")) == [
        ("B9", member.exhibitor.key, "api")
    ]


def test_the_recent_range_links_open_the_cached_figures(client, staff):
    from stats.services import recent_periods

    client.force_login(staff)
    html = client.get(URL).content.decode()
    days, period = recent_periods()[1]
    assert f'id="recent-{days}"' in html and f"start={period.start.isoformat()}" in html
    response = client.get(URL, {"start": period.start.isoformat(), "end": period.end.isoformat()})
    assert response.status_code == 200


def test_the_xlsx_keeps_queries_as_text_and_counts_as_numbers(client, staff):
    SearchLog.objects.bulk_create(SearchLog(query="2026", result_count=0, source="page") for _ in range(2))
    client.force_login(staff)
    for key in ("top_queries", "no_result_queries"):
        sheet = load_workbook(io.BytesIO(client.get(f"/admin/stats/export/{key}.xlsx").content)).active
        assert list(sheet.iter_rows(values_only=True))[1] == ("2026", 2)


def test_refresh_now_recomputes_the_cached_figures(client, staff, an_order):
    client.force_login(staff)
    assert {t.key: t for t in client.get(URL).context["tables"]}["orders"].rows == [["CNY", 1, 1, "450.00"]]
    product = ProductFactory(exhibitor=ExhibitorFactory(), price=Decimal("10.00"))
    paid_order(user=UserFactory(), items=[(product, 1)])
    assert {t.key: t for t in client.get(URL).context["tables"]}["orders"].rows[0][1] == 1  # cached
    response = client.post(URL + "?edition=", follow=True)
    assert response.redirect_chain[-1][0] == URL + "?edition="
    assert {t.key: t for t in response.context["tables"]}["orders"].rows[0][1] == 2
    client.force_login(MembershipFactory().user)
    assert client.post(URL).status_code in (302, 403)
