"""Malformed values posted to every HTML form of the company centre, the negotiation pages and
the checkout: overlong text, wrong types, NUL bytes, huge numbers, bad dates, garbage files.

Each form is posted once with good values (it must be accepted: the fuzz starts from a form
that works), then once per field and malformed value, the other fields staying good. Every
malformed post must re-render the page with an error message, never answer a 500, and
leave the database as it was.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from exhibitors.forms import RoleForm
from exhibitors.models import Role
from negotiation import services
from tests.checkout.support import ADDRESS
from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory
from tests.factories.negotiation import quarter, sourcing_request

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


PNG = png()
HUGE = "9" * 40
UPLOAD_HEADER = "exhibitor_key,sku,title_zh,title_en,category,price,moq,price_tiers,stock,storage\n"

NUL = "good\x00bad"

# What must not change when a malformed form is posted (read state of threads may).
WATCHED = [
    "exhibitors.Exhibitor",
    "exhibitors.Membership",
    "exhibitors.Invitation",
    "exhibitors.Certificate",
    "exhibitors.Participation",
    "exhibitors.CompanyPhoto",
    "buyers.Buyer",
    "buyers.SourcingRequest",
    "catalogue.Product",
    "catalogue.ProductImage",
    "partner.StockRecord",
    "negotiation.Inquiry",
    "negotiation.Message",
    "negotiation.Attachment",
    "negotiation.SampleRequest",
    "negotiation.Quote",
    "negotiation.Meeting",
    "negotiation.MeetingProposal",
    "negotiation.CompanyBlock",
    "negotiation.AbuseReport",
    "order.Order",
    "credit.Review",
    "auth.User",
]
IGNORED_COLUMNS = {"buyer_seen_at", "exhibitor_seen_at", "last_login"}


def snapshot() -> dict[str, list[dict]]:
    rows = {}
    for label in WATCHED:
        model = apps.get_model(label)
        rows[label] = [
            {k: v for k, v in row.items() if k not in IGNORED_COLUMNS}
            for row in model.objects.order_by("pk").values()
        ]
    return rows


@dataclass
class World:
    exhibitor: object  # owner membership
    buyer: object  # owner membership
    product: object
    request: object
    inquiry: object
    sample: object
    accepted_sample: object
    meeting: object
    shipped_sample: object
    colleague: object
    checkout: dict = field(default_factory=dict)


@pytest.fixture
def world(settings) -> World:
    settings.ELASTICSEARCH_URL = ""
    exhibitor = MembershipFactory(user__email="fuzz-seller@example.com")
    buyer = MembershipFactory(exhibitor=None, buyer=BuyerFactory(), user__email="fuzz-buyer@example.com")
    colleague = MembershipFactory(
        exhibitor=exhibitor.exhibitor, role=Role.STAFF, user__email="fuzz-colleague@example.com"
    )
    product = ProductFactory(
        exhibitor=exhibitor.exhibitor, title="卫龙大面筋辣条", title_en="Big gluten latiao"
    )
    request = sourcing_request(buyer=buyer.buyer)
    inquiry = services.inquiry_create(
        membership=buyer, exhibitor=exhibitor.exhibitor, products=[product], message="Price for 500 cartons?"
    )
    sample = services.sample_request_create(
        membership=buyer, product=product, quantity=2, ship_to="Zhengzhou"
    )
    accepted = services.sample_request_create(
        membership=buyer, product=product, quantity=1, ship_to="Zhengzhou"
    )
    services.sample_accept(membership=exhibitor, sample=accepted, free=True, unit_price=None)
    meeting = services.meeting_request(
        membership=buyer, exhibitor=exhibitor.exhibitor, kind="online", times=[quarter(3, 10)], topic="Prices"
    )
    shipped = services.sample_request_create(
        membership=buyer, product=product, quantity=1, ship_to="Zhengzhou"
    )
    services.sample_accept(membership=exhibitor, sample=shipped, free=True, unit_price=None)
    services.sample_ship(membership=exhibitor, sample=shipped, tracking="SF0001")
    return World(exhibitor, buyer, product, request, inquiry, sample, accepted, meeting, shipped, colleague)


def upload_of(world: World) -> bytes:
    category = apps.get_model("catalogue", "Category").objects.filter(is_public=True).first()
    key = world.exhibitor.exhibitor.key
    row = f"{key},UP-1,上传的辣条,Uploaded latiao,{category.slug},12.50,10,,50,ambient\n"
    return (UPLOAD_HEADER + row).encode()


def later(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@dataclass
class Target:
    """One form: who posts it where, good values for every field, the form in the context."""

    name: str
    role: str  # "exhibitor", "buyer" or "anonymous"
    url: Callable[[World], str]
    good: Callable[[World], dict]
    context_form: str | Callable = "form"  # the page's context key, or page -> the form's fields
    prefix: str = ""
    action: str = ""
    files: dict[str, Callable[[World], SimpleUploadedFile]] = field(default_factory=dict)
    extra: dict[str, list] = field(default_factory=dict)  # more malformed values of some fields
    prepare: Callable[[Client, World], None] | None = None  # steps before the page (checkout)
    saves: bool = True  # the good values write rows (the checkout's first steps keep to the session)
    follow: bool = False  # the page answers with a redirect to where the message shows
    statuses: tuple[int, ...] = (200,)


def to_basket(client: Client, world: World) -> None:
    from tests.checkout.support import china

    china()
    assert client.post(f"/en/basket/add/{world.product.pk}/", {"quantity": 2}).status_code == 302


def to_payment_method(client: Client, world: World) -> None:
    to_basket(client, world)
    assert client.post("/en/checkout/shipping-address/", ADDRESS).status_code == 302
    assert client.post("/en/checkout/shipping-method/", {"method_code": "per-exhibitor"}).status_code == 302


def to_preview(client: Client, world: World) -> None:
    to_payment_method(client, world)
    assert client.post("/en/checkout/payment-method/", {"method": "bank_transfer"}).status_code == 302
    preview = client.get("/en/checkout/preview/")
    world.checkout = {
        "action": "place_order",
        "fingerprint": preview.context["fingerprint"],
        "total": str(preview.context["order_total"].incl_tax),
    }


def to_delivered_line(client: Client, world: World) -> None:
    """A delivered order line of the buyer's, waiting for its rating."""
    from tests.credit.support import delivered_order

    world.delivered_line = delivered_order(buyer_member=world.buyer, items=[(world.product, 3)]).lines.get()


