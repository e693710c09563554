"""Orders holding an exhibitor's lines: list, fulfilment and packing list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..models import Role
from .company import CompanyMemberMixin, _errors_to_messages


class OrderListView(CompanyMemberMixin, TemplateView):
    """Orders holding the exhibitor's lines; only those lines are shown."""

    template_name = "exhibitors/order_list.html"

    def get_context_data(self, **kwargs):
        from order.selectors import exhibitor_order_list

        orders = exhibitor_order_list(membership=self.membership)[:100]
        return super().get_context_data(orders=orders, **kwargs)


class OrderFulfilView(CompanyMemberMixin, TemplateView):
    """One order, the exhibitor's lines only: confirm, ship with tracking (partly), deliver."""

    template_name = "exhibitors/order_detail.html"

    def get_order(self):
        from order.selectors import exhibitor_order_get

        return exhibitor_order_get(membership=self.membership, number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        from order.selectors import order_is_all_own, shipped_quantities, tracking_numbers
        from payments.models import OrderStatus

        order = self.get_order()
        shipped = shipped_quantities(order.own_lines)
        rows = [(line, shipped.get(line.pk, 0)) for line in order.own_lines]
        subtotal = sum((line.line_price_excl_tax for line in order.own_lines), start=0)
        return super().get_context_data(
            order=order,
            can_refund=self.membership.role == Role.OWNER and order.status in OrderStatus.PAID_STATES,
            can_confirm_transfer=order_is_all_own(order) and order.status == OrderStatus.AWAITING_TRANSFER,
            rows=rows,
            subtotal=subtotal,
            tracking=tracking_numbers(order, order.own_lines),
            **kwargs,
        )

    def post(self, request, number):
        from order import services

        order = self.get_order()
        action = request.POST.get("action")
        line_ids = [int(v) for v in request.POST.getlist("line") if v.isdigit()]
        try:
            if action == "confirm":
                services.exhibitor_lines_confirm(membership=self.membership, order=order, line_ids=line_ids)
            elif action == "ship":
                quantities = {}
                for line in order.own_lines:
                    raw = request.POST.get(f"quantity-{line.pk}", "").strip()
                    if raw:
                        if not raw.isdigit():
                            raise ValidationError(_("Quantities are whole numbers."))
                        quantities[line.pk] = int(raw)
                services.exhibitor_lines_ship(
                    membership=self.membership,
                    order=order,
                    quantities=quantities,
                    tracking=request.POST.get("tracking", ""),
                )
            elif action == "deliver":
                services.exhibitor_lines_deliver(membership=self.membership, order=order, line_ids=line_ids)
            elif action == "refund":
                refund = services.exhibitor_lines_refund(
                    membership=self.membership,
                    order=order,
                    line_ids=line_ids,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("Refund of %(amount)s %(currency)s made.")
                    % {"amount": refund.amount, "currency": refund.currency},
                )
                return redirect("company:order-detail", number=order.number)
            elif action == "confirm_transfer":
                services.exhibitor_transfer_confirm(membership=self.membership, order=order)
            else:
                raise ValidationError(_("Unknown action."))
            messages.success(request, _("Saved."))
        except ValidationError as error:
            _errors_to_messages(request, error)
        return redirect("company:order-detail", number=order.number)


class PackingListView(OrderFulfilView):
    """A printable invoice and packing list of the exhibitor's lines of one order."""

    template_name = "exhibitors/packing_list.html"
    http_method_names = ["get", "head"]
