"""Exhibitors manage their own products from the company centre."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


def form_data(**overrides):
    data = {
        "title": "香辣素牛筋",
        "title_en": "Spicy vegetarian tendon strips",
        "description": "经典辣条",
        "description_en": "A classic latiao",
        "sku": "LT-001",
        "category": Category.objects.get(slug="snacks-latiao").pk,
        "price": "68.00",
        "currency": "CNY",
        "stock": "500",
        "tiers": "100:62.00;500:58.50",
        "moq": "20",
        "unit": "箱",
        "storage": "ambient",
        "shelf_life_days": "240",
        "is_public": "on",
        "certifications": ["SC"],
    }
    data.update(overrides)
    return data


def test_exhibitor_adds_and_edits_a_product_with_tiers_and_stock(client):
    member = MembershipFactory()
    client.force_login(member.user)
    response = client.post("/company/products/add/", form_data())
    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get(title="香辣素牛筋")
    stockrecord = product.stockrecords.get()
    assert stockrecord.partner == member.exhibitor.partner and stockrecord.partner_sku == "LT-001"
    assert stockrecord.price == Decimal("68.00") and stockrecord.num_in_stock == 500
    assert [(t.min_quantity, t.unit_price) for t in product.price_tiers.all()] == [
        (100, Decimal("62.00")),
        (500, Decimal("58.50")),
    ]
    assert product.upc == f"{member.exhibitor.key}/LT-001" and product.certifications == ["SC"]
    response = client.post(f"/company/products/{product.pk}/", form_data(price="70.00", tiers="", stock=""))
    assert response.status_code == 302
    stockrecord.refresh_from_db()
    assert stockrecord.price == Decimal("70.00") and stockrecord.num_in_stock is None
    assert not product.price_tiers.exists()
    assert "香辣素牛筋" in client.get("/company/products/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"tiers": "100-45"}, "tiers", "is not quantity:price"),
        ({"tiers": "0:45"}, "tiers", "is not quantity:price"),
        ({"price": "-1"}, "price", "greater than or equal"),
        ({"sku": "bad sku/1"}, "sku", "and no spaces"),
        ({"title": "", "title_en": ""}, "title", "title in Chinese or English"),
        ({"claims_none": "on"}, "claims_none", "or “Claims no certificate”, not both"),
    ],
)
def test_bad_product_input_is_explained(client, overrides, field, message):
    member = MembershipFactory()
    client.force_login(member.user)
    response = client.post("/en/company/products/add/", form_data(**overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Product.objects.exists()


def test_duplicate_sku_within_the_exhibitor_is_refused(client):
    member = MembershipFactory()
    client.force_login(member.user)
    client.post("/company/products/add/", form_data())
    response = client.post("/en/company/products/add/", form_data(title="另一个"))
    assert "another product with this SKU" in str(response.context["form"].errors["sku"])


def test_buyers_have_no_product_pages(client):
    from tests.factories.buyers import BuyerFactory

    member = MembershipFactory(exhibitor=None, buyer=BuyerFactory())
    client.force_login(member.user)
    assert client.get("/company/products/").status_code == 404
    assert client.get("/company/products/add/").status_code == 404


HEADER = "exhibitor_key,sku,title_zh,title_en,category,price,moq,price_tiers,stock,storage\n"


def upload(client, text: str, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/en/company/products/upload/",
        {"file": SimpleUploadedFile("products.csv", text.encode("utf-8"), "text/csv"), **extra},
    )


def test_exhibitor_uploads_its_own_products_in_the_staff_format(client):
    member = MembershipFactory()
    other = MembershipFactory()
    key = member.exhibitor.key
    client.force_login(member.user)
    text = HEADER + (
        f"{key},U-1,辣条,Latiao,snacks-latiao,45.00,100,100:42.00;500:40.00,900,ambient\n"
        f"{other.exhibitor.key},U-2,别人的,Not mine,snacks-latiao,10.00,1,,5,ambient\n"
    )
    response = upload(client, text)
    report = response.context["report"]
    assert report.summary == "created 1, updated 0, unchanged 0, rejected 1"
    assert "Only rows of" in str(report.errors[0])
    product = Product.objects.get(title="辣条")
    assert product.stockrecords.get().partner == member.exhibitor.partner
    assert not Product.objects.filter(title="别人的").exists()
    again = upload(
        client, HEADER + f"{key},U-1,辣条,Latiao,snacks-latiao,45.00,100,100:42.00;500:40.00,900,ambient\n"
    )
    assert again.context["report"].summary == "created 0, updated 0, unchanged 1, rejected 0"


def test_a_broken_upload_is_explained(client):
    member = MembershipFactory()
    client.force_login(member.user)
    response = upload(client, "not,a,products,file\n1,2,3,4\n")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_product_may_claim_no_certificate_of_its_exhibitor(client):
    member = MembershipFactory()
    client.force_login(member.user)
    response = client.post("/company/products/add/", form_data(certifications=[], claims_none="on"))
    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get(title="香辣素牛筋")
    assert product.claims_none and product.certifications == []
    response = client.post(f"/company/products/{product.pk}/", form_data(certifications=[]))
    product.refresh_from_db()
    assert not product.claims_none  # unticked again: every valid certificate covers it