def to_review(client: Client, world: World) -> None:
    """A review of the exhibitor, waiting for its answer."""
    from credit.services import review_create
    from tests.credit.support import scores

    to_delivered_line(client, world)
    world.review = review_create(membership=world.buyer, line=world.delivered_line, **scores(comment="Late"))


def place_order_fields(page) -> dict:
    from checkout.forms import PlaceOrderForm

    return dict(PlaceOrderForm().fields)


TARGETS = [
    Target(
        "register",
        "anonymous",
        lambda w: "/en/company/register/",
        lambda w: {
            "email": "new-company@example.com",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
            "side": "exhibitor",
            "key": "91410100MA3X4Y5Z6Q",
            "name_zh": "郑州新公司",
            "name_en": "Zhengzhou New Co",
            "country": "CN",
            "province": "河南",
            "city": "郑州",
        },
    ),
    Target(
        "exhibitor-profile",
        "exhibitor",
        lambda w: "/en/company/profile/",
        lambda w: {
            "name_zh": "漯河卫辣食品有限公司",
            "name_en": "Luohe Weila Foods",
            "country": "CN",
            "province": "河南",
            "city": "漯河",
            "description_zh": "辣条",
            "description_en": "Latiao",
            "website": "https://weila.example",
            "contact_name": "Li",
            "contact_phone": "+86 395 1234567",
            "contact_email": "sales@weila.example",
        },
        files={"logo": lambda w: SimpleUploadedFile("logo.png", PNG, "image/png")},
    ),
    Target(
        "buyer-profile",
        "buyer",
        lambda w: "/en/company/profile/",
        lambda w: {
            "name_zh": "郑州商贸",
            "name_en": "Zhengzhou Trading",
            "country": "CN",
            "province": "河南",
            "city": "郑州",
            "buyer_type": "distributor",
            "keywords": "latiao; snacks",
            "target_markets": "Henan; Hubei",
            "annual_volume_cny": "1000000",
            "required_certifications": ["HALAL"],
        },
    ),
    Target(
        "certificate",
        "exhibitor",
        lambda w: "/en/company/certificates/add/",
        lambda w: {
            "code": "HALAL",
            "number": "H-2026-1",
            "issuer": "CIQ",
            "scope": "snacks",
            "valid_until": later(300),
        },
        files={"document": lambda w: SimpleUploadedFile("halal.png", PNG, "image/png")},
    ),
    Target(
        "participation",
        "exhibitor",
        lambda w: "/en/company/participation/add/",
        lambda w: {
            "edition": "2026",
            "hall": "A",
            "booth": "A-1021",
            "intro_zh": "辣条",
            "intro_en": "Latiao",
        },
    ),
    Target(
        "product",
        "exhibitor",
        lambda w: "/en/company/products/add/",
        lambda w: {
            "title": "王中王火腿肠",
            "title_en": "Premium ham sausage",
            "sku": "HAM-001",
            "category": str(
                apps.get_model("catalogue", "Category").objects.filter(is_public=True).first().pk
            ),
            "price": "58.00",
            "currency": "CNY",
            "stock": "100",
            "tiers": "100:55.00;500:52.00",
            "shelf_life_days": "180",
            "storage": "ambient",
            "origin": "河南",
            "net_content": "500g",
            "unit": "箱",
            "moq": "10",
            "sample_price": "5.00",
            "is_public": "on",
        },
        files={"image": lambda w: SimpleUploadedFile("ham.png", PNG, "image/png")},
        extra={"tiers": [f"{HUGE}:45.00", f"100:{HUGE}", "100:1e999", "100:NaN"]},
    ),
    Target(
        "product-upload",
        "exhibitor",
        lambda w: "/en/company/products/upload/",
        lambda w: {"atomic": "on"},
        files={"file": lambda w: SimpleUploadedFile("products.csv", upload_of(w), "text/csv")},
    ),
    Target(
        "photo",
        "exhibitor",
        lambda w: "/en/company/photos/",
        lambda w: {"caption": "Our booth"},
        files={"image": lambda w: SimpleUploadedFile("booth.png", PNG, "image/png")},
    ),
    Target(
        "invitation",
        "exhibitor",
        lambda w: "/en/company/members/",
        lambda w: {"email": "x@y.example", "role": "staff"},
    ),
    Target(
        "sourcing-request",
        "buyer",
        lambda w: "/en/company/requests/add/",
        lambda w: {
            "title": "Frozen dumplings",
            "description": "1000 cartons",
            "quantity": "1000",
            "unit": "箱",
            "target_price": "30.00",
            "currency": "CNY",
            "delivery_region": "河南",
            "deliver_by": later(60),
            "storage": "frozen",
        },
    ),
    Target(
        "inquiry",
        "buyer",
        lambda w: f"/en/company/negotiation/inquiries/new/?exhibitor={w.exhibitor.exhibitor.key}",
        lambda w: {
            "products": [str(w.product.pk)],
            "quantity": "500",
            "destination": "郑州",
            "message": "Price?",
        },
        files={"attachments": lambda w: SimpleUploadedFile("spec.png", PNG, "image/png")},
    ),
    Target(
        "inquiry-reply",
        "exhibitor",
        lambda w: f"/en/company/negotiation/inquiries/{w.inquiry.pk}/",
        lambda w: {"body": "45 CNY a carton"},
        context_form="reply_form",
        files={"attachments": lambda w: SimpleUploadedFile("price.png", PNG, "image/png")},
    ),
    Target(
        "sample-request",
        "buyer",
        lambda w: f"/en/company/negotiation/samples/new/?product={w.product.pk}",
        lambda w: {"quantity": "3", "ship_to": "郑州金水路 88 号", "message": "Thanks"},
    ),
    Target(
        "sample-accept",
        "exhibitor",
        lambda w: f"/en/company/negotiation/samples/{w.sample.pk}/",
        lambda w: {"terms": "paid", "unit_price": "5.00"},
        context_form="accept_form",
        prefix="accept",
        action="accept",
    ),
    Target(
        "sample-decline",
        "exhibitor",
        lambda w: f"/en/company/negotiation/samples/{w.sample.pk}/",
        lambda w: {"reason": "Out of stock"},
        context_form="decline_form",
        prefix="decline",
        action="decline",
    ),
    Target(
        "sample-ship",
        "exhibitor",
        lambda w: f"/en/company/negotiation/samples/{w.accepted_sample.pk}/",
        lambda w: {"tracking": "SF1234567890"},
        context_form="ship_form",
        prefix="ship",
        action="ship",
    ),
    Target(
        "sample-feedback",
        "buyer",
        lambda w: f"/en/company/negotiation/samples/{w.shipped_sample.pk}/",
        lambda w: {"feedback": "Crisp, a little too salty", "rating": "4"},
        context_form="feedback_form",
        prefix="feedback",
        action="feedback",
    ),
    Target(
        "member-role",
        "exhibitor",
        lambda w: f"/en/company/members/{w.colleague.pk}/role/",
        lambda w: {"role": "owner"},
        context_form=lambda page: dict(RoleForm().fields),
        follow=True,
    ),
    Target(
        "quote",
        "exhibitor",
        lambda w: f"/en/company/negotiation/quotes/new/?request={w.request.pk}",
        lambda w: {
            "product": str(w.product.pk),
            "unit_price": "40.00",
            "moq": "10",
            "lead_time_days": "5",
            "delivery_terms": "delivered",
            "valid_until": later(10),
            "message": "Best price",
        },
    ),
    Target(
        "meeting-request",
        "buyer",
        lambda w: f"/en/company/negotiation/meetings/new/?exhibitor={w.exhibitor.exhibitor.key}",
        lambda w: {
            "kind": "online",
            "time_1": quarter(4, 11).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "30",
            "topic": "Prices",
            "video_url": "https://meet.example/abc",
        },
    ),
    Target(
        "meeting-accept",
        "exhibitor",
        lambda w: f"/en/company/negotiation/meetings/{w.meeting.pk}/",
        lambda w: {
            "proposal": str(w.meeting.proposals.get().pk),
            "attendee": str(w.exhibitor.user.pk),
            "video_url": "https://meet.example/abc",
        },
        context_form="accept_form",
        prefix="accept",
        action="accept",
    ),
    Target(
        "meeting-propose",
        "exhibitor",
        lambda w: f"/en/company/negotiation/meetings/{w.meeting.pk}/",
        lambda w: {
            "starts_at": quarter(5, 14).strftime("%Y-%m-%dT%H:%M"),
            "attendee": str(w.exhibitor.user.pk),
        },
        context_form="propose_form",
        prefix="propose",
        action="propose",
    ),
    Target(
        "meeting-decline",
        "exhibitor",
        lambda w: f"/en/company/negotiation/meetings/{w.meeting.pk}/",
        lambda w: {"reason": "Fully booked"},
        context_form="decline_form",
        prefix="decline",
        action="decline",
    ),
    Target(
        "abuse-report",
        "buyer",
        lambda w: f"/en/company/negotiation/report/?company=exhibitor:{w.exhibitor.exhibitor.key}",
        lambda w: {"subject": "inquiry", "reason": "Spam"},
    ),
    Target(
        "review-rate",
        "buyer",
        lambda w: f"/en/company/reviews/rate/{w.delivered_line.pk}/",
        lambda w: {
            "quality": "5",
            "as_described": "4",
            "delivery": "4",
            "communication": "5",
            "comment": "Good",
        },
        prepare=to_delivered_line,
    ),
    Target(
        "review-answer",
        "exhibitor",
        lambda w: f"/en/company/reviews/{w.review.pk}/answer/",
        lambda w: {"answer": "Sorry, the truck broke down."},
        prepare=to_review,
    ),
    Target(
        "checkout-address",
        "buyer",
        lambda w: "/en/checkout/shipping-address/",
        lambda w: dict(ADDRESS, phone_number="+86 371 6666 8888", notes="Call first"),
        prepare=to_basket,
        saves=False,
    ),
    Target(
        "checkout-payment-method",
        "buyer",
        lambda w: "/en/checkout/payment-method/",
        lambda w: {"method": "bank_transfer"},
        prepare=to_payment_method,
        statuses=(400,),
        saves=False,
    ),
    Target(
        "checkout-place-order",
        "buyer",
        lambda w: "/en/checkout/preview/",
        lambda w: dict(w.checkout),
        context_form=place_order_fields,
        prepare=to_preview,
        statuses=(400, 409),
    ),
]


