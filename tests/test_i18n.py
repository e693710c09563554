"""Chinese by default, English under /en/, Oscar's own strings translated too."""

import pytest

pytestmark = pytest.mark.django_db


def test_our_templates_are_translated(client):
    zh = client.get("/").content.decode()
    assert "在线交易" in zh and "购物车" in zh and "登录" in zh
    en = client.get("/en/").content.decode()
    assert "Online trading" in en and "Cart" in en and "Log in" in en


def test_oscar_strings_show_in_chinese(client):
    html = client.get("/basket/").content.decode()
    assert "您的购物车是空的" in html or "购物车是空的" in html
    html = client.get("/accounts/login/").content.decode()
    assert "登录" in html
    html = client.get("/en/basket/").content.decode()
    assert "Your cart is empty" in html or "Your basket is empty" in html


def test_product_titles_follow_the_language():
    from django.utils import translation

    from tests.factories.catalogue import ProductFactory

    product = ProductFactory(title="火腿肠", title_en="Ham sausage")
    with translation.override("en"):
        assert product.get_title() == "Ham sausage"
    with translation.override("zh-hans"):
        assert product.get_title() == "火腿肠"
