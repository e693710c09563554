"""``/api/v1/checkout/``: the basket becomes an order through ``checkout.services.order_place``
(the HTML checkout's service, with its fingerprint and already-submitted guards) and its
payment starts through ``payments.services.payment_start``: a Stripe PaymentIntent's client
secret for the app's Stripe SDK, or the bank-transfer instructions."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from oscar.core.loading import get_class, get_model
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from basket.selectors import basket_lines_load
from basket.services import basket_open_for
from checkout.services import (
    BasketAlreadySubmitted,
    BasketChanged,
    BuyerNotAllowed,
    CheckoutError,
    StockShort,
    checkout_fingerprint,
    order_place,
)
from order.selectors import buyer_order_get
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.models import OrderStatus, PaymentMethod

from .common import APP_AUTHENTICATION, ReaderLanguageMixin
from .orders import order_summary
from .trading import Conflict, OwnTransactionsMixin, Refused, buyer_membership

ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
SurchargeApplicator = get_class("checkout.applicator", "SurchargeApplicator")
Applicator = get_class("offer.applicator", "Applicator")
Country = get_model("address", "Country")

STRIPE_METHODS = {"card": "card", "alipay": "alipay", "wechat_pay": "wechat_pay"}
IDEMPOTENCY_SECONDS = 24 * 3600


def offered_methods() -> list[str]:
    """What the HTML checkout offers: Stripe's types when Stripe is configured, bank transfer always."""
    offered = []
    if getattr(settings, "STRIPE_SECRET_KEY", "") and getattr(settings, "STRIPE_PUBLISHABLE_KEY", ""):
        offered += [code for code in STRIPE_METHODS if code in payment_services.payment_method_types()]
    return [*offered, PaymentMethod.BANK_TRANSFER.value]


class CheckoutSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=255)
    line1 = serializers.CharField(max_length=255)
    line2 = serializers.CharField(max_length=255, required=False, allow_blank=True)
    line3 = serializers.CharField(max_length=255, required=False, allow_blank=True)
    line4 = serializers.CharField(max_length=255, help_text="city")
    state = serializers.CharField(max_length=255, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=64, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, help_text="ISO 3166-1 code, e.g. CN")
    phone_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    payment_method = serializers.ChoiceField(choices=[*STRIPE_METHODS, PaymentMethod.BANK_TRANSFER.value])
    total = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, help_text="the total the buyer confirmed"
    )


PAYMENT = inline_serializer(
    "CheckoutPayment",
    {
        "method": serializers.CharField(),
        "status": serializers.CharField(),
        "client_secret": serializers.CharField(required=False),
        "publishable_key": serializers.CharField(required=False),
        "reference": serializers.CharField(required=False),
        "account": serializers.DictField(required=False),
        "amount": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
        "currency": serializers.CharField(required=False),
    },
)
PLACED = inline_serializer(
    "CheckoutPlaced",
    {
        "number": serializers.CharField(),
        "status": serializers.CharField(),
        "total": serializers.DecimalField(max_digits=14, decimal_places=2),
        "currency": serializers.CharField(),
        "exhibitors": serializers.ListField(child=serializers.DictField()),
        "payment": PAYMENT,
    },
)


def payment_data(order) -> dict:
    """How the app pays the order now: the PaymentIntent's client secret, or the transfer details."""
    transfer = payment_selectors.order_bank_transfer(order=order)
    if transfer is not None:
        return {
            "method": PaymentMethod.BANK_TRANSFER.value,
            "status": order.status,
            "reference": transfer.reference,
            "account": payment_selectors.bank_account(),
            "amount": str(transfer.amount),
            "currency": transfer.currency,
        }
    intent = payment_selectors.order_intent(order=order)
    data = {"method": PaymentMethod.STRIPE.value, "status": order.status}
    if intent is not None and order.status in (OrderStatus.PENDING, OrderStatus.FAILED):
        data.update(client_secret=intent.client_secret, publishable_key=settings.STRIPE_PUBLISHABLE_KEY)
    return data


