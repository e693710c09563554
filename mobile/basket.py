"""``/api/v1/basket/``: the person's open basket, the same one the site's basket page shows.

Adding, changing and removing lines go through ``basket.services`` (and agreed prices through
``partner.services.basket_add_negotiated``), so the refusals and their wording are the HTML
basket's. Reading the basket takes a fixed number of queries whatever its number of lines."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from oscar.core.loading import get_class, get_model
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from basket.selectors import basket_lines_load
from basket.services import (
    BasketRefusal,
    basket_line_add,
    basket_line_quantity_set,
    basket_line_remove,
    basket_open_for,
)
from partner.models import NegotiatedPrice
from partner.services import basket_add_negotiated, buyer_of

from .common import APP_AUTHENTICATION, ReaderLanguageMixin
from .trading import Refused, buyer_membership

Product = get_model("catalogue", "Product")
Applicator = get_class("offer.applicator", "Applicator")


class BasketLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.DictField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    negotiated = serializers.IntegerField(allow_null=True, help_text="the agreed price (sample, quote) used")
    cold_chain = serializers.BooleanField()
    warning = serializers.CharField(allow_null=True)


class BasketSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    lines = BasketLineSerializer(many=True)
    num_lines = serializers.IntegerField()
    num_items = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class LineAddSerializer(serializers.Serializer):
    product = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    quantity = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    negotiated = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="an agreed price's id (sample, quote)"
    )

    def validate(self, data):
        if "negotiated" in data:
            if "product" in data or "quantity" in data:
                raise serializers.ValidationError("Give either product and quantity, or negotiated.")
        elif "product" not in data or "quantity" not in data:
            raise serializers.ValidationError("Give product and quantity, or negotiated.")
        return data


class LineQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0, max_value=2**31 - 1, help_text="0 removes the line")


def _money(value):
    return None if value is None else str(value)


def basket_data(basket) -> dict:
    lines = basket_lines_load(basket=basket)
    rows = []
    for line in lines:
        info = line.purchase_info
        product = line.product
        rows.append(
            {
                "id": line.pk,
                "product": {"id": product.pk, "title": product.display_title, "unit": product.unit},
                "quantity": line.quantity,
                "unit_price": _money(line.unit_effective_price if info.price.exists else None),
                "line_total": _money(line.line_price_incl_tax_incl_discounts if info.price.exists else None),
                "currency": line.price_currency,
                "negotiated": line.negotiated_id,
                "cold_chain": line.is_cold_chain,
                "warning": line.get_warning(),
            }
        )
    return {
        "id": basket.id,
        "currency": basket.currency if lines else None,
        "lines": rows,
        "num_lines": len(lines),
        "num_items": sum(line.quantity for line in lines),
        "total": _money(basket.total_incl_tax) if lines else "0.00",
    }


BASKET_EXAMPLE = OpenApiExample(
    "A basket",
    value={
        "id": 7,
        "currency": "CNY",
        "lines": [
            {
                "id": 31,
                "product": {"id": 12, "title": "大面筋辣条", "unit": "箱"},
                "quantity": 500,
                "unit_price": "42.50",
                "line_total": "21250.00",
                "currency": "CNY",
                "negotiated": None,
                "cold_chain": False,
                "warning": None,
            }
        ],
        "num_lines": 1,
        "num_items": 500,
        "total": "21250.00",
    },
    response_only=True,
)


class _BasketView(ReaderLanguageMixin, APIView):
    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    def basket(self):
        basket = basket_open_for(user=self.request.user)
        basket_lines_load(basket=basket)
        Applicator().apply(basket, self.request.user, self.request._request)
        return basket

    def answer(self, basket, code=status.HTTP_200_OK):
        fresh = basket_open_for(user=self.request.user)
        basket_lines_load(basket=fresh)
        Applicator().apply(fresh, self.request.user, self.request._request)
        return Response(basket_data(fresh), status=code)

    def line(self, basket, pk: int):
        return get_object_or_404(basket.lines.select_related("product", "stockrecord"), pk=pk)


class BasketView(_BasketView):
    """The acting person's open basket (the site's basket page shows the same): lines with the
    unit price at their quantity's tier, line totals, warnings and the total."""

    @extend_schema(responses={200: BasketSerializer}, examples=[BASKET_EXAMPLE])
    def get(self, request):
        buyer_membership(request, write=False)
        return Response(basket_data(self.basket()))


class BasketLineListView(_BasketView):
    """Add a product (``product`` and ``quantity``, added to its line if there is one) or an agreed
    price (``negotiated``: a sample or an accepted quote, at its price and quantity)."""

    @extend_schema(
        request=LineAddSerializer,
        responses={201: BasketSerializer},
        examples=[
            OpenApiExample("A product", value={"product": 12, "quantity": 500}, request_only=True),
            OpenApiExample("An agreed price", value={"negotiated": 3}, request_only=True),
            BASKET_EXAMPLE,
        ],
    )
    def post(self, request):
        buyer_membership(request, write=True)
        data = LineAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = data.validated_data
        basket = self.basket()
        if "negotiated" in wanted:
            grant = get_object_or_404(
                NegotiatedPrice.objects.select_related("product", "buyer"), pk=wanted["negotiated"]
            )
            if not buyer_of(user=request.user, grant=grant):
                raise Http404  # another company's agreed price: not even its existence
            try:
                basket_add_negotiated(basket=basket, grant=grant, user=request.user)
            except ValidationError as error:
                raise Refused(" ".join(error.messages), code="negotiated") from None
        else:
            product = Product.objects.filter(pk=wanted["product"]).first()
            if product is None:
                raise Http404
            try:
                basket_line_add(basket=basket, product=product, quantity=wanted["quantity"])
            except BasketRefusal as refusal:
                raise Refused(refusal.message, code=refusal.code) from None
        return self.answer(basket, status.HTTP_201_CREATED)


class BasketLineView(_BasketView):
    """One line of the basket: change its quantity (its tier price follows; 0 removes it) or
    remove it. A line of another basket is a 404."""

    @extend_schema(
        request=LineQuantitySerializer,
        responses={200: BasketSerializer},
        examples=[OpenApiExample("More", value={"quantity": 600}, request_only=True), BASKET_EXAMPLE],
    )
    def patch(self, request, pk: int):
        buyer_membership(request, write=True)
        data = LineQuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        basket = self.basket()
        line = self.line(basket, pk)
        try:
            basket_line_quantity_set(basket=basket, line=line, quantity=data.validated_data["quantity"])
        except BasketRefusal as refusal:
            raise Refused(refusal.message, code=refusal.code) from None
        return self.answer(basket)

    @extend_schema(request=None, responses={200: BasketSerializer}, examples=[BASKET_EXAMPLE])
    def delete(self, request, pk: int):
        buyer_membership(request, write=True)
        basket = self.basket()
        basket_line_remove(basket=basket, line=self.line(basket, pk))
        return self.answer(basket)
