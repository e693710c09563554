"""Oscar's checkout, forked: shipping per exhibitor with a cold-chain surcharge, payment by Stripe
(PaymentIntents) or bank transfer, stock allocated under row locks when the order is placed.
"""

import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "checkout"

    def ready(self):
        super().ready()
        self.payment_view = get_class("checkout.views", "PaymentView")
        self.payment_return_view = get_class("checkout.views", "PaymentReturnView")
        self.buyer_required_view = get_class("checkout.views", "BuyerRequiredView")

    def get_urls(self):
        urls = [
            path("pay/<str:number>/", self.payment_view.as_view(), name="payment"),
            path("pay/<str:number>/return/", self.payment_return_view.as_view(), name="payment-return"),
            path("buyer-required/", self.buyer_required_view.as_view(), name="buyer-required"),
        ]
        return super().get_urls() + self.post_process_urls(urls)
