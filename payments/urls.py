"""Payment URLs (``/payments/``): Stripe's webhook and the staff pages."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", views.StripeWebhookView.as_view(), name="stripe-webhook"),
    path("ledger/", views.ExhibitorLedgerView.as_view(), name="exhibitor-ledger"),
    path("staff/refunds/<int:pk>/decide/", views.StaffRefundDecideView.as_view(), name="staff-refund-decide"),
    path("staff/", views.StaffPaymentListView.as_view(), name="staff-list"),
    path("staff/orders/<str:number>/", views.StaffOrderPaymentView.as_view(), name="staff-order"),
    path(
        "staff/orders/<str:number>/confirm-transfer/",
        views.StaffBankTransferConfirmView.as_view(),
        name="staff-transfer-confirm",
    ),
    path(
        "staff/orders/<str:number>/refunds/",
        views.StaffRefundCreateView.as_view(),
        name="staff-refund-create",
    ),
]
