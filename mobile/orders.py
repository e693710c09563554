"""``/api/v1/orders/``: the acting buyer company's orders, and for an exhibitor its own lines
and fulfilment (confirm, ship with tracking, deliver) through ``order.services``.

An order of another company is a 404; an exhibitor sees and moves only its own lines. Reads
take a fixed number of queries whatever the number of orders or lines."""

from __future__ import annotations

from collections import OrderedDict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from oscar.core.loading import get_model
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from order import services as order_services
from order.selectors import (
    buyer_order_list,
    exhibitor_line_list,
    exhibitor_order_get,
    line_tracking,
    shipped_quantities,
)
from order.statuses import LineStatus

from .common import (
    APP_AUTHENTICATION,
    ConditionalGetMixin,
    NewestFirst,
    ReaderLanguageMixin,
    acting_membership,
)
from .trading import Refused, buyer_membership, exhibitor_membership

Order = get_model("order", "Order")
Line = get_model("order", "Line")
LINE_STATUSES = list(LineStatus.PIPELINE)


def _lines_prefetch():
    return Line.objects.select_related("partner__exhibitor", "product").order_by("pk")


def order_summary(order, lines=None, *, history: bool = False) -> dict:
    """The order with its lines split per exhibitor (``lines``: only these, e.g. an exhibitor's own)."""
    lines = list(order.lines.select_related("partner__exhibitor") if lines is None else lines)
    tracking = line_tracking(order, lines)
    shipped = shipped_quantities(lines)
    groups: OrderedDict[int, dict] = OrderedDict()
    for line in lines:
        exhibitor = getattr(line.partner, "exhibitor", None) if line.partner_id else None
        group = groups.setdefault(
            line.partner_id or 0,
            {
                "exhibitor": {"key": exhibitor.key, "name": exhibitor.display_name}
                if exhibitor
                else {"key": "", "name": line.partner_name},
                "lines": [],
                "subtotal": 0,
            },
        )
        group["lines"].append(
            {
                "id": line.pk,
                "product": line.product_id,
                "title": line.title,
                "quantity": line.quantity,
                "shipped": shipped.get(line.pk, 0),
                "unit_price": str(line.unit_price_incl_tax),
                "line_total": str(line.line_price_incl_tax),
                "status": line.status,
                "tracking": tracking.get(line.pk, []),
            }
        )
        group["subtotal"] += line.line_price_incl_tax
    data = {
        "number": order.number,
        "status": order.status,
        "date_placed": order.date_placed.isoformat() if order.date_placed else None,
        "total": str(order.total_incl_tax),
        "shipping": str(order.shipping_incl_tax),
        "currency": order.currency,
        "exhibitors": [{**group, "subtotal": str(group["subtotal"])} for group in groups.values()],
    }
    if history:
        data["history"] = [
            {"from": change.old_status, "to": change.new_status, "at": change.date_created.isoformat()}
            for change in order.status_changes.order_by("date_created", "pk")
        ]
    return data


ORDER_ROW = inline_serializer(
    "OrderRow",
    {
        "number": serializers.CharField(),
        "status": serializers.CharField(),
        "date_placed": serializers.DateTimeField(),
        "total": serializers.DecimalField(max_digits=14, decimal_places=2),
        "currency": serializers.CharField(),
        "num_lines": serializers.IntegerField(),
    },
)
ORDER_DETAIL = inline_serializer(
    "OrderDetail",
    {
        "number": serializers.CharField(),
        "status": serializers.CharField(),
        "date_placed": serializers.DateTimeField(),
        "total": serializers.DecimalField(max_digits=14, decimal_places=2),
        "shipping": serializers.DecimalField(max_digits=14, decimal_places=2),
        "currency": serializers.CharField(),
        "exhibitors": serializers.ListField(child=serializers.DictField()),
        "history": serializers.ListField(child=serializers.DictField()),
    },
)


# The columns an order row shows (read, never saved): an order is wide.
ORDER_ROW_FIELDS = ("id", "number", "status", "date_placed", "total_incl_tax", "currency")


class OrderRowSerializer(serializers.Serializer):
    def to_representation(self, order) -> dict:
        return {
            "number": order.number,
            "status": order.status,
            "date_placed": order.date_placed.isoformat() if order.date_placed else None,
            "total": str(order.total_incl_tax),
            "currency": order.currency,
            "num_lines": order.line_count,
        }


