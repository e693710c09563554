"""The payment records in Django's admin, read-only: they change only through the services."""

from django.contrib import admin

from .models import BankTransfer, PaymentIntent, Refund, StripeEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentIntent)
class PaymentIntentAdmin(ReadOnlyAdmin):
    list_display = ("intent_id", "order", "amount", "currency", "status", "paid_at", "created_at")
    list_filter = ("status", "currency")
    search_fields = ("intent_id", "order__number")


@admin.register(BankTransfer)
class BankTransferAdmin(ReadOnlyAdmin):
    list_display = ("reference", "order", "amount", "currency", "status", "confirmed_by", "confirmed_at")
    list_filter = ("status",)
    search_fields = ("reference", "order__number")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("order", "method", "amount", "currency", "status", "stripe_refund_id", "created_at")
    list_filter = ("method", "status")
    search_fields = ("order__number", "stripe_refund_id")


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "outcome", "received_at", "processed_at")
    list_filter = ("type", "outcome")
    search_fields = ("event_id",)
