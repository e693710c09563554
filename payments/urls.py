"""Payment URLs (``/payments/``): Stripe's webhook and the payment pages."""

app_name = "payments"

urlpatterns: list = []
