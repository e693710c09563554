"""The database unreachable mid-request: pages answer the friendly 503 page in the reader's
language, the API a 503 JSON body, both with Retry-After; once it is back, everything works
again and nothing half-written was kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from negotiation.models import Inquiry
from tests.factories.catalogue import ProductFactory
from tests.factories.negotiation import make_pair

TITLE = "Temporarily unavailable"


def _in(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


@pytest.mark.parametrize(("url", "language"), [("/", "zh-hans"), ("/en/", "en"), ("/en/catalogue/", "en")])
def test_a_page_answers_the_friendly_503_page(db_down, client, url, language):
    with db_down():
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and 'id="service-unavailable"' in html
    assert _in(language, TITLE) in html
    assert 'id="not-saved"' not in html
    # and once the database is back, the same page works again
    assert client.get(url).status_code == 200


def test_the_api_answers_503_json(db_down, client):
    ProductFactory(title="辣条", title_en="Spicy strips")
    with db_down():
        response = client.get("/api/products/", {"q": "辣条", "lang": "en"})
        categories = client.get("/api/categories/", HTTP_ACCEPT_LANGUAGE="en")
    for answer in (response, categories):
        assert answer.status_code == 503
        assert answer["Retry-After"] == "30"
        body = answer.json()
        assert body["error"] == "service_unavailable"
        assert "temporarily unavailable" in body["detail"]
    assert client.get("/api/categories/").status_code == 200


def test_a_signed_in_visitor_gets_503_when_the_session_cannot_load(db_down):
    """The session and basket load in middleware, before the view: the 500 handler answers."""
    pair = make_pair()
    client = Client(raise_request_exception=False)
    client.force_login(pair.buyer_member.user)
    with db_down():
        response = client.get("/en/basket/")
    assert response.status_code == 503
    assert 'id="service-unavailable"' in response.content.decode()
    assert client.get("/en/basket/").status_code == 200


def test_a_form_sent_while_the_database_is_down_says_so_and_keeps_nothing_half_written(db_down):
    pair = make_pair()
    client = Client(raise_request_exception=False)
    client.force_login(pair.buyer_member.user)
    url = f"/en/company/negotiation/inquiries/new/?exhibitor={pair.exhibitor.key}"
    form = {"exhibitor": pair.exhibitor.key, "products": [pair.product.pk], "message": "请报价"}
    with db_down():
        response = client.post(url, form)
    assert response.status_code == 503
    assert 'id="not-saved"' in response.content.decode()
    assert not Inquiry.objects.exists()
    # back: sending it again works
    assert client.post(url, form).status_code == 302
    assert Inquiry.objects.count() == 1


def test_a_programming_error_is_still_a_500(client, mocker, db):
    """Only outages become 503: a bug stays a 500 and is reported as one."""
    mocker.patch("search.api.ProductSearchView.get", side_effect=ValueError("a bug"))
    client.raise_request_exception = False
    response = client.get("/api/products/")
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