def malformed_values(form_field: forms.Field) -> list:
    """Values this kind of field must refuse."""
    if isinstance(form_field, forms.FileField):
        return [
            SimpleUploadedFile("garbage.png", b"\x00\xffGARBAGE" * 64, "image/png"),
            SimpleUploadedFile("latin1.csv", "sku,title\nA,caf\xe9 \x00\n".encode("utf-16"), "text/csv"),
        ]
    if isinstance(form_field, forms.BooleanField):
        return []  # every value means yes or no
    if isinstance(form_field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return [HUGE, "-" + HUGE, "1e999", "twelve", NUL]
    if isinstance(form_field, (forms.DateField, forms.DateTimeField)):
        return ["2026-02-30", "99999-12-31", "0000-00-00T25:61", NUL]
    if isinstance(form_field, (forms.ChoiceField, forms.ModelChoiceField)):
        values = [NUL, HUGE, "no-such-choice"]
        return values if not form_field.required else [*values, ""]
    if isinstance(form_field, forms.CharField):
        values = [NUL, "\x00"]
        if form_field.max_length:
            values.append("长" * (form_field.max_length + 1))
        return values
    return [NUL]


def login(client: Client, world: World, role: str) -> None:
    if role != "anonymous":
        client.force_login(getattr(world, role).user)


def post(client: Client, target: Target, world: World, data: dict, files: dict):
    name = (lambda key: f"{target.prefix}-{key}") if target.prefix else (lambda key: key)
    payload = {name(key): value for key, value in data.items()}
    payload.update({name(key): make(world) for key, make in files.items()})
    if target.action:
        payload["action"] = target.action
    return client.post(target.url(world), payload, follow=target.follow)


def shown_errors(response) -> list[str]:
    """The error texts the page shows: the form's errors and error messages."""
    texts = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound:
                texts += [str(e) for errors in value.errors.values() for e in errors]
        if isinstance(context.get("error"), str):
            texts.append(context["error"])
    texts += [str(m) for m in get_messages(response.wsgi_request) if "error" in m.tags]
    content = response.content.decode()
    return [text for text in texts if html.escape(text) in content or text in content]


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_malformed_values_are_refused_with_a_message_and_save_nothing(target, world):
    client = Client(raise_request_exception=False)
    login(client, world, target.role)
    if target.prepare:
        target.prepare(client, world)
    page = client.get(target.url(world), follow=target.follow)
    assert page.status_code in (200, 405) and (page.status_code == 200 or target.follow), (
        f"{target.name}: GET {target.url(world)} -> {page.status_code}"
    )
    if callable(target.context_form):
        fields = target.context_form(page)
    else:
        fields = dict(page.context[target.context_form].fields)

    findings = []
    for field_name, form_field in fields.items():
        for value in malformed_values(form_field) + target.extra.get(field_name, []):
            data, files = dict(target.good(world)), dict(target.files)
            if isinstance(value, SimpleUploadedFile):
                content, upload_name, content_type = value.read(), value.name, value.content_type
                files[field_name] = lambda w, c=content, n=upload_name, t=content_type: SimpleUploadedFile(
                    n, c, t
                )
            else:
                files.pop(field_name, None)
                data[field_name] = value
            before = snapshot()
            response = post(client, target, world, data, files)
            what = f"{field_name}={value!r:.40}"
            if response.status_code >= 500:
                findings.append(f"{what}: {response.status_code}")
                continue
            if response.status_code not in target.statuses:
                findings.append(f"{what}: answered {response.status_code}, not the form again")
            elif not shown_errors(response):
                findings.append(f"{what}: the page shows no error message")
            if snapshot() != before:
                findings.append(f"{what}: the database changed")
    assert findings == [], f"{target.name}:\n" + "\n".join(findings)

    # The good values are accepted: the fuzz above started from a form that works.
    before = snapshot()
    response = post(client, target, world, dict(target.good(world)), dict(target.files))
    assert response.status_code in (200, 302), response.status_code
    assert not shown_errors(response) or response.status_code == 302, shown_errors(response)
    if target.follow:
        assert response.redirect_chain, "the good values were not accepted"
    if target.saves:
        assert snapshot() != before, f"{target.name}: the good values saved nothing"


def test_a_malformed_value_is_refused_in_chinese_too(world):
    """Chinese is the language without prefix, whatever the browser asks for."""
    client = Client()
    url = f"/company/negotiation/quotes/new/?request={world.request.pk}"
    client.force_login(world.exhibitor.user)
    good = next(target for target in TARGETS if target.name == "quote").good(world)
    before = snapshot()
    response = client.post(url, {**good, "moq": HUGE}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response.context["LANGUAGE_CODE"] == "zh-hans"
    assert "确保该值小于或等于2147483647" in response.content.decode(), shown_errors(response)
    assert snapshot() == before


def test_the_checks_can_fail():
    """A field the fuzz knows nothing about still gets NUL bytes, and a page without the form's
    errors in it shows none."""

    class Odd(forms.Field):
        pass

    assert malformed_values(Odd()) == [NUL]
    assert malformed_values(forms.BooleanField()) == []
    assert "长" * 11 in malformed_values(forms.CharField(max_length=10))