class OrderListView(ConditionalGetMixin, generics.ListAPIView):
    """The acting buyer company's orders (placed by any of its members), newest first, in cursor pages."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]
    serializer_class = OrderRowSerializer
    pagination_class = NewestFirst

    @extend_schema(responses={200: ORDER_ROW})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        membership = buyer_membership(self.request, write=False)
        rows = buyer_order_list(membership=membership).only(*ORDER_ROW_FIELDS)
        return rows.annotate(line_count=Count("lines"))


class OrderDetailView(ConditionalGetMixin, APIView):
    """One order: for the buyer company all of it, for an exhibitor only its own lines; lines
    with their status, shipped quantity and tracking per exhibitor, and the status history."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ORDER_DETAIL})
    def get(self, request, number: str):
        if len(number) > 128:
            raise Http404
        membership = acting_membership(request)
        if request.user.is_staff and membership is None:
            order = Order.objects.filter(number=number).first()
            if order is None:
                raise Http404
            lines = list(_lines_prefetch().filter(order=order))
        elif membership is not None and membership.exhibitor_id is not None:
            order = exhibitor_order_get(membership=membership, number=number)
            lines = [line for line in _lines_prefetch().filter(pk__in=[li.pk for li in order.own_lines])]
        elif membership is not None and membership.buyer_id is not None:
            order = buyer_order_list(membership=membership).filter(number=number).first()
            if order is None:
                raise Http404
            lines = list(_lines_prefetch().filter(order=order))
        else:
            raise Http404
        return Response(order_summary(order, lines, history=True))


class LineFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=LINE_STATUSES, required=False)


class LineRowSerializer(serializers.Serializer):
    def to_representation(self, line) -> dict:
        return {
            "id": line.pk,
            "order": line.order.number,
            "order_status": line.order.status,
            "product": line.product_id,
            "title": line.title,
            "quantity": line.quantity,
            "unit_price": str(line.unit_price_incl_tax),
            "line_total": str(line.line_price_incl_tax),
            "currency": line.order.currency,
            "status": line.status,
            "date_placed": line.order.date_placed.isoformat() if line.order.date_placed else None,
        }


class ExhibitorLineListView(ConditionalGetMixin, generics.ListAPIView):
    """The acting exhibitor's lines across all orders, newest first, in cursor pages; filter by status."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]
    serializer_class = LineRowSerializer
    pagination_class = NewestFirst

    @extend_schema(
        parameters=[LineFilters],
        responses={
            200: inline_serializer(
                "OrderLineRow",
                {
                    "id": serializers.IntegerField(),
                    "order": serializers.CharField(),
                    "status": serializers.CharField(),
                    "quantity": serializers.IntegerField(),
                },
            )
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = LineFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        membership = exhibitor_membership(self.request)
        return exhibitor_line_list(membership=membership, status=filters.validated_data.get("status"))


class LinesSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1, max_length=500
    )


class ShipSerializer(serializers.Serializer):
    lines = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=2**31 - 1),
        help_text="line id → units shipped now",
    )
    tracking = serializers.CharField(max_length=128, allow_blank=True)

    def validate_lines(self, value):
        try:
            quantities = {int(key): qty for key, qty in value.items()}
        except (TypeError, ValueError):
            raise serializers.ValidationError("Line ids are numbers.") from None
        if not quantities or len(quantities) > 500:
            raise serializers.ValidationError("Give between 1 and 500 lines.")
        return quantities


class _FulfilView(ReaderLanguageMixin, APIView):
    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Another company's order is a 404 before its body is read.
        self.membership = exhibitor_membership(request)
        number = kwargs.get("number", "")
        if len(number) > 128:
            raise Http404
        self.order = exhibitor_order_get(membership=self.membership, number=number)

    def run(self, request, number: str, action):
        membership, order = self.membership, self.order
        try:
            action(membership, order)
        except DjangoValidationError as error:
            raise Refused(" ".join(error.messages), code=error.code or "refused") from None
        order.refresh_from_db()
        lines = list(_lines_prefetch().filter(order=order, partner_id=membership.exhibitor.partner_id))
        return Response(order_summary(order, lines, history=True))


FULFIL_EXAMPLE = OpenApiExample("Lines", value={"lines": [41, 42]}, request_only=True)


class OrderConfirmView(_FulfilView):
    """The exhibitor confirms its own (paid) lines of the order."""

    @extend_schema(request=LinesSerializer, responses={200: ORDER_DETAIL}, examples=[FULFIL_EXAMPLE])
    def post(self, request, number: str):
        data = LinesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["lines"]
        return self.run(
            request,
            number,
            lambda m, order: order_services.exhibitor_lines_confirm(membership=m, order=order, line_ids=ids),
        )


class OrderShipView(_FulfilView):
    """The exhibitor ships units of its own confirmed lines under a tracking number (partial allowed)."""

    @extend_schema(
        request=ShipSerializer,
        responses={200: ORDER_DETAIL},
        examples=[OpenApiExample("Ship", value={"lines": {"41": 100}, "tracking": "SF1234567890"})],
    )
    def post(self, request, number: str):
        data = ShipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = data.validated_data
        return self.run(
            request,
            number,
            lambda m, order: order_services.exhibitor_lines_ship(
                membership=m, order=order, quantities=wanted["lines"], tracking=wanted["tracking"]
            ),
        )


class OrderDeliverView(_FulfilView):
    """The exhibitor marks its own shipped lines delivered."""

    @extend_schema(request=LinesSerializer, responses={200: ORDER_DETAIL}, examples=[FULFIL_EXAMPLE])
    def post(self, request, number: str):
        data = LinesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["lines"]
        return self.run(
            request,
            number,
            lambda m, order: order_services.exhibitor_lines_deliver(membership=m, order=order, line_ids=ids),
        )