def _address(data: dict):
    fields = {key: value for key, value in data.items() if key not in ("payment_method", "total")}
    if "country" in fields:
        fields["country"] = fields["country"].upper()
    form = ShippingAddressForm(data=fields)
    if not form.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return form.save(commit=False)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CheckoutView(OwnTransactionsMixin, ReaderLanguageMixin, APIView):
    """Place the order for the basket and start its payment. Send an ``Idempotency-Key`` header to
    make a retried request answer the same order; without it a repeated request finds the basket
    already ordered (empty) and is refused, never a second order."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CheckoutSerializer,
        responses={201: PLACED, 200: PLACED},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        examples=[
            OpenApiExample(
                "Card",
                value={
                    "last_name": "王",
                    "first_name": "芳",
                    "line1": "金水路 88 号",
                    "line4": "郑州",
                    "state": "河南",
                    "postcode": "450000",
                    "country": "CN",
                    "payment_method": "card",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        membership = buyer_membership(request, write=True)
        key = request.META.get("HTTP_IDEMPOTENCY_KEY", "")[:128]
        cache_key = f"api-v1-checkout:{request.user.pk}:{key}" if key else ""
        if cache_key and cache.get(cache_key):
            order = buyer_order_get(membership=membership, number=cache.get(cache_key))
            return Response(self.placed(order), status=status.HTTP_200_OK)
        data = CheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = data.validated_data
        method = wanted["payment_method"]
        if method not in offered_methods():
            raise Refused(_("Please choose one of the payment methods offered."), code="payment_method")
        address = _address(wanted)
        basket = basket_open_for(user=request.user)
        basket_lines_load(basket=basket)
        Applicator().apply(basket, request.user, request._request)
        shipping_method = Repository().get_default_shipping_method(
            basket=basket, user=request.user, request=request._request, shipping_addr=address
        )
        site_method = PaymentMethod.BANK_TRANSFER.value if method == "bank_transfer" else PaymentMethod.STRIPE
        fingerprint = None
        if basket.id and basket.all_lines():
            charge = shipping_method.calculate(basket)
            surcharges = SurchargeApplicator(request._request).get_applicable_surcharges(
                basket, shipping_charge=charge
            )
            total = OrderTotalCalculator(request._request).calculate(basket, charge, surcharges)
            if "total" in wanted and wanted["total"] != total.incl_tax:
                raise Conflict(
                    _("The total you confirmed is not the order's total. Please check the order again."),
                    code="total_changed",
                )
            fingerprint = checkout_fingerprint(
                basket=basket, shipping_charge=charge, total=total, extra=str(site_method)
            )
        try:
            order = order_place(
                basket=basket,
                user=request.user,
                shipping_address=address,
                shipping_method=shipping_method,
                expected_fingerprint=fingerprint,
                fingerprint_extra=str(site_method),
                request=request._request,
            )
        except (BasketChanged, BasketAlreadySubmitted, StockShort) as exc:
            code = {BasketChanged: "basket_changed", BasketAlreadySubmitted: "already_submitted"}.get(
                type(exc), "out_of_stock"
            )
            raise Conflict(exc.message, code=code) from None
        except CheckoutError as exc:
            raise Refused(
                exc.message, code="not_buyer" if isinstance(exc, BuyerNotAllowed) else "not_sellable"
            ) from None
        payment_services.payment_start(order=order, method=site_method)
        order.refresh_from_db()
        if cache_key:
            cache.set(cache_key, order.number, IDEMPOTENCY_SECONDS)
        return Response(self.placed(order), status=status.HTTP_201_CREATED)

    @staticmethod
    def placed(order) -> dict:
        summary = order_summary(order)
        return {**summary, "payment": payment_data(order)}


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class PaymentConfirmView(OwnTransactionsMixin, ReaderLanguageMixin, APIView):
    """After the app's Stripe SDK confirmed the payment: Stripe is asked for the PaymentIntent's
    state (whatever the app claims), which is applied as the webhook would; answers the order's
    payment status."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: PAYMENT},
        examples=[OpenApiExample("Paid", value={"method": "stripe", "status": "Paid"}, response_only=True)],
    )
    def post(self, request, number: str):
        membership = buyer_membership(request, write=True)
        order = buyer_order_get(membership=membership, number=number)
        intent = payment_selectors.order_intent(order=order)
        if intent is None:
            raise Conflict(
                _("Order %(number)s does not await an online payment.") % {"number": order.number},
                code="no_payment_intent",
            )
        try:
            payment_services.payment_intent_sync(payment_intent=intent)
        except payment_services.PaymentError as exc:
            raise Conflict(exc.message, code="payment_service") from None
        order.refresh_from_db()
        return Response(payment_data(order))
